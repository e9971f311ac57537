import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSeries } from '../lib/series/read.ts';
import { Recorder, decodeHeader, encodeHeader, isRecording } from '../lib/series/recording.ts';
import { decodeSeriesLink, readSeriesLink } from '../lib/series/share.ts';
import { generateDay } from '../lib/testing/day.ts';
import { runCli } from './testing.ts';

const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));

/** vmscope ...args in-process (testing.ts). */
function vmscope(args: string[]) {
  return runCli(args);
}

const areaLines = (text: string) => text.split('\n').filter((l) => l.startsWith('0x'));

describe('vmscope link on a series', () => {
  it('prints an #r= link to a stamped log that fits, opening with each round’s areas and bytes', async () => {
    const dumps = ['boot', 'after-insmod', 'after-rmmod'].map((s) => readFileSync(sample(`kernels/x86_64-6.1.0-56-${s}-raw.vmallocinfo`), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-rlink-'));
    const log = join(dir, 'vm.log');
    writeFileSync(log, dumps.map((d, k) => `2026-11-30T00:0${k}:00+00:00\n${d}`).join(''));
    const r = await vmscope(['link', log]);
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url).toMatch(/^http:\/\/localhost:5173\/#r=[A-Za-z0-9_-]+$/);
    expect(url.length).toBeLessThanOrEqual(32 * 1024);
    expect(r.stderr).toMatch(/3 moments in a link of .* absolute addresses hidden/);
    const opened = readSeriesLink(url.slice(url.indexOf('#r=') + 3));
    if (opened.kind !== 'series') throw new Error(opened.kind);
    for (let i = 0; i < 3; i++) {
      const snap = opened.series.snapshot(i);
      expect(snap.count).toBe(areaLines(dumps[i]).length);
      let bytes = 0;
      for (let k = 0; k < snap.count; k++) bytes += snap.columns.size[k];
      expect(bytes).toBe(areaLines(dumps[i]).reduce((n, l) => n + Number(l.trim().split(/\s+/)[1]), 0));
    }
  });

  it('prints a link of under 32 KB for the real series with its addresses hidden, opening with every moment', async () => {
    const real = sample('series/host-6.18-hashed-date-Is.txt.gz');
    const r = await vmscope(['link', real]);
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url.length).toBeLessThanOrEqual(32 * 1024);
    const text = gunzipSync(readFileSync(real)).toString('utf8');
    const rounds = text.split(/^(?=\d{4}-\d\d-\d\dT.*\n)/m).filter((b) => /^\d{4}-\d\d-\d\dT/.test(b));
    const opened = readSeriesLink(url.slice(url.indexOf('#r=') + 3));
    if (opened.kind !== 'series') throw new Error(opened.kind);
    expect(opened.series.count).toBe(rounds.length);
    for (let k = 0; k < rounds.length; k++) expect(opened.series.snapshot(k).count).toBe(areaLines(rounds[k]).length);
  });

  // With its addresses kept (hashes are not renumbered then), the real series passes 32 KB.
  it('says a series too long for a link is too long, suggests --out, and writes the recording with it', async () => {
    const real = sample('series/host-6.18-hashed-date-Is.txt.gz');
    const r = await vmscope(['link', real, '--addresses']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/30 moments make a link of [\d,]+ characters, over the practical 32 KiB.*--out host-6\.18-hashed-date-Is\.vmscope-rec/);
    const out = join(mkdtempSync(join(tmpdir(), 'vmscope-rlink-')), 'real.vmscope-rec');
    expect((await vmscope(['link', real, '--out', out])).code).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    expect(isRecording(bytes)).toBe(true);
    const stamps = gunzipSync(readFileSync(real)).toString('utf8').split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l)).length;
    const s = readSeries([{ name: 'real', bytes, mtime: null }]);
    expect(s.kind === 'series' && s.series.count).toBe(stamps);
  });

  it('passes a recording on: the host name and boot id left out, the kernel and machine kept, --json naming the moments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-rlink-'));
    const day = generateDay({ moments: 3, areas: 80, seed: 2 });
    const rec = new Recorder();
    const parts = [encodeHeader({ created: day[0].time, zoneMinutes: 0, pageSize: 4096, host: 'db-7', kernel: '6.1.0-56-amd64', machine: 'x86_64', bootId: 'c0ffee', tool: 'vmscope 0.1.0' })];
    for (const m of day) parts.push(rec.take({ time: m.time, vmallocinfo: new TextEncoder().encode(m.dump) }).frame);
    const file = join(dir, 'db.vmscope-rec');
    writeFileSync(file, Buffer.concat(parts));
    const r = await vmscope(['link', file, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.moments).toBe(3);
    expect(json.addresses).toBe('hidden');
    expect(json.characters).toBe(json.link.length);
    const got = decodeSeriesLink(json.link.slice(json.link.indexOf('#r=') + 3));
    if (!('bytes' in got)) throw new Error(got.problem);
    const head = decodeHeader(got.bytes);
    expect(head).toMatchObject({ host: '', bootId: '', kernel: '6.1.0-56-amd64', machine: 'x86_64', addressesHidden: true });
  });

  it('keeps making a snapshot link for a file of one dump', async () => {
    const r = await vmscope(['link', sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/#s=/);
  });
});
