// The strip's canvas: the stacked layers of a Figure (figure.ts), written column by column into the
// pixels, then its lines stroked over them. The axes, the cursor, the range and the hover line are
// SVG over it (Strip.tsx), so moving the cursor never redraws the canvas. The device pixel ratio is
// applied here and nowhere else.

import type { Scheme } from '../base/colours.ts';
import { stackAt, stackColumns } from './figure.ts';
import type { Figure } from './figure.ts';

/** Grid lines under the data, per scheme (they match styles.css's --border). */
const GRID: Record<Scheme, string> = { light: '#e6e8ec', dark: '#2e3238' };
/** The opacity of the rise from a column's lowest moment to its highest. */
const PEAK_ALPHA = 0.45;

/** '#rrggbb' as one pixel of a little-endian RGBA Uint32Array (every browser's byte order). */
export function pixelOf(hex: string, alpha = 1): number {
  const v = parseInt(hex.slice(1, 7), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return ((Math.round(alpha * 255) << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Size the canvas's backing store for `dpr` and draw the figure; returns the milliseconds it took. */
export function drawStrip(canvas: HTMLCanvasElement, f: Figure, dpr: number, scheme: Scheme): number {
  const t0 = performance.now();
  const wDevPx = Math.max(1, Math.round(f.widthCss * dpr));
  const hDevPx = Math.max(1, Math.round(f.heightCss * dpr));
  if (canvas.width !== wDevPx) canvas.width = wDevPx;
  if (canvas.height !== hDevPx) canvas.height = hDevPx;
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const image = ctx.createImageData(wDevPx, hDevPx);
  fillStack(new Uint32Array(image.data.buffer), wDevPx, hDevPx, f, dpr, scheme);
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  strokeLines(ctx, f, scheme);
  return performance.now() - t0;
}

/** The grid and the stacked layers into `px` (wDevPx × hDevPx, row-major, transparent). */
export function fillStack(px: Uint32Array, wDevPx: number, hDevPx: number, f: Figure, dpr: number, scheme: Scheme): void {
  const { plot, layers } = f;
  const left = Math.max(0, Math.floor(plot.left * dpr));
  const right = Math.min(wDevPx - 1, Math.floor(plot.right * dpr));
  const grid = pixelOf(GRID[scheme]);
  for (const v of f.leftTicks) {
    const row = Math.min(hDevPx - 1, Math.max(0, Math.round(f.yLeft(v) * dpr - 0.5)));
    px.fill(grid, row * wDevPx + left, row * wDevPx + right + 1);
  }
  if (layers.length === 0) return;

  const solid = layers.map((l) => pixelOf(l.swatch[scheme]));
  const faded = layers.map((l) => pixelOf(l.swatch[scheme], PEAK_ALPHA));
  const cols = stackColumns(f.xs, f.total, plot.left, plot.right, dpr);
  const k = layers.length;
  const tops = new Float64Array(k);
  const peaks = new Float64Array(k);
  const y = f.yLeft;
  const rowOf = (v: number) => Math.min(hDevPx, Math.max(0, Math.round(y(v) * dpr)));
  const base = rowOf(0);
  for (let j = 0; j < cols.solidA.length; j++) {
    const col = cols.firstCol + j;
    if (cols.solidA[j] < 0 || col < 0 || col >= wDevPx) continue;
    stackAt(layers, cols.solidA[j], cols.solidB[j], cols.solidT[j], tops);
    // Solid: each layer from the top of the one below it up to its own top.
    let below = base;
    for (let l = 0; l < k; l++) {
      const top = rowOf(tops[l]);
      for (let row = top; row < below; row++) px[row * wDevPx + col] = solid[l];
      below = Math.min(below, top);
    }
    if (cols.peakA[j] === cols.solidA[j] && cols.peakB[j] === cols.solidB[j] && cols.peakT[j] === cols.solidT[j]) continue;
    // Faded: what the column's highest moment has above the lowest one's top.
    stackAt(layers, cols.peakA[j], cols.peakB[j], cols.peakT[j], peaks);
    let under = base;
    for (let l = 0; l < k; l++) {
      const top = rowOf(peaks[l]);
      for (let row = top; row < Math.min(under, below); row++) px[row * wDevPx + col] = faded[l];
      under = Math.min(under, top);
    }
  }
}

/** The lines (area count, VmallocUsed, the largest hole) in CSS px on a context scaled for the device. */
export function strokeLines(ctx: CanvasRenderingContext2D, f: Figure, scheme: Scheme): void {
  const { xs } = f;
  for (const line of f.lines) {
    const scale = line.right ? f.yRight : f.yLeft;
    if (!scale) continue;
    ctx.strokeStyle = line.swatch[scheme];
    ctx.lineWidth = line.key === 'count' ? 1.5 : 1.75;
    ctx.lineJoin = 'round';
    ctx.setLineDash(line.dashed ? [4, 3] : []);
    ctx.beginPath();
    let pen = false;
    for (let j = 0; j < line.picks.length; j++) {
      const i = line.picks[j];
      const v = line.values[i];
      if (Number.isNaN(v)) {
        pen = false;
        continue;
      }
      const x = xs[i];
      const yy = scale(v);
      if (pen) ctx.lineTo(x, yy);
      else ctx.moveTo(x, yy);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
