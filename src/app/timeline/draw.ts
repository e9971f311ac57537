// The strip's canvas: the stacked layers and the lines of a Figure (figure.ts). The axes, the
// cursor, the range and the hover line are SVG over it (Strip.tsx), so moving the cursor never
// redraws the canvas. The device pixel ratio is applied here and nowhere else.

import type { Scheme } from '../base/colours.ts';
import type { Figure } from './figure.ts';

/** Grid lines under the data, per scheme (they match styles.css's --border). */
const GRID: Record<Scheme, string> = { light: '#e6e8ec', dark: '#2e3238' };

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
  ctx.clearRect(0, 0, wDevPx, hDevPx);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawFigure(ctx, f, scheme);
  return performance.now() - t0;
}

/** The figure in CSS px on a context already scaled for the device. */
export function drawFigure(ctx: CanvasRenderingContext2D, f: Figure, scheme: Scheme): void {
  const { plot, xs, picks, stacked, layers } = f;

  ctx.lineWidth = 1;
  ctx.strokeStyle = GRID[scheme];
  ctx.beginPath();
  for (const v of f.yLeft.ticks(3)) {
    const y = Math.round(f.yLeft(v)) + 0.5;
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.right, y);
  }
  ctx.stroke();

  // Layers: along the tops left to right, back along the bottoms.
  const y = f.yLeft;
  for (let k = 0; k < stacked.length; k++) {
    const s = stacked[k];
    ctx.beginPath();
    for (let j = 0; j < picks.length; j++) {
      const x = xs[picks[j]];
      const top = y(s[j][1]);
      if (j === 0) ctx.moveTo(x, top);
      else ctx.lineTo(x, top);
    }
    for (let j = picks.length - 1; j >= 0; j--) ctx.lineTo(xs[picks[j]], y(s[j][0]));
    ctx.closePath();
    ctx.fillStyle = layers[k].swatch[scheme];
    ctx.fill();
  }
  // A hairline between layers keeps neighbours of close colours apart.
  if (stacked.length > 1) {
    ctx.strokeStyle = scheme === 'light' ? 'rgba(255,255,255,0.6)' : 'rgba(0,0,0,0.45)';
    ctx.lineWidth = 0.75;
    for (let k = 0; k < stacked.length - 1; k++) {
      const s = stacked[k];
      ctx.beginPath();
      for (let j = 0; j < picks.length; j++) {
        const x = xs[picks[j]];
        if (j === 0) ctx.moveTo(x, y(s[j][1]));
        else ctx.lineTo(x, y(s[j][1]));
      }
      ctx.stroke();
    }
  }

  for (const line of f.lines) {
    const scale = line.right ? f.yRight : f.yLeft;
    if (!scale) continue;
    ctx.strokeStyle = line.swatch[scheme];
    ctx.lineWidth = line.key === 'count' ? 1.5 : 1.75;
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
