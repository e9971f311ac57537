// The map's render loop: one canvas, one requestAnimationFrame scheduler. It subscribes to the
// store directly, so a zoom or a hover redraws the canvas without a React render, and draws at
// most once per frame however many changes arrive. `sizeCanvas` is the one place that reads the
// device pixel ratio.

import { captionText, positionOf } from '../../lib/index.ts';
import type { Track } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import type { AppState } from '../state/store.ts';
import type { Scheme } from '../base/colours.ts';
import { drawMap } from './draw.ts';
import type { Scene, Surface } from './draw.ts';
import type { TrackHighlight, TrackMoment } from './frame.ts';
import { momentMarksOf } from '../state/timeline.ts';
import type { MomentMarks } from '../state/mapSlice.ts';
import { cancelLabels, labelsFor, labelsPending } from './labelSchedule.ts';
import { MAP_HEIGHT_CSS_PX } from './lanes.ts';
import { MAP_THEMES } from './theme.ts';

interface Target {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  surface: Surface;
}

let target: Target | null = null;
/** The caption's two texts above the canvas (MapCaption.tsx), written each frame. */
let caption: { whole: HTMLElement; below: HTMLElement } | null = null;
let frameId = 0;
let dirty = false;
/** The track last drawn, so "idle" means the track on screen is the one in the store. */
let drawnTrack: Track | null = null;
const afterFrame = new Set<() => void>();

/** Per-frame work in ms (input handling since the last frame plus drawing), for benchmarks. */
const FRAME_LOG_LIMIT = 10000;
let frameLog: number[] = [];
let inputWorkMs = 0;

/** Count time spent handling input towards the next frame's work. */
export function measureInput<T>(handle: () => T): T {
  const t0 = performance.now();
  try {
    return handle();
  } finally {
    inputWorkMs += performance.now() - t0;
  }
}

/** The per-frame work measured since the last call, oldest first; the log starts afresh. */
export function takeFrameTimes(): number[] {
  const out = frameLog;
  frameLog = [];
  return out;
}

/** Size the canvas's backing store for its CSS size on this screen. */
export function sizeCanvas(canvas: HTMLCanvasElement, widthCssPx: number, heightCssPx = MAP_HEIGHT_CSS_PX): Surface {
  const dpr = window.devicePixelRatio || 1;
  const widthDevicePx = Math.max(1, Math.round(widthCssPx * dpr));
  const heightDevicePx = Math.max(1, Math.round(heightCssPx * dpr));
  if (canvas.width !== widthDevicePx) canvas.width = widthDevicePx;
  if (canvas.height !== heightDevicePx) canvas.height = heightDevicePx;
  return { widthCssPx, heightCssPx, dpr };
}

function scheme(): Scheme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const highlightCache = new WeakMap<Uint8Array, { track: Track; value: TrackHighlight }>();

/** The store's highlight on this track (per display position), or null when none or for another model. */
function highlightOn(s: AppState, track: Track): TrackHighlight | null {
  const h = s.highlight;
  if (!h || h.model !== track.model) return null;
  const cached = highlightCache.get(h.areas);
  if (cached && cached.track === track) return cached.value;
  const set = new Uint8Array(track.seq.length);
  const ks = new Uint32Array(h.count);
  let j = 0;
  for (let k = 0; k < track.seq.length; k++) {
    if (!h.areas[track.seq[k]]) continue;
    set[k] = 1;
    if (j < ks.length) ks[j++] = k;
  }
  const value = { areas: h.areas, set, ks: ks.subarray(0, j) };
  highlightCache.set(h.areas, { track, value });
  return value;
}

const momentCache = new WeakMap<MomentMarks, { track: Track; value: TrackMoment }>();

/** The moment's marks on this track (display positions), or null without a series or for another model. */
function momentOn(s: AppState, track: Track): TrackMoment | null {
  const m = momentMarksOf(s);
  if (!m || m.model !== track.model) return null;
  const cached = momentCache.get(m);
  if (cached && cached.track === track) return cached.value;
  const addedKs = Uint32Array.from(m.added, (i) => positionOf(track, i)).sort();
  const n = track.seq.length;
  const goneAt = new Float64Array(track.exact ? 0 : m.goneBefore.length);
  for (let j = 0; j < goneAt.length; j++) {
    const i = m.goneBefore[j];
    goneAt[j] = i < n ? track.pos[positionOf(track, i)] : track.total;
  }
  goneAt.sort();
  const value = { addedKs, ghosts: track.exact ? m.ghosts : [], goneAt };
  momentCache.set(m, { track, value });
  return value;
}

export function sceneOf(s: AppState, widthCssPx: number): Scene | null {
  const { track, colouring, model } = s;
  if (!track || !colouring || !model) return null;
  return {
    track,
    view: { start: s.viewStart, end: s.viewEnd },
    colouring,
    labelRuns: labelsFor(s, widthCssPx, requestFrame),
    selectedK: s.selected === null ? -1 : positionOf(track, s.selected),
    hoverK: s.hover?.target.type === 'area' ? s.hover.target.k : -1,
    matches: s.matches,
    matchSet: s.matchSet,
    currentMatchK: s.matches && s.matchCursor >= 0 ? s.matches[s.matchCursor] : -1,
    found: s.found,
    highlight: highlightOn(s, track),
    moment: momentOn(s, track),
  };
}

function frame(): void {
  frameId = 0;
  const s = useStore.getState();
  if (target) {
    const t0 = performance.now();
    if ((window.devicePixelRatio || 1) !== target.surface.dpr) target.surface = sizeCanvas(target.canvas, target.surface.widthCssPx);
    const scene = sceneOf(s, target.surface.widthCssPx);
    if (scene) drawMap(target.ctx, scene, target.surface, MAP_THEMES[scheme()]);
    if (scene && caption) writeCaption(caption, scene);
    drawnTrack = s.track;
    if (frameLog.length < FRAME_LOG_LIMIT) frameLog.push(inputWorkMs + performance.now() - t0);
    inputWorkMs = 0;
  }
  dirty = false;
  const waiting = [...afterFrame];
  afterFrame.clear();
  for (const resolve of waiting) resolve();
}

function writeCaption(to: { whole: HTMLElement; below: HTMLElement }, scene: Scene): void {
  const ok = scene.track.total > 0 && scene.view.end > scene.view.start;
  const { whole, below } = ok ? captionText(scene.track, scene.view) : { whole: '', below: '' };
  if (to.whole.textContent !== whole) to.whole.textContent = whole;
  if (to.below.textContent !== below) to.below.textContent = below;
}

/** Write the caption into these elements from the next frame on; returns the function that stops. */
export function attachCaption(whole: HTMLElement, below: HTMLElement): () => void {
  const mine = { whole, below };
  caption = mine;
  requestFrame();
  return () => {
    if (caption === mine) caption = null;
  };
}

export function requestFrame(): void {
  dirty = true;
  if (frameId === 0 && target) frameId = requestAnimationFrame(frame);
}

/** True while the map on screen lags the store: a frame is due, or the current track is not drawn yet. */
export function framePending(): boolean {
  const track = useStore.getState().track;
  return track !== null && track.total > 0 && (dirty || drawnTrack !== track || labelsPending());
}

/** Resolves after the next frame (or at once when nothing is attached to draw on). */
export function nextFrame(): Promise<void> {
  if (!target) return new Promise((resolve) => setTimeout(resolve, 16));
  return new Promise((resolve) => {
    afterFrame.add(resolve);
    requestFrame();
  });
}

const DRAWN_FIELDS = ['track', 'colouring', 'viewStart', 'viewEnd', 'hover', 'selected', 'matches', 'matchCursor', 'found', 'highlight', 'momentMarks'] as const;

/** Start drawing on a canvas; returns the function that stops. */
export function attachCanvas(canvas: HTMLCanvasElement): () => void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return () => {};
  target = { canvas, ctx, surface: sizeCanvas(canvas, canvas.clientWidth) };
  const unsubscribe = useStore.subscribe((s, prev) => {
    if (DRAWN_FIELDS.some((field) => s[field] !== prev[field])) requestFrame();
  });
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', requestFrame);
  requestFrame();
  return () => {
    unsubscribe();
    media?.removeEventListener('change', requestFrame);
    if (frameId) cancelAnimationFrame(frameId);
    frameId = 0;
    cancelLabels();
    if (target?.canvas === canvas) target = null;
    drawnTrack = null;
  };
}

export function resizeCanvas(widthCssPx: number): void {
  if (!target) return;
  target.surface = sizeCanvas(target.canvas, widthCssPx);
  // Resizing clears the canvas: draw now rather than show a blank frame.
  if (frameId) cancelAnimationFrame(frameId);
  frame();
}

/** The canvas on screen and its CSS size, for pointer maths and the test hook. */
export function mapSurface(): { canvas: HTMLCanvasElement; surface: Surface } | null {
  return target && { canvas: target.canvas, surface: target.surface };
}
