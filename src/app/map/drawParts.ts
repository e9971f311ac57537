// The lanes of the map other than the areas themselves: the overview strip, region bands, breaks,
// search marks, caller labels and the address axis. Each takes the Frame drawMap prepared (context
// in CSS pixels) and draws one lane. Where things go is worked out in src/lib/view (label
// placement, the widest piece of a band, minimum widths); this file draws them.

import { atLeastWide, binColumns, formatBytes, lowerBound, placeLabels, ticks, toDisplay, visibleRange, widestPiece } from '../../lib/index.ts';
import { drawColumns, memoBins } from './frame.ts';
import type { BinsSlot, Frame } from './frame.ts';
import { LANES } from './lanes.ts';

const SANS = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const SANS_BOLD = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MONO = '11px ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace';

const overviewBins: BinsSlot = { value: null };

/** The whole track in a thin strip, with the current viewport outlined. */
export function drawOverview(f: Frame): void {
  const { ctx, scene, theme, widthCssPx: w } = f;
  const { track, view, colouring } = scene;
  const lane = LANES.overview;
  ctx.fillStyle = theme.free;
  ctx.fillRect(0, lane.y, w, lane.h);
  const columns = Math.max(1, Math.round(w * f.dpr));
  const bins = memoBins(overviewBins, [track, colouring, columns], () =>
    binColumns(track, 0, track.total, columns, (i) => colouring.keyOf[i], colouring.legend.length),
  );
  drawColumns(ctx, bins, f.colours, lane.y, lane.h, f.dpr);
  const toCss = (d: number) => (d / track.total) * w;
  ctx.fillStyle = theme.muted;
  for (const br of track.breaks) if (!br.unknown) ctx.fillRect(f.snap(toCss(br.at)), lane.y, 1 / f.dpr, lane.h);
  const [x0, x1] = atLeastWide(toCss(view.start), toCss(view.end), 4);
  ctx.globalAlpha = 0.55;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, lane.y, Math.max(0, x0), lane.h);
  ctx.fillRect(x1, lane.y, Math.max(0, w - x1), lane.h);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(x0, lane.y - 1, x1 - x0, lane.h + 2);
}

function text(f: Frame, value: string, x: number, y: number, font: string, colour: string, align: CanvasTextAlign = 'left'): void {
  f.ctx.font = font;
  f.ctx.fillStyle = colour;
  f.ctx.textAlign = align;
  f.ctx.textBaseline = 'middle';
  f.ctx.fillText(value, x, y);
}

/** Layout regions as labelled bands; in packed modes, one band saying what the order means. */
export function drawBands(f: Frame): void {
  const { ctx, scene, theme, widthCssPx: w } = f;
  const { track } = scene;
  const lane = LANES.bands;
  const mid = lane.y + lane.h / 2;
  if (!track.exact) {
    ctx.fillStyle = theme.bands.packed;
    ctx.fillRect(0, lane.y, w, lane.h);
    const chains = track.model.snapshot.pointerMode === 'hashed' ? ', areas with equal hashed ends kept together' : '';
    text(f, `file order, packed back to back${chains}; dashed marks: gaps of unknown size`, 6, mid, SANS, theme.bandText);
  }
  for (const r of track.regions) {
    const from = Math.max(r.from, scene.view.start);
    const to = Math.min(r.to, scene.view.end);
    if (to <= from) continue;
    const x0 = f.snap(f.cssX(from));
    const x1 = f.snap(f.cssX(to));
    ctx.fillStyle = theme.bands[r.id] ?? theme.bands.vmalloc;
    ctx.fillRect(x0, lane.y, x1 - x0, lane.h);
    ctx.fillStyle = theme.faint;
    if (r.from >= scene.view.start) ctx.fillRect(x0, lane.y, 1, LANES.map.y + LANES.map.h - lane.y);
    const [s0, s1] = widestPiece(track.breaks, from, to, f.cssX);
    fitText(f, `${r.label} · ${formatBytes(Number(r.end - r.start))}`, s0 + 6, s1 - s0 - 10, mid, SANS_BOLD, theme.bandText);
  }
}

/** Text left-aligned at x, cut with an ellipsis to fit `width`; nothing when even a few letters do not fit. */
function fitText(f: Frame, value: string, x: number, width: number, y: number, font: string, colour: string): void {
  f.ctx.font = font;
  let label = value;
  if (f.ctx.measureText(label).width > width) {
    while (label.length > 4 && f.ctx.measureText(label + '…').width > width) label = label.slice(0, -1);
    if (label.length <= 4) return;
    label += '…';
  }
  text(f, label, x, y, font, colour);
}

function zigzag(f: Frame, x: number, top: number, bottom: number): void {
  const { ctx } = f;
  ctx.beginPath();
  ctx.moveTo(x, top);
  let right = true;
  for (let y = top + 4; y < bottom; y += 4, right = !right) ctx.lineTo(x + (right ? 2.5 : -2.5), y);
  ctx.lineTo(x, bottom);
  ctx.stroke();
}

/** Collapsed holes as cut-outs with zig-zag edges and their true size; unknown gaps as dashed ticks. */
export function drawBreaks(f: Frame): void {
  const { ctx, scene, theme, widthCssPx: w } = f;
  const { track, view } = scene;
  const breaks = track.breaks;
  if (breaks.length === 0) return;
  // First break that ends after the view starts (breaks are in display order and do not overlap).
  const lo = lowerBound(breaks.length, (j) => breaks[j].at + breaks[j].width < view.start);
  const top = LANES.bands.y;
  const bottom = LANES.map.y + LANES.map.h;
  const unknownX: number[] = [];
  const labels: Array<{ x0: number; x1: number; text: string }> = [];
  for (let j = lo; j < breaks.length && breaks[j].at <= view.end; j++) {
    const br = breaks[j];
    if (br.unknown) {
      unknownX.push(f.snap(f.cssX(br.at)));
      continue;
    }
    const x0 = f.cssX(br.at);
    const x1 = f.cssX(br.at + br.width);
    ctx.fillStyle = theme.background;
    ctx.fillRect(x0, top, x1 - x0, LANES.axis.y - top + 1);
    ctx.strokeStyle = theme.muted;
    ctx.lineWidth = 1;
    if (x1 - x0 >= 10) {
      zigzag(f, x0 + 2, top, bottom);
      zigzag(f, x1 - 2, top, bottom);
    } else zigzag(f, (x0 + x1) / 2, top, bottom);
    labels.push({ x0, x1, text: formatBytes(br.bytes) });
  }
  // Sizes after every cut-out, so a later break does not cut into an earlier label.
  let lastLabelRight = -Infinity;
  ctx.font = SANS_BOLD;
  for (const { x0, x1, text: label } of labels) {
    const tw = ctx.measureText(label).width + 10;
    const cx = Math.min(w - tw / 2, Math.max(tw / 2, (x0 + x1) / 2));
    if (cx - tw / 2 < lastLabelRight + 2) continue;
    lastLabelRight = cx + tw / 2;
    const cy = LANES.map.y + LANES.map.h / 2;
    ctx.fillStyle = theme.background;
    ctx.strokeStyle = theme.faint;
    ctx.beginPath();
    ctx.roundRect(cx - tw / 2, cy - 9, tw, 18, 9);
    ctx.fill();
    ctx.stroke();
    text(f, label, cx, cy, SANS_BOLD, theme.text, 'center');
    ctx.font = SANS_BOLD;
  }
  // Unknown gaps only once there is room to tell them apart.
  if (unknownX.length > 0 && unknownX.length * 6 <= w) {
    ctx.save();
    ctx.strokeStyle = theme.muted;
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const x of unknownX) {
      ctx.moveTo(x + 0.5 / f.dpr, LANES.map.y - 4);
      ctx.lineTo(x + 0.5 / f.dpr, bottom + 4);
    }
    ctx.stroke();
    ctx.restore();
  }
}

/** CSS x span of an exact address range on the map, at least 3 px wide, or null off the track. */
function exactSpan(f: Frame, start: bigint, end: bigint): [number, number] | null {
  const from = toDisplay(f.scene.track, start);
  const to = toDisplay(f.scene.track, end);
  if (from === null || to === null) return null;
  const x0 = Math.max(-4, f.cssX(from));
  const x1 = Math.min(f.widthCssPx + 4, f.cssX(to));
  if (x1 < -4 || x0 > f.widthCssPx + 4) return null;
  return atLeastWide(x0, x1, 3);
}

/** Diff colouring: the removed areas of snapshot A as red outlined, hatched ghosts where they were. */
export function drawGhosts(f: Frame): void {
  const { scene, theme } = f;
  const ghosts = scene.colouring.ghosts;
  if (!ghosts || ghosts.length === 0 || !scene.track.exact) return;
  ghostRanges(f, ghosts, scene.colouring.legend[2]?.swatch[theme.scheme] ?? theme.match);
}

/** The colours of a series' moment marks: what came (green) and what went (red), as Compare's. */
const MOMENT_COLOURS = { light: { added: '#2e9e4f', gone: '#d62f4b' }, dark: { added: '#4cc46e', gone: '#ff6b81' } } as const;

/**
 * A series' moment: the areas that appeared since the moment before get a bar along their top and
 * a tick under them; the ones that went are ghosted where they were (real addresses), or marked
 * by a small red wedge where they sat among the others (no real addresses).
 */
export function drawMoment(f: Frame): void {
  const { ctx, scene, theme } = f;
  const m = scene.moment;
  if (!m) return;
  const colours = MOMENT_COLOURS[theme.scheme];
  const { track, view } = scene;
  const [k0, k1] = visibleRange(track, view.start, view.end);
  if (m.ghosts.length > 0) ghostRanges(f, m.ghosts, colours.gone);
  if (m.addedKs.length > 0) {
    const lane = LANES.map;
    ctx.fillStyle = colours.added;
    let lastDevicePx = -1;
    for (let j = lowerBound(m.addedKs.length, (q) => m.addedKs[q] < k0); j < m.addedKs.length && m.addedKs[j] < k1; j++) {
      const k = m.addedKs[j];
      const x0 = Math.max(0, f.cssX(track.pos[k]));
      const x1 = Math.min(f.widthCssPx, f.cssX(track.pos[k] + track.len[k]));
      const devicePx = Math.round(x0 * f.dpr);
      if (devicePx <= lastDevicePx) continue;
      lastDevicePx = devicePx;
      ctx.fillRect(f.snap(x0), lane.y, Math.max(2, f.snap(x1) - f.snap(x0)), 4);
    }
    tickMarks(f, m.addedKs, k0, k1, colours.added);
  }
  if (m.goneAt.length > 0) {
    const lane = LANES.marks;
    ctx.fillStyle = colours.gone;
    const from = lowerBound(m.goneAt.length, (q) => m.goneAt[q] < view.start);
    let lastDevicePx = -1;
    for (let j = from; j < m.goneAt.length && m.goneAt[j] <= view.end; j++) {
      const x = f.cssX(m.goneAt[j]);
      const devicePx = Math.round(x * f.dpr);
      if (devicePx <= lastDevicePx + 3) continue;
      lastDevicePx = devicePx;
      ctx.beginPath();
      ctx.moveTo(x, lane.y + lane.h);
      ctx.lineTo(x + 3.5, lane.y);
      ctx.lineTo(x - 3.5, lane.y);
      ctx.closePath();
      ctx.fill();
      ctx.fillRect(f.snap(x) - 0.5, LANES.map.y, 1, LANES.map.h);
    }
  }
}

/** Exact ranges as outlined, hatched ghosts in `colour`. */
function ghostRanges(f: Frame, ghosts: ReadonlyArray<{ start: bigint; end: bigint }>, colour: string): void {
  const { ctx } = f;
  const lane = LANES.map;
  ctx.save();
  ctx.strokeStyle = colour;
  for (const g of ghosts) {
    const span = exactSpan(f, g.start, g.end);
    if (!span) continue;
    const [x0, x1] = span;
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, lane.y, x1 - x0, lane.h);
    ctx.clip();
    ctx.globalAlpha = 0.12;
    ctx.fillStyle = colour;
    ctx.fillRect(x0, lane.y, x1 - x0, lane.h);
    ctx.globalAlpha = 0.7;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = x0 - lane.h; x < x1; x += 6) {
      ctx.moveTo(x, lane.y + lane.h);
      ctx.lineTo(x + lane.h, lane.y);
    }
    ctx.stroke();
    ctx.restore();
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x0 + 0.75, lane.y + 0.75, Math.max(1, x1 - x0 - 1.5), lane.h - 1.5);
  }
  ctx.restore();
}

/** The free hole an address search landed in (and the probe's other candidate holes, fainter). */
export function drawFound(f: Frame): void {
  const { ctx, scene, theme } = f;
  if (!scene.found) return;
  const lane = LANES.map;
  if (scene.found.others && scene.track.exact) {
    ctx.save();
    ctx.strokeStyle = theme.match;
    ctx.fillStyle = theme.match;
    ctx.setLineDash([2, 3]);
    ctx.lineWidth = 1;
    for (const o of scene.found.others) {
      const span = exactSpan(f, o.start, o.end);
      if (!span) continue;
      ctx.globalAlpha = 0.07;
      ctx.fillRect(span[0], lane.y, span[1] - span[0], lane.h);
      ctx.globalAlpha = 0.8;
      ctx.strokeRect(span[0], lane.y + 2.5, span[1] - span[0], lane.h - 5);
    }
    ctx.restore();
  }
  const [x0, x1] = atLeastWide(Math.max(-4, f.cssX(scene.found.from)), Math.min(f.widthCssPx + 4, f.cssX(scene.found.to)), 3);
  ctx.save();
  ctx.fillStyle = theme.match;
  ctx.globalAlpha = 0.14;
  ctx.fillRect(x0, lane.y, x1 - x0, lane.h);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.match;
  ctx.setLineDash([4, 3]);
  ctx.lineWidth = 1.5;
  ctx.strokeRect(x0, lane.y + 0.75, x1 - x0, lane.h - 1.5);
  ctx.restore();
}

/** A tick in the marks lane under every visible display position of `ks` (ascending). */
function tickMarks(f: Frame, ks: Uint32Array, k0: number, k1: number, colour: string): void {
  const { ctx, scene } = f;
  const { track } = scene;
  const lane = LANES.marks;
  ctx.fillStyle = colour;
  let lastDevicePx = -1;
  for (let j = lowerBound(ks.length, (m) => ks[m] < k0); j < ks.length && ks[j] < k1; j++) {
    const k = ks[j];
    const x0 = Math.max(0, f.cssX(track.pos[k]));
    const x1 = Math.min(f.widthCssPx, f.cssX(track.pos[k] + track.len[k]));
    const devicePx = Math.round(x0 * f.dpr);
    if (devicePx <= lastDevicePx) continue;
    lastDevicePx = devicePx;
    ctx.fillRect(f.snap(x0), lane.y + 2, Math.max(2, f.snap(x1) - f.snap(x0)), lane.h - 2);
  }
}

/** A tick under every visible highlighted area and search match; a taller one under the current match. */
export function drawMarks(f: Frame): void {
  const { ctx, scene, theme } = f;
  const { track, view, matches, highlight } = scene;
  if ((!matches || matches.length === 0) && !highlight) return;
  const lane = LANES.marks;
  const [k0, k1] = visibleRange(track, view.start, view.end);
  if (highlight) tickMarks(f, highlight.ks, k0, k1, theme.accent);
  if (!matches || matches.length === 0) return;
  tickMarks(f, matches, k0, k1, theme.match);
  const k = scene.currentMatchK;
  if (k >= k0 && k < k1) {
    const x = (Math.max(0, f.cssX(track.pos[k])) + Math.min(f.widthCssPx, f.cssX(track.pos[k] + track.len[k]))) / 2;
    ctx.beginPath();
    ctx.moveTo(x, lane.y - 1);
    ctx.lineTo(x + 5, lane.y + lane.h);
    ctx.lineTo(x - 5, lane.y + lane.h);
    ctx.closePath();
    ctx.fill();
  }
}

/**
 * Names of the callers that dominate stretches of the view, each under a bracket showing its
 * stretch, in the two rows placeLabels chose.
 */
export function drawLabels(f: Frame): void {
  const { ctx, scene, theme, widthCssPx: w } = f;
  if (!scene.labelRuns) return;
  const lane = LANES.labels;
  ctx.font = SANS;
  const placed = placeLabels(scene.labelRuns, w, (label) => ctx.measureText(label).width);
  ctx.strokeStyle = theme.faint;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const { run, cx, row } of placed) {
    const x0 = f.snap(Math.max(0, run.x0) + 1) + 0.5;
    const x1 = f.snap(Math.min(w, run.x1) - 1) - 0.5;
    ctx.moveTo(x0, lane.y + 5);
    ctx.lineTo(x0, lane.y + 1.5);
    ctx.lineTo(x1, lane.y + 1.5);
    ctx.lineTo(x1, lane.y + 5);
    if (row === 1) {
      const x = f.snap(Math.min(x1, Math.max(x0, cx))) + 0.5;
      ctx.moveTo(x, lane.y + 1.5);
      ctx.lineTo(x, lane.y + 16);
    }
  }
  ctx.stroke();
  for (const { run, cx, row } of placed) text(f, run.text, cx, lane.y + (row === 0 ? 10 : 22), SANS, theme.text, 'center');
}

/** Hex addresses (or +offsets in packed modes) at power-of-two steps. */
export function drawAxis(f: Frame): void {
  const { ctx, scene, theme, widthCssPx: w } = f;
  const lane = LANES.axis;
  ctx.fillStyle = theme.grid;
  ctx.fillRect(0, lane.y, w, 1);
  ctx.font = MONO;
  let lastRight = -Infinity;
  for (const t of ticks(scene.track, scene.view.start, scene.view.end, w)) {
    const x = f.snap(f.cssX(t.d));
    if (x < 0 || x > w) continue;
    ctx.fillStyle = theme.muted;
    ctx.fillRect(x, lane.y, 1, 5);
    const tw = ctx.measureText(t.label).width;
    const cx = Math.min(w - tw / 2 - 2, Math.max(tw / 2 + 2, x));
    if (cx - tw / 2 < lastRight + 8) continue;
    lastRight = cx + tw / 2;
    text(f, t.label, cx, lane.y + 14, MONO, theme.muted, 'center');
  }
}
