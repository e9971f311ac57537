import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixtures.ts';
import { openFolder, openSource } from './open.ts';

// The container readers with damaged input, seeded from real archives built here: truncations,
// byte flips and splices of a sosreport tar (plain and gzipped), a bugreport zip, a bugreport text
// and a kmem -v table, and random bytes behind each magic number. openSource must always resolve
// (never reject, never hang) to a dump, a plain input or a refusal with a sentence.

const enc = new TextEncoder();
const VM = fixture('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo');
const TOP = 'sosreport-web1-2026-11-30-x';
const tar = createTar([
  { name: `${TOP}/proc/vmallocinfo`, data: VM },
  { name: `${TOP}/proc/meminfo`, data: fixture('kernels/i386-6.1.0-50-686-boot-raw.meminfo') },
  { name: `${TOP}/sos_commands/kernel/uname_-a`, data: 'Linux web1 6.1.0-50-686 #1 SMP i686 GNU/Linux\n' },
]);
const bugreport = enc.encode(
  ['== dumpstate: 2026-11-30 07:00:12', "Build fingerprint: 'a/b/c:14/X/1:user/k'", 'Kernel: Linux version 6.1.0 (x)', '------ VMALLOC INFO (/proc/vmallocinfo) ------', VM, "------ 0.011s was the duration of 'VMALLOC INFO' ------"].join('\n'),
);
const kmem = enc.encode(['VMAP_AREA         VM_STRUCT                 ADDRESS RANGE                SIZE', 'c1000000  c2000000  f8000000 - f8005000  20480', 'c1000040  c2000040  f8005000 - f8007000   8192'].join('\n'));
// An xz seed when the system has xz (the tests of sources.test.ts require it; here it is a bonus).
const xz = existsSync('/usr/bin/xz') ? [new Uint8Array(execFileSync('/usr/bin/xz', ['-c'], { input: tar }))] : [];
const SEEDS = [tar, gzipSync(tar), ...xz, zipSync({ 'bugreport-x.txt': bugreport, 'main_entry.txt': enc.encode('bugreport-x.txt') }), bugreport, kmem];
const MAGICS = [[0x1f, 0x8b], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x50, 0x4b, 0x03, 0x04]];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 600 }) }),
);

function mutate(seed: Uint8Array, ms: Array<{ op: 'cut'; at: number } | { op: 'flip'; at: number; value: number; count: number } | { op: 'splice'; at: number; bytes: Uint8Array }>): Uint8Array {
  let out = seed.slice();
  for (const m of ms) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.op === 'cut') out = out.slice(0, at);
    else if (m.op === 'flip') for (let k = 0; k < m.count && at + k * 37 < out.length; k++) out[at + k * 37] = m.value;
    else {
      const next = new Uint8Array(out.length + m.bytes.length);
      next.set(out.subarray(0, at));
      next.set(m.bytes, at);
      next.set(out.subarray(at), at + m.bytes.length);
      out = next;
    }
  }
  return out;
}

describe('the container readers with damaged input', () => {
  it('always resolve to a dump, a plain input or a refusal with a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (k, ms) => {
        const opened = await openSource('x', mutate(SEEDS[k], ms));
        expect(['dump', 'plain', 'refused']).toContain(opened.kind);
        if (opened.kind === 'refused') expect(opened.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 14 },
    );
  }, 60_000);

  it('take random bytes behind every magic number without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: MAGICS.length }), fc.uint8Array({ maxLength: 4096 }), async (k, tail) => {
        const magic = k < MAGICS.length ? MAGICS[k] : [];
        const bytes = new Uint8Array(magic.length + tail.length);
        bytes.set(magic);
        bytes.set(tail, magic.length);
        const opened = await openSource('x', bytes);
        expect(['dump', 'plain', 'refused']).toContain(opened.kind);
      }),
      { numRuns: 300, seed: 41 },
    );
  }, 60_000);

  it('take any list of folder paths without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 200 })), { maxLength: 30 }), async (files) => {
        const opened = await openFolder('dropped', files.map(([path, text]) => ({ path, size: text.length, bytes: async () => enc.encode(text) })));
        expect(['dump', 'plain', 'refused']).toContain(opened.kind);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
