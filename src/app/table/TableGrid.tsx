import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Model } from '../../lib/index.ts';
import { useLoaderModule } from '../state/attribution.ts';
import { useStore } from '../state/store.ts';
import { selectRow, sortTable, zoomToRow } from './actions.ts';
import { rowCells } from './cells.ts';
import type { SortKey } from './rows.ts';
import { revealMap } from '../ui/reveal.ts';

/** Fixed row height in CSS pixels: row r sits at r × ROW_PX, so only the rows in view are built. */
export const ROW_PX = 26;
const VIEWPORT_PX = 440;
const OVERSCAN = 6;
/** Browsers cap an element's height (~17.9M px in Firefox): past this the scrollbar is scaled. */
const MAX_SCROLL_PX = 8_000_000;

interface Column {
  id: string;
  label: string;
  sort?: SortKey;
  num?: boolean;
  title: string;
}

const COLUMNS: Column[] = [
  { id: 'start', label: 'Start', sort: 'address', title: 'Start address, as the dump printed it' },
  { id: 'end', label: 'End', title: 'End address (exclusive), guard page included' },
  { id: 'size', label: 'Size', sort: 'size', num: true, title: 'The size column, guard page included' },
  { id: 'pages', label: 'Pages', sort: 'pages', num: true, title: 'pages=: 4 KiB pages backing the area' },
  { id: 'kind', label: 'Kind', title: 'Primary kind, from the flags' },
  { id: 'caller', label: 'Caller', sort: 'caller', title: 'The function that allocated the area' },
  { id: 'module', label: 'Module', sort: 'module', title: 'The [module] the caller lives in; empty for built-in code' },
  { id: 'nodes', label: 'NUMA', title: 'Pages per memory node (N<node>=<pages>)' },
  { id: 'phys', label: 'Phys', title: 'phys=: the physical address an ioremap maps' },
];

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** Position of area `index` among the rows, or −1. */
function rowOf(rows: Uint32Array, index: number | null): number {
  if (index === null) return -1;
  for (let r = 0; r < rows.length; r++) if (rows[r] === index) return r;
  return -1;
}

/** The header, and a scroll box holding only the rows in view (plus a few either side). */
export function TableGrid({ model, rows, showPhys, labelId }: { model: Model; rows: Uint32Array; showPhys: boolean; labelId: string }) {
  const sort = useStore((s) => s.tableSort);
  const dir = useStore((s) => s.tableDir);
  const selected = useStore((s) => s.selected);
  const loaderOf = useLoaderModule();
  const box = useRef<HTMLDivElement>(null);
  const [scrollPx, setScrollPx] = useState(0);
  const columns = showPhys ? COLUMNS : COLUMNS.filter((c) => c.id !== 'phys');

  const n = rows.length;
  const totalPx = n * ROW_PX;
  const heightPx = Math.min(VIEWPORT_PX, Math.max(totalPx, ROW_PX));
  // Past the cap the scroll box is shorter than the rows: scrolling it end to end moves through
  // them end to end, `scale` content pixels per scrolled pixel.
  const spacerPx = Math.min(totalPx, MAX_SCROLL_PX);
  const scale = totalPx > MAX_SCROLL_PX ? (totalPx - heightPx) / (spacerPx - heightPx) : 1;
  const contentTop = scrollPx * scale;
  const firstRow = Math.max(0, Math.floor(contentTop / ROW_PX) - OVERSCAN);
  const lastRow = Math.min(n, Math.ceil((contentTop + heightPx) / ROW_PX) + OVERSCAN);
  const topOf = (r: number) => r * ROW_PX - contentTop + scrollPx;

  /** Scroll so row r is in view (centred when it was not). */
  const reveal = (r: number) => {
    const el = box.current;
    if (!el || r < 0) return;
    const top = r * ROW_PX;
    const viewTop = el.scrollTop * scale;
    if (top >= viewTop && top + ROW_PX <= viewTop + el.clientHeight) return;
    el.scrollTop = (top - el.clientHeight / 2 + ROW_PX / 2) / scale;
    setScrollPx(el.scrollTop);
  };

  // Selected elsewhere (the map, the search) or rows re-sorted: bring the selected row into view.
  const selectedRow = useMemo(() => rowOf(rows, selected), [rows, selected]);
  useLayoutEffect(() => {
    reveal(selectedRow);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the selection or the rows change
  }, [selectedRow, rows]);

  // New rows (filter, sort, dump): start from the top unless a selected row is in them.
  useEffect(() => {
    if (selectedRow >= 0 || !box.current) return;
    box.current.scrollTop = 0;
    setScrollPx(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the rows change
  }, [rows]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (n === 0) return;
    const page = Math.max(1, Math.floor(heightPx / ROW_PX) - 1);
    const at = selectedRow >= 0 ? selectedRow : -1;
    let to: number;
    if (e.key === 'ArrowDown') to = at < 0 ? Math.ceil(contentTop / ROW_PX) : at + 1;
    else if (e.key === 'ArrowUp') to = at < 0 ? Math.ceil(contentTop / ROW_PX) : at - 1;
    else if (e.key === 'PageDown') to = at + page;
    else if (e.key === 'PageUp') to = at - page;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    else if (e.key === 'Enter' && selected !== null) {
      e.preventDefault();
      zoomToRow(selected);
      revealMap();
      return;
    } else return;
    e.preventDefault();
    to = Math.max(0, Math.min(n - 1, to));
    selectRow(rows[to]);
    reveal(to);
  };

  const body = [];
  for (let r = firstRow; r < lastRow; r++) {
    const cells = rowCells(model, rows[r], loaderOf(rows[r]));
    const isSelected = rows[r] === selected;
    body.push(
      <div
        key={rows[r]}
        role="row"
        aria-rowindex={r + 2}
        aria-selected={isSelected}
        className={`trow${r % 2 ? ' is-odd' : ''}${isSelected ? ' is-selected' : ''}`}
        style={{ top: topOf(r) }}
        data-testid="area-row"
        data-index={rows[r]}
        title={`Line ${cells.line}: click to show it on the map`}
        onClick={() => {
          zoomToRow(rows[r]);
          revealMap();
        }}
      >
        <span role="gridcell" className="mono">{cells.start}</span>
        <span role="gridcell" className="mono">{cells.end}</span>
        <span role="gridcell" className="num" title={cells.sizeTitle}>{cells.size}</span>
        <span role="gridcell" className="num">{cells.pages}</span>
        <span role="gridcell">{cells.kind}</span>
        <span role="gridcell" className="mono" title={cells.caller}>{cells.caller}</span>
        <span role="gridcell" className="mono" title={cells.moduleTitle}>{cells.module}</span>
        <span role="gridcell" className="mono" title={cells.nodes}>{cells.nodes}</span>
        {showPhys && <span role="gridcell" className="mono">{cells.phys}</span>}
      </div>,
    );
  }

  return (
    <div className={showPhys ? 'tgrid has-phys' : 'tgrid'} role="grid" aria-labelledby={labelId} aria-rowcount={n + 1}>
      <div role="row" aria-rowindex={1} className="thead">
        {columns.map((c) => (
          <span
            key={c.id}
            role="columnheader"
            className={c.num ? 'num' : undefined}
            aria-sort={c.sort ? (c.sort === sort ? ARIA_SORT[dir] : 'none') : undefined}
            title={c.title}
          >
            {c.sort ? (
              <button type="button" className="sort-button" data-testid={`sort-${c.sort}`} onClick={() => sortTable(c.sort!)}>
                {c.label}
                <span aria-hidden="true" className="sort-mark">
                  {c.sort === sort ? (dir === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            ) : (
              c.label
            )}
          </span>
        ))}
      </div>
      <div
        ref={box}
        className="tbody"
        tabIndex={0}
        style={{ height: heightPx }}
        onScroll={(e) => setScrollPx(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
        aria-label="Areas: ↑ ↓ to move the selection, Enter to zoom the map to it"
      >
        <div className="tspacer" style={{ height: spacerPx }} />
        {body}
      </div>
    </div>
  );
}

