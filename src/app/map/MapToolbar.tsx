import { useId } from 'react';
import { useStore } from '../state/store.ts';
import { resetView, searchStep, setColourMode, setQuery, toggleCollapse } from '../state/view.ts';
import { COLOUR_MODES, COLOUR_MODE_LABEL } from '../base/colours.ts';
import type { ColourMode } from '../base/colours.ts';

/** What the search found, under the map's controls. */
export function SearchNote({ id }: { id: string }) {
  const note = useStore((s) => s.searchNote);
  return (
    <p id={id} className="search-note" data-testid="search-status" aria-live="polite">
      {note}
    </p>
  );
}

/** Colour mode, collapse, reset and search: the map's controls. `noteId` names the search note. */
export function MapToolbar({ noteId }: { noteId: string }) {
  const colourMode = useStore((s) => s.colourMode);
  const collapse = useStore((s) => s.collapse);
  const exact = useStore((s) => s.track?.exact ?? false);
  const query = useStore((s) => s.query);
  const colourId = useId();
  const searchId = useId();
  return (
    <div className="map-toolbar">
      <div className="field">
        <label htmlFor={colourId}>Colour by</label>
        <select id={colourId} className="compact" value={colourMode} data-testid="colour-mode" onChange={(e) => setColourMode(e.target.value as ColourMode)}>
          {COLOUR_MODES.map((m) => (
            <option key={m} value={m}>
              {COLOUR_MODE_LABEL[m]}
            </option>
          ))}
        </select>
      </div>
      <label className="toggle" title={exact ? 'Shrink big free holes to breaks (C)' : 'Needs real addresses'}>
        <input type="checkbox" checked={exact && collapse} disabled={!exact} onChange={() => toggleCollapse()} data-testid="collapse-toggle" />
        Collapse empty space <kbd>C</kbd>
      </label>
      <button type="button" className="button" onClick={() => resetView()} data-testid="reset-view">
        Whole map <kbd>0</kbd>
      </button>
      <div className="field search">
        <label htmlFor={searchId}>Find a caller, module or address</label>
        <input
          id={searchId}
          className="text-input"
          type="search"
          value={query}
          placeholder="kernel_clone, e1000 or 0xffff…"
          title="Enter / Shift+Enter: next or previous match. Esc: back to the map, where n / N do the same."
          spellCheck={false}
          autoComplete="off"
          aria-describedby={noteId}
          data-testid="search-input"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              // Back to the map, where n / N step through the matches (the query stays).
              e.preventDefault();
              e.currentTarget.closest('[data-testid="map"]')?.querySelector<HTMLElement>('[data-testid="map-canvas"]')?.focus();
              return;
            }
            if (e.key !== 'Enter') return;
            e.preventDefault();
            searchStep(e.shiftKey ? -1 : 1);
          }}
        />
      </div>
    </div>
  );
}
