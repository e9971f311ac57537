// Section 11 (docs/share-format.md): the view that travels with a link: collapse, selection,
// visible range (addresses, or display positions on the packed track) and colour mode.

import type { Reader, Writer } from '../bits.ts';
import { broken } from '../bits.ts';
import { DEFAULT_COLOUR_MODE, text, utf8 } from '../format.ts';
import type { ShareView } from '../format.ts';
import type { EncodeContext } from './context.ts';

export function writeView(w: Writer, ctx: EncodeContext, view: ShareView): void {
  const { n, base, raw } = ctx;
  const selected = view.selected !== null && view.selected >= 0 && view.selected < n ? ctx.positionOf[view.selected] : null;
  const range = view.range;
  // (a range whose edges lie more than 2^63 from the base is not kept: the whole dump is shown)
  const near = (v: bigint) => v - base >= -(1n << 63n) && v - base < 1n << 63n;
  const addressRange = range?.kind === 'address' && raw && n > 0 && near(range.start) && near(range.end);
  const displayRange = range?.kind === 'display' && Number.isFinite(range.start) && Number.isFinite(range.end);
  const ownColours = view.colourMode !== DEFAULT_COLOUR_MODE;
  w.field((view.collapse ? 1 : 0) | (selected !== null ? 2 : 0) | (addressRange || displayRange ? 4 : 0) | (addressRange ? 8 : 0) | (ownColours ? 16 : 0), 5);
  if (ownColours) {
    const cm = utf8.encode(view.colourMode.slice(0, 64));
    w.uint(cm.length);
    w.bytes(cm);
  }
  if (selected !== null) w.uint(selected);
  if (range && addressRange && range.kind === 'address') {
    w.zigzagBig(range.start - base);
    w.zigzagBig(range.end - base);
  } else if (range && displayRange && range.kind === 'display') {
    const f = new DataView(new ArrayBuffer(16));
    f.setFloat64(0, range.start, true);
    f.setFloat64(8, range.end, true);
    w.bytes(new Uint8Array(f.buffer));
  }
}

/** The view; `origin` is what address ranges count from (the base, or 0 when addresses are hidden). */
export function readView(r: Reader, n: number, raw: boolean, origin: bigint): ShareView {
  const vf = r.field(5, 'the view flags');
  if (vf & 0xe0 || (vf & 8 && !(vf & 4)) || (vf & 8 && !raw)) throw broken('the view flags are invalid');
  const colourMode = vf & 16 ? text(r.take(r.uint('the colour mode', 64), 'the colour mode'), 'the colour mode') : DEFAULT_COLOUR_MODE;
  let selected: number | null = null;
  if (vf & 2) selected = r.uint('the selection', n - 1);
  let range: ShareView['range'] = null;
  if (vf & 8) {
    range = { kind: 'address', start: origin + r.zigzagBig('the view'), end: origin + r.zigzagBig('the view') };
  } else if (vf & 4) {
    const b = r.take(16, 'the view');
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const start = dv.getFloat64(0, true);
    const end = dv.getFloat64(8, true);
    if (!Number.isFinite(start) || !Number.isFinite(end)) throw broken('the view is invalid');
    range = { kind: 'display', start, end };
  }
  return { range, selected, colourMode, collapse: (vf & 1) !== 0 };
}
