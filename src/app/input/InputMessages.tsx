import { Fragment } from 'react';
import type { Diagnostic } from '../../lib/index.ts';
import { dismissNotice } from '../state/actions.ts';
import { useStore } from '../state/store.ts';
import { currentDump } from '../state/select.ts';

function DiagnosticLines({ diagnostics, total }: { diagnostics: Diagnostic[]; total: number }) {
  if (total === 0) return null;
  return (
    <details className="notice-diagnostics">
      <summary>
        {total} {total === 1 ? 'line' : 'lines'} skipped or read with a caveat
        {diagnostics.length < total && `; the first ${diagnostics.length} are listed`}
      </summary>
      <dl className="notice-lines">
        {diagnostics.map((d, i) => (
          <Fragment key={`${d.line}:${i}`}>
            <dt>line {d.line}</dt>
            <dd>
              {d.reason}: <code>{d.text}</code>
            </dd>
          </Fragment>
        ))}
      </dl>
    </details>
  );
}

/** Why the last input was not shown (kept the dump on screen), and what was read from the one shown. */
export function InputMessages() {
  const notice = useStore((s) => s.notice);
  const note = useStore((s) => (currentDump(s)?.note ?? null));
  const status = useStore((s) => s.status);
  return (
    <>
      {notice && status !== 'error' && (
        <div
          className={`input-notice${notice.attached ? ' is-attached' : ''}`}
          role={notice.attached ? 'status' : 'alert'}
          data-testid="input-notice"
        >
          <p>
            <strong>{notice.attached ? 'Attached:' : 'Not shown:'}</strong> {notice.message}
          </p>
          <DiagnosticLines diagnostics={notice.diagnostics} total={notice.diagnosticCount} />
          <button type="button" className="button button-small" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      {note && status === 'ready' && (
        <p className="input-note" data-testid="input-note">
          {note}
        </p>
      )}
    </>
  );
}
