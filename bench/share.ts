// npm run bench:share — how long a share link is, for every fixture and for generated dumps of
// 1k/10k/100k areas, against lz-string's compressToEncodedURIComponent of the raw text (the usual
// way playgrounds share state), measured in the same run.
//
// Goals (issue 4): at most 3 bytes per area for raw-address dumps, and at least 4× shorter than
// lz-string on every fixture. The link is measured with addresses hidden (the default) and with
// absolute addresses included.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import LZString from 'lz-string';
import { buildModel, parse } from '../src/lib/index.ts';
import { decodeShare, encodeShare } from '../src/lib/share/codec.ts';
import type { ShareView } from '../src/lib/share/codec.ts';
import { generateDump } from './generate.ts';
import { SAMPLES } from './paths.ts';

const VIEW: ShareView = { range: null, selected: null, colourMode: 'kind', collapse: true };

interface Row {
  name: string;
  mode: string;
  areas: number;
  textBytes: number;
  hidden: number;
  absolute: number;
  lz: number;
  encodeMs: number;
  decodeMs: number;
}

async function measure(name: string, text: string): Promise<Row> {
  const model = buildModel(parse(text));
  const t0 = performance.now();
  const hidden = await encodeShare(model, VIEW, { includeAddresses: false });
  const encodeMs = performance.now() - t0;
  const absolute = await encodeShare(model, VIEW, { includeAddresses: true });
  const t1 = performance.now();
  const back = await decodeShare(absolute);
  const decodeMs = performance.now() - t1;
  if (back.snapshot.count !== model.snapshot.count) throw new Error(`${name}: round trip lost areas`);
  const lz = LZString.compressToEncodedURIComponent(text).length;
  return {
    name,
    mode: model.snapshot.pointerMode,
    areas: model.snapshot.count,
    textBytes: Buffer.byteLength(text),
    hidden: hidden.length,
    absolute: absolute.length,
    lz,
    encodeMs,
    decodeMs,
  };
}

const rows: Row[] = [];
for (const dir of ['kernels', 'seeds']) {
  for (const name of readdirSync(join(SAMPLES, dir)).sort()) {
    if (!name.endsWith('.vmallocinfo')) continue;
    rows.push(await measure(name.replace(/\.vmallocinfo$/, ''), readFileSync(join(SAMPLES, dir, name), 'utf8')));
  }
}
const fixtureRows = rows.length;
for (const n of [1_000, 10_000, 100_000]) rows.push(await measure(`generated ${n / 1000}k`, generateDump(n)));

const pad = (s: string, w: number) => s.padEnd(w);
const num = (s: string, w: number) => s.padStart(w);
const header = ['dump', 'mode', 'areas', 'text B', 'link B', 'B/area', '+addr B', 'B/area', 'lz-string B', '× shorter', 'enc ms', 'dec ms'];
const widths = [44, 7, 7, 10, 8, 7, 8, 7, 12, 10, 7, 7];
console.log(header.map((h, k) => (k < 2 ? pad(h, widths[k]) : num(h, widths[k]))).join(' '));
let failures = 0;
for (const [k, r] of rows.entries()) {
  const perArea = r.areas ? r.hidden / r.areas : 0;
  const perAreaAbs = r.areas ? r.absolute / r.areas : 0;
  const ratio = r.lz / Math.max(r.hidden, r.absolute);
  const isFixture = k < fixtureRows;
  const missed = (isFixture && ratio < 4) || (r.mode === 'raw' && r.areas >= 100 && Math.max(perArea, perAreaAbs) > 3);
  if (missed) failures++;
  console.log(
    [
      pad(r.name, widths[0]),
      pad(r.mode, widths[1]),
      num(String(r.areas), widths[2]),
      num(String(r.textBytes), widths[3]),
      num(String(r.hidden), widths[4]),
      num(perArea.toFixed(2), widths[5]),
      num(String(r.absolute), widths[6]),
      num(perAreaAbs.toFixed(2), widths[7]),
      num(String(r.lz), widths[8]),
      num(ratio.toFixed(1) + '×', widths[9]),
      num(r.encodeMs.toFixed(1), widths[10]),
      num(r.decodeMs.toFixed(1), widths[11]),
    ].join(' ') + (missed ? '  ← misses a goal' : ''),
  );
}
console.log(`\nlink B: link text (base64url) with addresses hidden; +addr B: with absolute addresses; × shorter: lz-string ÷ the longer link.`);
console.log(`Goals: ≤ 3 B/area for raw dumps (of 100+ areas), ≥ 4× shorter than lz-string on every fixture. ${failures ? `${failures} row(s) miss a goal.` : 'All met.'}`);
