import type { Model } from '../../lib/index.ts';
import { formatCount } from '../../lib/index.ts';
import { groupRows } from './groups.ts';
import { BarList } from './BarList.tsx';
import { Panel } from '../ui/Panel.tsx';

/** Pages per NUMA node, from the N<node>=<pages> words. */
export function NodesPanel({ model }: { model: Model }) {
  return (
    <Panel
      title="NUMA nodes"
      note="Pages backing the areas, per memory node (N0=…, N1=…). Bars: pages × 4 KiB; count: areas with pages there."
      testId="nodes"
    >
      <BarList
        by="node"
        rows={groupRows(model, 'node')}
        countNoun="areas with pages on it"
        noteOf={(r) => `${formatCount(r.pages)} pages`}
        nameOf={(r) => <code>{r.label}</code>}
        empty="This dump has no per-node page counts."
      />
    </Panel>
  );
}
