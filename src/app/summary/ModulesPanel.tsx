import type { Model } from '../../lib/index.ts';
import { useModuleColumn } from '../state/attribution.ts';
import { useStore } from '../state/store.ts';
import { groupRows } from './groups.ts';
import { BarList } from './BarList.tsx';
import { Panel } from '../ui/Panel.tsx';
import { captureOf } from '../state/select.ts';

/** Areas of each module: [module]-tagged ones, and the loader's areas once /proc/modules is known. */
export function ModulesPanel({ model }: { model: Model }) {
  const column = useModuleColumn(model);
  const known = useStore((s) => s.model === model && (captureOf(s)?.modules.length ?? 0) > 0);
  return (
    <Panel
      title="Modules"
      note={
        known ? (
          <>
            Each module&apos;s code and data (the loader&apos;s areas, one per section since 6.4, by <code>/proc/modules</code>) and
            the areas it allocated itself (<code>[module]</code> after the caller).
          </>
        ) : (
          <>
            Areas allocated by code inside a module (<code>[module]</code> after the caller). A module&apos;s own code and data
            are allocated by <code>load_module</code> and carry no tag: attach <code>/proc/modules</code> (Cross-checks) to count them too.
          </>
        )
      }
      testId="modules"
    >
      <BarList
        by="module"
        rows={groupRows(model, 'module', 12, column)}
        countNoun="areas"
        nameOf={(r) => (r.other ? r.label : <code>{r.label}</code>)}
        empty="No area was allocated from inside a module."
      />
    </Panel>
  );
}
