// What people really paste: a whole terminal session rather than a clean file. This pass runs
// before the scanner and separates what is not /proc/vmallocinfo, so that it neither counts as a
// diagnostic of the dump nor gets lost:
//
//   $ cat /proc/vmallocinfo /proc/meminfo /proc/modules
//   0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xd1/0x110 pages=4 vmalloc
//   MemTotal:         983472 kB                        <- /proc/meminfo (fs/proc/meminfo.c)
//   HugePages_Total:       0                           <- meminfo without a unit
//   crc16 16384 1 ext4, Live 0xffffffffc0a7f000        <- /proc/modules (kernel/module/procfs.c)
//
// meminfo and modules lines are parsed into records and blanked (spaces, newline kept) in a copy
// of the input, so every remaining line keeps its line number. Non-breaking spaces (UTF-8 C2 A0,
// from web pages) become two plain spaces, which keeps byte offsets too.
//
// An area line wrapped over two or more lines is joined back, and the continuations' lines left
// blank. Two kinds of wrapping: a mail client or a narrow text box breaks at spaces (the space is
// lost), a terminal breaks at its width, mid-field (every piece but the last is that wide):
//
//   0xffffc90000005000-0xffffc90000007000    8192 bpf_prog_alloc_no_stats+0x4e/0x1a0
//   pages=1 vmalloc N0=1
//
//   0xffffc90000004000-0xffffc90000405000 41      <- 40 columns
//   98400 alloc_large_system_hash+0x17a/0x23
//   8 pages=1024 vmalloc vpages N0=1024
//
// Each way of gluing the pieces (a space or nothing at each break) is checked field by field
// against the area line's grammar, so only a join that reads as one whole area line is made.
//
// Shell prompts pasted with the dump (`user@host:~$ sudo cat /proc/vmallocinfo`, `# cat …`,
// `[root@x ~]# …`) are recognised, blanked and reported by line number; other foreign lines are
// left for the scanner, which skips them with a diagnostic.
// Works on bytes and decodes only lines that do not start an area line, so a big clean dump costs
// one indexOf and a few byte compares per line.

const LF = 10;
const SP = 32;
const TAB = 9;
const CR = 13;
/** Foreign lines longer than this are not looked at (no meminfo or modules line is). */
const MAX_FOREIGN = 512;

/** One /proc/meminfo line: `MemTotal:         983472 kB`. */
export interface MeminfoEntry {
  key: string;
  value: number;
  unit: 'kB' | null;
  /** 1-based line number in the input. */
  line: number;
}

/** One /proc/modules line: `crc16 16384 1 ext4, Live 0xffffffffc0a7f000 (OE)`. */
export interface ModuleEntry {
  name: string;
  size: number;
  /** Use count; null when the kernel printed "-" (no unload support). */
  refcount: number | null;
  /** Modules using this one. */
  usedBy: string[];
  state: 'Live' | 'Loading' | 'Unloading';
  /** Load address as printed (hex with 0x; zeros without CAP_SYSLOG). */
  address: string;
  /** Taint letters such as "OE", or null. */
  taints: string | null;
  line: number;
}

export interface CaptureSection {
  name: '/proc/meminfo' | '/proc/modules';
  lines: number;
}

export interface SplitCapture {
  /** The input with the other sections blanked and NBSPs normalised (the input itself when untouched). */
  bytes: Uint8Array;
  meminfo: MeminfoEntry[];
  modules: ModuleEntry[];
  /** The other sections found, in the order of their first line; empty when none. */
  sections: CaptureSection[];
  /** Non-breaking spaces replaced by plain spaces. */
  nbsp: number;
  /** Wrapped area lines joined back to their continuation lines. */
  joined: number;
  /** Line numbers (1-based) of shell prompts, blanked. Always set by splitCapture. */
  prompts?: number[];
  /** A NUL byte was seen: this is not text. */
  binary: boolean;
  /** The last line has no newline (a truncated read, or a paste). */
  endsMidLine: boolean;
  /** Nothing but whitespace. */
  empty: boolean;
}

/** A field that can only be the tail of an area line (mm/vmalloc.c prints them in this order). */
const TAIL_FIELD =
  /^(?:[\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+|\[[\w-]+\]|pages=\d+|phys=(?:0x)?[0-9a-f]+|ioremap|sparse|vmalloc|vmap|user|dma-coherent|vpages|unpurged|vm_area|vm_map_ram|N\d+=\d+)$/;
/** The start of a tail field cut short by a wrap. */
const TAIL_PREFIX = /^(?:[A-Za-z_.$][\w.$-]*(?:\+(?:0(?:x[0-9a-f]*(?:\/(?:0(?:x[0-9a-f]*)?)?)?)?)?|=(?:0x)?[0-9a-f]*)?|\[[\w-]*\]?)$/;
const ADDRESS = '0x(?:[0-9a-f]+|\\(_+ptrval_+\\))';
const RANGE = new RegExp(`^${ADDRESS}-${ADDRESS}$`);
const RANGE_PREFIX = /^0x[0-9a-f(_ptrval)]*(?:-(?:0x?[0-9a-f(_ptrval)]*)?)?$/;
const SIZE = /^\d+$/;

/** True when every field of the text can continue a wrapped area line. */
export function isWrappedTail(text: string): boolean {
  const fields = text.trim().split(/[ \t]+/);
  return fields[0] !== '' && fields.every((f) => TAIL_FIELD.test(f));
}

/**
 * How far `text` reads as an area line: 'whole' (range, size, tail fields), 'start' (that, with
 * the last field cut short or the size still to come), or null (not an area line).
 */
export function areaLineState(text: string): 'whole' | 'start' | null {
  const f = text.trim().split(/[ \t]+/);
  const last = f.length - 1;
  let whole = true;
  for (let k = 0; k <= last; k++) {
    const [full, prefix] = k === 0 ? [RANGE, RANGE_PREFIX] : k === 1 ? [SIZE, SIZE] : [TAIL_FIELD, TAIL_PREFIX];
    if (full.test(f[k])) continue;
    if (k < last || !prefix.test(f[k])) return null;
    whole = false;
  }
  return whole && f.length >= 2 ? 'whole' : 'start';
}

/** A line that begins an area line: `0x<hex or (____ptrval____)>-0x`. Bytes only. */
function startsArea(b: Uint8Array, p: number, end: number): boolean {
  if (b[p] !== 48 || b[p + 1] !== 120) return false; // "0x"
  let q = p + 2;
  if (b[q] === 40) {
    while (q < end && b[q] !== 41) q++; // "(" … ")"
    q++;
  } else {
    while (q < end && ((b[q] >= 48 && b[q] <= 57) || (b[q] >= 97 && b[q] <= 102))) q++;
  }
  return q + 2 < end && b[q] === 45 && b[q + 1] === 48 && b[q + 2] === 120; // "-0x"
}

/** Most lines one area line may be wrapped over (a 40-column terminal needs 3 or 4). */
const MAX_PIECES = 8;

/**
 * False when the line's N<node>= counts do not add up to its pages= (show_numa_info() counts every
 * page of the area on its node, so they always do): a join that makes them disagree glued foreign
 * digits onto a count, such as a `date +%s` stamp after a dump (`N0=4` + `1796000100`).
 */
function nodesAgree(text: string): boolean {
  const pages = /(?:^|\s)pages=(\d+)(?:\s|$)/.exec(text);
  if (!pages) return true;
  let sum = 0;
  let any = false;
  for (const m of text.matchAll(/(?:^|\s)N\d+=(\d+)(?=\s|$)/g)) {
    sum += Number(m[1]);
    any = true;
  }
  return !any || sum === Number(pages[1]);
}

/**
 * The longest join of `head` with the first pieces that reads as a whole area line, or null.
 * At each break both glues are tried: nothing first where the piece before was `width` wide (a
 * terminal's hard wrap), a space first elsewhere (a word wrap).
 */
function longestJoin(head: string, pieces: string[], width: number): { text: string; count: number } | null {
  const go = (text: string, k: number): { text: string; count: number } | null => {
    const here = k > 0 && areaLineState(text) === 'whole' && nodesAgree(text) ? { text, count: k } : null;
    if (k === pieces.length) return here;
    const before = k === 0 ? head : pieces[k - 1];
    const hard = text + pieces[k];
    const soft = text.trimEnd() + ' ' + pieces[k].trimStart();
    for (const next of before.length === width ? [hard, soft] : [soft, hard]) {
      if (areaLineState(next) === null) continue;
      const deeper = go(next, k + 1);
      if (deeper) return deeper;
    }
    return here;
  };
  return go(head, 0);
}

/** A wrapped area line: bytes [start, end) become `text` followed by `lines` newlines. */
interface Join {
  start: number;
  end: number;
  text: string;
  lines: number;
}

/** `out` with each join's lines replaced by the joined line and as many empty lines as it took up. */
function rebuild(out: Uint8Array, joins: Join[]): Uint8Array {
  const encoder = new TextEncoder();
  const texts = joins.map((j) => encoder.encode(j.text));
  let size = out.length;
  for (const [k, j] of joins.entries()) size += texts[k].length + j.lines - (j.end - j.start);
  const res = new Uint8Array(size);
  let r = 0;
  let at = 0;
  for (const [k, j] of joins.entries()) {
    res.set(out.subarray(at, j.start), r);
    r += j.start - at;
    res.set(texts[k], r);
    r += texts[k].length;
    res.fill(LF, r, r + j.lines);
    r += j.lines;
    at = j.end;
  }
  res.set(out.subarray(at), r);
  return res;
}

/** A shell prompt with user and host: `user@host:~$ …`, `[root@x ~]# …`, `me@box ~ % …`. */
const PROMPT_USER_HOST = /^\[?[\w.-]+@[\w.-]+(?:[: ][^\]$#%>]*)?\]?\s?[$#%>]( .*)?$/;
/** A bare prompt (`$ `, `# `, `bash-5.2$ `, `❯ `) before a command that reads a dump. */
const PROMPT_BARE = /^(?:(?:ba|z|k|da)?sh(?:-[\d.]+)?|~|➜ +\S*)?\s*[$#%>❯]\s+(.+)$/;
const DUMP_COMMAND = /^(?:(?:sudo|doas)\s+(?:-\S+\s+)*)?(?:cat|zcat|grep|egrep|less|more|head|tail|awk|sort|tee|dmesg|adb|ssh)\b|\/proc\//;

/** True when a line is a shell prompt (with or without its command). */
export function isShellPrompt(text: string): boolean {
  const t = text.trim();
  if (PROMPT_USER_HOST.test(t)) return true;
  const m = PROMPT_BARE.exec(t);
  return m !== null && DUMP_COMMAND.test(m[1]);
}

const MEMINFO = /^([A-Za-z_][\w()]*):\s+(\d+)(?:\s+(kB))?$/;
const MODULES = /^([\w-]+) (\d+) (\d+|-) (-|(?:[\w-]+,)+) (Live|Loading|Unloading) (0x[0-9a-fA-F]+)(?: \(([A-Z]+)\))?$/;

/** A /proc/meminfo line as a record, or null. Tabs and runs of spaces are accepted. */
export function readMeminfoLine(text: string, line = 0): MeminfoEntry | null {
  const m = MEMINFO.exec(text.trim());
  if (!m) return null;
  return { key: m[1], value: Number(m[2]), unit: m[3] ? 'kB' : null, line };
}

/** A /proc/modules line as a record, or null. */
export function readModulesLine(text: string, line = 0): ModuleEntry | null {
  const m = MODULES.exec(text.trim().replace(/[ \t]+/g, ' '));
  if (!m) return null;
  return {
    name: m[1],
    size: Number(m[2]),
    refcount: m[3] === '-' ? null : Number(m[3]),
    usedBy: m[4] === '-' ? [] : m[4].split(',').filter(Boolean),
    state: m[5] as ModuleEntry['state'],
    address: m[6],
    taints: m[7] ?? null,
    line,
  };
}

/** Separate the meminfo and modules sections of a combined capture from its vmallocinfo lines. */
export function splitCapture(input: Uint8Array): SplitCapture {
  let out = input;
  const own = () => {
    if (out === input) out = input.slice();
    return out;
  };
  let nbsp = 0;
  for (let at = input.indexOf(0xa0); at >= 0; at = input.indexOf(0xa0, at + 1)) {
    if (at > 0 && input[at - 1] === 0xc2) {
      const o = own();
      o[at - 1] = SP;
      o[at] = SP;
      nbsp++;
    }
  }
  const meminfo: MeminfoEntry[] = [];
  const modules: ModuleEntry[] = [];
  const sections: CaptureSection[] = [];
  const count = (name: CaptureSection['name']) => {
    const s = sections.find((x) => x.name === name);
    if (s) s.lines++;
    else sections.push({ name, lines: 1 });
  };
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const textOf = (from: number, end: number) => decoder.decode(out.subarray(from, end)).replace(/\r$/, '');
  let empty = true;
  let lineNo = 0;
  const joins: Join[] = [];
  const prompts: number[] = [];
  let area = -1; // the start of the previous line when that was an area line, else -1
  let areaEnd = -1;
  for (let from = 0; from < out.length; ) {
    let end = out.indexOf(LF, from);
    if (end < 0) end = out.length;
    lineNo++;
    let p = from;
    while (p < end && (out[p] === SP || out[p] === TAB || out[p] === CR)) p++;
    if (p < end) empty = false;
    const areaLike = startsArea(out, p, end);
    if (area >= 0 && p < end && !areaLike && end - p <= MAX_FOREIGN) {
      const joined = joinFrom(area, areaEnd, from);
      if (joined) {
        joins.push(joined.join);
        lineNo += joined.join.lines - 1;
        from = joined.next;
        area = -1;
        continue;
      }
    }
    area = areaLike && end < out.length ? from : -1;
    areaEnd = end;
    if (p < end && !areaLike && end - p <= MAX_FOREIGN) {
      const text = decoder.decode(out.subarray(p, end));
      const mem = readMeminfoLine(text, lineNo);
      const mod = mem ? null : readModulesLine(text, lineNo);
      const prompt = !mem && !mod && isShellPrompt(text);
      if (mem) {
        meminfo.push(mem);
        count('/proc/meminfo');
      } else if (mod) {
        modules.push(mod);
        count('/proc/modules');
      } else if (prompt) prompts.push(lineNo);
      if (mem || mod || prompt) own().fill(SP, from, end);
    }
    from = end + 1;
  }

  /** The area line [start, end) joined with the lines from `next` on, when they continue it. */
  function joinFrom(start: number, end: number, next: number): { join: Join; next: number } | null {
    const head = textOf(start, end);
    const pieces: string[] = [];
    const ends: number[] = [];
    for (let from = next; from < out.length && pieces.length < MAX_PIECES; ) {
      let e = out.indexOf(LF, from);
      if (e < 0) e = out.length;
      let p = from;
      while (p < e && (out[p] === SP || out[p] === TAB || out[p] === CR)) p++;
      if (p === e || startsArea(out, p, e) || e - from > MAX_FOREIGN) break;
      pieces.push(textOf(from, e));
      ends.push(e);
      from = e + 1;
    }
    const best = longestJoin(head, pieces, head.length);
    if (!best) return null;
    const last = ends[best.count - 1];
    return { join: { start, end: last, text: best.text, lines: best.count }, next: last + 1 };
  }

  const head = input.subarray(0, 1 << 16);
  return {
    bytes: joins.length > 0 ? rebuild(out, joins) : out,
    joined: joins.length,
    prompts,
    meminfo,
    modules,
    sections,
    nbsp,
    binary: head.indexOf(0) >= 0,
    endsMidLine: input.length > 0 && input[input.length - 1] !== LF && !empty,
    empty,
  };
}
