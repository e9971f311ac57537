// The worker's read of inputs, in Node: one dump as before, or a series packed for postMessage with
// its figures and its latest moment built. Checked against the real series' text split here.

import { describe, expect, it } from 'vitest';
import { unpackModel } from '../../lib/index.ts';
import { Series } from '../../lib/series/series.ts';
import { fixture, readIndependently } from '../../lib/testing/fixtures.ts';
import { bytesOfLines, realSeriesText, roundsOf } from '../../lib/testing/series.ts';
import { readAll } from './analyze.ts';
import { createTar } from 'nanotar';
import { gzipSync } from 'node:zlib';

const encoder = new TextEncoder();
const buffer = (text: string) => encoder.encode(text).buffer as ArrayBuffer;
const X86 = 'kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo';

describe('reading inputs in the worker', () => {
  it('reads one dump of one round exactly as before', async () => {
    const { result } = await readAll([{ name: 'x86', bytes: buffer(fixture(X86)), mtime: null }]);
    expect(result.kind).toBe('single');
    if (result.kind !== 'single') return;
    expect(result.summary.areas).toBe(readIndependently(fixture(X86)).areas.length);
  });

  it('reads a stamped log as a series that survives structured cloning, its latest moment built', async () => {
    const text = realSeriesText();
    const rounds = roundsOf(text);
    const last = rounds.length - 1;
    const { result, transfer } = await readAll([{ name: 'log', bytes: buffer(text), mtime: null }]);
    expect(result.kind).toBe('series');
    if (result.kind !== 'series') return;
    expect(transfer.length).toBeGreaterThan(0);
    const copy = structuredClone(result);
    const series = Series.unpack(copy.series);
    expect(series.count).toBe(rounds.length);
    expect(series.snapshot(3).count).toBe(rounds[3].lines.length);
    expect(copy.latest.summary.areas).toBe(rounds[last].lines.length);
    expect(unpackModel(copy.latest.packed).snapshot.count).toBe(rounds[last].lines.length);
    expect(Array.from(copy.stats.bytes)).toEqual(rounds.map((r) => bytesOfLines(r.lines)));
    expect(copy.stats.times).toEqual(rounds.map((r) => Date.parse(r.stamp)));
    expect(copy.how).toMatch(/one per stamp line/);
  });

  it('refuses a recording with no complete moment, saying why', async () => {
    const bytes = new Uint8Array([...encoder.encode('VMSCREC\n'), 1, 0, 0]);
    await expect(readAll([{ name: 'cut.vmscope-rec', bytes: bytes.buffer, mtime: null }])).rejects.toThrow(/recording/);
  });

  it('opens a sosreport .tar.gz: the dump inside is read, its host shown and its kernel release picks the layout era', async () => {
    const base = 'kernels/arm64-6.12.117-deb12-boot-raw';
    const top = 'sosreport-arm1-2026-11-30-abc';
    const tar = createTar([
      { name: `${top}/proc/vmallocinfo`, data: fixture(`${base}.vmallocinfo`) },
      { name: `${top}/sos_commands/kernel/uname_-a`, data: 'Linux arm1 6.12.117+deb12-arm64 #1 SMP Debian 6.12.117-1 aarch64 GNU/Linux\n' },
    ]);
    const bytes = gzipSync(tar);
    const { result } = await readAll([{ name: `${top}.tar.gz`, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, mtime: null }]);
    expect(result.kind).toBe('single');
    if (result.kind !== 'single') return;
    expect(result.summary.areas).toBe(readIndependently(fixture(`${base}.vmallocinfo`)).areas.length);
    expect(result.capture.origin).toMatchObject({ kind: 'sosreport', host: 'arm1', release: '6.12.117+deb12-arm64', arch: 'aarch64' });
    // 6.12 is after 6.9, when arm64's vmalloc start moved: the release, not the areas, says so.
    expect(result.summary.layoutEvidence).toEqual(['release']);
    expect(result.summary.layoutEra).toBe('6.9+');
  });

  it('refuses an archive with no dump inside, saying what it held', async () => {
    const tar = createTar([{ name: 'sosreport-db01-2026-11-30-x/proc/meminfo', data: 'MemTotal: 1 kB\n' }]);
    await expect(readAll([{ name: 'sos.tar', bytes: tar.slice().buffer, mtime: null }])).rejects.toThrow('sosreport of db01: no proc/vmallocinfo — the memory plugin was not run; found proc/meminfo.');
  });
});
