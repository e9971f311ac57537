// A realistic large dump for benchmarks: the area lines of the repo's real raw captures, replayed in
// random order (seeded) at fresh, increasing addresses from the x86_64 vmalloc base, with the
// small holes real dumps have, printed exactly as the kernel prints them ("0x%px-0x%px %7ld …").
//
// The captures replayed are a fixed list, not every raw capture in public/samples: adding a capture
// must not change the benchmarks' input, or figures from before and after stop comparing like with
// like (the i386, armhf and riscv64 captures added later changed the 1M dump from 79.12 to 79.17 MB
// and its mix of callers and holes). These are the x86_64 and arm64 captures the generator read
// before those were added, in the order it read them; the 1M dump is byte for byte the one it made
// then. Change the list only on purpose, and re-measure the README's figures when you do.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES } from './paths.ts';

const KERNELS = join(SAMPLES, 'kernels');

const CAPTURES = [
  'arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo',
  'arm64-6.12.117-deb12-after-rmmod-raw.vmallocinfo',
  'arm64-6.12.117-deb12-boot-raw.vmallocinfo',
  'x86_64-6.1.0-56-after-insmod-iommu-raw.vmallocinfo',
  'x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo',
  'x86_64-6.1.0-56-after-insmod-raw.vmallocinfo',
  'x86_64-6.1.0-56-after-rmmod-raw.vmallocinfo',
  'x86_64-6.1.0-56-boot-raw.vmallocinfo',
];

/** The text after the size column of every area line of the replayed captures. */
function templates(): Array<{ size: bigint; rest: string }> {
  const out: Array<{ size: bigint; rest: string }> = [];
  for (const name of CAPTURES) {
    for (const line of readFileSync(join(KERNELS, name), 'utf8').split('\n')) {
      const m = /^0x[0-9a-f]+-0x[0-9a-f]+\s+(\d+)(.*)$/.exec(line);
      if (m) out.push({ size: BigInt(m[1]), rest: m[2] });
    }
  }
  return out;
}

/** mulberry32: a small seeded PRNG so every run benchmarks the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Module loader lines belong in the module area, not among the vmalloc areas. */
const LOADER = /^\s*\d*\s*(load_module|move_module|module_alloc|execmem_alloc)\+/;

export function generateDump(areas: number, seed = 1): string {
  const all = templates();
  const lines = all.filter((t) => !LOADER.test(t.rest.trimStart()));
  const loader = all.filter((t) => LOADER.test(t.rest.trimStart()));
  const random = prng(seed);
  const parts: string[] = [];
  const print = (start: bigint, t: { size: bigint; rest: string }) =>
    parts.push(`0x${start.toString(16)}-0x${(start + t.size).toString(16)} ${t.size.toString().padStart(7)}${t.rest}\n`);
  // About 1 area in 500 is module memory, in the 1 GiB module area (x86_64 with KASLR).
  const modules = Math.min(Math.ceil(areas / 500), 4000);
  let cursor = 0xffffc90000000000n;
  for (let i = 0; i < areas - modules; i++) {
    const t = lines[Math.floor(random() * lines.length)];
    print(cursor, t);
    // Most areas abut (the guard page is inside the size); some leave a hole of a few pages.
    const r = random();
    cursor += t.size + (r < 0.6 ? 0n : BigInt(Math.floor(r * 64)) * 4096n);
  }
  let moduleCursor = 0xffffffffc0000000n;
  for (let i = 0; i < modules; i++) {
    const t = loader[Math.floor(random() * loader.length)];
    print(moduleCursor, t);
    moduleCursor += t.size + 4096n * BigInt(Math.floor(random() * 4));
  }
  return parts.join('');
}
