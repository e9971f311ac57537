// A byte-level scanner for /proc/vmallocinfo.
//
// The printer is s_show() in mm/vmalloc.c (vmalloc_info_show() from 6.9), checked against the
// releases 2.6.25 … 6.12 as summarised in docs/format.md. It prints, per area:
//
//   seq_printf(m, "0x%pK-0x%pK %7ld", v->addr, v->addr + v->size, v->size);
//   if (v->caller) seq_printf(m, " %pS", v->caller);     // sym+0xoff/0xlen [module]
//   if (v->nr_pages) seq_printf(m, " pages=%d", v->nr_pages);
//   if (v->phys_addr) seq_printf(m, " phys=%pa", &v->phys_addr);   // bare hex before 4.11
//   … " ioremap", " sparse", " vmalloc", " vmap", " user", " dma-coherent", " vpages"
//   show_numa_info(m, v);                               // " N0=4 N1=2"
// and for address ranges without a vm_struct:
//   0xffffd17d813c0000-0xffffd17d813c5000   20480 unpurged vm_area
//   0xffffd17d81000000-0xffffd17d81100000 1048576 vm_map_ram
//
// Input is bytes (a string is UTF-8 encoded once). One pass, no regular expressions and no
// per-line strings: numbers are accumulated digit by digit, addresses into exact 32-bit halves,
// caller and module names are interned straight from the bytes. Every good line is kept; every
// other line becomes a diagnostic with its number and a reason. parse() never throws on input.
// The scan's state, tables and what happens at the end of the input are in scanState.ts; the
// reasons it gives and the flag words it knows in scanWords.ts.

import { BIT_MASKED, BIT_PHYS, MAX_DIAGNOSTICS, Snapshot } from './snapshot.ts';
import { concatBytes } from '../bytes.ts';
import { CR, F_DMA, F_IOREMAP, F_SPARSE, F_VMALLOC, F_VMAP, finish, HEX, K_DMA, K_IOREMAP, K_OTHER, K_SPARSE, K_UNPURGED, K_VM_MAP_RAM, K_VMALLOC, K_VMAP, LF, MAX_EXACT, ScanState, SEP, SP, TAB, TWO32 } from './scanState.ts';
import { afterMasked, describeForeignLine, equals, hex8, knownFlag, MAX_NAME_BYTES, STUCK, TOO_BIG, UNTERMINATED_MASK } from './scanWords.ts';

export { MAX_NAME_BYTES, STUCK } from './scanWords.ts';

export interface ParseOptions {
  /** Keep at most this many diagnostics in full (all are counted). Default 1000. */
  maxDiagnostics?: number;
}

/** Parse a whole dump held in memory. */
export function parse(input: string | Uint8Array, options: ParseOptions = {}): Snapshot {
  const src = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const parser = new StreamParser({ ...options, sizeHint: src.length });
  parser.push(src);
  return parser.finish();
}

/**
 * Parse a dump that arrives in pieces (a file read in chunks, a stream): push() every chunk in
 * order, then finish(). Chunks may split lines anywhere; the caller may reuse a chunk's buffer
 * after push() returns. The result is identical to parse() of the concatenation.
 */
export class StreamParser {
  private readonly st: ScanState;
  private pending: Uint8Array[] = [];
  private finished = false;

  constructor(options: ParseOptions & { sizeHint?: number } = {}) {
    // Real lines are 60–120 bytes (72 is a typical low); the columns grow if the guess is short.
    const capacity = Math.ceil((options.sizeHint ?? 1 << 20) / 72) + 16;
    this.st = new ScanState(capacity, options.maxDiagnostics ?? MAX_DIAGNOSTICS);
  }

  /** Lines read so far (for progress reports). */
  get lines(): number {
    return this.st.lineNo;
  }

  /** Lines and fields scanned so far; never more than 2 × the bytes pushed + 1 (the fuzz suite's budget). */
  get steps(): number {
    return this.st.steps;
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('StreamParser: push() after finish()');
    if (chunk.length === 0) return;
    const lastLF = chunk.lastIndexOf(LF);
    if (lastLF < 0) {
      this.pending.push(chunk.slice());
      return;
    }
    let from = 0;
    if (this.pending.length > 0) {
      // Complete the line carried over from earlier chunks.
      const firstLF = chunk.indexOf(LF);
      this.pending.push(chunk.subarray(0, firstLF + 1));
      const line = concatBytes(this.pending);
      this.pending = [];
      scan(this.st, line, 0, line.length);
      from = firstLF + 1;
    }
    if (from <= lastLF) scan(this.st, chunk, from, lastLF + 1);
    if (lastLF + 1 < chunk.length) this.pending.push(chunk.slice(lastLF + 1));
  }

  finish(): Snapshot {
    if (!this.finished && this.pending.length > 0) {
      // The last line has no newline (a truncated read, a paste): scan it terminated.
      this.pending.push(Uint8Array.of(LF));
      const line = concatBytes(this.pending);
      this.pending = [];
      scan(this.st, line, 0, line.length);
    }
    this.finished = true;
    return finish(this.st);
  }
}

/**
 * Scan src[from, to), which ends with '\n'. Because every line is terminated, the loops below
 * stop at LF (never a valid digit or token byte) and need no bounds checks.
 */
function scan(st: ScanState, src: Uint8Array, from: number, to: number): void {
  let col = st.col;
  let n = st.n;
  let nodes = st.nodes;
  let lineNo = st.lineNo;
  let digits16 = st.digits16;
  let digits8 = st.digits8;
  let masked = st.masked;
  let zero = st.zero;
  let rawMatch = st.rawMatch;
  let inOrder = st.inOrder;
  const interner = st.interner;
  // Positions of one line's flag words, decoded only when the bit set cannot tell them.
  const wordFrom = new Int32Array(64);
  const wordTo = new Int32Array(64);

  let steps = st.steps;
  let p = from;
  let lastLine = from - 1;
  lines: while (p < to) {
    if (p <= lastLine) {
      // Every line must move p forward. Should a step ever fail to, skip to the next line rather
      // than scan the same bytes again (the fuzz suite checks this never happens).
      st.report(src, lastLine, lineNo, 'error', STUCK);
      p = src.indexOf(LF, lastLine) + 1;
      if (p <= 0) break;
      continue;
    }
    lastLine = p;
    steps++;
    lineNo++;
    let c = src[p];
    while (c === SP || c === TAB || c === CR) c = src[++p];
    const lineFrom = p;
    if (c === LF) {
      p++; // a blank line
      continue;
    }
    let error = '';

    // ---- 0x<start>-0x<end> -------------------------------------------------------------------
    let isMasked = false;
    let sHi = 0;
    let sLo = 0;
    let sDigits = 0;
    let eHi = 0;
    let eLo = 0;
    let size = 0;
    let glued = false;
    address: {
      if (c !== 48 || src[p + 1] !== 120) {
        error = describeForeignLine(src, p);
        break address;
      }
      p += 2;
      if (src[p] === 40 /* ( */) {
        // `0x(____ptrval____)`; a lost ')' must not send p back (-1) to the chunk's start.
        const q = afterMasked(src, p);
        if (q < 0) {
          error = UNTERMINATED_MASK;
          break address;
        }
        p = q;
        isMasked = true;
      } else {
        let d = HEX[src[p]];
        while (d >= 0) {
          sHi = ((sHi << 4) | (sLo >>> 28)) >>> 0;
          sLo = ((sLo << 4) | d) >>> 0;
          sDigits++;
          d = HEX[src[++p]];
        }
        if (sDigits === 0 || sDigits > 16) {
          error = sDigits === 0 ? 'start address is not hex' : 'start address has more than 16 hex digits';
          break address;
        }
      }
      if (src[p] !== 45 /* - */ || src[p + 1] !== 48 || src[p + 2] !== 120) {
        error = "expected '-0x' after the start address";
        break address;
      }
      p += 3;
      if (src[p] === 40) {
        const q = afterMasked(src, p);
        if (q < 0) {
          error = UNTERMINATED_MASK;
          break address;
        }
        p = q;
        isMasked = true;
      } else {
        const digitsFrom = p;
        let d = HEX[src[p]];
        let eDigits = 0;
        while (d >= 0 && eDigits < 16) {
          eHi = ((eHi << 4) | (eLo >>> 28)) >>> 0;
          eLo = ((eLo << 4) | d) >>> 0;
          eDigits++;
          d = HEX[src[++p]];
        }
        if (eDigits === 0) {
          error = 'end address is not hex';
          break address;
        }
        const width = sDigits === 8 ? 8 : 16;
        if (d >= 0 || eDigits > width) {
          // More hex digits than an address holds. Text copied from web pages loses the space
          // before an 8-digit size: `0xffffc90004000000-0xffffc9000500100016781312`. Accept
          // that when the rest of the run is decimal, and warn.
          let runEnd = p;
          while (HEX[src[runEnd]] >= 0) runEnd++;
          let k = digitsFrom + width;
          let v = 0;
          while (src[k] >= 48 && src[k] <= 57) v = v * 10 + (src[k++] - 48);
          if (k !== runEnd || SEP[src[runEnd]] !== 1) {
            error = `end address has more than ${width} hex digits`;
            break address;
          }
          // With a size column after it, the run is a damaged end address, not an end and a
          // size: `0xffffffffcf5e8000-0xffffffffcf5e80007000    8192 …` is not size 7000.
          let q = runEnd;
          while (src[q] === SP || src[q] === TAB) q++;
          if (q > runEnd && src[q] >= 48 && src[q] <= 57) {
            while (src[q] >= 48 && src[q] <= 57) q++;
            if (SEP[src[q]] === 1) {
              error = `end address has more than ${width} hex digits (a size column follows, so no size is glued to it)`;
              break address;
            }
          }
          eHi = 0;
          eLo = 0;
          for (k = digitsFrom; k < digitsFrom + width; k++) {
            eHi = ((eHi << 4) | (eLo >>> 28)) >>> 0;
            eLo = ((eLo << 4) | HEX[src[k]]) >>> 0;
          }
          size = v;
          glued = true;
          p = runEnd;
        }
      }

      // ---- size (%7ld) ------------------------------------------------------------------------
      if (!glued) {
        c = src[p];
        if (c !== SP && c !== TAB) {
          error = c === LF || c === CR ? 'missing size after the address range' : 'expected a space after the end address';
          break address;
        }
        do c = src[++p];
        while (c === SP || c === TAB);
        const sizeFrom = p;
        while (c >= 48 && c <= 57) {
          size = size * 10 + (c - 48);
          c = src[++p];
        }
        if (p === sizeFrom || SEP[c] !== 1) {
          error = 'size is not a decimal number';
          break address;
        }
      }
      if (size > MAX_EXACT) error = TOO_BIG('size');
    }
    if (error) {
      st.report(src, lineFrom, lineNo, 'error', error);
      while (src[p] !== LF) p++;
      p++;
      continue lines;
    }

    // ---- caller, pages=, phys=, flags, N<node>= ---------------------------------------------
    let bits = isMasked ? BIT_MASKED : 0;
    let kind = -1;
    let pages = 0;
    let pHi = 0;
    let pLo = 0;
    let symbol = -1;
    let module = -1;
    let cOff = 0;
    let cLen = 0;
    let words = 0;
    let lastFlag = 0;
    let explicitWords = false;
    let warning = '';
    const nodeFrom = nodes;
    let first = true;
    // Caller and module are interned once the line is known to be kept (a skipped line adds no string).
    let symFrom = -1;
    let symTo = -1;
    let modFrom = -1;
    let modTo = -1;

    tokens: for (;;) {
      c = src[p];
      while (c === SP || c === TAB || c === CR) c = src[++p];
      if (c === LF) break;
      steps++;
      const t0 = p;
      let t1 = p + 1;
      while (SEP[src[t1]] === 0) t1++;
      p = t1;
      const tlen = t1 - t0;
      const isFirst = first;
      first = false;
      if (tlen > MAX_NAME_BYTES) {
        error = `a field of ${tlen} bytes (callers, modules and flag words are at most ${MAX_NAME_BYTES}); line skipped`;
        break tokens;
      }

      switch (c) {
        case 112 /* p */:
          if (src[t0 + 1] === 97 && tlen > 6 && src[t0 + 2] === 103 && src[t0 + 3] === 101 && src[t0 + 4] === 115 && src[t0 + 5] === 61) {
            // pages=N
            let v = 0;
            let k = t0 + 6;
            let d = src[k];
            while (d >= 48 && d <= 57) {
              v = v * 10 + (d - 48);
              d = src[++k];
            }
            if (k === t1 && v > MAX_EXACT) {
              error = TOO_BIG('pages=');
              break tokens;
            }
            if (k === t1) {
              pages = v;
              continue;
            }
            warning ||= 'unreadable pages= value (kept as a flag word)';
          } else if (src[t0 + 1] === 104 && tlen > 5 && src[t0 + 2] === 121 && src[t0 + 3] === 115 && src[t0 + 4] === 61) {
            // phys=0x… (4.11+) or phys=… (bare hex before)
            let k = t0 + 5;
            if (src[k] === 48 && src[k + 1] === 120) k += 2;
            const hexFrom = k;
            let hi = 0;
            let lo = 0;
            let d = HEX[src[k]];
            while (d >= 0) {
              hi = ((hi << 4) | (lo >>> 28)) >>> 0;
              lo = ((lo << 4) | d) >>> 0;
              d = HEX[src[++k]];
            }
            if (k === t1 && k > hexFrom && k - hexFrom <= 16) {
              pHi = hi;
              pLo = lo;
              bits |= BIT_PHYS;
              continue;
            }
            warning ||= 'unreadable phys= value (kept as a flag word)';
          }
          break;
        case 78 /* N */: {
          let k = t0 + 1;
          let d = src[k];
          let node = 0;
          while (d >= 48 && d <= 57) {
            node = node * 10 + (d - 48);
            d = src[++k];
          }
          if (d === 61 /* = */ && k > t0 + 1 && node < 65536) {
            let v = 0;
            const vFrom = ++k;
            d = src[k];
            while (d >= 48 && d <= 57) {
              v = v * 10 + (d - 48);
              d = src[++k];
            }
            if (k === t1 && k > vFrom && v > MAX_EXACT) {
              error = TOO_BIG(`the N${node}= page count`);
              break tokens;
            }
            if (k === t1 && k > vFrom) {
              if (nodes === col.nodeId.length) col.growNodes();
              col.nodeId[nodes] = node;
              col.nodePages[nodes] = v;
              nodes++;
              continue;
            }
            // N<digits>= with no number after it; without the '=' it may be a caller (N2k_…).
            warning ||= 'unreadable N<node>= count (kept as a flag word)';
          }
          break;
        }
        case 91 /* [ */:
          if (src[t1 - 1] === 93 && tlen > 2) {
            modFrom = t0 + 1;
            modTo = t1 - 1;
            continue;
          }
          break;
        case 118 /* v */:
          if (tlen === 7 && equals(src, t0, 'vmalloc')) {
            // vmalloc (the common case, checked first)
            if (lastFlag >= F_VMALLOC || bits & F_VMALLOC) explicitWords = true;
            lastFlag = F_VMALLOC;
            bits |= F_VMALLOC;
            if (words < 64) {
              wordFrom[words] = t0;
              wordTo[words++] = t1;
            }
            continue;
          }
          if (isFirst && tlen === 10 && equals(src, t0, 'vm_map_ram')) {
            kind = K_VM_MAP_RAM;
            continue;
          }
          break;
        case 117 /* u */:
          if (isFirst && tlen === 8 && equals(src, t0, 'unpurged')) {
            // "unpurged vm_area": swallow the second word too.
            let k = t1;
            while (src[k] === SP || src[k] === TAB) k++;
            if (equals(src, k, 'vm_area') && SEP[src[k + 7]] === 1) {
              kind = K_UNPURGED;
              p = k + 7;
              continue;
            }
          }
          break;
        default:
          break;
      }

      if (isFirst && kind < 0) {
        // sym+0xoff/0xlen: find the last '+', the offset and the length.
        let plus = t1 - 1;
        while (plus > t0 && src[plus] !== 43 /* + */) plus--;
        if (plus > t0 && src[plus + 1] === 48 && src[plus + 2] === 120) {
          let k = plus + 3;
          let off = 0;
          let d = HEX[src[k]];
          while (d >= 0) {
            off = off * 16 + d;
            d = HEX[src[++k]];
          }
          if (k > plus + 3 && src[k] === 47 /* / */ && src[k + 1] === 48 && src[k + 2] === 120) {
            k += 3;
            const lenFrom = k;
            let length = 0;
            d = HEX[src[k]];
            while (d >= 0) {
              length = length * 16 + d;
              d = HEX[src[++k]];
            }
            if (k === t1 && k > lenFrom) {
              if (off > MAX_EXACT || length > MAX_EXACT) {
                error = TOO_BIG(off > MAX_EXACT ? 'the caller offset' : 'the caller length');
                break tokens;
              }
              symFrom = t0;
              symTo = plus;
              cOff = off;
              cLen = length;
              continue;
            }
          }
        }
        if (c === 48 && src[t0 + 1] === 120 && tlen > 2) {
          // A bare address: the kernel had no symbol for the caller.
          let k = t0 + 2;
          while (HEX[src[k]] >= 0) k++;
          if (k === t1) {
            symFrom = t0;
            symTo = t1;
            cOff = NaN;
            cLen = NaN;
            continue;
          }
        }
      }

      // A flag word, known or not (unknown words are kept, in order).
      const bit = knownFlag(src, t0, tlen, c);
      if (bit !== 0) {
        if (lastFlag >= bit || bits & bit) explicitWords = true;
        lastFlag = bit;
        bits |= bit;
      } else explicitWords = true;
      if (words < 64) {
        wordFrom[words] = t0;
        wordTo[words++] = t1;
      } else warning ||= 'more than 64 flag words; the rest are not kept';
    }
    while (src[p] !== LF) p++; // the rest of a skipped line
    p++; // past LF
    if (error) {
      nodes = nodeFrom;
      st.report(src, lineFrom, lineNo, 'error', error);
      continue lines;
    }
    if (symFrom >= 0) symbol = interner.intern(src, symFrom, symTo);
    if (modFrom >= 0) module = interner.intern(src, modFrom, modTo);

    if (kind < 0) {
      kind =
        bits & F_IOREMAP
          ? K_IOREMAP
          : bits & F_SPARSE
            ? K_SPARSE
            : bits & F_VMALLOC
              ? K_VMALLOC
              : bits & F_VMAP
                ? K_VMAP
                : bits & F_DMA
                  ? K_DMA
                  : K_OTHER;
    }

    // ---- keep the area -----------------------------------------------------------------------
    if (n === col.capacity) col.grow(n + 1);
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
      for (let w = 0; w < words; w++) list.push(st.decoder.decode(src.subarray(wordFrom[w], wordTo[w])));
      st.flagWords.set(i, list);
    }

    // Pointer-mode evidence: raw lines satisfy end - start == size; hashed ones never do.
    if (isMasked) masked++;
    else {
      if (sDigits === 16) digits16++;
      else if (sDigits === 8) digits8++;
      if ((sHi | sLo | eHi | eLo) === 0) zero++;
      else {
        const span = (eHi - sHi) * TWO32 + (eLo - sLo);
        if (span === size) rawMatch++;
        else if (span < 0) {
          // Normal in hashed mode; in a raw dump the model cannot hold it (finish() decides).
          const text = st.backwards.length < st.maxDiagnostics ? st.lineText(src, lineFrom) : null;
          st.backwards.push({ i, line: lineNo, digits: sDigits, text });
        }
        // Compare with the previous area through the columns: a loop-carried local holding a
        // uint32 above 2^30 would be boxed on every line.
        if (i > 0 && (sHi < col.startHi[i - 1] || (sHi === col.startHi[i - 1] && sLo < col.startLo[i - 1]))) inOrder = false;
      }
    }

    if (glued) st.report(src, lineFrom, lineNo, 'warning', `size glued to the end address; read as end 0x${hex8(eHi)}${hex8(eLo)}, size ${size}`);
    if (warning) st.report(src, lineFrom, lineNo, 'warning', warning);
    col = st.col;
  }

  st.steps = steps;
  st.n = n;
  st.nodes = nodes;
  st.lineNo = lineNo;
  st.digits16 = digits16;
  st.digits8 = digits8;
  st.masked = masked;
  st.zero = zero;
  st.rawMatch = rawMatch;
  st.inOrder = inOrder;
}
