import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDump } from './input/read.ts';
import { buildModel } from './model/model.ts';
import { StreamParser, STUCK } from './parse/scanner.ts';
import type { Snapshot } from './parse/snapshot.ts';
import { decodePayload, encodePayload } from './share/codec.ts';
import type { ShareView } from './share/codec.ts';
import { fixtures } from './testing/fixtures.ts';
import type { Area } from './types.ts';

// Fuzzing the input path with the real captures as seeds (public/samples/kernels and seeds):
// truncations, bit flips, lost brackets, CR/LF/UTF-16 changes, huge numbers, end/start swaps and
// random line splices. For every mutated input:
//   - the input path (readDump, then the scanner) never throws;
//   - it ends within a step budget proportional to the input: the scanner counts one step per line
//     and per field, each of which consumes a byte, so steps ≤ bytes + 1 (not wall-clock: a loop
//     that goes back, as `0x(` without `)` once did, blows the budget or trips the STUCK guard);
//   - every good line the mutation did not touch reads exactly as it did in the seed;
//   - every snapshot it makes goes into a share link and comes back as itself.
// Fixed seeds and run counts keep it to a few seconds in CI.

const SEEDS = fixtures().map((f) => ({ path: f.path, lines: f.text.replace(/\n$/, '').split('\n') }));
const enc = new TextEncoder();
const SEED_LINES = new Set(SEEDS.flatMap((f) => f.lines));
const NO_VIEW: ShareView = { range: null, selected: null, colourMode: 'kind', collapse: true };

interface Parsed {
  snapshot: Snapshot;
  /** The text the scanner read, by line (index = line number − 1). */
  text: string[];
  steps: number;
  bytes: number;
  joined: number;
}

/** The app's and the CLI's input path, with the scanner's step count. */
function run(input: Uint8Array): Parsed {
  const { bytes, joined } = readDump(input);
  const parser = new StreamParser({ sizeHint: bytes.length });
  // Pieces of uneven size, so lines are split across pushes too.
  for (let at = 0, k = 1; at < bytes.length; at += 97 * k, k++) parser.push(bytes.subarray(at, at + 97 * k));
  return { snapshot: parser.finish(), text: new TextDecoder().decode(bytes).split('\n'), steps: parser.steps, bytes: bytes.length, joined };
}

function checkBudget(p: Parsed): void {
  expect(p.steps).toBeLessThanOrEqual(p.bytes + 1);
  expect(p.snapshot.diagnostics.filter((d) => d.reason === STUCK)).toEqual([]);
}

/**
 * What every kept area must be, read back from its own line the awk way: the model holds its
 * numbers exactly (safe integers), a raw area does not end below its start, and when the line
 * has a size column (`0x…-0x… <digits> …`) that is the area's size, whatever the end address
 * looks like (a size is split off a long end address only when no size column follows).
 */
function checkAreas(p: Parsed): void {
  const { snapshot: s, text } = p;
  const safe = (v: number) => Number.isSafeInteger(v) && v >= 0;
  const bad: string[] = [];
  for (let i = 0; i < s.count && bad.length < 3; i++) {
    const a = s.area(i);
    const line = text[a.line - 1] ?? '';
    const fields = line.replace(/\r/g, ' ').trim().split(/[ \t]+/);
    const numbers = [a.size, a.pages, ...a.nodes.map((n) => n.pages), ...(a.caller && !Number.isNaN(a.caller.offset) ? [a.caller.offset, a.caller.length] : [])];
    if (!numbers.every(safe)) bad.push(`line ${a.line}: a number the model cannot hold: ${numbers.join(' ')}`);
    if (s.pointerMode === 'raw' && a.start !== null && a.end !== null && a.end < a.start) bad.push(`line ${a.line}: raw area ends below its start`);
    if (/^0x\S*-0x\S*$/.test(fields[0]) && /^\d+$/.test(fields[1] ?? '') && a.size !== Number(fields[1])) bad.push(`line ${a.line}: size ${a.size}, but the size column says ${fields[1]}: ${line}`);
  }
  expect(bad).toEqual([]);
}

/** An area as a comparable string, without its index and line (and addresses, when asked). */
function key(a: Area, withoutAddresses = false): string {
  const { index: _i, line: _l, ...rest } = a;
  if (withoutAddresses) {
    rest.start = null;
    rest.end = null;
  }
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
}

function byLine(s: Snapshot): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < s.count; i++) out.set(s.columns.line[i], key(s.area(i)));
  return out;
}

/**
 * Whether the snapshot goes into a share link's payload (real addresses included) and comes back
 * as itself: what the link promises (src/lib/share/codec.ts): every area's values in model order,
 * addresses in raw mode, adjacency (which area follows which) in the others, where the link keeps
 * no hash value. Returns null when it does, else what went wrong.
 */
function shareProblem(s: Snapshot): string | null {
  if (s.count === 0) return null;
  const model = buildModel(s);
  let t: Snapshot;
  try {
    t = decodePayload(encodePayload(model, NO_VIEW, { includeAddresses: true })).snapshot;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (t.count !== s.count || t.pointerMode !== s.pointerMode || t.addressDigits !== s.addressDigits) return `came back with ${t.count} ${t.pointerMode} areas`;
  const raw = s.pointerMode === 'raw';
  const back = raw ? null : buildModel(t);
  const position = new Int32Array(s.count);
  model.order.forEach((i, k) => (position[i] = k));
  for (let k = 0; k < s.count; k++) {
    const i = model.order[k];
    const a = key(s.area(i), !raw);
    const b = key(t.area(k), !raw);
    if (a !== b) return `${a} came back as ${b}`;
    const next = model.chainNext[i];
    if (back && back.chainNext[k] !== (next < 0 ? -1 : position[next])) return `area ${k} chains to ${back.chainNext[k]}, not ${next < 0 ? -1 : position[next]}`;
  }
  return null;
}

/** Inputs whose snapshot did not share and reopen as itself, reported by the last test. */
const shareFailures: Array<{ problem: string; lines: string[] }> = [];

function checkShares(p: Parsed): void {
  const { snapshot: s, text } = p;
  const problem = shareProblem(s);
  if (problem === null) return;
  // The lines the parser kept that differ from every seed line: what the codec could not carry.
  const lines = Array.from({ length: s.count }, (_, i) => text[s.columns.line[i] - 1]).filter((l) => !SEED_LINES.has(l));
  shareFailures.push({ problem, lines: lines.slice(0, 3) });
}

/** Parsed seeds, computed once. */
const seedCache = new Map<string, { parsed: Parsed; lines: Map<number, string> }>();
function seed(path: string, lines: string[]) {
  let c = seedCache.get(path);
  if (!c) {
    const parsed = run(enc.encode(lines.join('\n') + '\n'));
    c = { parsed, lines: byLine(parsed.snapshot) };
    seedCache.set(path, c);
  }
  return c;
}

// ---- mutations of one line -----------------------------------------------------------------------

const bytesOf = (s: string) => enc.encode(s);
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const HUGE = fc.oneof(
  fc.constantFrom('9007199254740991', '9007199254740992', '9007199254740993', '18446744073709551615', '123456789012345678901234'),
  fc.stringMatching(/^[1-9][0-9]{15,30}$/),
);

/** Every way the suite damages a line, as plain data (so a counterexample says what was done). */
const lineMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }), flips: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('bracket' as const), which: fc.constantFrom('(', ')', '[', ']'), nth: fc.nat(3) }),
  fc.record({ kind: fc.constant('huge' as const), huge: HUGE, nth: fc.nat(12), hex: fc.boolean() }),
  fc.record({ kind: fc.constant('swap' as const) }),
  fc.record({ kind: fc.constant('mask' as const), lose: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('digits' as const), digits: fc.stringMatching(/^[0-9a-f]{1,8}$/), glue: fc.boolean() }),
  fc.record({ kind: fc.constant('splice' as const), at: fraction, cut: fraction, newline: fc.boolean() }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, what: fc.constantFrom('\r', '\r\n', '\t', '\u00a0', '\ufeff', '\0', ')', '(') }),
);
type LineMutation = typeof lineMutation extends fc.Arbitrary<infer T> ? T : never;

/** Line `line` damaged by `m`; `other` is another line of the same seed (for splices). */
function mutate(m: LineMutation, line: Uint8Array, other: Uint8Array): Uint8Array {
  const pos = (at: number, len = line.length) => Math.min(len, Math.floor(len * at));
  switch (m.kind) {
    case 'truncate':
      return line.subarray(0, pos(m.at));
    case 'flip': {
      const out = line.slice();
      for (let f = 0; f < m.flips && out.length > 0; f++) out[(pos(m.at) + f * 7) % out.length] ^= 1 << ((m.bit + f) & 7);
      return out;
    }
    case 'bracket': {
      const c = m.which.charCodeAt(0);
      const at = [...line.keys()].filter((k) => line[k] === c);
      if (at.length === 0) return line;
      const k = at[m.nth % at.length];
      return join(line.subarray(0, k), line.subarray(k + 1));
    }
    case 'huge': {
      const text = new TextDecoder().decode(line);
      const runs = [...text.matchAll(m.hex ? /0x[0-9a-f]+/g : /(?<![0-9a-fx])[0-9]+/g)];
      if (runs.length === 0) return line;
      const r = runs[m.nth % runs.length];
      const value = m.hex ? `0x${BigInt(m.huge).toString(16)}` : m.huge;
      return bytesOf(text.slice(0, r.index) + value + text.slice(r.index! + r[0].length));
    }
    case 'swap':
      return bytesOf(new TextDecoder().decode(line).replace(/^(\s*)0x([0-9a-f]+)-0x([0-9a-f]+)/, '$10x$3-0x$2'));
    case 'mask': {
      // The early-boot form 0x(____ptrval____), losing the first, the second or both ')'.
      const masked = new TextDecoder().decode(line).replace(/^(\s*)0x[0-9a-f]+-0x[0-9a-f]+/, (_m, sp: string) => `${sp}0x(____ptrval____${m.lose & 1 ? '' : ')'}-0x(____ptrval____${m.lose & 2 ? '' : ')'}`);
      return bytesOf(masked);
    }
    case 'digits':
      // Hex digits after the end address, with the size column kept or glued to it (a web page's copy).
      return bytesOf(new TextDecoder().decode(line).replace(/^(\s*0x\S+-0x[0-9a-f]+)\s+/, m.glue ? '$1' : `$1${m.digits} `));
    case 'splice':
      return join(line.subarray(0, pos(m.at)), m.newline ? Uint8Array.of(10) : new Uint8Array(0), other.subarray(pos(m.cut, other.length)));
    case 'insert':
      return join(line.subarray(0, pos(m.at)), bytesOf(m.what), line.subarray(pos(m.at)));
  }
}

describe('fuzzing the input path with the real captures as seeds', () => {
  it('keeps every untouched good line, within the step budget, when lines are damaged', () => {
    fc.assert(
      fc.property(
        fc.nat(SEEDS.length - 1),
        fc.array(fc.record({ at: fraction, from: fraction, m: lineMutation }), { minLength: 1, maxLength: 3 }),
        (which, mutations) => {
          const { path, lines } = SEEDS[which];
          const original = seed(path, lines);
          const bytes = lines.map(bytesOf);
          const touched = new Set<number>();
          const replaced = new Map<number, Uint8Array>();
          for (const { at, from, m } of mutations) {
            const k = Math.min(lines.length - 1, Math.floor(lines.length * at));
            const other = bytes[Math.min(lines.length - 1, Math.floor(lines.length * from))];
            replaced.set(k, mutate(m, replaced.get(k) ?? bytes[k], other));
            // The line itself, and the lines before it that it may now continue (a wrapped line).
            for (let j = k; j >= Math.max(0, k - (original.parsed.joined > 0 ? 8 : 1)); j--) touched.add(j + 1);
          }
          // New line numbers: a mutated line may hold line ends of its own (LF, or a CR not
          // followed by more CRs and a LF, which is read as a line end too).
          const parts: Uint8Array[] = [];
          const startOf: number[] = [];
          let offset = 0;
          for (let k = 0; k < lines.length; k++) {
            const b = replaced.get(k) ?? bytes[k];
            startOf[k + 1] = offset;
            parts.push(b, Uint8Array.of(10));
            offset += b.length + 1;
          }
          const input = join(...parts);
          const lineOf: number[] = [];
          let lineNo = 1;
          for (let k = 1, at = 0; k <= lines.length; k++) {
            for (; at < startOf[k]; at++) {
              if (input[at] === 10) lineNo++;
              else if (input[at] === 13) {
                let q = at + 1;
                while (input[q] === 13) q++;
                if (input[q] !== 10) lineNo++;
              }
            }
            lineOf[k] = lineNo;
          }
          const p = run(input);
          checkBudget(p);
          checkAreas(p);
          const got = byLine(p.snapshot);
          if (p.snapshot.pointerMode === original.parsed.snapshot.pointerMode) {
            const lost: string[] = [];
            for (const [line, area] of original.lines) {
              if (touched.has(line)) continue;
              if (got.get(lineOf[line]) !== area) lost.push(`line ${line} (now ${lineOf[line]}): ${area} → ${got.get(lineOf[line])}`);
            }
            expect(lost.slice(0, 3)).toEqual([]);
          }
          checkShares(p);
        },
      ),
      { seed: 20261130, numRuns: 300 },
    );
  }, 60_000);

  it('reads the same areas whatever the encoding and line ends, and within the step budget when cut anywhere', () => {
    const variants: Array<[string, (text: string) => Uint8Array]> = [
      ['CRLF', (t) => bytesOf(t.replace(/\n/g, '\r\n'))],
      ['CR only', (t) => bytesOf(t.replace(/\n/g, '\r'))],
      ['UTF-8 with a BOM', (t) => join(Uint8Array.of(0xef, 0xbb, 0xbf), bytesOf(t))],
      ['UTF-16LE with a BOM and CRLF', (t) => join(Uint8Array.of(0xff, 0xfe), new Uint8Array(Buffer.from(t.replace(/\n/g, '\r\n'), 'utf16le')))],
      ['UTF-16LE', (t) => new Uint8Array(Buffer.from(t, 'utf16le'))],
      ['UTF-16BE with a BOM', (t) => join(Uint8Array.of(0xfe, 0xff), new Uint8Array(Buffer.from(t, 'utf16le').swap16()))],
      ['UTF-16BE', (t) => new Uint8Array(Buffer.from(t, 'utf16le').swap16())],
    ];
    for (const { path, lines } of SEEDS) {
      const original = seed(path, lines);
      const text = lines.join('\n') + '\n';
      for (const [name, encode] of variants) {
        const p = run(encode(text));
        checkBudget(p);
        expect(byLine(p.snapshot), `${path} as ${name}`).toEqual(original.lines);
      }
    }
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fraction, fc.constantFrom(0, 1, 2), (which, at, form) => {
        const { path, lines } = SEEDS[which];
        const original = seed(path, lines);
        const text = lines.join('\n') + '\n';
        const whole = form === 0 ? bytesOf(text) : form === 1 ? bytesOf(text.replace(/\n/g, '\r')) : new Uint8Array(Buffer.from(text, 'utf16le'));
        const cut = Math.floor(whole.length * at);
        const input = whole.subarray(0, cut);
        const p = run(input);
        checkBudget(p);
        checkAreas(p);
        // Every line that ends before the cut is read as it was.
        const kept = form === 2 ? Buffer.from(whole.subarray(0, cut)).toString('utf16le') : new TextDecoder().decode(whole.subarray(0, cut));
        const complete = kept.split(/\r|\n/).length - 1;
        const got = byLine(p.snapshot);
        for (const [line, area] of original.lines) if (line < complete) expect(got.get(line), `${path} cut at ${cut}, line ${line}`).toBe(area);
        checkShares(p);
      }),
      { seed: 1130, numRuns: 150 },
    );
  }, 60_000);

  it('shares and reopens every seed as itself', () => {
    for (const { path, lines } of SEEDS) {
      const s = seed(path, lines).parsed.snapshot;
      expect(s.count, path).toBeGreaterThan(0);
      expect(shareProblem(s), path).toBeNull();
    }
  });

  it('shares and reopens lines at every limit the parser accepts as themselves', () => {
    // The parser's side of the contract with the share codec: it keeps numbers up to 2^53 − 1 and
    // 16-digit addresses, and refuses the rest (see lines.test.ts); everything it keeps must share.
    const x86 = SEEDS.find((f) => f.path.endsWith('x86_64-6.1.0-56-boot-raw.vmallocinfo'))!.lines;
    const limits = [
      '0xffffc90000000000-0xffffc90000002000 9007199254740991 big+0x1/0x2 vmalloc',
      '0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 pages=9007199254740991 vmalloc N0=9007199254740991',
      '0xffffc90000000000-0xffffc90000002000    8192 f+0x1fffffffffffff/0x1fffffffffffff pages=1 vmalloc',
      '0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 phys=0xffffffffffffffff ioremap',
      '0x0000000000001000-0xfffffffffffff000    8192 f+0x1/0x2 pages=1 vmalloc',
      '0xffffffffffffe000-0xfffffffffffff000    4096 f+0x1/0x2 vmalloc',
    ];
    const problems: string[] = [];
    for (const line of limits) {
      const s = run(enc.encode([...x86, line].join('\n') + '\n')).snapshot;
      expect(s.count).toBe(x86.length + 1);
      const problem = shareProblem(s);
      if (problem) problems.push(`${line}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  // Runs after the two fuzzing tests above (vitest runs a file's tests in order).
  it('shares and reopens every snapshot the fuzzing made as itself', () => {
    const byProblem = new Map<string, { count: number; lines: string[] }>();
    for (const f of shareFailures) {
      const what = f.problem.replace(/\d{6,}/g, 'N');
      const entry = byProblem.get(what) ?? { count: 0, lines: f.lines };
      entry.count++;
      byProblem.set(what, entry);
    }
    expect([...byProblem].map(([problem, e]) => `${e.count} × ${problem}; e.g. ${JSON.stringify(e.lines)}`)).toEqual([]);
  });
});
