import type { Summary } from '../../lib/index.ts';
import { CountBytesTable } from './CountBytesTable.tsx';
import { Panel } from './Panel.tsx';

/** The kernel functions that hold the most vmalloc space. */
export function CallersPanel({ summary }: { summary: Summary }) {
  const rows = summary.topCallers.map((c) => ({
    key: c.function,
    name: <code>{c.function}</code>,
    count: c.count,
    bytes: c.bytes,
  }));
  return (
    <Panel title="Top callers" note="Functions that allocated the most bytes (the caller column, offsets dropped)." testId="callers">
      <CountBytesTable nameHeading="Function" rows={rows} empty="No line names a caller." />
    </Panel>
  );
}
