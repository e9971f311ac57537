// Everything that changes the analysis panel's state, as plain functions. The comparison keeps B
// equal to the dump on screen: a store subscription (followTheScreen, made at start-up by boot.ts)
// recomputes the diff (and the map's diff colours) when another dump is shown, and closes the
// comparison when A is shown or forgotten.

import { diffModels, parseByteSize, positionOf, probe as probeModel, toDisplay } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { select, setColourMode, setHighlight, zoomToPosition, zoomToRange } from '../state/view.ts';
import { diffColouring } from '../base/colours.ts';
import type { ColourMode, Ghost } from '../base/colours.ts';
import { loadFile, loadSample, switchTo } from '../state/actions.ts';
import type { LoadedDump } from '../state/history.ts';
import { useStore } from '../state/store.ts';
import type { AppState } from '../state/store.ts';
import { defaultA, ghostsOf, spanOf } from './compare.ts';
import type { AnalysisTab, Comparison } from '../state/analysisSlice.ts';
import { atMoment, clearRange, selectTimeline, setMoment } from '../state/timeline.ts';

const set = useStore.setState;
const get = useStore.getState;

/** The x86_64 before/after pair of the sample menu, for the one-click comparison. */
export const INSMOD_PAIR = {
  before: 'kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo',
  after: 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo',
} as const;

/** How many candidate holes the probe lists and highlights. */
export const PROBE_LIMIT = 50;

export function setAnalysisTab(tab: AnalysisTab): void {
  set({ analysisTab: tab });
}

function dumpOf(id: number | null): LoadedDump | null {
  return get().history.find((d) => d.id === id) ?? null;
}

/** A side of a comparison: the dump, or the series' entry at that moment. */
export function sideOf(history: readonly LoadedDump[], id: number, moment: number | null): LoadedDump | null {
  const d = history.find((x) => x.id === id);
  return d ? atMoment(d, moment) : null;
}

/** Which moment a side is when its entry is a series (its cursor unless told), else null. */
function momentOf(d: LoadedDump, moment: number | null): number | null {
  return d.timeline ? (moment ?? d.timeline.index) : null;
}

/**
 * The default pair: the dump on screen (B) and, as A, the latest other dump the user chose (the
 * start-up sample only when there is no other; the Compare tab then says so).
 */
export function defaultPair(): { aId: number; bId: number } | null {
  const { history, currentId } = get();
  if (currentId === null) return null;
  const aId = defaultA(history, currentId);
  return aId === null ? null : { aId, bId: currentId };
}

/** Load a file the user chose as A and compare it with dump `bId` (which goes back on screen). */
export async function loadFileAsA(file: File, bId: number): Promise<void> {
  const before = get().currentId;
  await loadFile(file);
  const aId = get().currentId;
  if (aId === null || aId === before || aId === bId || !dumpOf(bId)) return;
  openComparison(aId, bId);
}

/** A dump's /proc/modules when one came with it (an empty one is valid: nothing loaded), else undefined. */
export function knownModules(d: LoadedDump): LoadedDump['capture']['modules'] | undefined {
  const c = d.capture;
  return c.modules.length > 0 || c.sections.some((s) => s.name === '/proc/modules') ? c.modules : undefined;
}

function computeDiff(a: LoadedDump, b: LoadedDump) {
  return diffModels(a.model, b.model, { modulesA: knownModules(a), modulesB: knownModules(b) });
}

/** The map coloured by `c`'s diff, when B is on screen. */
function paint(c: Comparison, a: Model, b: Model): void {
  if (get().model !== b) return;
  const painted = diffColouring(b, c.diff.statusB, ghostsOf(a, b, c.diff.removedA), c.diff.removed);
  set({ colourMode: 'diff', colouring: painted, diffColouring: painted });
}

/**
 * Compare snapshot A (before) with B (after); B is put on screen, coloured by change. `moments`:
 * which moments when A or B is a series (two moments of one series: aId === bId); B's moment is
 * put on screen too. Without them, a series takes the moment under its cursor.
 */
export function openComparison(aId: number, bId: number, colourModeBefore: ColourMode = get().colourMode, moments: { a: number | null; b: number | null } = { a: null, b: null }): void {
  const aEntry = dumpOf(aId);
  if (!aEntry || !dumpOf(bId)) return;
  const aMoment = momentOf(aEntry, moments.a);
  if (aId === bId && (aMoment === null || aMoment === momentOf(aEntry, moments.b))) return;
  const previous = get().comparison;
  const previousColourMode = previous ? previous.previousColourMode : colourModeBefore === 'diff' ? 'kind' : colourModeBefore;
  if (get().currentId !== bId) {
    set({ comparison: null }); // the sync below must not treat the switch as "B changed"
    switchTo(bId);
  }
  if (moments.b !== null && selectTimeline(get())?.index !== moments.b) {
    set({ comparison: null });
    setMoment(moments.b);
  }
  const a = sideOf(get().history, aId, aMoment);
  const b = dumpOf(bId);
  if (!a || !b) return;
  const comparison: Comparison = { aId, bId, aMoment, bMoment: momentOf(b, null), diff: computeDiff(a, b), previousColourMode };
  set({ comparison, analysisTab: 'compare' });
  paint(comparison, a.model, b.model);
}

/** Stop comparing: the map goes back to the colours it had. */
export function closeComparison(): void {
  const c = get().comparison;
  set({ comparison: null });
  if (c && get().colourMode === 'diff') setColourMode(c.previousColourMode);
  // Two moments of the series on screen: the range they came from goes with them.
  if (c && c.aId === c.bId && c.bId === get().currentId) clearRange();
}

/** Colour the map by change again (after the toolbar chose another colour mode). */
export function showDiffColours(): void {
  const c = get().comparison;
  const a = c && sideOf(get().history, c.aId, c.aMoment);
  const b = dumpOf(c?.bId ?? null);
  if (c && a && b) paint(c, a.model, b.model);
}

/** Load the x86_64 "at boot" and "after insmod" samples and compare them: the before/after story in one click. */
export async function compareInsmodPair(): Promise<void> {
  await loadSample(INSMOD_PAIR.before);
  const before = get().currentId;
  await loadSample(INSMOD_PAIR.after);
  const after = get().currentId;
  if (before !== null && after !== null && before !== after) openComparison(before, after);
}

/** Select area i of the dump on screen and zoom to it. */
export function zoomToArea(i: number, pad = 2): void {
  const track = get().track;
  if (!track || i < 0 || i >= track.seq.length) return;
  select(i);
  zoomToPosition(positionOf(track, i), pad);
}

/** Zoom to an exact address range of the dump on screen; selects `selectIndex` when given. */
export function zoomToAddresses(range: Ghost, selectIndex: number | null = null, pad = 0.5): boolean {
  const track = get().track;
  if (!track || !track.exact) return false;
  const from = toDisplay(track, range.start);
  const to = toDisplay(track, range.end);
  if (from === null || to === null) return false;
  if (selectIndex !== null) select(selectIndex);
  zoomToRange(from, Math.max(to, from + 1), pad);
  return true;
}

/**
 * Show a module's loader areas (all its sections since 6.4): highlighted on the map, which zooms to
 * the stretch they span, with its text area selected.
 */
export function showModuleAreas(name: string, areas: readonly number[], text: number | null): void {
  const { model, track } = get();
  if (!model || !track || areas.length === 0) return;
  const marks = new Uint8Array(model.snapshot.count);
  let bytes = 0;
  for (const i of areas) {
    marks[i] = 1;
    bytes += model.snapshot.columns.size[i];
  }
  setHighlight({ label: `module ${name} (loader areas)`, source: `loader:${name}`, areas: marks, count: areas.length, bytes, model });
  const span = spanOf(model, areas);
  if (!span || !zoomToAddresses(span, text ?? areas[0])) zoomToArea(text ?? areas[0]);
}

/** Run the probe for the text typed ("16M", "1.5 MiB", "0x10000", "4096") and highlight its holes. */
export function runProbe(text: string): void {
  const model = get().model;
  const bytes = parseByteSize(text);
  if (!model) return;
  if (bytes === null || bytes <= 0) {
    set({ probe: null, probeError: text.trim() === '' ? null : `“${text.trim()}” is not a size: try 16M, 1.5 MiB, 0x10000 or 4096`, found: null });
    return;
  }
  const result = probeModel(model, bytes, PROBE_LIMIT);
  set({ probe: { text, bytes, result }, probeError: null });
  highlightProbe();
}

/** Put the probe's candidate holes on the map: first-fit as the search's found hole, the others fainter. */
export function highlightProbe(): void {
  const { probe, track } = get();
  if (!probe || !track || !track.exact) return;
  const { candidates, firstFit } = probe.result;
  const primary = candidates[firstFit >= 0 ? firstFit : 0];
  if (!primary) return set({ found: null });
  const from = toDisplay(track, primary.start) ?? 0;
  const to = toDisplay(track, primary.end) ?? from;
  const others = candidates.filter((h) => h !== primary).map((h) => ({ start: h.start, end: h.end }));
  set({ found: { from, to, start: primary.start, end: primary.end, bytes: primary.bytes, others } });
}

/** Zoom to the hole vmalloc's first fit would use. */
export function zoomToFirstFit(): void {
  const probe = get().probe;
  const hole = probe && probe.result.firstFit >= 0 ? probe.result.candidates[probe.result.firstFit] : null;
  if (!hole) return;
  highlightProbe();
  zoomToAddresses({ start: hole.start, end: hole.end }, null, 0.5);
}

export function clearProbe(): void {
  const hadHighlight = get().probe !== null;
  set({ probe: null, probeError: null, ...(hadHighlight ? { found: null } : {}) });
}

/** Keep the comparison and the probe in step with the dump on screen; returns the unsubscribe. */
export function followTheScreen(): () => void {
  return useStore.subscribe(follow);
}

function follow(s: AppState, prev: AppState): void {
  if (s.model !== prev.model && s.probe) set({ probe: null, probeError: null });
  // A range picked on a series' strip: compare its ends; cleared, stop comparing them.
  const t = selectTimeline(s);
  if (t && s.currentId !== null && s.currentId === prev.currentId && t.range !== selectTimeline(prev)?.range) {
    const here = s.currentId;
    if (t.range) return openComparison(here, here, prev.colourMode, { a: t.range[0], b: t.range[1] });
    if (s.comparison && s.comparison.aId === here && s.comparison.bId === here) return closeComparison();
  }
  const c = s.comparison;
  if (!c) {
    // "change" chosen in the toolbar: compare with the dump (or the series' moment) before, or say how to get one.
    if (s.colourMode === 'diff' && prev.colourMode !== 'diff' && s.model) {
      if (t && s.currentId !== null && t.index > 0) return openComparison(s.currentId, s.currentId, prev.colourMode, { a: t.index - 1, b: t.index });
      const pair = defaultPair();
      if (pair) openComparison(pair.aId, pair.bId, prev.colourMode);
      else {
        setColourMode(prev.colourMode);
        set({ analysisTab: 'compare' });
      }
    }
    return;
  }
  const a = sideOf(s.history, c.aId, c.aMoment);
  if (!a) return void closeComparison();
  if (s.currentId !== prev.currentId && s.currentId !== null && s.currentId !== c.bId) {
    const b = s.history.find((d) => d.id === s.currentId);
    if (!b || b.id === c.aId) return void closeComparison();
    const next: Comparison = { ...c, bId: b.id, bMoment: momentOf(b, null), diff: computeDiff(a, b) };
    set({ comparison: next });
    if (s.colourMode === 'diff') paint(next, a.model, b.model);
    return;
  }
  const b = s.history.find((d) => d.id === c.bId);
  if (!b) return void closeComparison();
  // B is a series and its cursor moved: B follows the moment on screen (A shown: stop comparing).
  if (b.timeline && b.timeline.index !== c.bMoment) {
    if (c.aId === c.bId && b.timeline.index === c.aMoment) return void closeComparison();
    const next: Comparison = { ...c, bMoment: b.timeline.index, diff: computeDiff(a, b) };
    set({ comparison: next });
    if (s.colourMode === 'diff') paint(next, a.model, b.model);
    return;
  }
  // The modules of A or B arrived (a sample's companion file, an attached /proc/modules): recount.
  const aOld = ((d) => d && atMoment(d, c.aMoment))(prev.history.find((d) => d.id === c.aId));
  const bOld = prev.history.find((d) => d.id === c.bId);
  if ((aOld && aOld.capture !== a.capture) || (bOld && bOld.capture !== b.capture)) {
    const next: Comparison = { ...c, diff: computeDiff(a, b) };
    set({ comparison: next });
    if (s.colourMode === 'diff') paint(next, a.model, b.model);
    return;
  }
  // mapStateFor or the toolbar recoloured the map while 'diff' is the mode: put the diff colours back.
  if (s.colourMode === 'diff' && s.colouring !== s.diffColouring && s.model === b.model) paint(c, a.model, b.model);
}
