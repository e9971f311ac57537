import { useId } from 'react';
import { formatCount } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { selectTimeline } from '../state/timeline.ts';
import { DetailsPanel } from './DetailsPanel.tsx';
import { Legend } from './Legend.tsx';
import { MapCanvas } from './MapCanvas.tsx';
import { MapCaption } from './MapCaption.tsx';
import { MapToolbar, SearchNote } from './MapToolbar.tsx';
import { Tooltip } from './Tooltip.tsx';
import './map.css';

const HELP =
  'On the map: wheel or + − to zoom, drag or ← → to pan, double-click an area to zoom to it, 0 for the whole map, C to collapse or expand empty space, [ ] to select the previous or next area and Enter to zoom to it, n / N for the next or previous match, Esc to clear the selection. In the search box: Enter / Shift+Enter for the next or previous match, Esc to come back to the map.';

const SERIES_HELP =
  ' A series: , and . for the previous or next moment, Home / End for the first or last, < and > to move the start of a comparison with the moment on screen, space to play or pause (anywhere outside a text field); the view stays put, areas new since the moment before are marked green and the ones that went red.';

/** The zoomable linear map of the address space, its controls, legend and details. */
export function MapView() {
  const track = useStore((s) => s.track);
  const series = useStore((s) => selectTimeline(s) !== undefined);
  const busy = useStore((s) => s.status === 'loading' || s.status === 'parsing');
  const titleId = useId();
  const helpId = useId();
  const noteId = useId();
  if (!track) return null;
  const areas = track.seq.length;
  const label = track.exact
    ? `Map of the address space: ${formatCount(areas)} areas at their addresses`
    : `Map of ${formatCount(areas)} areas packed in file order; gaps between them are unknown`;
  return (
    <section className={busy ? 'map-panel is-stale' : 'map-panel'} aria-labelledby={titleId} data-testid="map">
      <div className="map-head">
        <h2 id={titleId}>Address space</h2>
        <MapToolbar noteId={noteId} />
        <SearchNote id={noteId} />
      </div>
      {areas === 0 ? (
        <p className="empty">No areas to draw.</p>
      ) : (
        <>
          <MapCaption />
          <div className="map-stage">
            <MapCanvas label={label} describedBy={helpId} />
            <Tooltip />
          </div>
        </>
      )}
      <Legend />
      <p className="map-help" id={helpId}>
        {HELP}
        {series && SERIES_HELP}
      </p>
      <DetailsPanel />
    </section>
  );
}
