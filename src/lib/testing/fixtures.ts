// The real dumps in public/samples, and an independent reading of them for tests: plain string
// splitting and BigInt arithmetic, the way one would check a dump with awk, sharing no code with
// the scanner.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('../../../public/samples/', import.meta.url));

export interface Fixture {
  /** Path under public/samples, e.g. "kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo". */
  path: string;
  text: string;
}

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

export interface Expected {
  areas: number;
  bytes: number;
  pages: number;
  kinds: Record<string, { count: number; bytes: number }>;
  modules: Record<string, { count: number; bytes: number }>;
  nodes: Record<number, number>;
  /** Raw lines as [start, end, size, kind, hasPhys] in file order. */
  ranges: Array<{ start: bigint; end: bigint; size: number; kind: string; words: string[] }>;
}

const KIND_ORDER = ['ioremap', 'sparse', 'vmalloc', 'vmap', 'dma-coherent'];

/** Read a dump the awk way. A 16-hex-digit end address followed by digits is a glued size. */
export function readIndependently(text: string): Expected {
  const e: Expected = { areas: 0, bytes: 0, pages: 0, kinds: {}, modules: {}, nodes: {}, ranges: [] };
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('0x')) continue;
    let fields = line.trim().split(/\s+/);
    const glued = /^(0x[^-]+)-0x([0-9a-f]{16})(\d+)$/.exec(fields[0]);
    if (glued) fields = [`${glued[1]}-0x${glued[2]}`, glued[3], ...fields.slice(1)];
    const [range, sizeText, ...words] = fields;
    const size = Number(sizeText);
    const [startText, endText] = range.split('-');
    const kind =
      words[0] === 'unpurged'
        ? 'unpurged'
        : words[0] === 'vm_map_ram'
          ? 'vm_map_ram'
          : (KIND_ORDER.find((k) => words.includes(k)) ?? 'other');
    e.areas++;
    e.bytes += size;
    e.kinds[kind] ??= { count: 0, bytes: 0 };
    e.kinds[kind].count++;
    e.kinds[kind].bytes += size;
    for (const w of words) {
      if (w.startsWith('pages=')) e.pages += Number(w.slice(6));
      const node = /^N(\d+)=(\d+)$/.exec(w);
      if (node) e.nodes[Number(node[1])] = (e.nodes[Number(node[1])] ?? 0) + Number(node[2]);
      const mod = /^\[(.+)\]$/.exec(w);
      if (mod) {
        e.modules[mod[1]] ??= { count: 0, bytes: 0 };
        e.modules[mod[1]].count++;
        e.modules[mod[1]].bytes += size;
      }
    }
    const masked = startText.includes('(');
    e.ranges.push({
      start: masked ? -1n : BigInt(startText),
      end: masked ? -1n : BigInt('0x' + endText.replace(/^0x/, '')),
      size,
      kind,
      words,
    });
  }
  return e;
}
