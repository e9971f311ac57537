// window.__vmscope: a read-only window into the app for end-to-end tests and the curious.
//   __vmscope.getState()  -> { areas, pointerMode, fileName, status, bytes, diagnostics, parsedIn,
//                              viewStart, viewEnd, selected, collapsed, colourMode, matches,
//                              notice, history, sections }
//       notice: the message about the last input that was not shown, or null.
//       history: the session's loaded dumps, oldest first, as { name, areas, current }.
//       sections: other sections of a combined capture on screen, as { name, lines }.
//       viewStart/viewEnd: the exact addresses at the map's left and right edges as hex strings
//       (raw mode), or the hex display offsets from the start of the packed track (other modes).
//       selected: the selected area's start as hex (raw), or its index in file order as a decimal
//       string (other modes); null when nothing is selected.
//       analysisTab: the analysis panel's open tab ('compare' | 'fragmentation' | 'checks').
//       diff: the comparison on screen (src/app/analysis), or null: counts and bytes added, removed
//       and resized, netBytes, matchedBy, and the history names of A and B.
//       probe: the fragmentation probe's last answer, or null; firstFit as exact hex bounds;
//       highlighted: its holes are outlined on the map.
//       timeline: the series on screen as { count, index, times, range, playing } (times: each
//       moment's time in epoch ms, or null), or undefined for a single dump; areas and the rest
//       describe the moment on screen. diff names a series' moment "NAME @ moment K" (1-based).
//   __vmscope.setMoment(i), stepMoment(step), setRange(a, b), clearRange(), togglePlay()
//                         -> move the series' cursor as the strip and the keys do
//   __vmscope.whenIdle()  -> Promise that resolves once no fetch or parse is pending and the map
//                            on screen shows the current state (no frame waiting to be drawn)
//   __vmscope.zoomTo(startHex, endHex)  -> show that range on the map (addresses in raw mode,
//                                          display offsets in packed modes, as viewStart/viewEnd)
//   __vmscope.areaBox(key)  -> the area's box on screen in client CSS pixels, { x, y, width, height },
//                             clipped to the map, or null when it is not in view. `key` is what
//                             `selected` would say: start hex (raw) or index (other modes).
//   table: the areas table as { rows (shown after filters), sortKey, sortDir, filter, kinds (shown) },
//       or null without a dump. highlight: { label, count } of the areas highlighted from the summary.
//   __vmscope.frameTimes()  -> per-frame work in ms since the last call (input handling plus
//                              drawing, measured by the app around its draw), for bench:render
//   __vmscope.hangNextRead(budgetMs)  -> the next dump or link given to the parse worker keeps it
//                              busy forever (as a line that hangs the scanner would), with a budget
//                              of `budgetMs`: for the watchdog's end-to-end test. It cannot be set
//                              from any input, only by a script on the page, and affects one read.
//   __vmscope.openSample(path)  -> load a bundled sample by its manifest path, as the sample menu
//                              does; resolves once it is read (for tests not about the menu)
//   __vmscope.openFile(name, text)  -> load text as a file of that name, as the file chooser does;
//                              resolves once it is read (for tests not about the chooser)

import { AREA_KINDS, cssAtDisplay, hexBig, hiOf, loOf, positionOf, toAddress, toDisplay } from '../lib/index.ts';
import type { PointerMode, Track } from '../lib/index.ts';
import { setView } from './state/view.ts';
import { loadFile, loadSample } from './state/actions.ts';
import { LANES } from './map/lanes.ts';
import { framePending, mapSurface, nextFrame, takeFrameTimes } from './map/renderer.ts';
import type { AppState, Status } from './state/store.ts';
import { useStore } from './state/store.ts';
import { tableRowsOf } from './table/useRows.ts';
import { client } from './worker/client.ts';
import type { SortDir, SortKey } from './table/rows.ts';
import { captureOf, currentDump, fileNameOf, summaryOf } from './state/select.ts';
import { clearRange, selectTimeline, setMoment, setRange, stepMoment, togglePlay } from './state/timeline.ts';

export interface VmscopeView {
  readonly areas: number | null;
  readonly pointerMode: PointerMode | null;
  readonly fileName: string | null;
  readonly status: Status;
  readonly bytes: number | null;
  readonly diagnostics: number;
  readonly parsedIn: 'worker' | 'main thread' | null;
  readonly viewStart: string | null;
  readonly viewEnd: string | null;
  readonly selected: string | null;
  readonly collapsed: boolean | null;
  readonly colourMode: string;
  /** Areas matching the search box's name query, or null without one. */
  readonly matches: number | null;
  readonly notice: string | null;
  readonly history: ReadonlyArray<{ name: string; areas: number; current: boolean }>;
  readonly sections: ReadonlyArray<{ name: string; lines: number }>;
  readonly analysisTab: string;
  readonly diff: DiffView | null;
  readonly probe: ProbeView | null;
  readonly table: { rows: number; sortKey: SortKey; sortDir: SortDir; filter: string; kinds: string[] } | null;
  readonly highlight: { label: string; count: number } | null;
  readonly timeline: TimelineView | undefined;
}

export interface TimelineView {
  count: number;
  index: number;
  times: (number | null)[];
  range: [number, number] | null;
  playing: boolean;
}

export interface DiffView {
  added: { count: number; bytes: number };
  removed: { count: number; bytes: number };
  resized: { count: number; bytesDelta: number };
  netBytes: number;
  matchedBy: string;
  aName: string;
  bName: string;
}

export interface ProbeView {
  bytes: number;
  needBytes: number;
  fits: boolean;
  fittingCount: number;
  firstFit: { start: string; end: string; bytes: number } | null;
  candidates: number;
  highlighted: boolean;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VmscopeHook {
  getState(): VmscopeView;
  whenIdle(): Promise<void>;
  zoomTo(startHex: string, endHex: string): void;
  areaBox(key: string): Box | null;
  frameTimes(): number[];
  hangNextRead(budgetMs: number): void;
  openSample(path: string): Promise<void>;
  openFile(name: string, text: string): Promise<void>;
  setMoment(i: number): void;
  stepMoment(step: number): void;
  setRange(a: number, b: number): void;
  clearRange(): void;
  togglePlay(): void;
}

function digitsOf(track: Track): number {
  return track.model.snapshot.addressDigits || 16;
}

/** A display position as the hook reports it. */
function edge(track: Track, display: number): string {
  if (track.exact) return hexBig(toAddress(track, display)!, digitsOf(track));
  return '0x' + Math.round(display).toString(16);
}

/** An edge given as the hook reports it, back to a display position. */
function display(track: Track, hex: string): number {
  const value = BigInt(hex);
  if (!track.exact) return Number(value);
  return toDisplay(track, value) ?? (value < track.base ? 0 : track.total);
}

function areaKey(track: Track, index: number): string {
  if (!track.exact) return String(index);
  const c = track.model.snapshot.columns;
  return hexBig((BigInt(c.startHi[index]) << 32n) | BigInt(c.startLo[index]), digitsOf(track));
}

function indexOfKey(track: Track, key: string): number {
  const s = track.model.snapshot;
  if (!track.exact) {
    const index = Number(key);
    return Number.isInteger(index) && index >= 0 && index < s.count ? index : -1;
  }
  const value = BigInt(key);
  const hi = hiOf(value);
  const lo = loOf(value);
  for (let i = 0; i < s.count; i++) if (s.columns.startHi[i] === hi && s.columns.startLo[i] === lo) return i;
  return -1;
}

function tableState(s: AppState): NonNullable<VmscopeView['table']> {
  const rows = tableRowsOf({ ...s, capture: captureOf(s) })?.rows ?? new Uint32Array(0);
  const kinds = AREA_KINDS.filter((_, k) => (s.tableKinds >> k) & 1);
  return { rows: rows.length, sortKey: s.tableSort, sortDir: s.tableDir, filter: s.tableText, kinds };
}

function getState(): VmscopeView {
  const s = useStore.getState();
  const t = s.track;
  return Object.freeze({
    areas: summaryOf(s)?.areas ?? null,
    pointerMode: summaryOf(s)?.pointerMode ?? null,
    fileName: fileNameOf(s),
    status: s.status,
    bytes: summaryOf(s)?.bytes ?? null,
    diagnostics: (currentDump(s)?.diagnosticCount ?? 0),
    parsedIn: (currentDump(s)?.parsedIn ?? null),
    viewStart: t ? edge(t, s.viewStart) : null,
    viewEnd: t ? edge(t, s.viewEnd) : null,
    selected: t && s.selected !== null ? areaKey(t, s.selected) : null,
    collapsed: t ? t.collapsed : null,
    colourMode: s.colourMode,
    matches: s.matches ? s.matches.length : null,
    notice: s.notice?.message ?? null,
    history: s.history.map((d) => ({ name: d.fileName, areas: d.summary.areas, current: d.id === s.currentId })),
    sections: (captureOf(s)?.sections ?? []).map((x) => ({ ...x })),
    table: s.model ? tableState(s) : null,
    highlight: s.highlight && s.highlight.model === s.model ? { label: s.highlight.label, count: s.highlight.count } : null,
    analysisTab: s.analysisTab,
    diff: diffView(s),
    probe: probeView(s),
    timeline: timelineView(s),
  });
}

function timelineView(s: AppState): TimelineView | undefined {
  const t = selectTimeline(s);
  if (!t) return undefined;
  return { count: t.series.count, index: t.index, times: t.series.moments.map((m) => m.time), range: t.range ? [t.range[0], t.range[1]] : null, playing: t.playing };
}

function diffView(s: AppState): DiffView | null {
  const c = s.comparison;
  if (!c) return null;
  const name = (id: number, moment: number | null) => {
    const fileName = s.history.find((d) => d.id === id)?.fileName ?? '';
    return moment === null ? fileName : `${fileName} @ moment ${moment + 1}`;
  };
  const d = c.diff;
  return {
    added: { ...d.added },
    removed: { ...d.removed },
    resized: { ...d.resized },
    netBytes: d.netBytes,
    matchedBy: d.matchedBy,
    aName: name(c.aId, c.aMoment),
    bName: name(c.bId, c.bMoment),
  };
}

function probeView(s: AppState): ProbeView | null {
  const p = s.probe;
  if (!p) return null;
  const r = p.result;
  const first = r.firstFit >= 0 ? r.candidates[r.firstFit] : null;
  const digits = s.model?.snapshot.addressDigits || 16;
  return {
    bytes: p.bytes,
    needBytes: r.needBytes,
    fits: r.fits,
    fittingCount: r.fittingCount,
    firstFit: first && { start: hexBig(first.start, digits), end: hexBig(first.end, digits), bytes: first.bytes },
    candidates: r.candidates.length,
    highlighted: first !== null && s.found !== null && s.found.start === first.start && s.found.end === first.end,
  };
}

function storeIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (useStore.getState().pending === 0) return resolve();
    const unsubscribe = useStore.subscribe((s) => {
      if (s.pending === 0) {
        unsubscribe();
        resolve();
      }
    });
  });
}

async function whenIdle(): Promise<void> {
  for (;;) {
    await storeIdle();
    if (!framePending()) return;
    await nextFrame();
  }
}

function zoomTo(startHex: string, endHex: string): void {
  const t = useStore.getState().track;
  if (t) setView({ start: display(t, startHex), end: display(t, endHex) });
}

function areaBox(key: string): Box | null {
  const s = useStore.getState();
  const t = s.track;
  const m = mapSurface();
  if (!t || !m) return null;
  const index = indexOfKey(t, key);
  if (index < 0) return null;
  const k = positionOf(t, index);
  const view = { start: s.viewStart, end: s.viewEnd };
  const w = m.surface.widthCssPx;
  const x0 = Math.max(0, cssAtDisplay(view, t.pos[k], w));
  const x1 = Math.min(w, cssAtDisplay(view, t.pos[k] + t.len[k], w));
  if (x1 <= x0) return null;
  const rect = m.canvas.getBoundingClientRect();
  return { x: rect.left + x0, y: rect.top + LANES.map.y, width: x1 - x0, height: LANES.map.h };
}

export function installTestHook(target: Window): void {
  const hangNextRead = (budgetMs: number) => client.hangNextJob(Math.max(0, Math.min(60_000, Number(budgetMs) || 0)));
  const openSample = (path: string) => loadSample(String(path)).then(() => undefined);
  const openFile = (name: string, text: string) => loadFile(new File([String(text)], String(name), { type: 'text/plain' })).then(() => undefined);
  const num = (f: (...n: number[]) => void) => (...n: number[]) => f(...n.map(Number));
  const hook: VmscopeHook = Object.freeze({
    getState,
    whenIdle,
    zoomTo,
    areaBox,
    frameTimes: takeFrameTimes,
    hangNextRead,
    openSample,
    openFile,
    setMoment: num(setMoment),
    stepMoment: num(stepMoment),
    setRange: num(setRange),
    clearRange: () => clearRange(),
    togglePlay: () => togglePlay(),
  });
  Object.defineProperty(target, '__vmscope', { value: hook, writable: false, configurable: false, enumerable: false });
}
