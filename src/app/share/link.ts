// Share links on the page: make a link of the dump and view on screen, and open one (from the
// URL fragment `#s=…` on load or when the fragment changes, or from a .vmscope file). The link
// lives in the fragment, which browsers never send to a server; nothing here touches the network.

import { create } from 'zustand';
import { toAddress, toDisplay } from '../../lib/index.ts';
import { encodeShare, encodeShareFile } from '../../lib/share/codec.ts';
import type { ShareView } from '../../lib/share/codec.ts';
import { mapStateFor, select, setColourMode, setView, toggleCollapse } from '../map/actions.ts';
import { COLOUR_MODES } from '../map/colours.ts';
import type { ColourMode } from '../map/colours.ts';
import { loadManifest, start } from '../state/actions.ts';
import { withDump } from '../state/history.ts';
import type { LoadedDump } from '../state/history.ts';
import { useStore } from '../state/store.ts';
import type { Source } from '../state/store.ts';
import { openInBackground } from '../worker/client.ts';
import type { OpenedLink } from '../worker/client.ts';

/** Links longer than this are impractical in a URL: offer a file instead. */
export const LINK_LIMIT = 32 * 1024;
export const FRAGMENT_KEY = 's=';
/** The name a dump opened from a link goes by (a .vmscope file keeps its own file name). */
export const LINK_NAME = 'shared link';

/**
 * What the share feature says beyond the dump on screen: a link that could not be opened. (Whether
 * the dump on screen came from a link with hidden addresses is its Source, kept in the history.)
 */
export interface ShareNotes {
  /** A link that could not be opened, and what was shown instead. */
  error: string | null;
}

export const useShareStore = create<ShareNotes>()(() => ({ error: null }));

/** The link text in a URL fragment (`#s=…`), or null when the fragment holds none. */
export function linkTextOf(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  return h.startsWith(FRAGMENT_KEY) ? h.slice(FRAGMENT_KEY.length) : null;
}

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

/** The page's address without query or fragment: a link carries its own snapshot. */
function pageUrl(): string {
  return window.location.origin + window.location.pathname;
}

/** The link on this page for a link text: the page's address, `#s=`, the text. */
export function linkUrl(text: string): string {
  return `${pageUrl()}#${FRAGMENT_KEY}${text}`;
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

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function busy<T>(work: () => Promise<T>): Promise<T> {
  useStore.setState((s) => ({ pending: s.pending + 1 }));
  try {
    return await work();
  } finally {
    useStore.setState((s) => ({ pending: s.pending - 1 }));
  }
}

/** Ids of dumps opened from links: negative, so they never meet the loader's (1, 2, …). */
let nextLinkId = -1;

/** Put a decoded link on screen, with its view, colour mode and selection. */
function show(decoded: OpenedLink, name: string, bytes: number): void {
  const { model, view, summary, ms, where } = decoded;
  const source: Source = { kind: 'link', addressesHidden: decoded.addressesHidden };
  // Into the session's history like any loaded dump, so loading another one does not discard it.
  const dump: LoadedDump = {
    id: nextLinkId--,
    source,
    fileName: name,
    loadedAt: Date.now(),
    fileBytes: bytes,
    gzip: false,
    summary,
    diagnostics: [],
    diagnosticCount: 0,
    parseMs: ms,
    parsedIn: where,
    model,
    capture: { meminfo: [], modules: [], sections: [], nbsp: 0, joined: 0, binary: false, endsMidLine: false, empty: false },
    note: null,
  };
  useStore.setState((s) => ({
    status: 'ready',
    progress: null,
    error: null,
    source,
    fileName: name,
    fileBytes: bytes,
    summary: dump.summary,
    diagnostics: [],
    diagnosticCount: 0,
    parseMs: ms,
    parsedIn: where,
    history: withDump(s.history, dump),
    currentId: dump.id,
    capture: dump.capture,
    inputNote: null,
    notice: null,
    ...mapStateFor(model, dump.capture.modules),
  }));
  // The link's view, set once the dump is the current history entry (which records it as its own).
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
  useShareStore.setState({ error: null });
}

/**
 * Open a link's text (decoded in the parse worker: a hostile link never holds up the page). Throws
 * an Error saying what is wrong with a bad link; the screen is left as it was.
 */
export function openLink(text: string): Promise<void> {
  return busy(async () => {
    show(await openInBackground({ text }, { name: 'the shared link' }), LINK_NAME, text.length);
  });
}

/** A link pasted as text: opened like the page's own fragment; a bad one says why and leaves the screen as it was. */
export async function openPastedLink(text: string): Promise<void> {
  try {
    await openLink(text);
    useShareStore.setState({ error: null });
  } catch (err) {
    useShareStore.setState({ error: message(err) });
  }
}

/**
 * Open a .vmscope file (the compact encoding a too-long link is offered as). A bad file says why
 * (LinkNotice) and leaves the dump on screen as it was.
 */
export function openShareFile(file: Blob & { name?: string }): Promise<void> {
  return busy(async () => {
    try {
      const bytes = await file.arrayBuffer();
      const name = file.name ?? 'shared snapshot';
      show(await openInBackground({ bytes }, { name }), name, bytes.byteLength);
      const url = new URL(window.location.href);
      url.search = '';
      url.hash = '';
      window.history.replaceState(null, '', url);
    } catch (err) {
      useShareStore.setState({ error: `${file.name ?? 'This file'}: ${message(err)}` });
    }
  });
}

/** A link whose fragment was opened already; hashchange fires for it and must not reopen it. */
let openedText: string | null = null;

/** Drop the fragment once something else is on screen, so a reload does not bring the link back. */
function forgetLinkWhenReplaced(): void {
  useStore.subscribe((s, prev) => {
    if (s.status !== 'ready' || s.source?.kind === 'link' || (s.source === prev.source && prev.status === 'ready')) return;
    openedText = null; // the same link pasted again later opens again
    if (linkTextOf(window.location.hash) !== null) {
      const url = new URL(window.location.href);
      url.hash = '';
      window.history.replaceState(null, '', url);
    }
  });
}

async function openFromHash(hash: string): Promise<boolean> {
  const text = linkTextOf(hash);
  if (text === null || text === openedText) return false;
  openedText = text;
  try {
    await openLink(text);
    return true;
  } catch (err) {
    useShareStore.setState({ error: message(err) });
    return false;
  }
}

/**
 * What the page does on load: a `#s=` fragment is opened instead of the default sample (a bad one
 * says why and falls back to it); without one, the usual start. Later fragment changes (a link
 * pasted into the address bar of the open page) open too.
 */
export async function startWithLink(hash: string, search: string): Promise<void> {
  forgetLinkWhenReplaced();
  window.addEventListener('hashchange', () => void openFromHash(window.location.hash));
  if (linkTextOf(hash) === null) return start(search);
  useStore.setState((s) => ({ pending: s.pending + 1 })); // busy from the first moment, for whenIdle()
  try {
    if (await openFromHash(hash)) {
      await loadManifest(); // the sample menu still works; nothing else to load
      return;
    }
    await start(search);
  } finally {
    useStore.setState((s) => ({ pending: s.pending - 1 }));
  }
}
