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
  if (history.length < 2) return null;
  return (
    <div className="field">
      <label htmlFor={id}>Loaded</label>
      <select
        id={id}
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
