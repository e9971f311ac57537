import { evidenceWords } from '../../lib/index.ts';
import type { Evidence, Summary } from '../../lib/index.ts';
import { Bytes } from '../ui/Bytes.tsx';
import { Panel } from '../ui/Panel.tsx';

type Region = Summary['regions'][number];

function regionBytes(r: Region): number | null {
  try {
    return Number(BigInt(r.end) - BigInt(r.start));
  } catch {
    return null;
  }
}

const FROM: Record<Evidence, string> = { meminfo: '/proc/meminfo', release: 'kernel version', areas: 'the areas', preset: 'documented layout' };

/** "from /proc/meminfo", or "start from the areas, end from the documented layout". */
function boundsFrom(r: Region): string {
  return r.startFrom === r.endFrom ? `from ${FROM[r.startFrom]}` : `start from ${FROM[r.startFrom]}, end from ${FROM[r.endFrom]}`;
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
    <Panel
      title="Layout"
      note="Matched from the addresses against the known kernel layouts (by architecture, paging mode and kernel era); the vmalloc range is fixed by /proc/meminfo's VmallocTotal when it is attached."
      testId="layout"
    >
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
                      <span className="region-source">{boundsFrom(r)}</span>
                    </th>
                    <td className="hex">{r.start}</td>
                    <td className="hex">{r.end}</td>
                    <td className="num">{bytes === null ? '—' : <Bytes value={bytes} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {summary.layoutEvidence.length > 0 && (
            <div className="panel-foot" data-testid="layout-evidence">
              <p>
                vmalloc range fixed by <strong>{evidenceWords(summary.layoutEvidence)}</strong>
                {!summary.layoutEvidence.includes('meminfo') && ' (attach /proc/meminfo to fix it exactly)'}.
              </p>
              {summary.layoutNotes.length > 0 && (
                <ul className="layout-notes">
                  {summary.layoutNotes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
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
