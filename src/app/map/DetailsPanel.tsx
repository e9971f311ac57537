import { positionOf } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { select, zoomToPosition } from '../state/view.ts';
import { useLoaderModule } from '../state/attribution.ts';
import { describeArea, holeText, neighbourhood } from '../base/describe.ts';
import type { Neighbour } from '../base/describe.ts';
import { FieldList } from './FieldList.tsx';

function NeighbourButton({ n, rel }: { n: Neighbour | null; rel: 'previous' | 'next' }) {
  if (!n) return <span className="muted">none ({rel === 'previous' ? 'first' : 'last'} area)</span>;
  return (
    <button
      type="button"
      className="link-button mono"
      data-testid={`${rel}-area`}
      onClick={() => {
        select(n.index);
        zoomToPosition(n.k);
      }}
    >
      {n.name}
    </button>
  );
}

/** Every field of the selected area, its neighbours and the free holes on either side. */
export function DetailsPanel() {
  const selected = useStore((s) => s.selected);
  const track = useStore((s) => s.track);
  const loaderOf = useLoaderModule();
  if (selected === null || !track || selected >= track.seq.length) return null;
  const d = describeArea(track.model, selected, true, loaderOf(selected));
  const k = positionOf(track, selected);
  const n = neighbourhood(track, k);
  const order = track.exact ? 'address order' : 'file order';
  return (
    <section className="details" data-testid="details-panel" aria-label={`Details of ${d.title}`}>
      <header className="details-head">
        <h3 className="mono">{d.title}</h3>
        <div className="details-actions">
          <button type="button" className="button" onClick={() => zoomToPosition(k)}>
            Zoom to it
          </button>
          <button type="button" className="button" onClick={() => select(null)} aria-label="Close details">
            Close
          </button>
        </div>
      </header>
      <FieldList rows={d.rows} className="details-fields" />
      <dl className="field-list details-neighbours">
        <div className="field">
          <dt>Previous ({order})</dt>
          <dd>
            <NeighbourButton n={n.prev} rel="previous" />
          </dd>
        </div>
        <div className="field">
          <dt>Hole before</dt>
          <dd data-field="hole-before">{holeText(n.holeBefore)}</dd>
        </div>
        <div className="field">
          <dt>Hole after</dt>
          <dd data-field="hole-after">{holeText(n.holeAfter)}</dd>
        </div>
        <div className="field">
          <dt>Next ({order})</dt>
          <dd>
            <NeighbourButton n={n.next} rel="next" />
          </dd>
        </div>
      </dl>
    </section>
  );
}
