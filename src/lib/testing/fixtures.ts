// The real dumps in public/samples, and an independent reading of them for tests: plain string
// splitting, regular expressions and BigInt arithmetic, the way one would check a dump with awk,
// sharing no code with the scanner.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('../../../public/samples/', import.meta.url));

export interface Fixture {
  /** Path under public/samples, e.g. "kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo". */
  path: string;
  text: string;
}

/** Every *.vmallocinfo under public/samples/kernels and public/samples/seeds, by name. */
export function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of ['kernels', 'seeds']) {
    for (const name of readdirSync(SAMPLES_DIR + dir).sort()) {
      if (name.endsWith('.vmallocinfo')) out.push({ path: `${dir}/${name}`, text: readFileSync(`${SAMPLES_DIR}${dir}/${name}`, 'utf8') });
    }
  }
  return out;
}

export function fixture(path: string): string {
  return readFileSync(SAMPLES_DIR + path, 'utf8');
}

/** The pointer mode a capture was taken in, as its file name says. */
export function modeFromName(path: string): string {
  if (/-(raw|numa-raw|iommu-raw)\.vmallocinfo$/.test(path)) return 'raw';
  if (path.endsWith('-hashed.vmallocinfo')) return 'hashed';
  if (path.endsWith('-zeroed.vmallocinfo')) return 'zero';
  if (path.includes('ptrval-masked')) return 'masked';
  return 'raw';
}

export interface CountBytesPages {
  count: number;
  bytes: number;
  pages: number;
}

/** One area line, read field by field. */
export interface ExpectedArea {
  /** 1-based line number in the file. */
  line: number;
  /** null when masked (0x(____ptrval____)). */
  start: bigint | null;
  end: bigint | null;
  size: number;
  kind: string;
  /** Every word after the size column. */
  words: string[];
  caller: { symbol: string; offset: number; length: number; module: string | null } | null;
  pages: number;
  phys: bigint | null;
  /** The words that are neither caller, module, pages=, phys= nor N<node>=. */
  flags: string[];
  nodes: Array<{ node: number; pages: number }>;
}

export interface Expected {
  /** Lines in the file (a final newline does not start another line). */
  lines: number;
  areas: ExpectedArea[];
  bytes: number;
  pages: number;
  kinds: Record<string, CountBytesPages>;
  modules: Record<string, CountBytesPages>;
  callers: Record<string, CountBytesPages>;
  nodes: Record<number, number>;
}

const KIND_ORDER = ['ioremap', 'sparse', 'vmalloc', 'vmap', 'dma-coherent'];

function add(map: Record<string, CountBytesPages>, key: string, size: number, pages: number): void {
  map[key] ??= { count: 0, bytes: 0, pages: 0 };
  map[key].count++;
  map[key].bytes += size;
  map[key].pages += pages;
}

/**
 * Read a dump the awk way: an area line starts with 0x; fields are split on whitespace; the size is
 * the second field, except where text copied from a web page glued it to a 16-hex-digit end
 * address (`0xffffc90004000000-0xffffc9000500100016781312`): then the 16 hex digits are the end and
 * the rest is the size.
 */
export function readIndependently(text: string): Expected {
  const e: Expected = { lines: 0, areas: [], bytes: 0, pages: 0, kinds: {}, modules: {}, callers: {}, nodes: {} };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  e.lines = lines.length;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith('0x')) return;
    let fields = line.trim().split(/\s+/);
    const glued = /^(0x[^-]+)-0x([0-9a-f]{16})(\d+)$/.exec(fields[0]);
    if (glued) fields = [`${glued[1]}-0x${glued[2]}`, glued[3], ...fields.slice(1)];
    const [range, sizeText, ...words] = fields;
    const size = Number(sizeText);
    const [startText, endText] = range.split('-');
    const special = words[0] === 'unpurged' && words[1] === 'vm_area' ? 'unpurged' : words[0] === 'vm_map_ram' ? 'vm_map_ram' : null;
    const kind = special ?? KIND_ORDER.find((k) => words.includes(k)) ?? 'other';

    let rest = special ? [] : [...words];
    let caller: ExpectedArea['caller'] = null;
    const sym = rest.length > 0 ? /^(.+)\+0x([0-9a-f]+)\/0x([0-9a-f]+)$/.exec(rest[0]) : null;
    if (sym) {
      caller = { symbol: sym[1], offset: parseInt(sym[2], 16), length: parseInt(sym[3], 16), module: null };
      rest = rest.slice(1);
      const mod = rest.length > 0 ? /^\[(.+)\]$/.exec(rest[0]) : null;
      if (mod) {
        caller.module = mod[1];
        rest = rest.slice(1);
      }
    }
    let pages = 0;
    let phys: bigint | null = null;
    const flags: string[] = [];
    const nodes: ExpectedArea['nodes'] = [];
    for (const w of rest) {
      const node = /^N(\d+)=(\d+)$/.exec(w);
      if (w.startsWith('pages=')) pages = Number(w.slice(6));
      else if (w.startsWith('phys=')) phys = BigInt('0x' + w.slice(5).replace(/^0x/, ''));
      else if (node) nodes.push({ node: Number(node[1]), pages: Number(node[2]) });
      else flags.push(w);
    }

    e.bytes += size;
    e.pages += pages;
    add(e.kinds, kind, size, pages);
    if (caller) add(e.callers, caller.symbol, size, pages);
    if (caller?.module) add(e.modules, caller.module, size, pages);
    for (const n of nodes) e.nodes[n.node] = (e.nodes[n.node] ?? 0) + n.pages;
    const masked = startText.includes('(');
    e.areas.push({
      line: index + 1,
      start: masked ? null : BigInt(startText),
      end: masked ? null : BigInt('0x' + endText.replace(/^0x/, '')),
      size,
      kind,
      words,
      caller,
      pages,
      phys,
      flags,
      nodes,
    });
  });
  return e;
}

/** Compare two bigints for Array.prototype.sort. */
export function byBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
