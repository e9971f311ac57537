// The stamp lines people write before each dump when they record a series with a shell loop
// (`while :; do date; cat /proc/vmallocinfo; sleep 60; done > vmalloc.log`, FORMAT.md "Over time"):
//
//   Mon Nov 30 00:40:27 UTC 2026              date, date -u (C locale, busybox, toybox)
//   Mon Nov  2 00:40:27 UTC 2026              … a one-digit day is padded with a space (%e)
//   Mon Nov 30 12:40:27 AM UTC 2026           date in en_US with glibc ≥ 2.29 (date_fmt "%a %b %e %r %Z %Y")
//   Mon 30 Nov 2026 12:40:27 AM UTC           … older en_US (d_t_fmt "%a %d %b %Y %r %Z")
//   Mo 30. Nov 00:40:27 UTC 2026              de_DE; also fr, es, it, pt, nl, pl, ru, ja, zh forms
//   2026-11-30T00:59:06+00:00                 date -Is (RFC 3339 / ISO 8601, `T` or a space,
//   2026-11-30T00:59:06,123456789+00:00       fractions with `.` or `,`, `Z`, ±hh:mm or ±hhmm)
//   Mon, 30 Nov 2026 00:40:27 +0000           date -R (RFC 2822)
//   1795999227   1795999227.123456789         date +%s, date +%s.%N; 13, 16, 19 digits: epoch ms, µs,
//                                             ns (date +%s%N)
//   20261130004027   20261130T004027Z         date +%Y%m%d%H%M%S, ISO 8601 basic
//   === 2026-11-30T00:40:27+00:00 ===         a banner (`===`, `---` or `###`), with a time in it
//   --- round 3 ---                           … or without one: still a stamp, with `ms` null
//
// Zones: a numeric offset is applied as written; the abbreviations below are fixed offsets
// (`date` prints CET or CEST, not the zone's name); an abbreviation not in the table, or a stamp
// that names no zone (`2026-11-30 00:40:27`), is read as UTC, and `zone` keeps what was written
// so the UI can say so (`zoneOffsetMinutes` tells a known zone from an unknown one). Epoch seconds
// are UTC by definition: their `zone` is 'UTC'.
//
// Never throws, and looks at no more than MAX_STAMP characters of a line. Area lines (`0x…`),
// /proc/meminfo (`MemTotal:  983472 kB`) and /proc/modules lines, and numbers that are part of
// something else are not stamps: every word of a dated line must be a date word (weekday, month,
// day, year, time, AM/PM, zone), and a bare number is a stamp only with exactly 10 digits
// (optionally `.fraction`), 13, 16 or 19, or 14 that read as a valid date and time.
// Pure: no DOM, no Node.

/** One stamp line. */
export interface Stamp {
  /** Epoch milliseconds, or null for a banner with no time in it (`=== round 3 ===`). */
  ms: number | null;
  /**
   * The zone as written (`+00:00`, `Z`, `UTC`, `CET`), or null when the stamp names none (then
   * `ms` reads it as UTC). 'UTC' for epoch seconds.
   */
  zone: string | null;
  /** The line as written, trimmed. */
  text: string;
}

/** Longest line (trimmed) that can be a stamp; longer lines are not looked at. */
export const MAX_STAMP = 200;

/** Most words a dated line (or the dated part of a banner) may have. */
const MAX_WORDS = 10;

/** Abbreviations `date` prints for %Z, as fixed offsets in minutes east of UTC. */
const ZONES = new Map<string, number>(Object.entries({
  UTC: 0, UT: 0, GMT: 0, Z: 0, WET: 0,
  // North America. CST is also China Standard Time (+08:00, what Asia/Shanghai prints): read here
  // as US Central, the common case in the logs this tool sees; a numeric zone is never ambiguous.
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, AST: -240, ADT: -180, NST: -210, NDT: -150,
  // Europe. BST is British Summer Time; IST is India (also Irish/Israel time elsewhere).
  WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  // Asia and Oceania.
  IST: 330, PKT: 300, WIB: 420, HKT: 480, SGT: 480, AWST: 480, JST: 540, KST: 540,
  ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  // Africa and South America.
  SAST: 120, CAT: 120, EAT: 180, WAT: 60, BRT: -180, ART: -180,
}));

/**
 * The offset in minutes east of UTC that a zone as written stands for (`+05:30` → 330, `CET` →
 * 60, `Z` → 0), or null when it is not known (then its stamp was read as UTC).
 */
export function zoneOffsetMinutes(zone: string): number | null {
  const z = zone.trim();
  const known = ZONES.get(z.toUpperCase());
  if (known !== undefined && /^[A-Za-z]{1,5}$/.test(z)) return known;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A stamp line's time, or null when the line is not a stamp. Never throws. */
export function parseStamp(line: string): Stamp | null {
  try {
    return parse(line);
  } catch {
    return null;
  }
}

function parse(line: string): Stamp | null {
  if (line.length > MAX_STAMP * 2) return null;
  const text = line.trim();
  if (text === '' || text.length > MAX_STAMP) return null;
  const c = text.charCodeAt(0);
  if (c === 48 && (text.charCodeAt(1) | 32) === 120) return null; // "0x": an area line
  const banner = readBanner(text);
  if (banner !== null) {
    const found = banner === '' ? null : findTime(banner);
    return found ? { ms: found.ms, zone: found.zone, text } : { ms: null, zone: null, text };
  }
  // Cheap refusals: a modules line holds `0x`, a meminfo line a word ended by a colon.
  if (text.includes('0x') || WORD_COLON.test(text)) return null;
  const time = readTime(text);
  return time ? { ms: time.ms, zone: time.zone, text } : null;
}

const WORD_COLON = /[A-Za-z_)]:/;

interface Time {
  ms: number;
  zone: string | null;
}

/**
 * The text inside a banner (`=== x ===` → `x`, `---` → ``): a line that begins with three or more
 * of one of `=`, `-`, `#`, with the same run (of any length) optionally closing it; else null.
 */
function readBanner(text: string): string | null {
  const ch = text[0];
  if (ch !== '=' && ch !== '-' && ch !== '#') return null;
  let open = 1;
  while (text[open] === ch) open++;
  if (open < 3) return null;
  let close = text.length;
  while (close > open && text[close - 1] === ch) close--;
  return text.slice(open, close).trim();
}

/**
 * The time inside a banner's text (`vmallocinfo at Mon Nov 30 00:40:27 UTC 2026, round 3`): found
 * from its first anchor word (a time of day, an ISO date, an epoch number), taking the date words
 * next to it on both sides. Linear in the words: a banner costs about as much as a dated line.
 */
function findTime(inner: string): Time | null {
  const words = splitWords(inner);
  for (let a = 0; a < words.length; a++) {
    const w = words[a];
    if (EPOCH_S.test(w) || EPOCH_MS.test(w) || COMPACT.test(w)) return readEpoch(w);
    if (ISO_DATE.test(w)) {
      for (let k = Math.min(2, words.length - 1 - a); k >= 0; k--) {
        const time = readIso(words.slice(a, a + k + 1).join(' '));
        if (time) return time;
      }
      return null;
    }
    if (TIME.test(w)) {
      const date = new DateWords();
      date.add(w);
      for (let r = a + 1; r < words.length && r - a <= MAX_WORDS && date.add(words[r]); r++);
      for (let l = a - 1; l >= 0 && a - l <= MAX_WORDS && date.add(words[l]); l--);
      return date.time();
    }
  }
  return null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** A whole text that is one time: epoch seconds or milliseconds, ISO 8601, or `date` words. */
function readTime(text: string): Time | null {
  return readEpoch(text) ?? readIso(text) ?? readWords(text);
}

const EPOCH_S = /^(\d{10})(?:[.,](\d{1,9}))?$/;
/** Epoch milliseconds, microseconds or nanoseconds (`date +%s%N`): 13, 16 or 19 digits. */
const EPOCH_MS = /^(?:\d{13}|\d{16}|\d{19})$/;
/** `date +%Y%m%d%H%M%S`, `date +%Y%m%dT%H%M%SZ` (ISO 8601 basic). */
const COMPACT = /^(\d{4})(\d{2})(\d{2})[Tt_-]?(\d{2})(\d{2})(\d{2})(Z?)$/;

function readEpoch(text: string): Time | null {
  const s = EPOCH_S.exec(text);
  if (s) return { ms: Number(s[1]) * 1000 + fractionMs(s[2]), zone: 'UTC' };
  if (EPOCH_MS.test(text)) return { ms: Number(text.slice(0, 13)), zone: 'UTC' };
  const c = COMPACT.exec(text);
  if (c) return make(Number(c[1]), Number(c[2]), Number(c[3]), Number(c[4]), Number(c[5]), Number(c[6]), 0, c[7] || null, 0);
  return null;
}

/** Milliseconds in a decimal fraction of a second, truncated (`123456789` → 123). */
function fractionMs(digits: string | undefined): number {
  if (digits === undefined || digits === '') return 0;
  return Math.floor(Number(`0.${digits}`) * 1000 + 1e-6);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:(?:[Tt]|\s+)(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5}))?)?$/;

function readIso(text: string): Time | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const zone = m[8] ?? null;
  const offset = zone === null ? 0 : zoneOffsetMinutes(zone);
  if (zone !== null && offset === null && !/^[A-Za-z]+$/.test(zone)) return null;
  return make(Number(m[1]), Number(m[2]), Number(m[3]), num(m[4]), num(m[5]), num(m[6]), fractionMs(m[7]), zone, offset ?? 0);
}

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));

/** Epoch ms of a wall-clock time in a zone `offset` minutes east of UTC, or null when invalid. */
function make(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, zone: string | null, offset: number): Time | null {
  if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day) return null; // 31 Nov, 29 Feb 2026
  return { ms: date.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms, zone };
}

// Month and weekday abbreviations as glibc's locales print them (%b, %a), lowercased and without a
// final dot: English (and full English names), German, French, Spanish, Italian, Portuguese,
// Dutch, Polish, Russian. Some words are a month in one language and a weekday in another (`mar`):
// they are a month when no other word is.
const MONTHS: readonly string[][] = [
  ['jan', 'january', 'janv', 'ene', 'gen', 'sty', 'янв'],
  ['feb', 'february', 'févr', 'fev', 'lut', 'фев'],
  ['mar', 'march', 'mär', 'mars', 'mrt', 'мар'],
  ['apr', 'april', 'avr', 'avril', 'abr', 'kwi', 'апр'],
  ['may', 'mai', 'mag', 'mei', 'maj', 'мая', 'май'],
  ['jun', 'june', 'juin', 'giu', 'cze', 'июн'],
  ['jul', 'july', 'juil', 'lug', 'lip', 'июл'],
  ['aug', 'august', 'août', 'ago', 'sie', 'авг'],
  ['sep', 'sept', 'september', 'set', 'wrz', 'сен'],
  ['oct', 'october', 'okt', 'ott', 'out', 'paź', 'окт'],
  ['nov', 'november', 'lis', 'ноя'],
  ['dec', 'december', 'dez', 'déc', 'dic', 'gru', 'дек'],
];
const MONTH = new Map<string, number>(MONTHS.flatMap((names, k) => names.map((n): [string, number] => [n, k + 1])));
const WEEKDAYS = new Set([
  'sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat',
  'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
  'so', 'mo', 'di', 'mi', 'do', 'fr', 'sa', // de
  'dim', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam', // fr
  'dom', 'mié', 'jue', 'vie', 'sáb', // es
  'gio', 'sab', // it
  'seg', 'ter', 'qua', 'qui', 'sex', // pt
  'zo', 'ma', 'wo', 'vr', 'za', // nl
  'nie', 'pon', 'wto', 'śro', 'czw', 'pią', 'sob', // pl
  'вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб', // ru
]);
/** ja and zh weekdays (%A): 月曜日, 星期一. */
const CJK_WEEKDAY = /^(?:[日月火水木金土]曜日|星期[日一二三四五六天])$/;

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const NUMERIC_ZONE = /^(?:(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}(?::?\d{2})?)$/;

/** Words of a `date` line: split at blanks and commas; `2026年11月30日` is three words. */
function splitWords(text: string): string[] {
  const cjk = /[年月日]/.test(text) ? text.replace(/(\d[年月日])/g, '$1 ') : text;
  return cjk.split(/[\s,]+/).filter((w) => w !== '');
}

/**
 * A `date` line in any of the locales above: every word must be a weekday, a month, a day, a year,
 * a time, AM/PM or a zone, and day, month, year and time must each be there once.
 */
function readWords(text: string): Time | null {
  const words = splitWords(text);
  if (words.length > MAX_WORDS) return null;
  const date = new DateWords();
  for (const word of words) if (!date.add(word)) return null;
  return date.time();
}

/** The parts of a `date` line, taken word by word. */
class DateWords {
  private year = -1;
  private month = -1;
  private day = -1;
  private clock: RegExpExecArray | null = null;
  private ampm = '';
  private zone: string | null = null;
  /** A word that is a month or a weekday (`mar`): the month when no other word is one. */
  private eitherMonth = -1;

  /** Takes one word; false (and nothing taken) when it is not a date word or repeats a part. */
  add(word: string): boolean {
    const t = TIME.exec(word);
    if (t) {
      if (this.clock) return false;
      this.clock = t;
      return true;
    }
    const lower = word.toLowerCase();
    if (lower === 'am' || lower === 'pm' || lower === 'a.m.' || lower === 'p.m.') {
      if (this.ampm) return false;
      this.ampm = lower[0];
      return true;
    }
    const n = /^(\d{1,4})([.年月日]?)$/.exec(word);
    if (n) {
      const value = Number(n[1]);
      if (n[2] === '年' || (n[2] !== '月' && n[2] !== '日' && n[1].length === 4)) {
        if (this.year >= 0 || n[1].length !== 4) return false;
        this.year = value;
      } else if (n[2] === '月') {
        if (this.month >= 0) return false;
        this.month = value;
      } else {
        if (this.day >= 0 || n[1].length > 2) return false;
        this.day = value;
      }
      return true;
    }
    const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
    const m = MONTH.get(name);
    const w = WEEKDAYS.has(name) || CJK_WEEKDAY.test(word);
    if (m !== undefined && w) {
      this.eitherMonth = m;
      return true;
    }
    if (m !== undefined) {
      if (this.month >= 0) return false;
      this.month = m;
      return true;
    }
    if (w) return true;
    if (this.zone === null && (/^[A-Z]{1,5}$/.test(word) || NUMERIC_ZONE.test(word))) {
      this.zone = word;
      return true;
    }
    return false;
  }

  /** The time the words make, or null when a part is missing or out of range. */
  time(): Time | null {
    const month = this.month >= 0 ? this.month : this.eitherMonth;
    const clock = this.clock;
    if (!clock || this.year < 0 || month < 0 || this.day < 0) return null;
    let hour = Number(clock[1]);
    if (this.ampm) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (this.ampm === 'p' ? 12 : 0);
    }
    let offset = 0;
    if (this.zone !== null) {
      const known = zoneOffsetMinutes(this.zone);
      if (known === null && NUMERIC_ZONE.test(this.zone)) return null; // +99:00
      offset = known ?? 0;
    }
    return make(this.year, month, this.day, hour, Number(clock[2]), num(clock[3]), fractionMs(clock[4]), this.zone, offset);
  }
}
