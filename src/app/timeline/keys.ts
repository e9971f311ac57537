// The timeline's keys, anywhere on the page but in a text field: `,` / `.` previous / next
// moment, Home / End first / last, space plays or pauses. A key another widget already used (the
// table's Home / End, a tab list's) is left to it.

export type TimelineKey = 'first' | 'prev' | 'next' | 'last' | 'play';

export const KEY_OF: Record<TimelineKey, string> = {
  first: 'Home',
  prev: ',',
  next: '.',
  last: 'End',
  play: 'space',
};

interface KeyLike {
  key: string;
  defaultPrevented: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

/** What a key press asks of the timeline, or null when it is not the timeline's. */
export function timelineKey(e: KeyLike): TimelineKey | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return null;
  const t = e.target as { tagName?: string; isContentEditable?: boolean; closest?: (s: string) => unknown } | null;
  const tag = t?.tagName ?? '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t?.isContentEditable) return null;
  const inWidget = !!t?.closest?.('[role="tablist"], [role="grid"], [role="listbox"], [role="menu"], [role="slider"]');
  switch (e.key) {
    case ',':
    case '<':
      return 'prev';
    case '.':
    case '>':
      return 'next';
    case 'Home':
      return inWidget ? null : 'first';
    case 'End':
      return inWidget ? null : 'last';
    case ' ':
      // Space on a button or link presses it.
      return tag === 'BUTTON' || tag === 'A' || inWidget ? null : 'play';
    default:
      return null;
  }
}
