// The What grew panel: callers, modules and kinds ranked by growth over the range dragged on the
// strip (else the whole series), each with its net change, rate, how many steps rose, a sparkline
// and a verdict; lazy-free build-ups and purges; the moments with the most bytes and the smallest
// largest hole, each a button that goes there. A row highlights its areas on the map.

import { scaleLinear } from 'd3-scale';
import { formatBytes } from '../../lib/index.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import { Bytes } from '../ui/Bytes.tsx';
import { GROWTH_BYS, buildUpText, largestEvents, perHourText, purgeText, rangeText, sparkPoints, stepsText, VERDICT_LABEL, VERDICT_TITLE } from './grew.ts';
import type { GroupGrowth, WhatGrew } from './grew.ts';
import { canHighlight } from './highlight.ts';
import type { GrowthBy } from './highlight.ts';
import { momentName } from './text.ts';

/** How many groups each list shows. */
export const GROWTH_ROWS = 10;

const BY_LABEL: Record<GrowthBy, string> = { caller: 'callers', module: 'modules', kind: 'kinds' };

function Spark({ values }: { values: number[] }) {
  const w = 96;
  const h = 20;
  if (values.length < 2) return <svg className="tl-spark" width={w} height={h} aria-hidden="true" />;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const x = scaleLinear().domain([0, values.length - 1]).range([1, w - 1]);
  const y = scaleLinear().domain([lo, hi]).range([h - 2, 2]);
  const d = values.map((v, k) => `${k ? 'L' : 'M'}${x(k).toFixed(1)},${y(v).toFixed(1)}`).join('');
  return (
    <svg className="tl-spark" width={w} height={h} aria-hidden="true">
      <path d={d} />
    </svg>
  );
}

function Net({ value }: { value: number }) {
  return (
    <span className={value > 0 ? 'tl-net is-up' : value < 0 ? 'tl-net is-down' : 'tl-net'}>
      {value > 0 ? '+' : value < 0 ? '−' : '±'}
      <Bytes value={Math.abs(value)} />
    </span>
  );
}

export interface WhatGrewViewProps {
  stats: SeriesStats;
  grew: WhatGrew;
  /** Whether the range is the whole series (nothing dragged). */
  whole: boolean;
  by: GrowthBy;
  onBy(by: GrowthBy): void;
  /** The highlight source pressed now (`caller:name`), or null. */
  pressed: string | null;
  onRow(by: GrowthBy, key: string): void;
  onMoment(i: number): void;
}

/** The panel from props (the connected one is WhatGrewPanel). */
export function WhatGrewView({ stats, grew, whole, by, onBy, pressed, onRow, onMoment }: WhatGrewViewProps) {
  const { times } = stats;
  const groups = stats.groups[by];
  const valuesOf = (key: string) => groups.find((g) => g.key === key)?.values;
  // Groups that did not move over the range say nothing about growth: counted, not listed.
  const moved = grew.by[by].filter((g) => g.stepsRose > 0 || g.stepsFell > 0 || g.net !== 0);
  const rows = moved.slice(0, GROWTH_ROWS);
  const unlisted = grew.by[by].length - rows.length;
  const { mostBytesAt, smallestHoleAt } = grew.extremes;
  const buildUps = largestEvents(grew.lazy.buildUps, (b) => b.from);
  const purges = largestEvents(grew.lazy.purges, (p) => p.at);
  return (
    <div className="what-grew" data-testid="what-grew">
      <p className="hint">{rangeText(times, grew.from, grew.to, whole)}</p>
      <ul className="tl-callouts">
        <li>
          Most bytes:{' '}
          <button type="button" className="tl-goto" data-testid="grew-most-bytes" data-index={mostBytesAt} onClick={() => onMoment(mostBytesAt)} title="Show this moment">
            {formatBytes(stats.bytes[mostBytesAt])} at {momentName(times, mostBytesAt)}
          </button>
        </li>
        <li>
          Smallest largest hole:{' '}
          {smallestHoleAt === null || !stats.largestHole ? (
            <span className="muted">unknown (the addresses are not real, so holes cannot be measured)</span>
          ) : (
            <button type="button" className="tl-goto" data-testid="grew-smallest-hole" data-index={smallestHoleAt} onClick={() => onMoment(smallestHoleAt)} title="Show this moment">
              {formatBytes(stats.largestHole[smallestHoleAt])} at {momentName(times, smallestHoleAt)}
            </button>
          )}
        </li>
        {buildUps.shown.map((b) => (
          <li key={`b${b.from}`} className="tl-lazy" data-testid="grew-build-up">
            <button type="button" className="tl-goto" onClick={() => onMoment(b.to)} title="Show the moment the build-up peaked">
              {buildUpText(times, b)}
            </button>
          </li>
        ))}
        {buildUps.more > 0 && (
          <li className="tl-lazy">
            {buildUps.more} more build-{buildUps.more === 1 ? 'up' : 'ups'} of lazily freed areas, {formatBytes(buildUps.moreBytes)} in all
          </li>
        )}
        {purges.shown.map((p) => (
          <li key={`p${p.at}`} className="tl-lazy" data-testid="grew-purge">
            <button type="button" className="tl-goto" onClick={() => onMoment(p.at)} title="Show the moment after the purge">
              {purgeText(times, p)}
            </button>
          </li>
        ))}
        {purges.more > 0 && (
          <li className="tl-lazy">
            {purges.more} more {purges.more === 1 ? 'purge' : 'purges'}, {formatBytes(purges.moreBytes)} freed in all
          </li>
        )}
      </ul>
      <div className="timeline-modes tl-grew-by" role="radiogroup" aria-label="Rank">
        {GROWTH_BYS.map((b) => (
          <button key={b} type="button" role="radio" aria-checked={b === by} className={b === by ? 'seg is-on' : 'seg'} data-testid={`grew-by-${b}`} onClick={() => onBy(b)}>
            {BY_LABEL[b]}
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="empty">No {BY_LABEL[by].slice(0, -1)} changed over the range.</p>
      ) : (
        <table className="tl-grew" data-testid="grew-table">
          <thead>
            <tr>
              <th scope="col">{by === 'caller' ? 'Caller' : by === 'module' ? 'Module' : 'Kind'}</th>
              <th scope="col" className="num">
                Net
              </th>
              <th scope="col" className="num">
                Rate
              </th>
              <th scope="col" className="num" title="Steps from one moment to the next in which it rose">
                Rose
              </th>
              <th scope="col">Over the range</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((g: GroupGrowth) => {
              const source = `${by}:${g.key}`;
              const values = valuesOf(g.key);
              return (
                <tr key={g.key} className={pressed === source ? 'is-pressed' : undefined} data-testid="grew-row" data-key={g.key}>
                  <th scope="row">
                    <button
                      type="button"
                      className="tl-grew-name"
                      aria-pressed={pressed === source}
                      disabled={!canHighlight(g.key)}
                      title={`${g.key}: ${formatBytes(g.start)} → ${formatBytes(g.end)}, peak ${formatBytes(g.peak)} at ${momentName(times, g.peakAt)}${canHighlight(g.key) ? '\nClick to highlight its areas on the map' : ''}`}
                      onClick={() => onRow(by, g.key)}
                    >
                      {by === 'caller' ? <code>{g.key}</code> : g.key}
                    </button>
                  </th>
                  <td className="num" data-testid="grew-net">
                    <Net value={g.net} />
                  </td>
                  <td className="num">{perHourText(g.perHour)}</td>
                  <td className="num">{stepsText(g)}</td>
                  <td>{values && <Spark values={sparkPoints(values, grew.from, grew.to)} />}</td>
                  <td>
                    {g.verdict && (
                      <span className={`tl-verdict is-${g.verdict}`} title={VERDICT_TITLE[g.verdict]} data-testid="grew-verdict">
                        {VERDICT_LABEL[g.verdict]}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rows.length > 0 && unlisted > 0 && (
        <p className="hint tl-unlisted">
          Not listed: {[moved.length > rows.length ? `${moved.length - rows.length} that changed less` : '', grew.by[by].length > moved.length ? `${grew.by[by].length - moved.length} that did not change` : ''].filter(Boolean).join(', ')}.
        </p>
      )}
    </div>
  );
}
