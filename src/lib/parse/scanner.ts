// A byte-level scanner for /proc/vmallocinfo.
//
// The printer is s_show() in mm/vmalloc.c (vmalloc_info_show() from 6.9), checked against the
// releases 2.6.25 … 6.12 as summarised in ../shared/design/FORMAT.md. It prints, per area:
//
//   seq_printf(m, "0x%pK-0x%pK %7ld", v->addr, v->addr + v->size, v->size);
//   if (v->caller) seq_printf(m, " %pS", v->caller);     // sym+0xoff/0xlen [module]
//   if (v->nr_pages) seq_printf(m, " pages=%d", v->nr_pages);
//   if (v->phys_addr) seq_printf(m, " phys=%pa", &v->phys_addr);   // bare hex before 4.11
//   … " ioremap", " sparse", " vmalloc", " vmap", " user", " dma-coherent", " vpages"
//   show_numa_info(m, v);                               // " N0=4 N1=2"
// and for areas without a vm_struct:
//   0xffffd17d813c0000-0xffffd17d813c5000   20480 unpurged vm_area
//   0xffffd17d81000000-0xffffd17d81100000 1048576 vm_map_ram
//
// Input is bytes (a string is UTF-8 encoded once). One pass, no regular expressions and no
// per-line strings: numbers are accumulated digit by digit, addresses into exact 32-bit halves,
// caller and module names are interned straight from the bytes. Every good line is kept; every
// other line becomes a diagnostic with its number and a reason. parse() never throws on input.

import { ByteInterner } from './intern.ts';
import {
  BIT_CALLER,
  BIT_GLUED,
  BIT_MASKED,
  BIT_NO_OFFSET,
  BIT_PHYS,
  FLAG_BIT,
  KIND_INDEX,
  MAX_DIAGNOSTICS,
  Snapshot,
} from './snapshot.ts';
import type { AreaColumns } from './snapshot.ts';
import { KNOWN_FLAGS } from '../types.ts';
import type { Diagnostic, PointerMode, Severity } from '../types.ts';

const SP = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const TWO32 = 4294967296;
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** Hex digit value of a byte, or -1. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[97 + c] = 10 + c;
  HEX[65 + c] = 10 + c;
}

const KNOWN_FLAG_BYTES = KNOWN_FLAGS.map((w) => Uint8Array.from(w, (ch) => ch.charCodeAt(0)));
const BYTES_VM_MAP_RAM = ascii('vm_map_ram');
const BYTES_UNPURGED = ascii('unpurged');
const BYTES_VM_AREA = ascii('vm_area');
const BYTES_PAGES = ascii('pages=');
const BYTES_PHYS = ascii('phys=');

/** Kinds chosen by flag, in the order of precedence. */
const KIND_BY_FLAG: ReadonlyArray<readonly [number, number]> = [
  [FLAG_BIT.ioremap, KIND_INDEX.ioremap],
  [FLAG_BIT.sparse, KIND_INDEX.sparse],
  [FLAG_BIT.vmalloc, KIND_INDEX.vmalloc],
  [FLAG_BIT.vmap, KIND_INDEX.vmap],
  [FLAG_BIT['dma-coherent'], KIND_INDEX['dma-coherent']],
];

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

function isSpace(c: number): boolean {
  return c === SP || c === TAB;
}

function matchAt(src: Uint8Array, p: number, end: number, word: Uint8Array): boolean {
  if (end - p < word.length) return false;
  for (let k = 0; k < word.length; k++) if (src[p + k] !== word[k]) return false;
  return true;
}

class Columns implements AreaColumns {
  startHi: Uint32Array;
  startLo: Uint32Array;
  endHi: Uint32Array;
  endLo: Uint32Array;
  size: Float64Array;
  pages: Float64Array;
  kind: Uint8Array;
  flagBits: Uint16Array;
  symbol: Int32Array;
  module: Int32Array;
  callerOffset: Float64Array;
  callerLength: Float64Array;
  physHi: Uint32Array;
  physLo: Uint32Array;
  line: Uint32Array;
  nodeStart: Uint32Array;
  nodeId: Uint16Array;
  nodePages: Float64Array;

  constructor(capacity: number, nodeCapacity: number) {
    this.startHi = new Uint32Array(capacity);
    this.startLo = new Uint32Array(capacity);
    this.endHi = new Uint32Array(capacity);
    this.endLo = new Uint32Array(capacity);
    this.size = new Float64Array(capacity);
    this.pages = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.flagBits = new Uint16Array(capacity);
    this.symbol = new Int32Array(capacity);
    this.module = new Int32Array(capacity);
    this.callerOffset = new Float64Array(capacity);
    this.callerLength = new Float64Array(capacity);
    this.physHi = new Uint32Array(capacity);
    this.physLo = new Uint32Array(capacity);
    this.line = new Uint32Array(capacity);
    this.nodeStart = new Uint32Array(capacity + 1);
    this.nodeId = new Uint16Array(nodeCapacity);
    this.nodePages = new Float64Array(nodeCapacity);
  }

  growNodes(): void {
    const id = new Uint16Array(this.nodeId.length * 2 + 16);
    id.set(this.nodeId);
    const pages = new Float64Array(id.length);
    pages.set(this.nodePages);
    this.nodeId = id;
    this.nodePages = pages;
  }

  /** Trim every column to n areas (views, not copies, when there is little slack). */
  trimmed(n: number, nodes: number): AreaColumns {
    const cut = <T extends { subarray(a: number, b: number): T; slice(a: number, b: number): T; length: number }>(
      a: T,
      len: number,
    ): T => (a.length - len > 4096 && a.length > len * 2 ? a.slice(0, len) : a.subarray(0, len));
    return {
      startHi: cut(this.startHi, n),
      startLo: cut(this.startLo, n),
      endHi: cut(this.endHi, n),
      endLo: cut(this.endLo, n),
      size: cut(this.size, n),
      pages: cut(this.pages, n),
      kind: cut(this.kind, n),
      flagBits: cut(this.flagBits, n),
      symbol: cut(this.symbol, n),
      module: cut(this.module, n),
      callerOffset: cut(this.callerOffset, n),
      callerLength: cut(this.callerLength, n),
      physHi: cut(this.physHi, n),
      physLo: cut(this.physLo, n),
      line: cut(this.line, n),
      nodeStart: cut(this.nodeStart, n + 1),
      nodeId: cut(this.nodeId, nodes),
      nodePages: cut(this.nodePages, nodes),
    };
  }
}

export interface ParseOptions {
  /** Keep at most this many diagnostics in full (all are counted). Default 1000. */
  maxDiagnostics?: number;
}

/** Count '\n' bytes: the capacity of the columns. */
function countLines(src: Uint8Array): number {
  let n = 0;
  let p = src.indexOf(LF);
  while (p >= 0) {
    n++;
    p = src.indexOf(LF, p + 1);
  }
  return n + 1;
}

export function parse(input: string | Uint8Array, options: ParseOptions = {}): Snapshot {
  const src = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const maxDiagnostics = options.maxDiagnostics ?? MAX_DIAGNOSTICS;
  const len = src.length;
  const capacity = countLines(src);
  const col = new Columns(capacity, capacity);
  const interner = new ByteInterner();
  const flagWords = new Map<number, string[]>();
  const diagnostics: Diagnostic[] = [];
  let diagnosticCount = 0;
  let errorCount = 0;
  let warningCount = 0;
  const decoder = new TextDecoder('utf-8', { fatal: false });

  // Positions of this line's flag words, decoded only when the bit set cannot tell them.
  const wordFrom = new Int32Array(64);
  const wordTo = new Int32Array(64);

  let n = 0; //        areas kept
  let nodes = 0; //    node entries kept
  let lineNo = 0;
  let lineFrom = 0;
  let lineTo = 0;
  let digits16 = 0;
  let digits8 = 0;
  let masked = 0;
  let zero = 0;
  let rawMatch = 0;
  let inOrder = true;

  function report(severity: Severity, reason: string): void {
    diagnosticCount++;
    if (severity === 'error') errorCount++;
    else warningCount++;
    if (diagnostics.length < maxDiagnostics) {
      const end = Math.min(lineTo, lineFrom + 800);
      let text = decoder.decode(src.subarray(lineFrom, end));
      if (text.length > 200) text = text.slice(0, 199) + '…';
      diagnostics.push({ line: lineNo, severity, reason, text });
    }
  }

  let p = 0;
  while (p < len) {
    lineNo++;
    let eol = src.indexOf(LF, p);
    if (eol < 0) eol = len;
    let q = eol;
    while (q > p && (src[q - 1] === SP || src[q - 1] === TAB || src[q - 1] === CR)) q--;
    while (p < q && (src[p] === SP || src[p] === TAB)) p++;
    lineFrom = p;
    lineTo = q;
    const next = eol + 1;
    if (p === q) {
      p = next;
      continue;
    }

    // ---- 0x<start>-0x<end> -------------------------------------------------------------
    if (src[p] !== 48 || src[p + 1] !== 120 || q - p < 5) {
      report('error', describeForeignLine(src, p, q));
      p = next;
      continue;
    }
    p += 2;
    let isMasked = false;
    let sHi = 0;
    let sLo = 0;
    let sDigits = 0;
    if (src[p] === 40 /* ( */) {
      const close = src.indexOf(41, p);
      if (close < 0 || close >= q) {
        report('error', 'unterminated masked address "(…"');
        p = next;
        continue;
      }
      isMasked = true;
      p = close + 1;
    } else {
      while (p < q) {
        const d = HEX[src[p]];
        if (d < 0) break;
        sHi = ((sHi << 4) | (sLo >>> 28)) >>> 0;
        sLo = ((sLo << 4) | d) >>> 0;
        sDigits++;
        p++;
      }
      if (sDigits === 0 || sDigits > 16) {
        report('error', sDigits === 0 ? 'start address is not hex' : 'start address has more than 16 hex digits');
        p = next;
        continue;
      }
    }
    if (src[p] !== 45 /* - */ || src[p + 1] !== 48 || src[p + 2] !== 120) {
      report('error', "expected '-0x' after the start address");
      p = next;
      continue;
    }
    p += 3;
    let eHi = 0;
    let eLo = 0;
    let size = 0;
    let glued = false;
    if (src[p] === 40) {
      const close = src.indexOf(41, p);
      if (close < 0 || close >= q) {
        report('error', 'unterminated masked address "(…"');
        p = next;
        continue;
      }
      isMasked = true;
      p = close + 1;
    } else {
      const from = p;
      while (p < q && HEX[src[p]] >= 0) p++;
      let eDigits = p - from;
      const width = sDigits === 8 ? 8 : 16;
      if (eDigits > width && (p === q || isSpace(src[p]))) {
        // `0xffffc90004000000-0xffffc9000500100016781312`: the size lost its separating space.
        let decimal = true;
        for (let k = from + width; k < p; k++) if (src[k] > 57) decimal = false;
        if (!decimal) {
          report('error', 'end address has more than 16 hex digits');
          p = next;
          continue;
        }
        for (let k = from + width; k < p; k++) size = size * 10 + (src[k] - 48);
        eDigits = width;
        glued = true;
      }
      if (eDigits === 0 || eDigits > 16) {
        report('error', eDigits === 0 ? 'end address is not hex' : 'end address has more than 16 hex digits');
        p = next;
        continue;
      }
      for (let k = from; k < from + eDigits; k++) {
        eHi = ((eHi << 4) | (eLo >>> 28)) >>> 0;
        eLo = ((eLo << 4) | HEX[src[k]]) >>> 0;
      }
    }

    // ---- size (%7ld) ----------------------------------------------------------------------
    if (!glued) {
      if (p >= q || !isSpace(src[p])) {
        report('error', p >= q ? 'missing size after the address range' : 'expected a space after the end address');
        p = next;
        continue;
      }
      while (p < q && isSpace(src[p])) p++;
      const from = p;
      while (p < q && src[p] >= 48 && src[p] <= 57) {
        size = size * 10 + (src[p] - 48);
        p++;
      }
      if (p === from || (p < q && !isSpace(src[p]))) {
        report('error', 'size is not a decimal number');
        p = next;
        continue;
      }
    }
    if (size > MAX_EXACT) {
      report('error', 'size is larger than 2^53 bytes');
      p = next;
      continue;
    }

    // ---- caller, pages=, phys=, flags, N<node>= ---------------------------------------------
    let bits = isMasked ? BIT_MASKED : 0;
    if (glued) bits |= BIT_GLUED;
    let kind = -1;
    let pages = 0;
    let pHi = 0;
    let pLo = 0;
    let symbol = -1;
    let module = -1;
    let cOff = 0;
    let cLen = 0;
    let words = 0;
    let lastFlag = -1;
    let explicitWords = false;
    let warning = '';
    const nodeFrom = nodes;
    let token = 0;

    while (p < q) {
      while (p < q && isSpace(src[p])) p++;
      if (p >= q) break;
      const t0 = p;
      while (p < q && !isSpace(src[p])) p++;
      const t1 = p;
      const c0 = src[t0];
      const first = token++ === 0;

      if (c0 === 112 /* p */ && matchAt(src, t0, t1, BYTES_PAGES)) {
        let v = 0;
        let k = t0 + 6;
        for (; k < t1; k++) {
          const c = src[k];
          if (c < 48 || c > 57) break;
          v = v * 10 + (c - 48);
        }
        if (k === t0 + 6 || k !== t1 || v > MAX_EXACT) warning ||= 'unreadable pages= value (kept as a flag word)';
        else {
          pages = v;
          continue;
        }
      } else if (c0 === 112 && matchAt(src, t0, t1, BYTES_PHYS)) {
        let k = t0 + 5;
        if (src[k] === 48 && src[k + 1] === 120) k += 2; // %pa prints 0x since 4.11
        const from = k;
        let hi = 0;
        let lo = 0;
        for (; k < t1; k++) {
          const d = HEX[src[k]];
          if (d < 0) break;
          hi = ((hi << 4) | (lo >>> 28)) >>> 0;
          lo = ((lo << 4) | d) >>> 0;
        }
        if (k === from || k !== t1 || k - from > 16) warning ||= 'unreadable phys= value (kept as a flag word)';
        else {
          pHi = hi;
          pLo = lo;
          bits |= BIT_PHYS;
          continue;
        }
      } else if (c0 === 78 /* N */ && t1 - t0 >= 3 && src[t0 + 1] >= 48 && src[t0 + 1] <= 57) {
        let node = 0;
        let k = t0 + 1;
        for (; k < t1 && src[k] >= 48 && src[k] <= 57; k++) node = node * 10 + (src[k] - 48);
        if (src[k] === 61 /* = */ && node < 65536) {
          let v = 0;
          const from = ++k;
          for (; k < t1 && src[k] >= 48 && src[k] <= 57; k++) v = v * 10 + (src[k] - 48);
          if (k === t1 && k > from && v <= MAX_EXACT) {
            if (nodes === col.nodeId.length) col.growNodes();
            col.nodeId[nodes] = node;
            col.nodePages[nodes] = v;
            nodes++;
            continue;
          }
        }
        warning ||= 'unreadable N<node>= count (kept as a flag word)';
      } else if (c0 === 91 /* [ */ && src[t1 - 1] === 93 && t1 - t0 > 2) {
        module = interner.intern(src, t0 + 1, t1 - 1);
        continue;
      } else if (first && c0 === 118 /* v */ && t1 - t0 === 10 && matchAt(src, t0, t1, BYTES_VM_MAP_RAM)) {
        kind = KIND_INDEX.vm_map_ram;
        continue;
      } else if (first && c0 === 117 /* u */ && t1 - t0 === 8 && matchAt(src, t0, t1, BYTES_UNPURGED)) {
        // "unpurged vm_area": swallow the second word too.
        let k = t1;
        while (k < q && isSpace(src[k])) k++;
        if (matchAt(src, k, q, BYTES_VM_AREA) && (k + 7 === q || isSpace(src[k + 7]))) {
          kind = KIND_INDEX.unpurged;
          p = k + 7;
          continue;
        }
      } else if (first) {
        // sym+0xoff/0xlen, or a bare address when the kernel had no symbol for the caller.
        let plus = -1;
        for (let k = t1 - 1; k > t0; k--) {
          if (src[k] === 43 /* + */) {
            plus = k;
            break;
          }
        }
        if (plus > t0 && src[plus + 1] === 48 && src[plus + 2] === 120) {
          let k = plus + 3;
          let off = 0;
          const offFrom = k;
          for (; k < t1 && HEX[src[k]] >= 0; k++) off = off * 16 + HEX[src[k]];
          if (k > offFrom && src[k] === 47 /* / */ && src[k + 1] === 48 && src[k + 2] === 120) {
            k += 3;
            let lenV = 0;
            const lenFrom = k;
            for (; k < t1 && HEX[src[k]] >= 0; k++) lenV = lenV * 16 + HEX[src[k]];
            if (k === t1 && k > lenFrom) {
              symbol = interner.intern(src, t0, plus);
              cOff = off;
              cLen = lenV;
              bits |= BIT_CALLER;
              continue;
            }
          }
        }
        if (c0 === 48 && src[t0 + 1] === 120 && t1 - t0 > 2) {
          let k = t0 + 2;
          while (k < t1 && HEX[src[k]] >= 0) k++;
          if (k === t1) {
            symbol = interner.intern(src, t0, t1);
            cOff = NaN;
            cLen = NaN;
            bits |= BIT_CALLER | BIT_NO_OFFSET;
            continue;
          }
        }
      }

      // A flag word, known or not.
      let known = -1;
      for (let f = 0; f < KNOWN_FLAG_BYTES.length; f++) {
        const w = KNOWN_FLAG_BYTES[f];
        if (w.length === t1 - t0 && w[0] === c0 && matchAt(src, t0, t1, w)) {
          known = f;
          break;
        }
      }
      if (known >= 0) {
        const bit = 1 << known;
        if (known <= lastFlag || bits & bit) explicitWords = true;
        lastFlag = known;
        bits |= bit;
      } else {
        explicitWords = true;
      }
      if (words < wordFrom.length) {
        wordFrom[words] = t0;
        wordTo[words] = t1;
        words++;
      }
    }

    if (kind < 0) {
      kind = KIND_INDEX.other;
      for (const [bit, k] of KIND_BY_FLAG) {
        if (bits & bit) {
          kind = k;
          break;
        }
      }
    }

    // ---- keep the area -----------------------------------------------------------------------
    const i = n++;
    col.startHi[i] = sHi;
    col.startLo[i] = sLo;
    col.endHi[i] = eHi;
    col.endLo[i] = eLo;
    col.size[i] = size;
    col.pages[i] = pages;
    col.kind[i] = kind;
    col.flagBits[i] = bits;
    col.symbol[i] = symbol;
    col.module[i] = module;
    col.callerOffset[i] = cOff;
    col.callerLength[i] = cLen;
    col.physHi[i] = pHi;
    col.physLo[i] = pLo;
    col.line[i] = lineNo;
    col.nodeStart[i] = nodeFrom;
    col.nodeStart[i + 1] = nodes;
    if (explicitWords) {
      const list: string[] = [];
      for (let w = 0; w < words; w++) list.push(decoder.decode(src.subarray(wordFrom[w], wordTo[w])));
      flagWords.set(i, list);
    }

    // Pointer-mode evidence.
    if (isMasked) masked++;
    else {
      if (sDigits === 16) digits16++;
      else if (sDigits === 8) digits8++;
      if ((sHi | sLo | eHi | eLo) === 0) zero++;
      else {
        if ((eHi - sHi) * TWO32 + (eLo - sLo) === size) rawMatch++;
        if (i > 0 && inOrder) {
          const ph = col.startHi[i - 1];
          if (sHi < ph || (sHi === ph && sLo < col.startLo[i - 1])) inOrder = false;
        }
      }
    }

    if (glued) {
      report('warning', `size glued to the end address; read as end ${'0x' + hex8(eHi) + hex8(eLo)}, size ${size}`);
    }
    if (warning) report('warning', warning);
    p = next;
  }

  // ---- facts about the whole file --------------------------------------------------------------
  const addressed = n - masked - zero;
  let pointerMode: PointerMode;
  if (n === 0) pointerMode = 'unknown';
  else if (masked >= zero && masked >= addressed) pointerMode = 'masked';
  else if (zero >= addressed) pointerMode = 'zero';
  else if (rawMatch * 2 >= addressed) pointerMode = 'raw';
  else pointerMode = 'hashed';

  const snapshot = new Snapshot(
    {
      count: n,
      lineCount: lineNo,
      pointerMode,
      addressDigits: digits16 >= digits8 ? (digits16 > 0 ? 16 : 0) : 8,
      sorted: pointerMode === 'raw' ? inOrder : null,
      diagnosticCount,
      errorCount,
      warningCount,
    },
    col.trimmed(n, nodes),
    interner.strings,
    flagWords,
    diagnostics,
  );
  return snapshot;
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** A reason for a line that is not an area line, naming what it looks like where that helps. */
function describeForeignLine(src: Uint8Array, p: number, q: number): string {
  let colon = -1;
  let nul = false;
  for (let k = p; k < q && k < p + 200; k++) {
    const c = src[k];
    if (c === 0) nul = true;
    if (c === 58 && colon < 0) colon = k;
  }
  if (nul) return 'binary data, not text';
  if (colon > p && src[q - 2] === 107 && src[q - 1] === 66) return 'looks like a /proc/meminfo line, not an area line';
  return "not an area line: expected '0x<start>-0x<end> <size> …'";
}
