// npm run bench:parse — parse throughput of a generated 1,000,000-line dump, against
// `awk '{s+=$2} END{print s}'` on the same file, timed in the same run.
//
// The parse measured is the whole job: read the file, scan every field (exact addresses, caller,
// module, pages, phys, flags, node counts), then build the model (address order, gaps, chains,
// layout, regions, totals by kind, caller, module and node).

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { StreamParser, buildModel } from '../src/lib/index.ts';
import type { Model } from '../src/lib/index.ts';
import { generateDump } from './generate.ts';
import { OUT } from './paths.ts';
import { join } from 'node:path';

const LINES = Number(process.env.LINES ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 5);
mkdirSync(OUT, { recursive: true });
const path = join(OUT, `dump-${LINES}.vmallocinfo`);
if (!existsSync(path)) writeFileSync(path, generateDump(LINES));
const bytes = statSync(path).size;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeAwk(): { ms: number; sum: string } {
  const t0 = performance.now();
  const r = spawnSync('awk', ['{s+=$2} END{print s}', path], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`awk failed: ${r.stderr}`);
  return { ms, sum: r.stdout.trim() };
}

/** Read the file in 1 MiB chunks (as awk does, and as the app reads a dropped File) and parse. */
function load(): Model {
  const parser = new StreamParser({ sizeHint: bytes });
  const chunk = new Uint8Array(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let got = readSync(fd, chunk); got > 0; got = readSync(fd, chunk)) parser.push(chunk.subarray(0, got));
  } finally {
    closeSync(fd);
  }
  return buildModel(parser.finish());
}

function timeParse(): { ms: number; areas: number; bytes: number } {
  const t0 = performance.now();
  const model = load();
  const ms = performance.now() - t0;
  return { ms, areas: model.snapshot.count, bytes: model.totals.all.bytes };
}

// Warm up both (page cache, JIT), then alternate runs so neither gets a quieter machine.
timeAwk();
timeParse();
const awkMs: number[] = [];
const parseMs: number[] = [];
let awkSum = '';
let result = { ms: 0, areas: 0, bytes: 0 };
for (let r = 0; r < RUNS; r++) {
  const a = timeAwk();
  awkMs.push(a.ms);
  awkSum = a.sum;
  result = timeParse();
  parseMs.push(result.ms);
}
// mawk prints the sum with %.6g; agree to its precision.
if (Math.abs(result.bytes - Number(awkSum)) > result.bytes * 1e-5) throw new Error(`byte totals disagree: vmscope ${result.bytes}, awk ${awkSum}`);

// Memory: what one parsed snapshot + model keeps alive, per area.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
const kept = load();
gc?.();
const after = process.memoryUsage();
const retained = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
void kept.snapshot.count;

const mb = bytes / 1e6;
const p = median(parseMs);
const a = median(awkMs);
console.log(`bench:parse  ${LINES.toLocaleString('en-US')} lines, ${mb.toFixed(1)} MB, ${RUNS} runs (median)`);
console.log(`  vmscope parse+model  ${p.toFixed(0)} ms  ${(mb / (p / 1000)).toFixed(0)} MB/s  ${(result.areas / (p / 1000) / 1e6).toFixed(2)} M areas/s`);
console.log(`  awk '{s+=$2}'        ${a.toFixed(0)} ms  ${(mb / (a / 1000)).toFixed(0)} MB/s`);
console.log(`  ratio vmscope/awk    ${(p / a).toFixed(2)}  (goal <= 1.00)`);
console.log(`  memory retained      ${(retained / result.areas).toFixed(0)} bytes/area${gc ? '' : ' (run with --expose-gc for a precise figure)'}`);
console.log(`  check                ${result.areas.toLocaleString('en-US')} areas, ${result.bytes} bytes (awk: ${awkSum})`);
