// The scanner's state and tables: byte codes, kind and flag codes, the hex and separator tables,
// everything a scan accumulates across calls (ScanState), and what happens once the input ends
// (finish: the pointer mode, the raw lines whose end is below their start). The hot loop itself is
// scan() in scanner.ts.

import { ColumnBuilder } from './columns.ts';
import { ByteInterner } from './intern.ts';
import { BIT_MASKED, Snapshot } from './snapshot.ts';
import type { Diagnostic, PointerMode, Severity } from '../types.ts';

export const SP = 32;
export const TAB = 9;
export const CR = 13;
export const LF = 10;
export const TWO32 = 4294967296;
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

// Kind indices (AREA_KINDS order) and flag bits (KNOWN_FLAGS order), spelled out as constants so
// the hot loop does not chase imported bindings; constants.test.ts checks they agree.
export const K_VMALLOC = 0;
export const K_IOREMAP = 1;
export const K_VMAP = 2;
export const K_VM_MAP_RAM = 3;
export const K_UNPURGED = 4;
export const K_SPARSE = 5;
export const K_DMA = 6;
export const K_OTHER = 7;
export const F_IOREMAP = 1;
export const F_SPARSE = 2;
export const F_VMALLOC = 4;
export const F_VMAP = 8;
export const F_USER = 16;
export const F_DMA = 32;
export const F_VPAGES = 64;

/** Hex digit value of a byte, or -1. */
export const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[97 + c] = 10 + c;
  HEX[65 + c] = 10 + c;
}
/** Token separators: space, tab, CR (and LF, which ends the line). */
export const SEP = new Uint8Array(256);
SEP[SP] = SEP[TAB] = SEP[CR] = SEP[LF] = 1;

/** Everything the scan accumulates across calls (the body, then an unterminated last line). */
export class ScanState {
  col: ColumnBuilder;
  interner = new ByteInterner();
  flagWords = new Map<number, string[]>();
  diagnostics: Diagnostic[] = [];
  maxDiagnostics: number;
  decoder = new TextDecoder('utf-8', { fatal: false });
  n = 0;
  nodes = 0;
  lineNo = 0;
  diagnosticCount = 0;
  errorCount = 0;
  warningCount = 0;
  digits16 = 0;
  digits8 = 0;
  masked = 0;
  zero = 0;
  rawMatch = 0;
  inOrder = true;
  /** Lines and fields scanned: each consumes at least one byte, so steps ≤ 2 × bytes + 1. */
  steps = 0;

  constructor(capacity: number, maxDiagnostics: number) {
    this.col = new ColumnBuilder(capacity);
    this.maxDiagnostics = maxDiagnostics;
  }

  /** The string table when finish() had to drop names (else the interner's). */
  strings: string[] | null = null;
  /** Lines kept so far whose end is below their start: skipped at the end if the dump is raw. */
  backwards: { i: number; line: number; digits: number; text: string | null }[] = [];

  report(src: Uint8Array, lineFrom: number, line: number, severity: Severity, reason: string): void {
    this.diagnosticCount++;
    if (severity === 'error') this.errorCount++;
    else this.warningCount++;
    if (this.diagnostics.length >= this.maxDiagnostics) return;
    this.diagnostics.push({ line, severity, reason, text: this.lineText(src, lineFrom) });
  }

  lineText(src: Uint8Array, lineFrom: number): string {
    let end = src.indexOf(LF, lineFrom);
    if (end < 0) end = src.length;
    while (end > lineFrom && (src[end - 1] === CR || src[end - 1] === SP || src[end - 1] === TAB)) end--;
    let text = this.decoder.decode(src.subarray(lineFrom, Math.min(end, lineFrom + 800)));
    if (text.length > 200) text = text.slice(0, 199) + '…';
    return text;
  }
}

/**
 * In a raw dump, skip the lines whose end is below their start (a damaged line: the kernel prints
 * start + size). Real addresses are laid out by end − start, which such a line cannot have. The
 * mode stays raw: these lines never counted as raw evidence. Returns the areas left.
 */
export function dropBackwards(st: ScanState): number {
  const rows = st.backwards.map((b) => b.i);
  st.nodes = st.col.remove(rows, st.n);
  const n = st.n - rows.length;
  for (const b of st.backwards) {
    if (b.digits === 16) st.digits16--;
    else if (b.digits === 8) st.digits8--;
    st.diagnosticCount++;
    st.errorCount++;
    if (b.text !== null) st.diagnostics.push({ line: b.line, severity: 'error', reason: 'end address is below the start address; line skipped', text: b.text });
  }
  st.diagnostics.sort((a, b) => a.line - b.line);
  st.diagnostics.length = Math.min(st.diagnostics.length, st.maxDiagnostics);
  // Flag words and the address order, renumbered without the dropped rows.
  const kept = new Map<number, string[]>();
  let r = 0;
  for (const [i, words] of [...st.flagWords].sort((a, b) => a[0] - b[0])) {
    while (r < rows.length && rows[r] < i) r++;
    if (rows[r] !== i) kept.set(i - r, words);
  }
  st.flagWords = kept;
  const c = st.col;
  let inOrder = true;
  for (let i = 1; i < n && inOrder; i++) {
    if (c.flagBits[i] & BIT_MASKED || (c.startHi[i] | c.startLo[i] | c.endHi[i] | c.endLo[i]) === 0) continue;
    if (c.startHi[i] < c.startHi[i - 1] || (c.startHi[i] === c.startHi[i - 1] && c.startLo[i] < c.startLo[i - 1])) inOrder = false;
  }
  st.inOrder = inOrder;
  st.n = n;
  st.backwards = [];
  // Names only the dropped lines used leave the string table (ids renumbered in order).
  const strings = st.interner.strings;
  const id = new Int32Array(strings.length).fill(-1);
  for (let i = 0; i < n; i++) {
    if (c.symbol[i] >= 0) id[c.symbol[i]] = 0;
    if (c.module[i] >= 0) id[c.module[i]] = 0;
  }
  const left: string[] = [];
  for (let k = 0; k < strings.length; k++) if (id[k] === 0) id[k] = left.push(strings[k]) - 1;
  if (left.length < strings.length) {
    for (let i = 0; i < n; i++) {
      if (c.symbol[i] >= 0) c.symbol[i] = id[c.symbol[i]];
      if (c.module[i] >= 0) c.module[i] = id[c.module[i]];
    }
    st.strings = left;
  }
  return n;
}


export function finish(st: ScanState): Snapshot {
  let n = st.n;
  const addressed = n - st.masked - st.zero;
  let pointerMode: PointerMode;
  if (n === 0) pointerMode = 'unknown';
  else if (st.masked >= st.zero && st.masked >= addressed) pointerMode = 'masked';
  else if (st.zero >= addressed) pointerMode = 'zero';
  else if (st.rawMatch * 2 >= addressed) pointerMode = 'raw';
  else pointerMode = 'hashed';
  if (pointerMode === 'raw' && st.backwards.length > 0) n = dropBackwards(st);
  return new Snapshot(
    {
      count: n,
      lineCount: st.lineNo,
      pointerMode,
      addressDigits: st.digits16 >= st.digits8 ? (st.digits16 > 0 ? 16 : 0) : 8,
      sorted: pointerMode === 'raw' ? st.inOrder : null,
      diagnosticCount: st.diagnosticCount,
      errorCount: st.errorCount,
      warningCount: st.warningCount,
    },
    st.col.trimmed(n, st.nodes),
    st.strings ?? st.interner.strings,
    st.flagWords,
    st.diagnostics,
  );
}
