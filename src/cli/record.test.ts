import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRecording, recordingToSeries } from '../lib/series/recording.ts';
import { fixture } from '../lib/testing/fixtures.ts';
import { areaLines, bytesOfLines, changingVersions } from '../lib/testing/series.ts';
import { duration, parseDuration, parseRecordArgs, readRecordingFile, runRecord } from './record.ts';
import type { RecordContext, RecordOptions } from './record.ts';
import { runCli } from './testing.ts';
import type { CliOptions } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-record-'));
let serial = 0;

/** A fresh fake /proc holding `vmallocinfo` (and meminfo, modules, hostname when given). */
function fakeProc(files: Record<string, string>): string {
  const proc = join(dir, `proc-${serial++}`);
  mkdirSync(join(proc, 'sys/kernel/random'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(proc, name), text);
  return proc;
}

function outFile(): string {
  return join(dir, `rec-${serial++}.vmscope-rec`);
}

/** Five versions of a real dump: lines dropped and thread stacks added from one to the next. */
const versions = changingVersions({ count: 5, dropEvery: 7, stacksPer: 3 });

/** Moments of a recording file as counted from its series: areas, bytes, time. */
async function momentsOf(file: string) {
  const { series, problem } = await readRecordingFile(file);
  return {
    problem,
    moments: Array.from({ length: series.count }, (_, i) => {
      const s = series.snapshot(i);
      let bytes = 0;
      for (let a = 0; a < s.count; a++) bytes += s.columns.size[a];
      return { areas: s.count, bytes, time: series.moments[i].time };
    }),
  };
}

/** runRecord with its lines kept as stderr would show them; `onLine` sees each line as it is written. */
async function record(o: RecordOptions, ctx: RecordContext = {}, onLine: (line: string) => void = () => {}): Promise<{ result: number; stderr: string }> {
  let stderr = '';
  const log = (line: string) => {
    stderr += `${line}\n`;
    onLine(line);
  };
  return { result: await runRecord(o, { ...ctx, log }), stderr };
}

/** `vmscope record ...args` in-process (testing.ts): its exit code and stderr. */
async function vmscopeRecord(args: string[], options: CliOptions = {}): Promise<{ result: number; stderr: string }> {
  const { code, stderr } = await runCli(['record', ...args], options);
  return { result: code, stderr };
}

function options(proc: string, out: string, more: Partial<RecordOptions> = {}): RecordOptions {
  return { every: 20, count: 3, forMs: null, meminfo: false, modules: false, out, proc, ...more };
}

describe('vmscope record options', () => {
  it('reads durations in ms, s, m and h, and a bare number as seconds', () => {
    expect(['500ms', '10s', '1m', '1h', '1.5m', '2'].map(parseDuration)).toEqual([500, 10000, 60000, 3600000, 90000, 2000]);
    expect(['', '10x', '-1s', 's', '1 h'].map(parseDuration)).toEqual([null, null, null, null, null]);
    expect([500, 10000, 60000, 5400000, 1500].map(duration)).toEqual(['500ms', '10s', '1m', '1h30m', '1500ms']);
  });

  it('refuses --count with --for, a missing -o, bad durations and counts', () => {
    expect(parseRecordArgs(['--count', '3', '--for', '1h', '-o', 'f'])).toMatch(/not both/);
    expect(parseRecordArgs(['--count', '3'])).toMatch(/needs -o FILE/);
    expect(parseRecordArgs(['--every', 'soon', '-o', 'f'])).toMatch(/duration/);
    expect(parseRecordArgs(['--count', '0', '-o', 'f'])).toMatch(/--count/);
    expect(parseRecordArgs(['extra', '-o', 'f'])).toMatch(/unexpected argument/);
    expect(parseRecordArgs(['--every=1m', '--for=1h', '--meminfo', '--modules', '-o', 'f'], {})).toEqual({ every: 60000, count: null, forMs: 3600000, meminfo: true, modules: true, out: 'f', proc: '/proc' });
    expect(parseRecordArgs(['-o', 'f'], { VMSCOPE_PROC: '/x' })).toMatchObject({ proc: '/x', every: 10000 });
  });

  it('exits 2 with the usage on a usage error, and lists record in it', async () => {
    const { result, stderr } = await vmscopeRecord(['--count', '2']);
    expect(result).toBe(2);
    expect(stderr).toMatch(/record needs -o FILE/);
    expect(stderr).toMatch(/vmscope record \[--every 10s\] \[--count N \| --for 1h\] \[--meminfo\] \[--modules\] -o FILE/);
  });
});

describe('vmscope record from a fake /proc', () => {
  it('records five moments of a vmallocinfo that changes between them, each as the file was', async () => {
    const proc = fakeProc({ vmallocinfo: versions[0] });
    const out = outFile();
    let seen = 0;
    // Each moment's line is written before the recorder sleeps: the next version goes in then.
    const { result, stderr } = await vmscopeRecord(['--every', '50ms', '--count', '5', '-o', out], {
      env: { VMSCOPE_PROC: proc },
      onStderrLine: (line) => {
        if (/moment \d+:/.test(line) && ++seen < versions.length) writeFileSync(join(proc, 'vmallocinfo'), versions[seen]);
      },
    });
    expect(result).toBe(0);
    expect(stderr).toContain(`recording ${proc}/vmallocinfo every 50ms to ${out}, 5 moments`);
    expect(stderr).toMatch(new RegExp(`recorded 5 moments to ${out}`));
    const { moments, problem } = await momentsOf(out);
    expect(problem).toBeNull();
    expect(moments.map((m) => m.areas)).toEqual(versions.map((v) => areaLines(v).length));
    expect(moments.map((m) => m.bytes)).toEqual(versions.map((v) => bytesOfLines(areaLines(v))));
    // Taken on the schedule first + k·50 ms (never before it).
    for (let k = 1; k < moments.length; k++) expect(moments[k].time! - moments[0].time!).toBeGreaterThanOrEqual(k * 50 - 2);
  });

  it('stores /proc/meminfo and /proc/modules with each moment when asked', async () => {
    const meminfo = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo');
    const modules = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules');
    const proc = fakeProc({ vmallocinfo: versions[0], meminfo, modules });
    const out = outFile();
    const { result } = await record(options(proc, out, { meminfo: true, modules: true, count: 2 }));
    expect(result).toBe(0);
    const { series } = await readRecordingFile(out);
    const used = Number(/VmallocUsed:\s+(\d+)/.exec(meminfo)![1]);
    for (const m of series.moments) {
      expect(m.capture.meminfo.find((e) => e.key === 'VmallocUsed')?.value).toBe(used);
      expect(m.capture.modules.map((e) => e.name)).toEqual(modules.split('\n').filter(Boolean).map((l) => l.split(' ')[0]));
    }
  });

  it('continues an existing recording, and cuts off a moment left half-written first', async () => {
    const proc = fakeProc({ vmallocinfo: versions[0] });
    const out = outFile();
    await record(options(proc, out, { count: 2 }));
    // A power cut in the middle of a third moment's write.
    writeFileSync(join(proc, 'vmallocinfo'), versions[1]);
    await record(options(proc, out, { count: 1 }));
    truncateSync(out, readFileSync(out).length - 7);
    writeFileSync(join(proc, 'vmallocinfo'), versions[2]);
    const { result, stderr } = await record(options(proc, out, { count: 2 }));
    expect(result).toBe(0);
    expect(stderr).toMatch(/cut back to its 2 complete moments/);
    expect(stderr).toMatch(/continuing .* \(2 moments in it\)/);
    expect(stderr).toMatch(/recorded 2 moments to .* \(4 moments in all\)/);
    const { moments, problem } = await momentsOf(out);
    expect(problem).toBeNull();
    expect(moments.map((m) => m.areas)).toEqual([versions[0], versions[0], versions[2], versions[2]].map((v) => areaLines(v).length));
  });

  it('begins again a file that holds only the start of a header (cut as it was created)', async () => {
    const proc = fakeProc({ vmallocinfo: versions[0] });
    const out = outFile();
    await record(options(proc, out, { count: 1 }));
    for (const keep of [5, 12]) {
      truncateSync(out, keep);
      const { result, stderr } = await record(options(proc, out, { count: 1 }));
      expect(result).toBe(0);
      expect(stderr).toContain(`held only the start of a recording's header (${keep} bytes): begun again`);
      expect((await momentsOf(out)).moments.map((m) => m.areas)).toEqual([areaLines(versions[0]).length]);
    }
  });

  it('refuses to append to a file that is not a recording, or one from another host', async () => {
    const proc = fakeProc({ vmallocinfo: versions[0], 'sys/kernel/hostname': 'alpha\n' });
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const r1 = await vmscopeRecord(['--proc', proc, '--count', '1', '-o', notes]);
    expect(r1.result).toBe(1);
    expect(r1.stderr).toMatch(/is not a vmscope recording/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    const out = outFile();
    await record(options(proc, out, { count: 1 }));
    writeFileSync(join(proc, 'sys/kernel/hostname'), 'beta\n');
    const r2 = await vmscopeRecord(['--proc', proc, '--count', '1', '-o', out]);
    expect(r2.result).toBe(1);
    expect(r2.stderr).toMatch(/recorded on alpha, not on beta/);
    expect((await momentsOf(out)).moments.length).toBe(1);
  });

  it('says so when the addresses are zeroed: areas then match only as a multiset', async () => {
    const proc = fakeProc({ vmallocinfo: fixture('kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo') });
    const { result, stderr } = await record(options(proc, outFile(), { count: 2 }));
    expect(result).toBe(0);
    expect(stderr).toMatch(/zeroed addresses: areas are matched between moments only as a multiset/);
  });

  it('stops at a full disk with a clear message, leaving a file that opens with its complete moments', async () => {
    const proc = fakeProc({ vmallocinfo: versions[0] });
    const out = outFile();
    let frames = 0;
    // The third frame finds the disk full half-way through.
    const io = {
      write(fd: number, bytes: Uint8Array): number {
        if (bytes.length > 0 && bytes[0] !== 0x56 && ++frames === 3) {
          writeSync(fd, bytes, 0, Math.floor(bytes.length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return writeSync(fd, bytes, 0, bytes.length);
      },
    };
    let i = 0;
    const { result, stderr } = await record(options(proc, out, { count: 5 }), { io }, (line) => {
      if (/moment \d+:/.test(line)) writeFileSync(join(proc, 'vmallocinfo'), versions[++i]);
    });
    expect(result).toBe(1);
    expect(stderr).toMatch(/stopped: the disk is full \(ENOSPC\)\. .* holds 2 moments and opens with all of them/);
    const decoded = decodeRecording(readFileSync(out));
    expect(decoded.problem).toBeNull();
    expect(decoded.frames.length).toBe(2);
    expect((await momentsOf(out)).moments.map((m) => m.areas)).toEqual([versions[0], versions[1]].map((v) => areaLines(v).length));
  });

  it('reports a device with no space at all (/dev/full) without throwing', async () => {
    if (!existsSync('/dev/full')) return;
    const proc = fakeProc({ vmallocinfo: versions[0] });
    const { result, stderr } = await vmscopeRecord(['--proc', proc, '--count', '1', '-o', '/dev/full']);
    expect(result).toBe(1);
    expect(stderr).toMatch(/cannot write \/dev\/full/);
  });

  it('says why when there is no vmallocinfo to read', async () => {
    const { result, stderr } = await vmscopeRecord(['--proc', join(dir, 'nowhere'), '--count', '1', '-o', outFile()]);
    expect(result).toBe(1);
    expect(stderr).toMatch(/cannot read .*nowhere\/vmallocinfo: no such file/);
  });

  // Ctrl-C and kill (SIGINT, SIGTERM) are the process's: smoke.test.ts sends them to the built bin.
});

describe('vmscope record on this machine’s /proc/vmallocinfo', () => {
  const real = '/proc/vmallocinfo';
  const readable = (() => {
    try {
      return areaLines(readFileSync(real, 'utf8')).length > 0;
    } catch {
      return false;
    }
  })();

  it('records three moments that open with the areas each frame says, within the counts a plain read sees', async () => {
    if (!readable) throw new Error('this test needs a readable /proc/vmallocinfo (run it as root on Linux)');
    const before = areaLines(readFileSync(real, 'utf8')).length;
    const out = outFile();
    const { result, stderr } = await vmscopeRecord(['--count', '3', '--every', '100ms', '-o', out]);
    const after = areaLines(readFileSync(real, 'utf8')).length;
    expect(result).toBe(0);
    const bytes = readFileSync(out);
    const decoded = decodeRecording(bytes);
    expect(decoded.problem).toBeNull();
    expect(decoded.frames.length).toBe(3);
    // Each moment's count, from the frames' own text: the first frame's lines, then plus the lines
    // that came and minus the ids that went.
    const fromFrames: number[] = [];
    let alive = 0;
    for (const f of decoded.frames) {
      alive += new TextDecoder().decode(f.lines).split('\n').filter((l) => l.startsWith('0x')).length - f.removed.length;
      fromFrames.push(alive);
    }
    const { series } = recordingToSeries(decoded);
    expect(Array.from({ length: 3 }, (_, i) => series!.snapshot(i).count)).toEqual(fromFrames);
    expect([...stderr.matchAll(/moment \d+: ([\d,]+) areas/g)].map((m) => Number(m[1].replace(/,/g, '')))).toEqual(fromFrames);
    const slack = Math.max(50, Math.ceil(0.05 * Math.max(before, after)));
    for (const n of fromFrames) {
      expect(n).toBeGreaterThanOrEqual(Math.min(before, after) - slack);
      expect(n).toBeLessThanOrEqual(Math.max(before, after) + slack);
    }
    expect(series!.snapshot(0).pointerMode).not.toBe('zero');
    // Cut at every byte position, it opens with the frames complete before the cut.
    const ends = decoded.frames.map((f) => f.offset + f.length);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(decodeRecording(bytes.subarray(0, cut)).frames.length).toBe(ends.filter((e) => e <= cut).length);
    }
  });
});
