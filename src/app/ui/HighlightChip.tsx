import { useEffect } from 'react';
import { formatBytes, formatCount } from '../../lib/index.ts';
import type { Highlight } from '../state/mapSlice.ts';
import { clearHighlight, zoomToHighlight } from '../state/view.ts';

/** "Highlighting: caller load_module · 3 areas, 1.2 MiB ×": what the map and the table are narrowed to. */
export function HighlightChip({ highlight, testId }: { highlight: Highlight; testId: string }) {
  return (
    <span className="highlight-chip" data-testid={testId} role="status">
      <span>
        Highlighting: <strong>{highlight.label}</strong>
        <span className="highlight-size">
          {' '}
          · {formatCount(highlight.count)} {highlight.count === 1 ? 'area' : 'areas'}, {formatBytes(highlight.bytes)}
        </span>
      </span>
      <button
        type="button"
        className="chip-action"
        data-testid="highlight-show"
        title="Zoom the map to the highlighted areas and scroll up to it"
        onClick={() => {
          zoomToHighlight();
          document.querySelector('[data-testid="map"]')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
        }}
      >
        Show on map ↑
      </button>
      <button type="button" className="chip-clear" onClick={clearHighlight} aria-label="Clear the highlight" title="Clear the highlight (Esc)">
        ×
      </button>
    </span>
  );
}

/** Esc anywhere but in a text field clears the highlight. */
export function useEscapeClearsHighlight(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      clearHighlight();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}
