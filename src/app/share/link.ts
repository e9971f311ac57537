// Share links on the page, the glue between the codec (src/lib/share) and the app: the dump and
// view on screen → a link's text or a .vmscope file, and a decoded link's view → the map. Opening a
// link goes through the one loader (src/app/load.ts) like any other source. The link lives in the
// URL fragment, which browsers never send to a server; nothing here touches the network.

import { toAddress, toDisplay } from '../../lib/index.ts';
import { encodeShare, encodeShareFile } from '../../lib/share/codec.ts';
import type { ShareView } from '../../lib/share/codec.ts';
import { select, setColourMode, setView, toggleCollapse } from '../state/view.ts';
import { COLOUR_MODES } from '../base/colours.ts';
import type { ColourMode } from '../base/colours.ts';
import { useStore } from '../state/store.ts';
import { linkUrl } from '../base/links.ts';

/** Links longer than this are impractical in a URL: offer a file instead. */
export const LINK_LIMIT = 32 * 1024;

/** The view on screen, as a link carries it. */
export function currentShareView(): ShareView {
  const s = useStore.getState();
  const t = s.track;
  let range: ShareView['range'] = null;
  if (t && !(s.viewStart <= 0 && s.viewEnd >= t.total)) {
    const a = t.exact ? toAddress(t, s.viewStart) : null;
    const b = t.exact ? toAddress(t, s.viewEnd) : null;
    range = a !== null && b !== null ? { kind: 'address', start: a, end: b } : { kind: 'display', start: s.viewStart, end: s.viewEnd };
  }
  return { range, selected: s.selected, colourMode: s.colourMode, collapse: s.collapse };
}

export interface MadeLink {
  url: string;
  /** Characters of the whole URL. */
  length: number;
}

/** A link to the dump and view on screen, or null when nothing is loaded. */
export async function makeLink(includeAddresses: boolean): Promise<MadeLink | null> {
  const model = useStore.getState().model;
  if (!model) return null;
  const text = await encodeShare(model, currentShareView(), { includeAddresses });
  const url = linkUrl(text);
  return { url, length: url.length };
}

/** The compact encoding of the dump and view on screen, as a .vmscope file. */
export async function makeFile(includeAddresses: boolean): Promise<Blob | null> {
  const model = useStore.getState().model;
  if (!model) return null;
  const bytes = await encodeShareFile(model, currentShareView(), { includeAddresses });
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
}

/**
 * Put a link's view on the dump just opened from it: its colour mode, collapse, range and selection.
 * (The dump itself was put on screen by the loader, src/app/load.ts, like any other.)
 */
export function applyShareView(view: ShareView): void {
  if ((COLOUR_MODES as readonly string[]).includes(view.colourMode)) setColourMode(view.colourMode as ColourMode);
  const s = useStore.getState();
  if (s.track?.exact && s.collapse !== view.collapse) toggleCollapse();
  const t = useStore.getState().track;
  if (t && view.range) {
    if (view.range.kind === 'address' && t.exact) {
      // Each edge on the track, cut to its ends rather than moved: a link without addresses ends at
      // its last area, so a view reaching past it keeps its left edge and loses only what the link
      // cannot show (moving it would slide a collapsed break of terabytes into view).
      const at = (a: bigint) => Math.min(t.total, toDisplay(t, a) ?? (a < t.base ? 0 : t.total));
      setView({ start: at(view.range.start), end: at(view.range.end) });
    } else if (view.range.kind === 'display' && !t.exact) setView({ start: view.range.start, end: view.range.end });
  }
  if (view.selected !== null) select(view.selected);
}
