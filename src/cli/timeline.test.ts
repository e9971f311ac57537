import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture } from '../lib/testing/fixtures.ts';
import { dayLog, generateDay } from '../lib/testing/day.ts';
import { changingVersions } from '../lib/testing/series.ts';
import { runCli } from './testing.ts';
import { TABLE_ROWS, momentSpec } from './timeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-timeline-'));
let serial = 0;
const SERIES = fileURLToPath(new URL('../../public/samples/series/host-6.18-hashed-date-Is.txt.gz', import.meta.url));

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, `${serial++}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** The real series split by its `date -Is` lines, without the library: each round's stamp and text. */
function realRounds(): Array<{ stamp: string; text: string }> {
  const rounds: Array<{ stamp: string; text: string }> = [];
  for (const line of gunzipSync(readFileSync(SERIES)).toString('utf8').split('\n')) {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(line)) rounds.push({ stamp: line, text: '' });
    else if (line !== '' && rounds.length > 0) rounds[rounds.length - 1].text += `${line}\n`;
  }
  return rounds;
}

/** Areas, bytes and bytes per caller of a dump's text (the caller without +offset; lines without one by what they are). */
function counted(text: string) {
  let areas = 0;
  let bytes = 0;
  const callers = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('0x')) continue;
    const f = line.trim().split(/\s+/);
    areas++;
    const size = Number(f[2 - 1]);
    bytes += size;
    const caller = f[2] === 'unpurged' ? '(lazily freed)' : f[2].includes('+') ? f[2].slice(0, f[2].indexOf('+')) : f[2];
    callers.set(caller, (callers.get(caller) ?? 0) + size);
  }
  return { areas, bytes, callers };
}

/** `date -Is` → ISO 8601 in UTC with a Z. */
function utc(stamp: string): string {
  return new Date(stamp).toISOString().replace(/\.000Z$/, 'Z');
}

describe('vmscope timeline on the real series', () => {
  const rounds = realRounds();

  it('lists every round as a moment, with its time, areas and bytes as counted from the text', async () => {
    const r = await runCli(['timeline', SERIES, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(rounds.length).toBe(30);
    expect(json.moments).toHaveLength(rounds.length);
    rounds.forEach((round, i) => {
      const c = counted(round.text);
      const m = json.moments[i];
      expect(m.time, `moment ${i + 1}`).toBe(utc(round.stamp));
      expect(m.areas, `moment ${i + 1}`).toBe(c.areas);
      expect(m.bytes, `moment ${i + 1}`).toBe(c.bytes);
      expect(Object.values(m.kinds as Record<string, number>).reduce((s, b) => s + b, 0)).toBe(c.bytes);
    });
    expect(json.how).toMatch(/30 moments, one per stamp line/);
    expect(json.notes).toEqual([]);
  });

  it('ranks callers by their growth from the first round to the last, each net as the text sums it', async () => {
    const json = JSON.parse((await runCli(['timeline', SERIES, '--json'])).stdout);
    const first = counted(rounds[0].text).callers;
    const last = counted(rounds[rounds.length - 1].text).callers;
    const net = (k: string) => (last.get(k) ?? 0) - (first.get(k) ?? 0);
    const callers = (json.growth as Array<{ by: string; key: string; net: number; start: number; end: number }>).filter((g) => g.by === 'caller');
    const best = Math.max(...[...new Set([...first.keys(), ...last.keys()])].map(net));
    expect(callers[0].net).toBe(best);
    expect(net(callers[0].key)).toBe(best);
    for (const g of callers) {
      expect(g.net, g.key).toBe(net(g.key));
      expect(g.start, g.key).toBe(first.get(g.key) ?? 0);
      expect(g.end, g.key).toBe(last.get(g.key) ?? 0);
    }
    const nets = callers.map((g) => g.net);
    expect(nets).toEqual([...nets].sort((a, b) => b - a));
  });

  it('gives the JSON its documented shape: moments, growth with verdicts, lazy-free events, extremes, how and notes', async () => {
    const json = JSON.parse((await runCli(['timeline', SERIES, '--json'])).stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['moments', 'growth', 'how', 'notes', 'lazyFree', 'mostBytes', 'smallestLargestHole']));
    expect(Object.keys(json.moments[0])).toEqual(expect.arrayContaining(['time', 'areas', 'bytes', 'kinds']));
    const byFamily = new Set((json.growth as Array<{ by: string }>).map((g) => g.by));
    expect([...byFamily].sort()).toEqual(['caller', 'kind', 'module']);
    for (const g of json.growth) {
      expect(Object.keys(g)).toEqual(expect.arrayContaining(['key', 'net', 'perHour', 'stepsRose', 'steps', 'verdict']));
      expect(g.steps).toBe(29);
      expect(['possible-leak', 'burst', 'steady', 'shrank', 'grew']).toContain(g.verdict);
    }
    // Hashed addresses: no hole is known.
    expect(json.smallestLargestHole).toBeNull();
    const bytes = rounds.map((r) => counted(r.text).bytes);
    const most = bytes.indexOf(Math.max(...bytes));
    expect(json.mostBytes).toEqual({ moment: most + 1, time: utc(rounds[most].stamp), bytes: bytes[most] });
    // The purge: the unpurged bytes that went in one step, as the text counts them.
    const lazy = rounds.map((r) => counted(r.text).callers.get('(lazily freed)') ?? 0);
    for (const p of json.lazyFree.purges) expect(p.bytes).toBe(lazy[p.moment - 2] - lazy[p.moment - 1]);
    expect(json.lazyFree.purges.length).toBeGreaterThan(0);
  });

  it('prints a table of every moment in UTC, then what grew, lazy frees and the moment with most bytes', async () => {
    const r = await runCli(['timeline', SERIES]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    rounds.forEach((round, i) => {
      const c = counted(round.text);
      const row = lines.find((l) => new RegExp(`^\\s+${i + 1}\\s+${utc(round.stamp)}\\s`).test(l));
      expect(row, `moment ${i + 1}`).toBeDefined();
      expect(row).toContain(c.areas.toLocaleString('en-US'));
      expect(row).toContain(`(${c.bytes.toLocaleString('en-US')})`);
    });
    expect(r.stdout).toMatch(/what grew from moment 1 to moment 30/);
    expect(r.stdout).toMatch(/^ {2}callers/m);
    expect(r.stdout).toMatch(/^ {2}modules/m);
    expect(r.stdout).toMatch(/^ {2}kinds/m);
    expect(r.stdout).toMatch(/purged [\d.]+ MiB at moment \d+/);
    expect(r.stdout).toMatch(/most bytes: .* at moment \d+/);
  });

  it('orders several files of one moment each by the time in their names, whatever order they are given in', async () => {
    const some = rounds.slice(0, 5);
    const paths = some.map((round) => {
      const p = join(dir, `files-${serial}`, `vmallocinfo-${Date.parse(round.stamp) / 1000}.txt`);
      mkdirSync(join(dir, `files-${serial}`), { recursive: true });
      writeFileSync(p, round.text);
      return p;
    });
    serial++;
    const r = await runCli(['timeline', paths[3], paths[0], paths[4], paths[2], paths[1], '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.moments.map((m: { time: string }) => m.time)).toEqual(some.map((x) => utc(x.stamp)));
    expect(json.moments.map((m: { areas: number }) => m.areas)).toEqual(some.map((x) => counted(x.text).areas));
    expect(json.how).toMatch(/5 files, 5 moments/);
  });

  it('orders files without a time in their names or inside by their modification times', async () => {
    const some = rounds.slice(10, 13);
    const sub = join(dir, `mtimes-${serial++}`);
    mkdirSync(sub);
    // Names in the reverse of the moments' order; the mtimes say the order.
    const paths = some.map((round, k) => {
      const p = join(sub, `dump-${'cba'[k]}.txt`);
      writeFileSync(p, round.text);
      const t = Date.parse(round.stamp) / 1000;
      utimesSync(p, t, t);
      return p;
    });
    const json = JSON.parse((await runCli(['timeline', ...paths, '--json'])).stdout);
    expect(json.moments.map((m: { bytes: number }) => m.bytes)).toEqual(some.map((x) => counted(x.text).bytes));
    expect(json.moments.map((m: { time: string }) => m.time)).toEqual(some.map((x) => utc(x.stamp)));
  });

  it('diffs two moments of the log as it diffs the same rounds written out as files', async () => {
    const a = file('round-1.txt', rounds[0].text);
    const b = file('round-30.txt', rounds[29].text);
    const plain = await runCli(['diff', a, b, '--json']);
    const picked = await runCli(['diff', `${SERIES}@1`, `${SERIES}@-1`, '--json']);
    expect(plain.code).toBe(0);
    expect(picked.code).toBe(0);
    const strip = (s: string) => {
      const { a: _a, b: _b, ...rest } = JSON.parse(s);
      return rest;
    };
    expect(strip(picked.stdout)).toEqual(strip(plain.stdout));
    const middle = await runCli(['diff', `${SERIES}@16`, `${SERIES}@17`, '--json']);
    const m16 = file('round-16.txt', rounds[15].text);
    const m17 = file('round-17.txt', rounds[16].text);
    expect(strip(middle.stdout)).toEqual(strip((await runCli(['diff', m16, m17, '--json'])).stdout));
  });

  it('summarises the last moment of a log given plainly, and says so', async () => {
    const r = await runCli(['summary', SERIES, '--json']);
    expect(r.code).toBe(0);
    const c = counted(rounds[29].text);
    expect(JSON.parse(r.stdout)).toMatchObject({ areas: c.areas, bytes: c.bytes });
    expect(r.stderr).toMatch(/holds 30 moments; this is the last \(.*@30, also @-1\)/);
    const third = await runCli(['summary', `${SERIES}@3`, '--json']);
    expect(JSON.parse(third.stdout)).toMatchObject({ areas: counted(rounds[2].text).areas, bytes: counted(rounds[2].text).bytes });
    expect(third.stderr).not.toMatch(/this is the last/);
  });

  it('exports the rows of one moment', async () => {
    const r = await runCli(['export', `${SERIES}@2`, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length - 1).toBe(counted(rounds[1].text).areas);
  });
});

describe('moments by number', () => {
  const dump = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');

  it('refuses a moment past either end with the count, and @0 with how moments count', async () => {
    const late = await runCli(['summary', `${SERIES}@40`]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/moment 40 of 30 does not exist: .* holds 30 moments \(@1 … @30, or @-1 … @-30 from the end\)/);
    const early = await runCli(['diff', `${SERIES}@1`, `${SERIES}@-31`]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/moment -31 of 30 does not exist/);
    const zero = await runCli(['summary', `${SERIES}@0`]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/moments count from 1 \(@1 is the first, @-1 the last\)/);
  });

  it('takes @1 and @-1 of a single dump as the dump, and refuses @2', async () => {
    const f = file('one.vmallocinfo', dump);
    const one = await runCli(['summary', `${f}@1`, '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).areas).toBe(counted(dump).areas);
    expect((await runCli(['summary', `${f}@-1`, '--json'])).code).toBe(0);
    const two = await runCli(['summary', `${f}@2`]);
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/moment 2 of 1 does not exist/);
  });

  it('reads a file whose own name ends in @N as that file', () => {
    const f = file('odd@3', dump);
    expect(momentSpec(f, () => true)).toEqual({ file: f, moment: null });
    expect(momentSpec('rec@-2', () => false)).toEqual({ file: 'rec', moment: -2 });
    expect(momentSpec('rec', () => false)).toEqual({ file: 'rec', moment: null });
  });

  it('refuses a moment of a share file, and FILE@N given to timeline', async () => {
    const t = await runCli(['timeline', `${SERIES}@2`]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/timeline reads whole files, not one moment/);
    const s = await runCli(['summary', `${file('x.vmscope', 'VMSCOPE\n')}@1`]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/is one snapshot: it has no moment 1/);
  });
});

describe('vmscope timeline on other inputs', () => {
  it('shows a single dump as a timeline of one moment', async () => {
    const dump = fixture('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo');
    const f = file('single.vmallocinfo', dump);
    const json = JSON.parse((await runCli(['timeline', f, '--json'])).stdout);
    expect(json.moments).toHaveLength(1);
    expect(json.moments[0]).toMatchObject({ time: null, areas: counted(dump).areas, bytes: counted(dump).bytes });
    for (const g of json.growth) expect(g.verdict).toBeNull();
    const text = await runCli(['timeline', f]);
    expect(text.stdout).toMatch(/one moment, nothing to compare/);
  });

  it(`samples the table of a long series to about ${TABLE_ROWS} rows and says so, keeping the last moment and the extremes`, async () => {
    const day = generateDay({ moments: 150, areas: 300, seed: 7 });
    const f = file('day.log', dayLog(day));
    const r = await runCli(['timeline', f]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s+2026-/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(TABLE_ROWS / 2);
    expect(rows.length).toBeLessThanOrEqual(TABLE_ROWS + 3);
    expect(r.stdout).toMatch(/150 moments: every 3rd shown, with the last and the extremes; change is since the row above; --json lists them all/);
    expect(rows.at(-1)).toMatch(/^\s+150\s/);
    const bytes = day.map((m) => counted(m.dump).bytes);
    const most = bytes.indexOf(Math.max(...bytes));
    expect(rows.find((l) => new RegExp(`^\\s+${most + 1}\\s`).test(l))).toMatch(/most bytes/);
  });

  it('calls the generated day’s slow BPF leak a possible leak, with its growth as the text counts it', async () => {
    const day = generateDay({ moments: 90, areas: 400, seed: 3, leakEvery: 5 });
    const f = file('leaky.log', dayLog(day));
    const json = JSON.parse((await runCli(['timeline', f, '--json'])).stdout);
    const first = counted(day[0].dump).callers;
    const last = counted(day[day.length - 1].dump).callers;
    for (const key of ['bpf_jit_alloc_exec', 'bpf_prog_alloc_no_stats']) {
      const g = json.growth.find((x: { by: string; key: string }) => x.by === 'caller' && x.key === key);
      expect(g.net, key).toBe((last.get(key) ?? 0) - (first.get(key) ?? 0));
      expect(g.net, key).toBeGreaterThan(0);
      expect(g.verdict, key).toBe('possible-leak');
    }
  });
});

describe('vmscope timeline on a recording made by vmscope record', () => {
  /** Five versions of a real dump: lines dropped and thread stacks added from one to the next (those vmscope record's tests record). */
  const versions = changingVersions({ count: 5, dropEvery: 7, stacksPer: 3 });

  async function recording(): Promise<string> {
    const proc = join(dir, `proc-${serial++}`);
    mkdirSync(join(proc, 'sys/kernel/random'), { recursive: true });
    writeFileSync(join(proc, 'vmallocinfo'), versions[0]);
    const out = join(dir, `rec-${serial++}.vmscope-rec`);
    let seen = 0;
    // Each moment's line is written before the recorder sleeps: the next version goes in then.
    const r = await runCli(['record', '--every', '50ms', '--count', '5', '-o', out], {
      env: { VMSCOPE_PROC: proc },
      onStderrLine: (line) => {
        if (/moment \d+:/.test(line) && ++seen < versions.length) writeFileSync(join(proc, 'vmallocinfo'), versions[seen]);
      },
    });
    expect(r.code).toBe(0);
    return out;
  }

  it('lists the five moments recorded, each with the areas and bytes of the file as it was', async () => {
    const rec = await recording();
    const r = await runCli(['timeline', rec, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.moments.map((m: { areas: number; bytes: number }) => [m.areas, m.bytes])).toEqual(versions.map((v) => [counted(v).areas, counted(v).bytes]));
    for (const m of json.moments) expect(m.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    expect(json.how).toMatch(/a recording of 5 moments/);
    // kernel_clone grew by the stacks added (3 per moment), less those of its lines dropped.
    const g = json.growth.find((x: { by: string; key: string }) => x.by === 'caller' && x.key === 'kernel_clone');
    expect(g.net).toBe((counted(versions[4]).callers.get('kernel_clone') ?? 0) - (counted(versions[0]).callers.get('kernel_clone') ?? 0));
  });

  it('refuses several files that together pass the input cap, as the app does', async () => {
    const big = file('big.txt', Buffer.alloc(120 * 1024 * 1024, 0x0a));
    const r = await runCli(['timeline', big, big]);
    rmSync(big);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 files is over 200 MiB together, over the 200 MiB that vmscope reads/);
  });

  it('refuses a recording given with other files, saying to give it alone', async () => {
    const rec = await recording();
    const r = await runCli(['timeline', rec, file('v1.txt', versions[0])]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is a recording: give it alone/);
  });

  it('diffs rec@1 and rec@-1 as it diffs the first and last versions written out as files', async () => {
    const rec = await recording();
    const strip = (s: string) => {
      const { a: _a, b: _b, ...rest } = JSON.parse(s);
      return rest;
    };
    const picked = await runCli(['diff', `${rec}@1`, `${rec}@-1`, '--json']);
    expect(picked.code).toBe(0);
    const plain = await runCli(['diff', file('v1.txt', versions[0]), file('v5.txt', versions[4]), '--json']);
    expect(strip(picked.stdout)).toEqual(strip(plain.stdout));
    const text = await runCli(['diff', `${rec}@2`, `${rec}@3`]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${rec}@2`);
    const bad = await runCli(['diff', `${rec}@1`, `${rec}@40`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/moment 40 of 5 does not exist/);
  });
});
