import { scaleLinear } from 'd3-scale';
import type { CSSProperties, ReactNode } from 'react';
import { formatBytes, formatCount } from '../../lib/index.ts';
import type { Swatch } from '../base/colours.ts';
import { showGroup } from './actions.ts';
import type { GroupBy, GroupRow } from './groups.ts';
import { useHighlight } from '../state/view.ts';

export interface BarListProps {
  by: Exclude<GroupBy, 'backing'>;
  rows: GroupRow[];
  /** What `count` counts, e.g. "areas". */
  countNoun: string;
  /** The heading over the counts, e.g. "Areas". */
  countHeading?: string;
  /** A colour per row (kinds use the map's), or the accent bar colour. */
  swatchOf?: (row: GroupRow) => Swatch | null;
  /** A longer description of a row for its tooltip. */
  noteOf?: (row: GroupRow) => string | null;
  nameOf?: (row: GroupRow) => ReactNode;
  empty: ReactNode;
}

/**
 * Horizontal bars of bytes, one row per group, with its count and size. A row is a button: it
 * highlights the group's areas, zooms the map to them (scrolling it on screen) and keeps only them
 * in the table; again, it clears.
 */
export function BarList({ by, rows, countNoun, countHeading = 'Areas', swatchOf, noteOf, nameOf, empty }: BarListProps) {
  const highlight = useHighlight();
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  const x = scaleLinear()
    .domain([0, Math.max(1, ...rows.map((r) => r.bytes))])
    .range([0, 100]);
  return (
    <>
      <div className="bars-head" aria-hidden="true">
        <span />
        <span>{countHeading}</span>
        <span>Size</span>
      </div>
      <ul className="bars" data-group={by}>
        {rows.map((row) => {
          const pressed = highlight?.source === row.key;
          const swatch = swatchOf?.(row) ?? null;
          const note = noteOf?.(row);
          const action = pressed ? 'Click to clear the highlight' : 'Click to highlight these areas, zoom the map to them and keep only them in the table';
          return (
            <li key={row.key}>
              <button
                type="button"
                className={row.other ? 'bar-row is-other' : 'bar-row'}
                aria-pressed={pressed}
                data-testid="bar-row"
                data-key={row.key}
                title={`${row.label}${note ? `: ${note}` : ''}\n${formatCount(row.count)} ${countNoun}, ${formatCount(row.bytes)} bytes\n${action}`}
                onClick={() => showGroup(by, row)}
              >
                <span className="bar-name">{nameOf ? nameOf(row) : row.label}</span>
                <svg className="bar-svg" aria-hidden="true" focusable="false">
                  <rect className="bar-track" x="0" y="0" width="100%" height="100%" rx="2" />
                  <rect
                    className={swatch ? 'bar-fill has-swatch' : 'bar-fill'}
                    style={swatch ? ({ '--sw-light': swatch.light, '--sw-dark': swatch.dark } as CSSProperties) : undefined}
                    x="0"
                    y="0"
                    width={`${Math.max(row.bytes > 0 ? 0.6 : 0, x(row.bytes))}%`}
                    height="100%"
                    rx="2"
                  />
                </svg>
                <span className="bar-count">{formatCount(row.count)}</span>
                <span className="bar-bytes">{formatBytes(row.bytes)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
