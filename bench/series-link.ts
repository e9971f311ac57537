// node bench/run.mjs series-link — how long a series' `#r=` link is: the recording a share writes
// (src/lib/series/share.ts, encodeSeries) in base64url, as links were made before, against its
// compact form (src/lib/series/compactLink.ts), with addresses hidden (the default) and kept, for
// the real series, the generated day's first hour and the whole day (raw and hashed). Lengths are
// the link text after `#r=`; the times are the compact form's encode (with its self-check, as
// seriesLinkText does) and decode back to the recording. Goal: the real series ≤ 32 KB hidden.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { toBase64Url } from '../src/lib/share/envelope.ts';
import { compactSeries, expandSeries } from '../src/lib/series/compactLink.ts';
import { readSeries } from '../src/lib/series/read.ts';
import { Recorder, encodeHeader } from '../src/lib/series/recording.ts';
import type { Series } from '../src/lib/series/series.ts';
import { encodeSeries, seriesLinkText } from '../src/lib/series/share.ts';
import { dayMoments } from '../src/lib/testing/day.ts';
import { SAMPLES } from './paths.ts';

const enc = new TextEncoder();

function seriesOf(name: string, bytes: Uint8Array): Series {
  const r = readSeries([{ name, bytes, mtime: null }]);
  if (r.kind !== 'series') throw new Error(`${name}: not a series`);
  return r.series;
}

/** The generated day (or its first `moments`) as a recording, read back as a series. */
function day(mode: 'raw' | 'hashed', moments: number): Series {
  const rec = new Recorder();
  const parts: Uint8Array[] = [encodeHeader({ created: 0, zoneMinutes: 0, pageSize: 4096, host: '', kernel: '', machine: '', bootId: '', tool: 'bench' })];
  for (const m of dayMoments({ mode, moments })) parts.push(rec.take({ time: m.time, vmallocinfo: enc.encode(m.dump) }).frame);
  return seriesOf(`day-${mode}`, Buffer.concat(parts));
}

function row(name: string, series: Series): void {
  const cells: string[] = [name, series.count.toLocaleString('en-US')];
  for (const includeAddresses of [false, true]) {
    const rec = encodeSeries(series, { includeAddresses });
    const t0 = performance.now();
    const text = seriesLinkText(rec);
    const t1 = performance.now();
    const compact = compactSeries(rec)!;
    const t2 = performance.now();
    expandSeries(compact);
    const t3 = performance.now();
    void t2;
    cells.push(`${toBase64Url(rec).length.toLocaleString('en-US')} → ${text.length.toLocaleString('en-US')}${includeAddresses ? '' : ` (${Math.round(t1 - t0)} / ${Math.round(t3 - t2)} ms)`}`);
  }
  console.log(`| ${cells.join(' | ')} |`);
}

console.log('| series | moments | hidden: recording → compact link chars (encode / decode) | kept: recording → compact |');
console.log('|---|---|---|---|');
row('real series (6.18, hashed)', seriesOf('real', gunzipSync(readFileSync(join(SAMPLES, 'series', 'host-6.18-hashed-date-Is.txt.gz')))));
for (const mode of ['raw', 'hashed'] as const) {
  row(`generated day, first hour, ${mode}`, day(mode, 60));
  row(`generated day, ${mode}`, day(mode, 1440));
}
