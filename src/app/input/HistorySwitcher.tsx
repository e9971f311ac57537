import { useId } from 'react';
import { switchTo } from '../state/actions.ts';
import type { LoadedDump } from '../state/history.ts';
import { useStore } from '../state/store.ts';

function sourceLabel(d: LoadedDump): string {
  switch (d.source.kind) {
    case 'sample':
      return 'sample';
    case 'paste':
      return 'pasted';
    case 'link':
      return 'shared link';
    case 'file':
      return d.source.via === 'drop' ? 'dropped' : d.source.via === 'paste' ? 'pasted file' : 'opened';
  }
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The last few dumps loaded in this session; choosing one puts it back on screen at once. */
export function HistorySwitcher() {
  const id = useId();
  const history = useStore((s) => s.history);
  const currentId = useStore((s) => s.currentId);
  // Shown (disabled) before there is anything to go back to, so the header keeps its size when
  // the second dump arrives.
  if (history.length < 2) {
    return (
      <div className="field">
        <label htmlFor={id}>Loaded</label>
        <select id={id} className="history-select" data-testid="snapshot-history-empty" disabled value="">
          <option value="">{history.length === 0 ? 'nothing yet' : 'only this dump so far'}</option>
        </select>
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>Loaded</label>
      <select
        id={id}
        className="history-select"
        data-testid="snapshot-history"
        value={currentId ?? ''}
        onChange={(e) => switchTo(Number(e.target.value))}
      >
        {[...history].reverse().map((d) => (
          <option key={d.id} value={d.id}>
            {d.fileName} · {sourceLabel(d) === d.fileName ? '' : `${sourceLabel(d)} `}
            {time(d.loadedAt)} · {d.summary.areas.toLocaleString('en-US')} areas
          </option>
        ))}
      </select>
    </div>
  );
}
