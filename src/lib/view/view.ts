// The map's view: which stretch of the track is on screen, as two Numbers in display units (bytes
// along the track, see track.ts). This pair is the source of truth; gestures compute
// a new pair from the old one. No d3 zoom transform is kept: at one page across a 46 TiB track a
// transform's scale would be 10^10, and its translate would lose the low bits of the position.
//
// Spaces: `display` (bytes along the track), `cssPx` (CSS pixels from the map's left edge).

export interface View {
  /** Display position at the map's left edge. */
  start: number;
  /** Display position at the map's right edge. */
  end: number;
}

export interface Bounds {
  /** Display length of the whole track. */
  total: number;
  /** Narrowest view allowed, in display units. */
  minSpan: number;
}

/** The narrowest view: about one page across the whole map. */
export const MIN_SPAN = 4096;

export function boundsOf(total: number): Bounds {
  return { total, minSpan: Math.min(MIN_SPAN, total) };
}

export function wholeView(b: Bounds): View {
  return { start: 0, end: b.total };
}

/** Keep the span within [minSpan, total] and the view inside the track, moving it rather than shrinking it. */
export function clampView(v: View, b: Bounds): View {
  if (!(b.total > 0)) return { start: 0, end: 0 };
  let span = v.end - v.start;
  if (!Number.isFinite(span) || span >= b.total) return wholeView(b);
  if (span < b.minSpan) {
    const mid = (v.start + v.end) / 2;
    span = b.minSpan;
    return clampView({ start: mid - span / 2, end: mid + span / 2 }, b);
  }
  let start = v.start;
  if (start < 0) start = 0;
  if (start + span > b.total) start = b.total - span;
  return { start, end: start + span };
}

/**
 * Zoom by `factor` (< 1 zooms in) about the display position `anchor`, which stays where it is on
 * screen: newStart = anchor − (anchor − start)·f. The factor is limited so the span stays inside
 * the bounds, and only then is the view shifted back inside the track.
 */
export function zoomAbout(v: View, anchor: number, factor: number, b: Bounds): View {
  const span = v.end - v.start;
  if (!(span > 0) || !(factor > 0)) return clampView(v, b);
  const f = Math.min(b.total / span, Math.max(b.minSpan / span, factor));
  return clampView({ start: anchor - (anchor - v.start) * f, end: anchor + (v.end - anchor) * f }, b);
}

/** Move the view by `delta` display units (positive moves towards higher addresses). */
export function panBy(v: View, delta: number, b: Bounds): View {
  return clampView({ start: v.start + delta, end: v.end + delta }, b);
}

/** A view showing [from, to) with `pad` of its length free on each side. */
export function fitRange(from: number, to: number, b: Bounds, pad = 0.25): View {
  const len = Math.max(0, to - from);
  const span = Math.max(b.minSpan, len * (1 + 2 * pad));
  const mid = from + len / 2;
  return clampView({ start: mid - span / 2, end: mid + span / 2 }, b);
}

/** Display position under a CSS pixel x of a map `widthCssPx` wide. */
export function displayAtCss(v: View, xCssPx: number, widthCssPx: number): number {
  return v.start + (xCssPx / widthCssPx) * (v.end - v.start);
}

/** CSS pixel x of a display position. The subtraction comes first, so large positions keep their precision. */
export function cssAtDisplay(v: View, display: number, widthCssPx: number): number {
  return ((display - v.start) / (v.end - v.start)) * widthCssPx;
}

/** The zoom factor of a wheel event: exponential in the scrolled distance, so zooming feels even. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.exp(Math.max(-400, Math.min(400, px)) * 0.002);
}

/**
 * The span [x0, x1] (CSS pixels) widened about its middle to `min` when it is narrower, so a
 * hairline area, hole or viewport still shows; a wide enough span is returned as it is.
 */
export function atLeastWide(x0: number, x1: number, min: number): [number, number] {
  if (!(x1 - x0 < min)) return [x0, x1];
  const mid = (x0 + x1) / 2;
  return [mid - min / 2, mid + min / 2];
}
