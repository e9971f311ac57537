// Compare: pick snapshot A (before) and B (after, shown on the map), read the net change by module
// and by caller, and click a row to see where it happened.

import { useId, useMemo, useState } from 'react';
import { callerName, formatBytes } from '../../lib/index.ts';
import type { Model, ModuleEntry } from '../../lib/index.ts';
import { HISTORY_SIZE } from '../state/history.ts';
import type { LoadedDump } from '../state/history.ts';
import { useStore } from '../state/store.ts';
import { attributionOf } from '../state/attribution.ts';
import { INSMOD_PAIR, closeComparison, compareInsmodPair, defaultPair, loadFileAsA, openComparison, showDiffColours, sideOf, zoomToAddresses, zoomToArea } from './actions.ts';
import { changeRows, diffHeadline, dumpLabel, isStartupSample, matchedByNote, momentLabel, signedCount } from './compare.ts';
import type { ChangeRow } from './compare.ts';
import { Range, Signed, ZoomButton } from './parts.tsx';
import type { Comparison } from '../state/analysisSlice.ts';
import { selectTimeline } from '../state/timeline.ts';

/** Name every area by module: /proc/modules attribution when there is one, else the [module] tag. */
function moduleNamer(model: Model, modules: ModuleEntry[]): (i: number) => string | null {
  const attributed = attributionOf(model, modules)?.moduleOf ?? null;
  return (i) => attributed?.[i] ?? model.snapshot.moduleOf(i);
}

function callerNamer(model: Model): (i: number) => string {
  return (i) => callerName(model.snapshot, i);
}

function zoomToRow(row: ChangeRow): void {
  if (!row.main) return;
  if (!row.main.inA) zoomToArea(row.main.index);
  else if (row.main.range) zoomToAddresses(row.main.range, null, 2);
}

function Where({ row, digits }: { row: ChangeRow; digits: number }) {
  if (!row.main) return <span className="muted">—</span>;
  const more = row.areasB.length + row.areasA.length - 1;
  return (
    <>
      {row.main.range ? <Range range={row.main.range} digits={digits} /> : <span className="muted">no addresses</span>}
      {row.main.inA && <span className="muted"> (gone; was here)</span>}
      {more > 0 && (
        <span className="muted" title={`${row.areasB.length} changed in B, ${row.areasA.length} removed from A`}>
          {' '}
          +{more} more
        </span>
      )}
    </>
  );
}

function ChangeTable({ title, rows, digits, testId, limit }: { title: string; rows: ChangeRow[]; digits: number; testId: string; limit: number }) {
  const [all, setAll] = useState(false);
  if (rows.length === 0) return null;
  const shown = all ? rows : rows.slice(0, limit);
  return (
    <table className="table analysis-table" data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="num">Areas</th>
          <th scope="col" className="num">Net size</th>
          <th scope="col" title="The biggest area that changed; click the row to zoom the map to it">Where (biggest changed area)</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.name} className="is-clickable" onClick={() => zoomToRow(r)} data-name={r.name}>
            <th scope="row">
              <ZoomButton onZoom={() => zoomToRow(r)} label={`Show ${r.name}'s changed areas on the map`}>
                {r.name}
              </ZoomButton>
            </th>
            <td className="num" title={`${r.added} added, ${r.removed} removed, ${r.resized} resized`}>
              {signedCount(r.count)} {Math.abs(r.count) === 1 ? 'area' : 'areas'}
              {r.resized > 0 && <span className="muted"> ({r.resized} resized)</span>}
            </td>
            <td className="num">
              <Signed bytes={r.bytes} />
            </td>
            <td>
              <Where row={r} digits={digits} />
            </td>
          </tr>
        ))}
      </tbody>
      {rows.length > limit && (
        <tfoot>
          <tr>
            <td colSpan={4}>
              <button type="button" className="link-button" onClick={() => setAll(!all)}>
                {all ? `Show the first ${limit}` : `Show all ${rows.length}`}
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

function Result({ c, a, b }: { c: Comparison; a: LoadedDump; b: LoadedDump }) {
  const colourMode = useStore((s) => s.colourMode);
  const d = c.diff;
  const digits = b.model.snapshot.addressDigits || 16;
  const modules = useMemo(
    () => changeRows(d.byModule, d, a.model, b.model, moduleNamer(a.model, a.capture.modules), moduleNamer(b.model, b.capture.modules)),
    [d, a, b],
  );
  const callers = useMemo(() => changeRows(d.byCaller, d, a.model, b.model, callerNamer(a.model), callerNamer(b.model)), [d, a, b]);
  const raw = d.matchedBy === 'address' && a.model.byAddress && b.model.byAddress;
  return (
    <div className="compare-result">
      <p className="diff-headline" data-testid="diff-headline">
        {diffHeadline(d)}
      </p>
      <p className="analysis-note">
        {matchedByNote(d)}{' '}
        {raw
          ? 'On the map: B coloured by change; A’s removed areas are red hatched outlines where they were.'
          : a.model.byAddress && b.model.byAddress
            ? 'Removed areas are not drawn: A’s addresses cannot be placed on B’s map (another boot, or a link that hid them); they are listed below.'
            : 'Removed areas cannot be drawn without real addresses: they are listed below.'}
        {colourMode !== 'diff' && (
          <>
            {' '}
            <button type="button" className="link-button" onClick={showDiffColours} data-testid="diff-recolour">
              Colour the map by change again
            </button>
          </>
        )}
      </p>
      {d.warnings.length > 0 && (
        <div className="analysis-warning" data-testid="compare-warnings" role="status">
          <strong>A and B cannot be one machine and boot</strong>, so the changes below compare two different systems:
          <ul className="plain-list">
            {d.warnings.map((w) => (
              <li key={w.reason} data-reason={w.reason}>
                {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.possibleLeaks.length === 0 && d.leakCheck === 'ran' && (
        <p className="analysis-note" data-testid="no-leaks">
          <strong>No possible leaks:</strong> every [module] tag in B names a module that B’s /proc/modules lists.
        </p>
      )}
      {d.leakCheck === 'no-modules-b' && (
        <p className="analysis-note" data-testid="leak-check-skipped">
          Possible leaks were not checked: B has no /proc/modules (attach it in Cross-checks, or capture it with the dump).
        </p>
      )}
      {d.possibleLeaks.length > 0 && (
        <div className="analysis-warning" data-testid="possible-leaks">
          <strong>Possible leaks:</strong>{' '}
          {d.possibleLeaks.map((l) => `${l.module} (${l.areas.length} ${l.areas.length === 1 ? 'area' : 'areas'}, ${formatBytes(l.bytes)})`).join(', ')}.{' '}
          These areas in B are tagged with a module that B’s /proc/modules does not list: it was unloaded, but memory it
          allocated with vmalloc is still mapped. Click one below to see it.
        </div>
      )}
      <div className="compare-tables">
        <ChangeTable title="Net change by module (loader areas attributed via /proc/modules when attached)" rows={modules} digits={digits} testId="diff-by-module" limit={12} />
        <ChangeTable title="Net change by caller" rows={callers} digits={digits} testId="diff-by-caller" limit={12} />
      </div>
      {!raw && d.removedA.length > 0 && (
        <details className="analysis-details">
          <summary>{d.removedA.length} removed areas of A</summary>
          <ul className="plain-list">
            {[...d.removedA].slice(0, 200).map((i) => (
              <li key={i}>
                {formatBytes(a.model.snapshot.columns.size[i])} · {callerName(a.model.snapshot, i)}
                {a.model.snapshot.moduleOf(i) && ` [${a.model.snapshot.moduleOf(i)}]`} · line {a.model.snapshot.columns.line[i]}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** One click to choose a file as A: it is loaded, then compared with B (which stays on screen). */
function OpenAsA({ bId, label }: { bId: number | null; label: string }) {
  return (
    <label className="button" data-testid="compare-open-a">
      {label}
      <input
        type="file"
        className="visually-hidden"
        data-testid="compare-file-a"
        disabled={bId === null}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file && bId !== null) void loadFileAsA(file, bId);
          e.target.value = '';
        }}
      />
    </label>
  );
}

/** The Compare tab. */
export function ComparePanel() {
  const history = useStore((s) => s.history);
  const currentId = useStore((s) => s.currentId);
  const comparison = useStore((s) => s.comparison);
  const busy = useStore((s) => s.pending > 0);
  const series = useStore((s) => selectTimeline(s) !== undefined);
  // Offered when the sample menu lists the pair (not in a one-file report, which has no samples).
  const pairListed = useStore((s) => s.samples.some((x) => x.path === INSMOD_PAIR.before) && s.samples.some((x) => x.path === INSMOD_PAIR.after));
  const aId = useId();
  const bId = useId();
  const pair = comparison ?? (currentId !== null ? defaultPair() : null);
  const [pickA, setPickA] = useState<number | null>(null);
  const chosenA = comparison ? comparison.aId : (pickA !== null && history.some((d) => d.id === pickA) && pickA !== currentId ? pickA : (pair?.aId ?? null));
  const chosenB = comparison ? comparison.bId : currentId;
  const a = comparison ? sideOf(history, comparison.aId, comparison.aMoment) : (history.find((d) => d.id === chosenA) ?? null);
  const b = history.find((d) => d.id === chosenB) ?? null;

  const oneClick = pairListed && (
    <button type="button" className="button" onClick={() => void compareInsmodPair()} disabled={busy} data-testid="compare-insmod" title="Loads the two x86_64 6.1 samples taken before and after insmod erofs, and compares them">
      Compare x86_64 boot → after insmod (samples)
    </button>
  );

  if (comparison && a && b && comparison.aId === comparison.bId) {
    // Two moments of one series (a range picked on its strip).
    return (
      <div className="compare-panel">
        <div className="compare-pick" data-testid="compare-moments">
          <span>
            A · before: <strong>{momentLabel(a)}</strong>
          </span>
          <span className="compare-arrow" aria-hidden="true">
            →
          </span>
          <span>
            B · after (on the map): <strong>{momentLabel(b)}</strong>
          </span>
          <button type="button" className="button" onClick={closeComparison} data-testid="compare-stop">
            Stop comparing
          </button>
        </div>
        <Result c={comparison} a={a} b={b} />
      </div>
    );
  }

  if (history.length < 2 && !comparison) {
    return (
      <div className="compare-panel">
        <p className="hint" data-testid="compare-hint">
          {series && 'Pick a range of moments on the timeline to compare its first and last, or colour the map by change to compare with the moment before. '}
          Load another dump (e.g. the ‘after insmod’ sample) to compare. The session keeps the last {HISTORY_SIZE} dumps you open.
        </p>
        <div className="compare-pick">
          <OpenAsA bId={currentId} label="Open a file as A (before)…" />
          {oneClick}
        </div>
      </div>
    );
  }

  const pick = (which: 'a' | 'b', id: number) => {
    if (which === 'a') {
      setPickA(id);
      if (comparison && id !== comparison.bId) openComparison(id, comparison.bId);
    } else if (chosenA !== null && id !== chosenA) openComparison(chosenA, id);
  };

  return (
    <div className="compare-panel">
      <div className="compare-pick">
        <div className="field">
          <label htmlFor={aId}>A · before</label>
          <select id={aId} className="compact analysis-select" value={chosenA ?? ''} onChange={(e) => pick('a', Number(e.target.value))} data-testid="compare-a">
            {history.map((d) => (
              <option key={d.id} value={d.id} disabled={d.id === chosenB}>
                {dumpLabel(d)}
              </option>
            ))}
          </select>
        </div>
        <span className="compare-arrow" aria-hidden="true">
          →
        </span>
        <div className="field">
          <label htmlFor={bId}>B · after (on the map)</label>
          <select id={bId} className="compact analysis-select" value={chosenB ?? ''} onChange={(e) => pick('b', Number(e.target.value))} data-testid="compare-b">
            {history.map((d) => (
              <option key={d.id} value={d.id} disabled={d.id === chosenA}>
                {dumpLabel(d)}
              </option>
            ))}
          </select>
        </div>
        {comparison ? (
          <button type="button" className="button" onClick={closeComparison} data-testid="compare-stop">
            Stop comparing
          </button>
        ) : (
          <button type="button" className="button button-primary" disabled={!a || !b} onClick={() => a && b && openComparison(a.id, b.id)} data-testid="compare-start">
            Compare
          </button>
        )}
        {!comparison && oneClick}
      </div>
      {a && isStartupSample(a) && (
        <p className="analysis-warning" data-testid="compare-a-startup">
          A is <strong>{a.fileName}</strong>, the bundled sample the page opened with, not a dump you loaded. Pick another A above, or{' '}
          <OpenAsA bId={chosenB} label="open a file as A…" />
        </p>
      )}
      {comparison && a && b && <Result c={comparison} a={a} b={b} />}
    </div>
  );
}
