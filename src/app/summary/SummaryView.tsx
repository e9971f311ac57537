import { useMemo } from 'react';
import { useStore } from '../state/store.ts';
import { useHighlight } from '../state/view.ts';
import { BackingBar } from './BackingBar.tsx';
import { CallersPanel } from './CallersPanel.tsx';
import { DiagnosticsPanel } from './DiagnosticsPanel.tsx';
import { HighlightChip, useEscapeClearsHighlight } from '../ui/HighlightChip.tsx';
import { KindsTable } from './KindsTable.tsx';
import { LayoutPanel } from './LayoutPanel.tsx';
import { ModulesPanel } from './ModulesPanel.tsx';
import { NodesPanel } from './NodesPanel.tsx';
import { StatGrid } from './StatGrid.tsx';
import './summary.css';
import { currentDump, diagnosticsOf, summaryOf } from '../state/select.ts';

/** Everything the summary of one dump says: headline numbers, where the bytes go, and who holds them. */
export function SummaryView() {
  const summary = useStore((s) => summaryOf(s));
  const model = useStore((s) => s.model);
  const diagnostics = useStore((s) => diagnosticsOf(s));
  const diagnosticCount = useStore((s) => (currentDump(s)?.diagnosticCount ?? 0));
  const busy = useStore((s) => s.status === 'loading' || s.status === 'parsing');
  const highlight = useHighlight();
  useEscapeClearsHighlight(highlight !== null);
  // The bars are worked out once per model, not on every highlight change.
  const bars = useMemo(
    () =>
      model && (
        <div className="panels">
          <KindsTable model={model} />
          <CallersPanel model={model} />
          <ModulesPanel model={model} />
          <NodesPanel model={model} />
        </div>
      ),
    [model],
  );
  if (!summary) return null;

  return (
    <div className={busy ? 'summary is-stale' : 'summary'} aria-busy={busy}>
      <StatGrid summary={summary} diagnosticCount={diagnosticCount} />
      {model && <BackingBar model={model} />}
      <div className="highlight-bar">
        {highlight ? (
          <HighlightChip highlight={highlight} testId="highlight-chip" />
        ) : (
          <span className="highlight-hint">Click a bar to highlight its areas on the map and list them in the table below.</span>
        )}
      </div>
      {bars}
      <div className="panels">
        <LayoutPanel summary={summary} />
        <DiagnosticsPanel diagnostics={diagnostics} total={diagnosticCount} />
      </div>
    </div>
  );
}
