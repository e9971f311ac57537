import type { Model } from '../../lib/index.ts';
import { groupRows } from '../table/groups.ts';
import { BarList } from './BarList.tsx';
import { Panel } from './Panel.tsx';

/** Areas whose caller carries a [module] tag. */
export function ModulesPanel({ model }: { model: Model }) {
  return (
    <Panel
      title="Modules"
      note={
        <>
          Areas allocated by code inside a module (<code>[module]</code> after the caller). A module&apos;s own
          code and data are allocated by <code>load_module</code> and carry no tag.
        </>
      }
      testId="modules"
    >
      <BarList
        by="module"
        rows={groupRows(model, 'module')}
        countNoun="areas"
        nameOf={(r) => (r.other ? r.label : <code>{r.label}</code>)}
        empty="No area was allocated from inside a module."
      />
    </Panel>
  );
}
