import type { Diagnostic } from '../../lib/index.ts';
import { Panel } from '../ui/Panel.tsx';

function DiagnosticRow({ d }: { d: Diagnostic }) {
  return (
    <li className={`diagnostic is-${d.severity}`}>
      <span className="diagnostic-line">line {d.line}</span>
      <span className="diagnostic-severity">{d.severity}</span>
      <span className="diagnostic-reason">{d.reason}</span>
      <code className="diagnostic-text">{d.text}</code>
    </li>
  );
}

/** Lines the parser skipped (errors) or read with a caveat (warnings), with their line numbers. */
export function DiagnosticsPanel({ diagnostics, total }: { diagnostics: Diagnostic[]; total: number }) {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <Panel
      title="Diagnostics"
      note="Errors are lines that were skipped; warnings are lines read with a caveat. Every other line was kept."
      className="panel-wide"
      testId="diagnostics"
    >
      {total === 0 ? (
        <p className="empty">No diagnostics: every line was understood.</p>
      ) : (
        <details className="diagnostics" open={total <= 5}>
          <summary>
            {total} {total === 1 ? 'diagnostic' : 'diagnostics'} ({errors} {errors === 1 ? 'error' : 'errors'},{' '}
            {warnings} {warnings === 1 ? 'warning' : 'warnings'}
            {diagnostics.length < total && `; the first ${diagnostics.length} are listed`})
          </summary>
          <ol className="diagnostic-list">
            {diagnostics.map((d, i) => (
              <DiagnosticRow key={`${d.line}:${i}`} d={d} />
            ))}
          </ol>
        </details>
      )}
    </Panel>
  );
}
