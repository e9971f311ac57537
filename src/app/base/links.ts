// Where a share link lives on the page: the URL fragment `#s=…` of this page's own address (`#r=…`
// for a recording: a series' moments). Used by the share feature (making links), the heading
// (measuring one) and start-up (opening one).

export const FRAGMENT_KEY = 's=';
/** The name a dump opened from a link goes by (a .vmscope file keeps its own file name). */
export const LINK_NAME = 'shared link';

/** The link text in a URL fragment (`#s=…`), or null when the fragment holds none. */
export function linkTextOf(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  return h.startsWith(FRAGMENT_KEY) ? h.slice(FRAGMENT_KEY.length) : null;
}

/** The page's address without query or fragment: a link carries its own snapshot. */
function pageUrl(): string {
  return window.location.origin + window.location.pathname;
}

/** The link on this page for a link text: the page's address, `#s=`, the text. */
export function linkUrl(text: string): string {
  return `${pageUrl()}#${FRAGMENT_KEY}${text}`;
}


/** The fragment key of a recording link: a series' moments as a recording (lib/series/share.ts). */
export const RECORDING_KEY = 'r=';
/** The name a series opened from a recording link goes by. */
export const RECORDING_LINK_NAME = 'shared recording';

/** The recording link text in a URL fragment (`#r=…`), or null when the fragment holds none. */
export function recordingTextOf(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  return h.startsWith(RECORDING_KEY) ? h.slice(RECORDING_KEY.length) : null;
}

/** The link on this page for a recording's link text: the page's address, `#r=`, the text. */
export function recordingLinkUrl(text: string): string {
  return `${pageUrl()}#${RECORDING_KEY}${text}`;
}

/** The fragment key `vmscope open` puts its token under (src/cli/open.ts): `#open=TOKEN`. */
export const OPEN_KEY = 'open=';

/** The token of a page opened by `vmscope open`, or null. */
export function openTokenOf(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  return h.startsWith(OPEN_KEY) && /^[A-Za-z0-9_-]+$/.test(h.slice(OPEN_KEY.length)) ? h.slice(OPEN_KEY.length) : null;
}

/**
 * The fragment key of a page `vmscope open --live` serves (src/cli/live.ts): `#live=TOKEN`. Unlike
 * `#open=` it stays in the address, so that a reload picks the recording up again.
 */
export const LIVE_KEY = 'live=';

/** The token of a page opened by `vmscope open --live`, or null. */
export function liveTokenOf(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  return h.startsWith(LIVE_KEY) && /^[A-Za-z0-9_-]+$/.test(h.slice(LIVE_KEY.length)) ? h.slice(LIVE_KEY.length) : null;
}
