import { useId } from 'react';
import { AREA_KINDS, formatBytes, formatCount } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { HighlightChip } from '../ui/HighlightChip.tsx';
import { useStore } from '../state/store.ts';
import { setTableText, showAllKinds, toggleKind } from './actions.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { ALL_KINDS } from './rows.ts';
import { TableGrid } from './TableGrid.tsx';
import { useHighlight } from '../state/view.ts';
import { useTableRows } from './useRows.ts';
import './table.css';

const MODE_WORD: Record<string, string> = { hashed: 'hashed', masked: 'masked', zero: 'zeroed' };

/** Every area of the dump in a sortable, filterable list, linked both ways with the map. */
export function AreasTable() {
  const { model, rows } = useTableRows();
  const text = useStore((s) => s.tableText);
  const sort = useStore((s) => s.tableSort);
  const busy = useStore((s) => s.status === 'loading' || s.status === 'parsing');
  const highlight = useHighlight();
  const titleId = useId();
  if (!model || !rows) return null;
  const total = model.snapshot.count;
  const word = MODE_WORD[model.snapshot.pointerMode];
  return (
    <section className={busy ? 'panel table-panel is-stale' : 'panel table-panel'} aria-labelledby={titleId} data-testid="areas-table">
      <div className="table-head">
        <h2 id={titleId}>Areas</h2>
        <input
          type="search"
          className="text-input table-filter"
          data-testid="table-filter"
          placeholder="Filter: caller, module or address"
          aria-label="Filter the areas by caller, module or address"
          title="A caller or module name (any part of it), or an address: 0x… finds the area holding it and addresses that contain the digits"
          value={text}
          onChange={(e) => setTableText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && text !== '') {
              e.stopPropagation();
              setTableText('');
            }
          }}
        />
        <ExportButtons model={model} rows={rows.rows} />
      </div>
      <KindChips model={model} />
      <p className="table-count" aria-live="polite">
        <span data-testid="table-count">
          {rows.rows.length === total
            ? `${formatCount(total)} ${total === 1 ? 'area' : 'areas'}`
            : `${formatCount(rows.rows.length)} of ${formatCount(total)} areas`}
          {' · '}
          <span title={`${formatCount(rows.bytes)} bytes`}>{formatBytes(rows.bytes)}</span>
        </span>
        {highlight && <HighlightChip highlight={highlight} testId="table-highlight-chip" />}
        {sort === 'address' && word && (
          <span className="table-note" data-testid="table-sort-note">
            Addresses are {word} in this dump, so “Start” keeps the file’s order.
          </span>
        )}
      </p>
      {rows.rows.length === 0 ? (
        <p className="empty" data-testid="table-empty">
          No area matches{text.trim() ? ` “${text.trim()}”` : ''}
          {highlight ? ` among the highlighted ${highlight.label}` : ''}.
        </p>
      ) : (
        <TableGrid model={model} rows={rows.rows} showPhys={model.totals.byKind.ioremap.count > 0} labelId={titleId} />
      )}
    </section>
  );
}

/** One checkbox chip per kind present in the dump. */
function KindChips({ model }: { model: Model }) {
  const kinds = useStore((s) => s.tableKinds);
  const present = AREA_KINDS.map((kind, k) => ({ kind, k, count: model.totals.byKind[kind].count })).filter((e) => e.count > 0);
  return (
    <fieldset className="kind-chips" data-testid="kind-filter">
      <legend className="visually-hidden">Kinds to show</legend>
      {present.map(({ kind, k, count }) => (
        <label key={kind} className="chip" title={`Show ${kind} areas`}>
          <input type="checkbox" value={kind} checked={((kinds >> k) & 1) === 1} onChange={() => toggleKind(k)} />
          {kind} <span className="chip-count">{formatCount(count)}</span>
        </label>
      ))}
      {kinds !== ALL_KINDS && (
        <button type="button" className="link-button" onClick={showAllKinds}>
          show all kinds
        </button>
      )}
    </fieldset>
  );
}
