// A series on screen: the cursor over its moments and what moves it. The history entry of a series
// carries its Timeline (history.ts) and shows the moment under the cursor: moving the cursor
// builds that moment (its Snapshot from the series' changes, never re-parsed → model with the
// series' layout hints → summary) on the main thread and swaps it into the entry, so the map,
// summary, table, search and colours, which all select from the entry on screen, follow. The
// view is kept (growth is seen in place), and the areas that came and went since the moment
// before are marked on the map (MomentMarks), straight from the series' changes.
//
// The strip (src/app/timeline/) reads selectTimeline and calls the actions below; the Compare view
// (src/app/analysis/) follows `range`. Plain functions, callable from components, keys and the test hook.

import { buildModel, summarize, toBigInt } from '../../lib/index.ts';
import type { Diagnostic, LayoutHints, Model, Summary } from '../../lib/index.ts';
import { appendFrame } from '../../lib/series/recording.ts';
import type { MomentInfo, Series } from '../../lib/series/series.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import type { Ghost } from '../base/colours.ts';
import { liveInBackground } from '../worker/client.ts';
import type { CaptureFacts } from '../worker/protocol.ts';
import type { LiveStatus, LoadedDump, Timeline } from './history.ts';
import type { MomentMarks } from './mapSlice.ts';
import { currentDump } from './select.ts';
import { useStore } from './store.ts';
import type { AppState } from './store.ts';
import { mapStateKeeping } from './view.ts';

export type { Timeline } from './history.ts';

const set = useStore.setState;
const get = useStore.getState;

/** What the strip reads: the series on screen, its figures, the cursor, the range and whether it plays. */
export interface TimelineState {
  series: Series;
  stats: SeriesStats;
  index: number;
  range: readonly [number, number] | null;
  playing: boolean;
}

/** The timeline of the dump on screen, or undefined for a single dump (a stable object: safe as a selector). */
export function selectTimeline(s: Pick<AppState, 'history' | 'currentId'>): (TimelineState & Timeline) | undefined {
  return currentDump(s)?.timeline;
}

/** The moment on screen's facts (time, label, zone, source …), or undefined for a single dump. */
export function selectMoment(s: Pick<AppState, 'history' | 'currentId'>): MomentInfo | undefined {
  const t = currentDump(s)?.timeline;
  return t ? t.series.moments[t.index] : undefined;
}

// ---- moments, built and cached ---------------------------------------------------------------------

/** One moment as the entry on screen shows it. */
export interface MomentScreen {
  model: Model;
  summary: Summary;
  diagnostics: Diagnostic[];
  diagnosticCount: number;
  capture: CaptureFacts;
}

/**
 * How many built moments each series keeps (the last ones used), so stepping back and forth is
 * free; fewer when they are big: at most MOMENT_CACHE_AREAS areas together, and always the last two.
 */
export const MOMENT_CACHE_SIZE = 8;
export const MOMENT_CACHE_AREAS = 400_000;

const built = new WeakMap<Series, Map<number, MomentScreen>>();

function cacheOf(series: Series): Map<number, MomentScreen> {
  let cache = built.get(series);
  if (!cache) built.set(series, (cache = new Map()));
  return cache;
}

function remember(cache: Map<number, MomentScreen>, i: number, screen: MomentScreen): void {
  cache.delete(i);
  cache.set(i, screen);
  let areas = 0;
  for (const m of cache.values()) areas += m.model.snapshot.count;
  while (cache.size > MOMENT_CACHE_SIZE || (cache.size > 2 && areas > MOMENT_CACHE_AREAS)) {
    const oldest = cache.keys().next().value!;
    areas -= cache.get(oldest)!.model.snapshot.count;
    cache.delete(oldest);
  }
}

/** Moment i of a series, built (Snapshot → model with `hints` → summary) or taken from the cache. */
export function momentScreen(series: Series, i: number, hints: LayoutHints): MomentScreen {
  const cache = cacheOf(series);
  const hit = cache.get(i);
  if (hit) {
    remember(cache, i, hit);
    return hit;
  }
  const model = buildModel(series.snapshot(i), hints);
  const m = series.moments[i];
  const screen: MomentScreen = { model, summary: summarize(model), diagnostics: [...m.diagnostics], diagnosticCount: m.facts.diagnosticCount, capture: m.capture };
  remember(cache, i, screen);
  return screen;
}

/**
 * A moment with the records the user attached to its series: they replace the moment's own, as
 * attaching does on a single dump (src/app/analysis/attach.ts).
 */
export function withAttached(screen: MomentScreen, attached: Timeline['attached']): MomentScreen {
  if (!attached || attached.sections.length === 0) return screen;
  const own = screen.capture;
  const replaced = new Set(attached.sections.map((x) => x.name));
  const meminfo = replaced.has('/proc/meminfo') ? attached.meminfo : own.meminfo;
  const modules = replaced.has('/proc/modules') ? attached.modules : own.modules;
  const sections = [...own.sections.filter((x) => !replaced.has(x.name)), ...attached.sections];
  return { ...screen, capture: { ...own, meminfo, modules, sections } };
}

/** Forget the moments built for a series (its layout hints changed). */
export function forgetMoments(series: Series): void {
  built.delete(series);
}

/** Put a moment built elsewhere (the worker's latest moment) in the cache. */
export function seedMoment(series: Series, i: number, screen: MomentScreen): void {
  remember(cacheOf(series), i, screen);
}

/** A series' entry as it would be with moment i on screen (for Compare's A); the entry itself for a single dump. */
export function atMoment(dump: LoadedDump, i: number | null): LoadedDump {
  const t = dump.timeline;
  if (!t || i === null || i === t.index) return dump;
  return { ...dump, ...momentScreen(t.series, i, t.hints), timeline: { ...t, index: i } };
}

// ---- marks -----------------------------------------------------------------------------------------

/** Where the ascending `want` ids sit in the ascending `ids`: for each, the count of ids below it. */
function positionsIn(ids: Uint32Array, want: Uint32Array): Uint32Array {
  const out = new Uint32Array(want.length);
  let k = 0;
  for (let j = 0; j < want.length; j++) {
    while (k < ids.length && ids[k] < want[j]) k++;
    out[j] = k;
  }
  return out;
}

/**
 * What came and went at moment i (null at the first moment: nothing before it), on `model`, the
 * moment's own model. From the series' changes: `added[i]` and `removed[i]`, no diff of models.
 */
export function marksOf(series: Series, i: number, model: Model): MomentMarks | null {
  if (i <= 0 || i >= series.count) return null;
  const ids = series.ids(i);
  const added = positionsIn(ids, series.added[i]);
  const gone = series.removed[i];
  const t = series.table.columns;
  let addedBytes = 0;
  for (let j = 0; j < added.length; j++) addedBytes += model.snapshot.columns.size[added[j]];
  let goneBytes = 0;
  for (let j = 0; j < gone.length; j++) goneBytes += t.size[gone[j]];
  const ghosts: Ghost[] = [];
  if (model.byAddress) {
    for (let j = 0; j < gone.length; j++) ghosts.push({ start: toBigInt(t.startHi[gone[j]], t.startLo[gone[j]]), end: toBigInt(t.endHi[gone[j]], t.endLo[gone[j]]) });
  }
  return { model, added, ghosts, goneBefore: positionsIn(ids, gone), addedBytes, goneBytes };
}

/** The marks of the moment an entry shows, or null for a single dump. */
export function marksOfEntry(dump: LoadedDump): MomentMarks | null {
  const t = dump.timeline;
  return t ? marksOf(t.series, t.index, dump.model) : null;
}

/** The marks when they belong to the model on screen. */
export function momentMarksOf(s: Pick<AppState, 'model' | 'momentMarks'>): MomentMarks | null {
  return s.momentMarks && s.momentMarks.model === s.model ? s.momentMarks : null;
}

// ---- the cursor --------------------------------------------------------------------------------------

/** The selected area's id in the series (selection follows the same area from moment to moment). */
function selectedId(t: Timeline, selected: number | null): number | null {
  if (selected === null) return null;
  const ids = t.series.ids(t.index);
  return selected < ids.length ? ids[selected] : null;
}

function indexOfId(ids: Uint32Array, id: number | null): number | null {
  if (id === null) return null;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < ids.length && ids[lo] === id ? lo : null;
}

/** Put moment `to` of the entry on screen in place, with `patch` applied to its timeline. */
function putMoment(dump: LoadedDump, to: number, patch: Partial<Timeline> = {}): void {
  const t = dump.timeline!;
  const s = get();
  const keep = s.model === dump.model ? selectedId(t, s.selected) : null;
  const screen = withAttached(momentScreen(t.series, to, t.hints), t.attached);
  const next: LoadedDump = { ...dump, ...screen, timeline: { ...t, ...patch, index: to } };
  const history = get().history.map((d) => (d.id === dump.id ? next : d));
  if (s.model !== dump.model) {
    // The entry is not (yet) what the map shows: change the entry only.
    set({ history });
    return;
  }
  const selected = indexOfId(t.series.ids(to), keep);
  // A highlight that can pick its group again (a summary bar's) follows the cursor.
  const h = s.highlight && s.highlight.model === s.model && s.highlight.of ? s.highlight : null;
  const highlight = h?.of ? { ...h, ...h.of(screen.model, screen.capture.modules), model: screen.model } : null;
  set({ history, ...mapStateKeeping(screen.model, screen.capture.modules, selected), highlight, momentMarks: marksOf(t.series, to, screen.model) });
}

function clampIndex(t: Timeline, i: number): number {
  return Math.max(0, Math.min(t.series.count - 1, Math.round(Number.isFinite(i) ? i : 0)));
}

/** Show moment i (clamped to the series) of the series on screen, keeping the view. */
export function setMoment(i: number): void {
  const dump = currentDump(get());
  const t = dump?.timeline;
  if (!dump || !t) return;
  const to = clampIndex(t, i);
  if (to !== t.index) putMoment(dump, to);
}

/** Show the next (+1) or previous (−1) moment, or further by `step`. */
export function stepMoment(step: number): void {
  const t = selectTimeline(get());
  if (t) setMoment(t.index + step);
}

export function firstMoment(): void {
  setMoment(0);
}

export function lastMoment(): void {
  const t = selectTimeline(get());
  if (t) setMoment(t.series.count - 1);
}

/**
 * Pick the moments from a to b (either order) on the series on screen: the cursor goes to the
 * later one, and Compare opens with A = the earlier, B = the later (src/app/analysis follows the
 * range). A range of one moment clears it.
 */
export function setRange(a: number, b: number): void {
  const dump = currentDump(get());
  const t = dump?.timeline;
  if (!dump || !t) return;
  const from = clampIndex(t, Math.min(a, b));
  const to = clampIndex(t, Math.max(a, b));
  if (from === to) return clearRange();
  if (t.range && t.range[0] === from && t.range[1] === to && t.index === to) return;
  putMoment(dump, to, { range: [from, to] });
}

export function clearRange(): void {
  const dump = currentDump(get());
  const t = dump?.timeline;
  if (!dump || !t || t.range === null) return;
  const next: LoadedDump = { ...dump, timeline: { ...t, range: null } };
  set({ history: get().history.map((d) => (d.id === dump.id ? next : d)) });
}

// ---- playing -----------------------------------------------------------------------------------------

/** The pace of play: each moment stays this long, whatever the series' own intervals. */
export const PLAY_STEP_MS = 400;

let player: { id: number; timer: ReturnType<typeof setInterval> } | null = null;

function setPlaying(id: number, playing: boolean): void {
  set((s) => ({ history: s.history.map((d) => (d.id === id && d.timeline && d.timeline.playing !== playing ? { ...d, timeline: { ...d.timeline, playing } } : d)) }));
}

function stopPlaying(): void {
  if (!player) return;
  clearInterval(player.timer);
  const { id } = player;
  player = null;
  setPlaying(id, false);
}

function tick(): void {
  const dump = currentDump(get());
  const t = dump?.timeline;
  if (!player || !dump || !t || dump.id !== player.id || !t.playing || t.index >= t.series.count - 1) return stopPlaying();
  putMoment(dump, t.index + 1);
  if (t.index + 1 >= t.series.count - 1) stopPlaying();
}

/** Play the series on screen from the moment shown (from the first when at the last), or pause it. */
export function togglePlay(): void {
  const dump = currentDump(get());
  const t = dump?.timeline;
  if (!dump || !t) return;
  if (t.playing || player) return stopPlaying();
  if (t.series.count < 2) return;
  if (t.index >= t.series.count - 1) putMoment(dump, 0);
  setPlaying(dump.id, true);
  player = { id: dump.id, timer: setInterval(tick, PLAY_STEP_MS) };
}

/** Stop playing (another dump goes on screen, or a test is done). */
export function stopPlay(): void {
  stopPlaying();
}

// ---- live -------------------------------------------------------------------------------------------

/** Set how the live stream of entry `id` is doing (nothing for an entry that is gone or not live). */
export function setLive(id: number, patch: Partial<LiveStatus>): void {
  set((s) => ({
    history: s.history.map((d) => {
      if (d.id !== id || !d.timeline) return d;
      const live: LiveStatus = { every: 0, state: 'live', ...d.timeline.live, ...patch };
      if (patch.state === 'live') delete live.why;
      return { ...d, timeline: { ...d.timeline, live } };
    }),
  }));
}

/** The words above a live recording (in place of "a recording of N moments", which it outgrows). */
export const LIVE_NOTE = 'A recording vmscope open --live is making: each new moment is added as it is taken.';

/**
 * Entry `id` (a recording just loaded, from `bytes`) is live: new moments come every `every` ms.
 * The worker keeps its own copy of the series from the same bytes, for the figures.
 */
export async function startLive(id: number, every: number, bytes: ArrayBuffer): Promise<void> {
  growing.delete(id);
  await liveInBackground.start(id, bytes);
  set((s) => ({
    history: s.history.map((d) => {
      if (d.id !== id || !d.timeline) return d;
      const t = d.timeline;
      const how = `${d.fileName}: ${LIVE_NOTE}`;
      return { ...d, note: [how, ...t.notes].join(' '), timeline: { ...t, how, live: { every, state: 'live' } } };
    }),
  }));
}

/** Per live entry: the series grown by frames whose figures are still being made, and the frames not yet sent. */
interface Growing {
  /** The page's series grown by every frame so far (not on screen until its figures are made). */
  series: Series;
  /** The series by moment count, from the one on screen to `series`, with the recording's bytes by then. */
  byCount: Map<number, { series: Series; bytes: number }>;
  /** The recording's bytes with every frame so far (the heading's size grows with the moments). */
  bytes: number;
  unsent: Uint8Array[];
  busy: Promise<void> | null;
  started: number;
  /** Time spent on this thread for the frames not yet on screen. */
  thread: number;
}

const growing = new Map<number, Growing>();

/**
 * A live recording's next moment (its frame, as `vmscope open --live` streams it) for entry `id`:
 * the page's series grows by that moment only (appendFrame: never re-read, about a millisecond),
 * and the strip's figures are made again in the worker, from its own copy of the series
 * (worker/live.ts), off this thread; once they are back, the grown series and its figures go on
 * screen together, and the cursor follows when it was on the newest moment with no range picked (one
 * scrubbed back stays where it is). Frames that come while the figures are being made go together
 * in the next round. Returns null, or why the frame does not follow the series (nothing changes).
 */
export function appendMoment(id: number, frame: Uint8Array): string | null {
  const dump = get().history.find((d) => d.id === id);
  const t = dump?.timeline;
  if (!dump || !t) return 'the live recording is no longer open';
  let g = growing.get(id);
  if (!g) growing.set(id, (g = { series: t.series, byCount: new Map(), bytes: dump.fileBytes, unsent: [], busy: null, started: 0, thread: 0 }));
  const t0 = performance.now();
  const got = appendFrame(g.series, frame, t.series.moments[t.series.count - 1].source);
  if ('problem' in got) return got.problem;
  g.series = got.series;
  g.bytes += frame.length;
  g.byCount.set(got.series.count, { series: got.series, bytes: g.bytes });
  g.unsent.push(frame);
  if (g.started === 0) g.started = t0;
  g.thread += performance.now() - t0;
  if (!g.busy) g.busy = pump(id, g);
  return null;
}

/** Send the frames not yet sent to the worker, put what it answers on screen, and go on while frames wait. */
async function pump(id: number, g: Growing): Promise<void> {
  while (g.unsent.length > 0) {
    const frames = g.unsent.splice(0);
    try {
      const { count, stats } = await liveInBackground.append(id, frames);
      const grown = g.byCount.get(count);
      if (!grown || !stats) throw new Error(`the figures came for ${count} moments`);
      for (const k of [...g.byCount.keys()]) if (k <= count) g.byCount.delete(k);
      const t0 = performance.now();
      show(id, grown.series, stats, grown.bytes);
      const now = performance.now();
      setLive(id, { appendMs: Math.round((now - g.started) * 10) / 10, threadMs: Math.round((g.thread + now - t0) * 10) / 10 });
      g.started = g.unsent.length > 0 ? now : 0;
      g.thread = 0;
    } catch (err) {
      growing.delete(id);
      setLive(id, { state: 'stopped', why: `${err instanceof Error ? err.message : String(err)}: reload the page` });
      return;
    }
  }
  g.busy = null;
}

/** Put a grown series and its figures on screen in entry `id`, the recording being `bytes` long. */
function show(id: number, series: Series, stats: SeriesStats, bytes: number): void {
  const dump = get().history.find((d) => d.id === id);
  const t = dump?.timeline;
  if (!dump || !t || series.count <= t.series.count) return;
  // The moments built so far are the same moments of the longer series.
  const cache = built.get(t.series);
  if (cache) built.set(series, new Map(cache));
  const follow = t.index === t.series.count - 1 && t.range === null && !t.playing;
  const grown: LoadedDump = { ...dump, fileBytes: bytes, timeline: { ...t, series, stats } };
  if (follow) putMoment(grown, series.count - 1);
  else set({ history: get().history.map((d) => (d.id === id ? grown : d)) });
}

/** Moments of live entry `id` so far, those whose figures are still being made included (0: no such entry). */
export function liveCount(id: number): number {
  return growing.get(id)?.series.count ?? get().history.find((d) => d.id === id)?.timeline?.series.count ?? 0;
}

/** Resolves once every moment appended to entry `id` is on screen (tests). */
export async function liveSettled(id: number): Promise<void> {
  while (growing.get(id)?.busy) await growing.get(id)!.busy;
}

// ---- keys --------------------------------------------------------------------------------------------

/**
 * The timeline's keys, when a series is on screen: `,` / `.` previous / next moment, Home / End
 * first / last, space plays or pauses. Returns whether the key was used.
 */
/**
 * Move the range's start (A of the comparison) one moment back or forward, the moment on screen
 * staying its end (B): `<` from no range starts one with the moment before. Reaching B clears it.
 */
export function extendRange(step: -1 | 1): void {
  const t = selectTimeline(get());
  if (!t) return;
  const b = t.index;
  const a = Math.max(0, (t.range && t.range[0] < b ? t.range[0] : b) + step);
  if (a >= b) clearRange();
  else setRange(a, b);
}

export function timelineKey(key: string): boolean {
  if (!selectTimeline(get())) return false;
  switch (key) {
    case '<':
      extendRange(-1);
      return true;
    case '>':
      extendRange(1);
      return true;
    case ',':
      stepMoment(-1);
      return true;
    case '.':
      stepMoment(1);
      return true;
    case 'Home':
      firstMoment();
      return true;
    case 'End':
      lastMoment();
      return true;
    case ' ':
      togglePlay();
      return true;
    default:
      return false;
  }
}
