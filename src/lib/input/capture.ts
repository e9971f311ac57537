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
// from web pages) become two plain spaces, which keeps byte offsets too. An area line wrapped by a
// mail client or a narrow text box, whose next line holds only the rest of its fields,
//
//   0xffffc90000005000-0xffffc90000007000    8192 bpf_prog_alloc_no_stats+0x4e/0x1a0
//   pages=1 vmalloc N0=1
//
// is joined back, and the continuation's line left blank. Shell prompts and other foreign lines
// are left for the scanner, which skips them with a diagnostic.
// Works on bytes and decodes only lines that do not start with "0x", so a big clean dump costs
// one indexOf per line.

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
  /** Wrapped area lines joined back to their continuation line. */
  joined: number;
  /** A NUL byte was seen: this is not text. */
  binary: boolean;
  /** The last line has no newline (a truncated read, or a paste). */
  endsMidLine: boolean;
  /** Nothing but whitespace. */
  empty: boolean;
}

/** A field that can only be the tail of an area line (mm/vmalloc.c prints them in this order). */
const TAIL_FIELD =
  /^(?:[\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+|\[[\w-]+\]|pages=\d+|phys=(?:0x)?[0-9a-f]+|ioremap|sparse|vmalloc|vmap|user|dma-coherent|vpages|N\d+=\d+)$/;

/** True when every field of the text can continue a wrapped area line. */
export function isWrappedTail(text: string): boolean {
  const fields = text.trim().split(/[ \t]+/);
  return fields[0] !== '' && fields.every((f) => TAIL_FIELD.test(f));
}

/** `out` with each [lf, end) continuation moved up after the LF at lf, and an empty line left in its place. */
function join(out: Uint8Array, joins: Array<[number, number]>): Uint8Array {
  const res = new Uint8Array(out.length + joins.length);
  let r = 0;
  let at = 0;
  for (const [lf, end] of joins) {
    res.set(out.subarray(at, lf), r);
    r += lf - at;
    res[r++] = SP;
    res.set(out.subarray(lf + 1, end), r);
    r += end - lf - 1;
    res[r++] = LF; // the joined line ends; the continuation's own LF follows as an empty line
    at = end;
  }
  res.set(out.subarray(at), r);
  return res;
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
  let empty = true;
  let lineNo = 0;
  const joins: Array<[number, number]> = [];
  let areaLf = -1; // the LF ending the previous line when that was an area line, else -1
  for (let from = 0; from < out.length; ) {
    let end = out.indexOf(LF, from);
    if (end < 0) end = out.length;
    lineNo++;
    let p = from;
    while (p < end && (out[p] === SP || out[p] === TAB || out[p] === CR)) p++;
    if (p < end) empty = false;
    const areaLike = out[p] === 48 && out[p + 1] === 120; // "0x"
    const after = areaLf;
    areaLf = areaLike && end < out.length ? end : -1;
    if (p < end && !areaLike && end - p <= MAX_FOREIGN) {
      const text = decoder.decode(out.subarray(p, end));
      if (after >= 0 && isWrappedTail(text)) {
        joins.push([after, end]);
        from = end + 1;
        continue;
      }
      const mem = readMeminfoLine(text, lineNo);
      const mod = mem ? null : readModulesLine(text, lineNo);
      if (mem) {
        meminfo.push(mem);
        count('/proc/meminfo');
      } else if (mod) {
        modules.push(mod);
        count('/proc/modules');
      }
      if (mem || mod) own().fill(SP, from, end);
    }
    from = end + 1;
  }
  const head = input.subarray(0, 1 << 16);
  return {
    bytes: joins.length > 0 ? join(out, joins) : out,
    joined: joins.length,
    meminfo,
    modules,
    sections,
    nbsp,
    binary: head.indexOf(0) >= 0,
    endsMidLine: input.length > 0 && input[input.length - 1] !== LF && !empty,
    empty,
  };
}
