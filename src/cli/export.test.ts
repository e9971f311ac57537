import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { readIndependently } from '../lib/testing/fixtures.ts';
import { REAL_SERIES, realSeriesText, roundsOf } from '../lib/testing/series.ts';
import { runCli } from './testing.ts';

const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));

/** vmscope in-process (testing.ts), as the bin runs it. */
function vmscope(args: string[], input?: string) {
  return runCli(args, { stdin: input });
}

const ndjson = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

/** A `date -Is` stamp as epoch ms, read with Date (the stamps carry their zone). */
const stampMs = (stamp: string) => new Date(stamp.trim()).getTime();

describe('vmscope export for fleets', () => {
  it('appends host, moment and time to the columns, empty for a lone dump without --host', async () => {
    const r = await vmscope(['export', sample('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo'), '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('line,start,end,size,pages,kind,caller,offset,module,phys,flags,nodes,host,moment,time');
    for (const l of lines.slice(1)) expect(l.endsWith(',,,')).toBe(true);
  });

  it('two hosts exported with --host concatenate into one table whose bytes per host are each dump\'s awk total', async () => {
    const a = sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const b = sample('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo');
    const rows = [...ndjson((await vmscope(['export', a, '--host', 'web01'])).stdout), ...ndjson((await vmscope(['export', b, '--host', 'web02'])).stdout)];
    const bytes = (host: string) => rows.filter((r) => r.host === host).reduce((s, r) => s + (r.size as number), 0);
    expect(bytes('web01')).toBe(readIndependently(readFileSync(a, 'utf8')).bytes);
    expect(bytes('web02')).toBe(readIndependently(readFileSync(b, 'utf8')).bytes);
    expect(rows.every((r) => r.moment === null && r.time === null)).toBe(true);
  });

  it('a host name that starts like a formula is defused in CSV', async () => {
    const r = await vmscope(['export', sample('seeds/x86_64-copied-from-web.vmallocinfo'), '--host', '=cmd|x', '--format', 'csv']);
    expect(r.stdout.trimEnd().split('\n')[1]).toMatch(/,'=cmd\|x,,$/);
  });

  it('FILE@N gives every row moment N and the time of its stamp line', async () => {
    const rounds = roundsOf(realSeriesText());
    const rows = ndjson((await vmscope(['export', `${sample(REAL_SERIES)}@7`, '--host', 'h'])).stdout);
    expect(rows).toHaveLength(rounds[6].lines.length);
    expect(new Set(rows.map((r) => r.moment))).toEqual(new Set([7]));
    expect(new Set(rows.map((r) => r.time))).toEqual(new Set([new Date(stampMs(rounds[6].stamp)).toISOString()]));
  });

  it('--all-moments exports every moment of a log in order, each with its number, time and awk bytes', async () => {
    const rounds = roundsOf(realSeriesText());
    const r = await vmscope(['export', sample(REAL_SERIES), '--all-moments', '--format', 'csv', '--host', 'db01']);
    expect(r.code).toBe(0);
    const [header, ...lines] = r.stdout.trimEnd().split('\n');
    const cols = header.split(',');
    const at = (name: string) => cols.indexOf(name);
    expect(lines).toHaveLength(rounds.reduce((s, x) => s + x.lines.length, 0));
    const perMoment = new Map<number, { bytes: number; time: string }>();
    for (const line of lines) {
      // No field of this hashed series is quoted: plain splitting reads it.
      const f = line.split(',');
      const m = Number(f[at('moment')]);
      const e = perMoment.get(m) ?? { bytes: 0, time: f[at('time')] };
      e.bytes += Number(f[at('size')]);
      expect(f[at('host')]).toBe('db01');
      expect(f[at('time')]).toBe(e.time);
      perMoment.set(m, e);
    }
    expect([...perMoment.keys()]).toEqual(rounds.map((_, k) => k + 1));
    rounds.forEach((round, k) => {
      expect(perMoment.get(k + 1)!.bytes).toBe(readIndependently(round.lines.join('\n') + '\n').bytes);
      expect(perMoment.get(k + 1)!.time).toBe(new Date(stampMs(round.stamp)).toISOString());
    });
  }, 60_000);

  it('--all-moments of a lone dump is its one moment, numbered 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-export-'));
    const file = join(dir, 'one.txt');
    writeFileSync(file, readFileSync(sample('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo')));
    const rows = ndjson((await vmscope(['export', file, '--all-moments'])).stdout);
    expect(rows.length).toBe(readIndependently(readFileSync(file, 'utf8')).areas.length);
    expect(rows.every((r) => r.moment === 1 && r.host === null)).toBe(true);
  });

  it('takes the host from a sosreport, one moment or all of them, and --host over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-export-'));
    const file = join(dir, 'sosreport-db01.tar.gz');
    const dump = readFileSync(sample('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo'));
    writeFileSync(file, gzipSync(createTar([{ name: 'sosreport-db01/proc/vmallocinfo', data: dump }, { name: 'sosreport-db01/hostname', data: 'db01\n' }])));
    const areas = readIndependently(dump.toString('utf8')).areas.length;
    for (const args of [[], ['--all-moments']]) {
      const rows = ndjson((await vmscope(['export', file, ...args])).stdout);
      expect(rows.length).toBe(areas);
      expect(rows.every((r) => r.host === 'db01')).toBe(true);
      expect(ndjson((await vmscope(['export', file, ...args, '--host', 'web01'])).stdout).every((r) => r.host === 'web01')).toBe(true);
    }
  });

  it('refuses --host and --all-moments on other commands, and --all-moments with FILE@N', async () => {
    const file = sample('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo');
    expect((await vmscope(['summary', file, '--host', 'x'])).stderr).toMatch(/--host and --all-moments are for export/);
    const r = await vmscope(['export', `${sample(REAL_SERIES)}@2`, '--all-moments']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--all-moments exports every moment: give .*host-6\.18-hashed-date-Is\.txt\.gz without @N/);
  });
});
