import { formatBytes } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';

/** The colour of every key in the current colour mode, with its count and bytes; empty keys left out. */
export function Legend() {
  const colouring = useStore((s) => s.colouring);
  if (!colouring) return null;
  return (
    <ul className="legend" data-testid="legend" aria-label={`Colours by ${colouring.mode}`}>
      {colouring.legend
        .filter((e) => e.count > 0)
        .map((e) => (
          <li key={e.key} title={e.note ?? undefined}>
            <span className="swatch" style={{ ['--light' as string]: e.swatch.light, ['--dark' as string]: e.swatch.dark }} />
            <span className="legend-label">{e.label}</span>
            <span className="legend-count">
              {e.count} · {formatBytes(e.bytes)}
            </span>
          </li>
        ))}
      <li className="legend-guard" title="The last page of most areas is a guard page, never mapped">
        <span className="swatch swatch-guard" />
        <span className="legend-label">guard page</span>
      </li>
    </ul>
  );
}
