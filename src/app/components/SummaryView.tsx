import { useStore } from '../state/store.ts';
import { CallersPanel } from './CallersPanel.tsx';
import { DiagnosticsPanel } from './DiagnosticsPanel.tsx';
import { KindsTable } from './KindsTable.tsx';
import { LayoutPanel } from './LayoutPanel.tsx';
import { ModulesPanel } from './ModulesPanel.tsx';
import { NodesPanel } from './NodesPanel.tsx';
import { StatGrid } from './StatGrid.tsx';

/** Everything the summary of one dump says, as a page of panels. */
export function SummaryView() {
  const summary = useStore((s) => s.summary);
  const diagnostics = useStore((s) => s.diagnostics);
  const diagnosticCount = useStore((s) => s.diagnosticCount);
  const busy = useStore((s) => s.status === 'loading' || s.status === 'parsing');
  if (!summary) return null;

  return (
    <div className={busy ? 'summary is-stale' : 'summary'} aria-busy={busy}>
      <StatGrid summary={summary} diagnosticCount={diagnosticCount} />
      <div className="panels">
        <div className="panel-stack">
          <KindsTable summary={summary} />
          <CallersPanel summary={summary} />
        </div>
        <div className="panel-stack">
          <LayoutPanel summary={summary} />
          <ModulesPanel summary={summary} />
          <NodesPanel summary={summary} />
        </div>
        <DiagnosticsPanel diagnostics={diagnostics} total={diagnosticCount} />
      </div>
    </div>
  );
}
