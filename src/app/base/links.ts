// Where a share link lives on the page: the URL fragment `#s=…` of this page's own address. Used by
// the share feature (making links), the heading (measuring one) and start-up (opening one).

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

