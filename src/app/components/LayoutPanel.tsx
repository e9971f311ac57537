import type { Summary } from '../../lib/index.ts';
import { Bytes } from './Bytes.tsx';
import { Panel } from './Panel.tsx';

type Region = Summary['regions'][number];

function regionBytes(r: Region): number | null {
  try {
    return Number(BigInt(r.end) - BigInt(r.start));
  } catch {
    return null;
  }
}

function NoLayout({ summary }: { summary: Summary }) {
  const reason =
    summary.pointerMode === 'raw'
      ? 'The addresses match none of the known presets.'
      : 'The layout needs real addresses, and this dump has none.';
  return <p className="empty">No layout detected. {reason}</p>;
}

/** The address-space preset the addresses matched, and its regions. */
export function LayoutPanel({ summary }: { summary: Summary }) {
  return (
    <Panel title="Layout" note="Matched from the addresses themselves against the known kernel layouts; regions are the preset's bounds or fitted to this dump." testId="layout">
      {summary.layout === null ? (
        <NoLayout summary={summary} />
      ) : (
        <>
          <p className="layout-name" data-testid="layout-name">
            {summary.layout}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">Start</th>
                <th scope="col">End</th>
                <th scope="col" className="num">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.regions.map((r) => {
                const bytes = regionBytes(r);
                return (
                  <tr key={r.id}>
                    <th scope="row">
                      {r.label}
                      <span className="region-source">{r.inferred ? 'fitted to this dump' : 'preset bounds'}</span>
                    </th>
                    <td className="hex">{r.start}</td>
                    <td className="hex">{r.end}</td>
                    <td className="num">{bytes === null ? '—' : <Bytes value={bytes} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {summary.largestFreeVmallocBytes !== null && (
            <p className="panel-foot" data-testid="largest-free-vmalloc">
              Largest free stretch of the vmalloc range: <Bytes value={summary.largestFreeVmallocBytes} /> (its edges included)
              {summary.largestVmallocHoleBytes !== null && (
                <>
                  ; largest hole between two areas: <Bytes value={summary.largestVmallocHoleBytes} />
                </>
              )}
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
