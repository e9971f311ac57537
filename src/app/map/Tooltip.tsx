import { useStore } from '../state/store.ts';
import { useLoaderModule } from '../state/attribution.ts';
import { describeHit } from '../base/describe.ts';
import { FieldList } from './FieldList.tsx';

/** What is under the pointer: an area's fields, a free hole, or a collapsed break's true size. */
export function Tooltip() {
  const hover = useStore((s) => s.hover);
  const track = useStore((s) => s.track);
  const loaderOf = useLoaderModule();
  if (!hover || !track) return null;
  const d = describeHit(track, hover.target, loaderOf);
  if (!d) return null;
  const leftwards = hover.xCssPx > hover.widthCssPx - 340;
  const style = leftwards
    ? { right: hover.widthCssPx - hover.xCssPx + 14, top: hover.yCssPx + 16 }
    : { left: hover.xCssPx + 14, top: hover.yCssPx + 16 };
  return (
    <div className="hover-tip map-tooltip" style={style} data-testid="tooltip" role="tooltip">
      <div className="map-tooltip-title">{d.title}</div>
      <FieldList rows={d.rows} />
    </div>
  );
}
