import type { Summary } from '../../lib/index.ts';
import { CountBytesTable } from './CountBytesTable.tsx';
import { Panel } from './Panel.tsx';

/** Areas whose caller carries a [module] tag. */
export function ModulesPanel({ summary }: { summary: Summary }) {
  const rows = Object.entries(summary.modules).map(([name, t]) => ({
    key: name,
    name: <code>{name}</code>,
    count: t.count,
    bytes: t.bytes,
  }));
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
      <CountBytesTable nameHeading="Module" rows={rows} empty="No area was allocated from inside a module." />
    </Panel>
  );
}
