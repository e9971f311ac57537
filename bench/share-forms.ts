// node bench/run.mjs share-forms — which body form of a share link wins, how often and by how much.
// For every bundled dump (public/samples) and generated ones (bench/generate.ts, several sizes and
// seeds), addresses hidden and included, it makes the body in every form the format can carry
// (docs/share-format.md): base-128 or base-32 varints, with or without site alignments (raw mode),
// deflated or stored, and the packed bit code; and reports, per form, how many links it is the
// shortest for and how many characters the link would grow by without it. A form that is never
// strictly shortest saves nothing: the encoder need not try it (its decoder stays, for old links).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, parse } from '../src/lib/index.ts';
import { deflate, encodePayload, MAX_PACKED } from '../src/lib/share/codec.ts';
import type { PayloadForm, ShareView } from '../src/lib/share/codec.ts';
import { generateDump } from './generate.ts';
import { SAMPLES } from './paths.ts';

const VIEW: ShareView = { range: null, selected: null, colourMode: 'kind', collapse: true };

interface Candidate {
  /** e.g. "deflate b128 aligned" */
  name: string;
  /** Link characters: base64url of the body and its 2-byte check. */
  chars: number;
}

const charsOf = (bodyBytes: number) => Math.ceil(((bodyBytes + 2) * 4) / 3);

async function candidates(text: string, includeAddresses: boolean): Promise<Candidate[]> {
  const model = buildModel(parse(text));
  const raw = model.snapshot.pointerMode === 'raw';
  const out: Candidate[] = [];
  for (const aligned of raw ? [false, true] : [false]) {
    const tag = aligned ? ' aligned' : '';
    for (const varints of ['base128', 'base32'] as const) {
      const form: PayloadForm = { varints, aligned };
      const payload = encodePayload(model, VIEW, { includeAddresses }, form);
      const v = varints === 'base128' ? 'b128' : 'b32';
      out.push({ name: `deflate ${v}${tag}`, chars: charsOf((await deflate(payload)).length) });
      out.push({ name: `stored ${v}${tag}`, chars: charsOf(payload.length + 1) });
    }
    const packed = encodePayload(model, VIEW, { includeAddresses }, { varints: 'bits', aligned });
    if (packed.length <= MAX_PACKED) out.push({ name: `packed${tag}`, chars: charsOf(packed.length) });
  }
  return out;
}

/** The features a form is made of; dropping a feature drops every form that has it. */
const FEATURES: Array<[string, (name: string) => boolean]> = [
  ['base-32 varints', (n) => n.includes('b32')],
  ['site alignments', (n) => n.includes('aligned')],
  ['stored body', (n) => n.startsWith('stored')],
  ['packed body', (n) => n.startsWith('packed')],
  ['deflated body', (n) => n.startsWith('deflate')],
];

interface Row {
  dump: string;
  areas: number;
  addresses: boolean;
  best: Candidate;
  /** Characters the link grows by without each feature (0: it never mattered). */
  cost: number[];
  /** Characters the link grows by without each single form, by form name. */
  alone: Map<string, number>;
}

async function measure(dump: string, text: string): Promise<Row[]> {
  const rows: Row[] = [];
  const areas = parse(text).count;
  for (const addresses of [false, true]) {
    const all = await candidates(text, addresses);
    const min = (list: Candidate[]) => list.reduce((a, b) => (b.chars < a.chars ? b : a));
    const best = min(all);
    const cost = FEATURES.map(([, has]) => {
      const rest = all.filter((c) => !has(c.name));
      return rest.length ? min(rest).chars - best.chars : Infinity;
    });
    const alone = new Map(all.map((c) => [c.name, min(all.filter((o) => o !== c)).chars - best.chars]));
    rows.push({ dump, areas, addresses, best, cost, alone });
  }
  return rows;
}

const rows: Row[] = [];
for (const dir of ['kernels', 'seeds']) {
  for (const name of readdirSync(join(SAMPLES, dir)).sort()) {
    if (!name.endsWith('.vmallocinfo')) continue;
    rows.push(...(await measure(name.replace(/\.vmallocinfo$/, ''), readFileSync(join(SAMPLES, dir, name), 'utf8'))));
  }
}
const fixtureRows = rows.length;
for (const n of [10, 30, 100, 300, 1_000, 3_000, 10_000, 100_000]) {
  for (const seed of n >= 10_000 ? [1] : [1, 2, 3]) rows.push(...(await measure(`generated ${n} (seed ${seed})`, generateDump(n, seed))));
}

console.log('dump'.padEnd(50), 'areas'.padStart(6), 'addr', 'chars'.padStart(7), ' shortest form'.padEnd(24), FEATURES.map(([f]) => `−${f.split(' ')[0]}`.padStart(10)).join(''));
for (const r of rows) {
  console.log(
    r.dump.padEnd(50),
    String(r.areas).padStart(6),
    (r.addresses ? 'yes' : 'no').padEnd(4),
    String(r.best.chars).padStart(7),
    (' ' + r.best.name).padEnd(24),
    r.cost.map((c) => (c === Infinity ? '—' : c === 0 ? '0' : `+${c}`).padStart(10)).join(''),
  );
}
console.log('\nPer feature: links where it is needed for the shortest link (fixtures / generated), and the characters it saves there (total, largest).');
for (const [k, [feature]] of FEATURES.entries()) {
  const part = (list: Row[]) => {
    const won = list.filter((r) => r.cost[k] > 0 && r.cost[k] !== Infinity);
    const saved = won.reduce((s, r) => s + r.cost[k], 0);
    const most = won.reduce((s, r) => Math.max(s, r.cost[k]), 0);
    return `${won.length}/${list.length} links, ${saved} chars (at most ${most})`;
  };
  console.log(`  ${feature.padEnd(18)} fixtures: ${part(rows.slice(0, fixtureRows)).padEnd(36)} generated: ${part(rows.slice(fixtureRows))}`);
}
console.log('\nPer form: links it alone is the shortest for (fixtures / generated), and the characters it saves there.');
const names = [...new Set(rows.flatMap((r) => [...r.alone.keys()]))];
for (const name of names) {
  const part = (list: Row[]) => {
    const won = list.filter((r) => (r.alone.get(name) ?? 0) > 0);
    return `${won.length}/${list.filter((r) => r.alone.has(name)).length} links, ${won.reduce((s, r) => s + r.alone.get(name)!, 0)} chars`;
  };
  console.log(`  ${name.padEnd(22)} fixtures: ${part(rows.slice(0, fixtureRows)).padEnd(24)} generated: ${part(rows.slice(fixtureRows))}`);
}
