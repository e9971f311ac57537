import type { Model } from '../../lib/index.ts';
import { groupRows } from '../table/groups.ts';
import { BarList } from './BarList.tsx';
import { Panel } from './Panel.tsx';

/** The kernel functions that hold the most vmalloc space. */
export function CallersPanel({ model }: { model: Model }) {
  return (
    <Panel title="Callers" note="Functions that allocated the most bytes (the caller column, offsets dropped)." testId="callers">
      <BarList
        by="caller"
        rows={groupRows(model, 'caller')}
        countNoun="areas"
        nameOf={(r) => (r.other || r.ids[0] < 0 ? r.label : <code>{r.label}</code>)}
        noteOf={(r) => (r.ids[0] < 0 && !r.other ? 'vm_map_ram blocks and lazily freed areas print no caller' : null)}
        empty="No line names a caller."
      />
    </Panel>
  );
}
