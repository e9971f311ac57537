// The frame every part of the map drawing shares: the scene, the surface, the theme, and the two
// mappings (display → CSS px, CSS px → device-pixel grid). The device pixel ratio is applied here,
// once, as the context's transform; everything after draws in CSS pixels.
//
// Spaces: `display` (bytes along the track), `cssPx` (CSS pixels from the canvas's left edge),
// `devicePx` (canvas backing-store pixels = cssPx · dpr).

import { cssAtDisplay } from '../../lib/index.ts';
import type { Bins, LabelRun, Track, View } from '../../lib/index.ts';
import type { Colouring } from '../base/colours.ts';
import { keyColours } from '../base/colours.ts';
import type { MapTheme } from './theme.ts';

export interface Scene {
  track: Track;
  view: View;
  colouring: Colouring;
  /** Display positions k, or -1. */
  selectedK: number;
  hoverK: number;
  /** Display positions of search matches, ascending, and a per-k membership array. */
  matches: Uint32Array | null;
  matchSet: Uint8Array | null;
  currentMatchK: number;
  /** Areas highlighted from the summary or the table, or null: per-k membership and the ks, ascending. */
  highlight?: TrackHighlight | null;
  /** The free hole an address search landed in, in display units. */
  found: { from: number; to: number; others?: ReadonlyArray<{ start: bigint; end: bigint }> } | null;
  /** Caller labels for this view, or null while they are still being worked out. */
  labelRuns: LabelRun[] | null;
  /** A series' moment: what came since the moment before (marked) and what went (ghosted). */
  moment?: TrackMoment | null;
}

/** A moment's marks on this track. */
export interface TrackMoment {
  /** Display positions of the areas that appeared, ascending. */
  addedKs: Uint32Array;
  /** Exact ranges of the areas that went (real addresses only). */
  ghosts: ReadonlyArray<{ start: bigint; end: bigint }>;
  /** Display positions where areas went, ascending (maps without real addresses). */
  goneAt: Float64Array;
}

export interface TrackHighlight {
  /** Per area index (file order). */
  areas: Uint8Array;
  /** Per display position k. */
  set: Uint8Array;
  ks: Uint32Array;
}

/** Whether display position k is drawn dimmed: outside the search matches or the highlight. */
export function dimmed(scene: Scene, k: number): boolean {
  return (scene.matchSet !== null && !scene.matchSet[k]) || (scene.highlight != null && !scene.highlight.set[k]);
}

export interface Surface {
  widthCssPx: number;
  heightCssPx: number;
  dpr: number;
}

/** What every part of the drawing needs: the context already in CSS pixels, and the mappings. */
export interface Frame {
  ctx: CanvasRenderingContext2D;
  scene: Scene;
  theme: MapTheme;
  widthCssPx: number;
  dpr: number;
  /** Colour per key in the current scheme. */
  colours: string[];
  /** Display position → CSS pixel x in the main map. */
  cssX: (display: number) => number;
  /** CSS pixel x → the nearest device-pixel edge, in CSS pixels. */
  snap: (xCssPx: number) => number;
}

export function frameOf(ctx: CanvasRenderingContext2D, scene: Scene, surface: Surface, theme: MapTheme): Frame {
  const { dpr, widthCssPx } = surface;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return {
    ctx,
    scene,
    theme,
    widthCssPx,
    dpr,
    colours: keyColours(scene.colouring, theme.scheme),
    cssX: (display) => cssAtDisplay(scene.view, display, widthCssPx),
    snap: (xCssPx) => Math.round(xCssPx * dpr) / dpr,
  };
}

/** A one-entry cache: bins are kept while only the hover, selection or theme changes. */
export interface BinsSlot {
  value: { key: unknown[]; bins: Bins } | null;
}

export function memoBins(slot: BinsSlot, key: unknown[], compute: () => Bins): Bins {
  if (slot.value && slot.value.key.length === key.length && slot.value.key.every((v, j) => v === key[j])) return slot.value.bins;
  const bins = compute();
  slot.value = { key, bins };
  return bins;
}

export function drawColumns(ctx: CanvasRenderingContext2D, bins: Bins, colours: string[], y: number, h: number, dpr: number): void {
  const columnCssPx = 1 / dpr;
  for (let key = 0; key < colours.length; key++) {
    ctx.beginPath();
    let any = false;
    for (let col = 0; col < bins.key.length; col++) {
      if (bins.key[col] !== key || bins.cover[col] <= 0) continue;
      const hDevicePx = Math.max(1, Math.round(bins.cover[col] * h * dpr));
      ctx.rect(col * columnCssPx, y + h - hDevicePx / dpr, columnCssPx, hDevicePx / dpr);
      any = true;
    }
    if (!any) continue;
    ctx.fillStyle = colours[key];
    ctx.fill();
  }
}

