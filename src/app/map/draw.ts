// Drawing the map: a pure function of the scene, the surface and the theme (see frame.ts for the
// coordinate spaces). The areas are drawn here, one rectangle each, or when more areas than
// device pixels are visible, per device-pixel column as occupancy in the dominant colour.

import { atLeastWide, binColumns, visibleRange } from '../../lib/index.ts';
import { drawAxis, drawBands, drawBreaks, drawFound, drawGhosts, drawLabels, drawMarks, drawMoment, drawOverview } from './drawParts.ts';
import { dimmed, drawColumns, frameOf, memoBins } from './frame.ts';
import type { BinsSlot, Frame, Scene, Surface } from './frame.ts';
import { LANES } from './lanes.ts';
import type { MapTheme } from './theme.ts';

export type { Scene, Surface } from './frame.ts';

/** Above this many visible areas per device-pixel column, draw per-column bins instead of rectangles. */
const LOD_AREAS_PER_COLUMN = 3;

export function drawMap(ctx: CanvasRenderingContext2D, scene: Scene, surface: Surface, theme: MapTheme): void {
  const f = frameOf(ctx, scene, surface, theme);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, surface.widthCssPx, surface.heightCssPx);
  if (!(scene.track.total > 0) || !(scene.view.end > scene.view.start) || surface.widthCssPx <= 0) return;
  drawOverview(f);
  drawBands(f);
  drawAreas(f);
  drawGhosts(f);
  drawBreaks(f);
  drawFound(f);
  drawMarks(f);
  drawMoment(f);
  drawLabels(f);
  drawAxis(f);
}

const mainBins: BinsSlot = { value: null };

function drawAreas(f: Frame): void {
  const { ctx, scene, theme } = f;
  const { track, view } = scene;
  const lane = LANES.map;
  ctx.fillStyle = theme.free;
  ctx.fillRect(0, lane.y, f.widthCssPx, lane.h);
  const [k0, k1] = visibleRange(track, view.start, view.end);
  const columns = Math.max(1, Math.round(f.widthCssPx * f.dpr));
  if (k1 - k0 > LOD_AREAS_PER_COLUMN * columns) drawBins(f, columns);
  else drawRects(f, k0, k1);
  outline(f, scene.hoverK, 1, theme.accent);
  outline(f, scene.selectedK, 2, theme.accent);
}

/** Many areas per device column: per column, occupancy as bar height in the dominant key's colour. */
function drawBins(f: Frame, columns: number): void {
  const { ctx, scene } = f;
  const { track, view, colouring } = scene;
  const keys = colouring.legend.length;
  // With a highlight, the other areas count under one extra, faint key.
  const areas = scene.highlight?.areas ?? null;
  const bins = memoBins(mainBins, [track, colouring, view.start, view.end, columns, areas], () =>
    areas
      ? binColumns(track, view.start, view.end, columns, (i) => (areas[i] ? colouring.keyOf[i] : keys), keys + 1)
      : binColumns(track, view.start, view.end, columns, (i) => colouring.keyOf[i], keys),
  );
  const colours = areas ? [...f.colours, f.theme.scheme === 'dark' ? 'rgba(160, 166, 174, 0.22)' : 'rgba(93, 99, 107, 0.18)'] : f.colours;
  drawColumns(ctx, bins, colours, LANES.map.y, LANES.map.h, f.dpr);
}

/** Device-pixel-snapped CSS x range of display position k, clipped to just outside the canvas. */
function areaSpan(f: Frame, k: number): [number, number] {
  const { pos, len } = f.scene.track;
  const x0 = Math.max(-4, f.cssX(pos[k]));
  const x1 = Math.min(f.widthCssPx + 4, f.cssX(pos[k] + len[k]));
  const d0 = Math.round(x0 * f.dpr);
  const d1 = Math.max(d0 + 1, Math.round(x1 * f.dpr));
  return [d0 / f.dpr, d1 / f.dpr];
}

function drawRects(f: Frame, k0: number, k1: number): void {
  const { ctx, scene, dpr } = f;
  const { track, colouring } = scene;
  const snapshot = track.model.snapshot;
  const lane = LANES.map;
  const onePx = 1 / dpr;
  const guards: Array<[number, number]> = [];
  const dimmedGuards: Array<[number, number]> = [];
  for (let k = k0; k < k1; k++) {
    const i = track.seq[k];
    const [x0, x1] = areaSpan(f, k);
    // One device pixel of free space at the right edge tells neighbours apart once there is room.
    const gap = x1 - x0 >= 4 * onePx ? onePx : 0;
    const dim = dimmed(scene, k);
    ctx.globalAlpha = dim ? 0.22 : 1;
    ctx.fillStyle = f.colours[colouring.keyOf[i]];
    ctx.fillRect(x0, lane.y, x1 - x0 - gap, lane.h);
    const guard = snapshot.guardOf(i);
    if (guard > 0) {
      const g0 = f.snap(f.cssX(track.pos[k] + track.len[k] - guard));
      if (x1 - g0 >= 3) (dim ? dimmedGuards : guards).push([Math.max(g0, x0), x1 - gap]);
    }
  }
  ctx.globalAlpha = 1;
  if (guards.length > 0) hatch(f, guards, 1);
  if (dimmedGuards.length > 0) hatch(f, dimmedGuards, 0.3);
}

/** Guard pages: darkened and hatched, so they read as "reserved, never mapped". */
function hatch(f: Frame, guards: Array<[number, number]>, alpha: number): void {
  const { ctx, theme } = f;
  const lane = LANES.map;
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.beginPath();
  for (const [x0, x1] of guards) ctx.rect(x0, lane.y, x1 - x0, lane.h);
  ctx.clip();
  ctx.fillStyle = theme.guard;
  ctx.fillRect(0, lane.y, f.widthCssPx, lane.h);
  ctx.beginPath();
  const step = 5;
  const from = Math.floor((guards[0][0] - lane.h) / step) * step;
  const to = guards[guards.length - 1][1] + step;
  for (let x = from; x <= to; x += step) {
    ctx.moveTo(x, lane.y + lane.h);
    ctx.lineTo(x + lane.h, lane.y);
  }
  ctx.strokeStyle = theme.guardStripe;
  ctx.lineWidth = 1.2;
  ctx.stroke();
  ctx.restore();
}

function outline(f: Frame, k: number, width: number, colour: string): void {
  const { ctx, scene } = f;
  const { track, view } = scene;
  if (k < 0 || k >= track.seq.length) return;
  if (track.pos[k] + track.len[k] < view.start || track.pos[k] > view.end) return;
  const [x0, x1] = atLeastWide(...areaSpan(f, k), 3);
  const lane = LANES.map;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.strokeRect(x0 - width / 2, lane.y - width / 2, x1 - x0 + width, lane.h + width);
}
