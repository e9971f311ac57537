import { LAZILY_FREED, NO_CALLER, VM_MAP_RAM } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { groupRows } from './groups.ts';
import { BarList } from './BarList.tsx';
import { Panel } from '../ui/Panel.tsx';

/** What the rows of lines without a caller hold (their names come from noCallerName). */
const NO_CALLER_NOTE: Record<string, string> = {
  [LAZILY_FREED]: 'unpurged vm_area lines: freed, waiting for the lazy TLB flush (they print no caller)',
  [VM_MAP_RAM]: 'per-CPU vm_map_ram blocks (they print no caller)',
  [NO_CALLER]: 'areas registered before vmalloc worked, such as the first percpu chunk, print no caller',
};

/** The kernel functions that hold the most vmalloc space. */
export function CallersPanel({ model }: { model: Model }) {
  return (
    <Panel title="Callers" note="Functions that allocated the most bytes (the caller column, offsets dropped)." testId="callers">
      <BarList
        by="caller"
        rows={groupRows(model, 'caller')}
        countNoun="areas"
        nameOf={(r) => (r.other || r.ids[0] < 0 ? r.label : <code>{r.label}</code>)}
        noteOf={(r) => (r.ids[0] < 0 && !r.other ? NO_CALLER_NOTE[r.label] ?? null : null)}
        empty="No line names a caller."
      />
    </Panel>
  );
}
