import type { Summary } from '../../lib/index.ts';
import { PAGE_SIZE } from '../../lib/index.ts';
import { CountBytesTable } from './CountBytesTable.tsx';
import { Panel } from './Panel.tsx';

/** Pages per NUMA node, from the N<node>=<pages> words. */
export function NodesPanel({ summary }: { summary: Summary }) {
  const rows = Object.entries(summary.nodes).map(([node, pages]) => ({
    key: node,
    name: <code>{node}</code>,
    count: pages,
    bytes: pages * PAGE_SIZE,
  }));
  return (
    <Panel title="NUMA nodes" note="Pages backing the areas, per memory node (N0=…, N1=…)." testId="nodes">
      <CountBytesTable
        nameHeading="Node"
        countHeading="Pages"
        rows={rows}
        empty="This dump has no per-node page counts."
      />
    </Panel>
  );
}
