// A generated day of one x86_64 host's /proc/vmallocinfo, as `while :; do date -Is; cat
// /proc/vmallocinfo; sleep 60; done` would log it: for the recording's size goal, the timeline's
// benchmark and tests of growth verdicts. Deterministic: the same options give the same text.
//
// The host (callers and their offsets taken from the Debian 6.1 x86_64 captures in
// public/samples/kernels, plus the 5.10-era `bpf_jit_alloc_exec`):
// - a stable base of `areas` lines: percpu chunks, IRQ stacks, ACPI/PCI/virtio ioremaps, boot hashes,
//   vm_map_ram blocks, ~40 modules of three loader lines each, BPF programs and maps, tty buffers,
//   and thread stacks (`kernel_clone`, 20480 bytes, pages=4) filling up the rest;
// - each minute, a few threads end and as many start (a freed stack stays as an `unpurged vm_area`
//   line at its address until the next purge), a tty or a BPF map now and then;
// - a slow leak: every `leakEvery` minutes one BPF program that is never freed, two areas
//   (`bpf_prog_alloc_no_stats`, 8192, and `bpf_jit_alloc_exec` in the module region, 12288);
// - bursts: every 60–150 minutes 100–400 extra threads for 2–6 minutes, then gone (their stacks
//   join the unpurged ones);
// - purges: when the unpurged areas pass 16 MiB, or every 30–60 minutes, every unpurged line goes
//   at once and its address range is free again.
// Busy areas are listed by address, the unpurged ones after them in the order they were freed
// (kernels before 6.9). Addresses are raw (KASLR'd bases) or, with `mode: 'hashed'`, %pK hashes
// (a keyed 32-bit hash per address, stable for the day, as within one boot).

/** One moment: its `date -Is` stamp, epoch ms, and the dump (lines ending in LF). */
export interface DayMoment {
  time: number;
  stamp: string;
  dump: string;
  /** /proc/meminfo at that moment (with `meminfo: true`): VmallocUsed is the pages= of the busy areas. */
  meminfo?: string;
}

export interface DayOptions {
  /** Moments (default 1440: a day at one a minute). */
  moments?: number;
  /** Areas at the start (default 2000). */
  areas?: number;
  seed?: number;
  mode?: 'raw' | 'hashed';
  /** Epoch ms of the first moment (default 2026-11-30T00:00:00Z). */
  start?: number;
  /** Minutes between moments (default 1). */
  everyMinutes?: number;
  /** Minutes between two leaked BPF programs (default 10). */
  leakEvery?: number;
  /** Give each moment a /proc/meminfo too (default false). */
  meminfo?: boolean;
}

const PAGE = 4096;
const VMALLOC_BASE = 0xffffb0c6c0000000n;
const MODULE_BASE = 0xffffffffc0000000n;
const STACK = 20480;

interface Live {
  start: bigint;
  size: number;
  /** Everything after the size column. */
  tail: string;
  module: boolean;
  /** Its pages= (0 when none). */
  pages: number;
}

/** mulberry32: a small seeded generator, enough for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vmallocTail(caller: string, size: number, extra = ''): string {
  const pages = (size - PAGE) / PAGE;
  return `${caller} pages=${pages} vmalloc${extra} N0=${pages}`;
}

/** A first-fit allocator over one region; freed ranges come back only when purged. */
class Region {
  private free: Array<{ start: bigint; size: number }> = [];
  private top: bigint;
  constructor(base: bigint) {
    this.top = base;
  }
  take(size: number): bigint {
    for (let k = 0; k < this.free.length; k++) {
      const f = this.free[k];
      if (f.size >= size) {
        const start = f.start;
        if (f.size === size) this.free.splice(k, 1);
        else this.free[k] = { start: f.start + BigInt(size), size: f.size - size };
        return start;
      }
    }
    const start = this.top;
    this.top += BigInt(size);
    return start;
  }
  give(start: bigint, size: number): void {
    this.free.push({ start, size });
    this.free.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }
}

function hex16(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}

/** `date -Is` in UTC: 2026-11-30T00:59:06+00:00. */
function stampOf(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The moments of a generated day, one at a time (see the top of this file). */
export function* dayMoments(options: DayOptions = {}): Generator<DayMoment> {
  const { moments = 1440, areas = 2000, seed = 1, mode = 'raw', start = Date.UTC(2026, 10, 30), everyMinutes = 1, leakEvery = 10, meminfo = false } = options;
  const rnd = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const hashKey = Math.floor(rnd() * 0xffffffff);
  const vm = new Region(VMALLOC_BASE);
  const mod = new Region(MODULE_BASE);
  const live = new Map<number, Live>();
  let nextId = 0;
  const unpurged: Array<{ start: bigint; size: number; module: boolean }> = [];
  let unpurgedBytes = 0;
  const add = (size: number, tail: string, module = false): number => {
    const at = (module ? mod : vm).take(size);
    live.set(nextId, { start: at, size, tail, module, pages: Number(/ pages=(\d+)/.exec(tail)?.[1] ?? 0) });
    return nextId++;
  };
  const free = (id: number): void => {
    const a = live.get(id);
    if (!a) return;
    live.delete(id);
    unpurged.push({ start: a.start, size: a.size, module: a.module });
    unpurgedBytes += a.size;
  };
  const purge = (): void => {
    for (const u of unpurged) (u.module ? mod : vm).give(u.start, u.size);
    unpurged.length = 0;
    unpurgedBytes = 0;
  };

  // The base.
  for (let k = 0; k < 4; k++) add(2101248, 'pcpu_get_vm_areas+0x0/0x1080 vmalloc');
  for (let k = 0; k < 8; k++) add(STACK, 'irq_init_percpu_irqstack+0xf0/0x120 vmap');
  for (const phys of ['000000003ffe1000', '000000003ffe0000', '00000000fed00000', '00000000000f5000']) add(8192, `acpi_os_map_iomem+0x1b6/0x1d0 phys=0x${phys} ioremap`);
  add(8192, 'hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap');
  for (let k = 0; k < 16; k++) add(8192, `vp_modern_map_capability+0x148/0x1d0 [virtio_pci_modern_dev] phys=0x00000000${(0xfe000000 + k * 0x1000).toString(16)} ioremap`);
  for (let k = 0; k < 8; k++) add(8192, `__pci_enable_msix_range+0x2bb/0x4e0 phys=0x00000000${(0xfebf1000 + k * 0x1000).toString(16)} ioremap`);
  for (let k = 0; k < 13; k++) {
    const size = PAGE * (1 << int(3, 9)) + PAGE;
    add(size, vmallocTail('alloc_large_system_hash+0x197/0x27c', size));
  }
  for (let k = 0; k < 4; k++) add(1048576, 'vm_map_ram');
  for (let k = 0; k < 8; k++) add(8192, vmallocTail('gen_pool_add_owner+0x3a/0xc0', 8192));
  for (let k = 0; k < 40; k++) {
    for (const size of [PAGE * int(4, 480) + PAGE, PAGE * int(1, 40) + PAGE, PAGE * int(1, 12) + PAGE]) add(size, vmallocTail('load_module+0xbb7/0x21a0', size), true);
  }
  add(2101248, vmallocTail('bpf_prog_pack_alloc+0x292/0x3b0', 2101248), true);
  const bpfMap = (size: number) => add(size, `array_map_alloc+0x102/0x220 pages=${(size - PAGE) / PAGE} vmalloc user N0=${(size - PAGE) / PAGE}`);
  const bpfMaps: number[] = [];
  for (let k = 0; k < 10; k++) bpfMaps.push(bpfMap(PAGE * int(2, 300) + PAGE));
  for (let k = 0; k < 30; k++) add(8192, vmallocTail('bpf_prog_alloc_no_stats+0x31/0x1f0', 8192));
  const ttys: number[] = [];
  for (let k = 0; k < 6; k++) ttys.push(add(16384, vmallocTail('n_tty_open+0x14/0xa0', 16384)));
  const threads: number[] = [];
  while (live.size < areas) threads.push(add(STACK, vmallocTail('kernel_clone+0xbf/0x430', STACK)));

  const address = (v: bigint): string => {
    if (mode === 'raw') return `0x${hex16(v)}`;
    let h = (Number(v & 0xffffffffn) ^ Math.imul(Number((v >> 32n) & 0xffffffffn), 0x9e3779b1) ^ hashKey) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return `0x00000000${((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0')}`;
  };
  const line = (s: bigint, size: number, tail: string) => `${address(s)}-${address(s + BigInt(size))} ${String(size).padStart(7)} ${tail}\n`;

  let burst: number[] = [];
  let burstEnds = -1;
  let nextBurst = int(60, 150);
  let nextPurge = int(30, 60);
  for (let m = 0; m < moments; m++) {
    if (m > 0) {
      // Threads end and start.
      const ends = int(0, 4);
      for (let k = 0; k < ends && threads.length > 0; k++) free(threads.splice(int(0, threads.length - 1), 1)[0]);
      const starts = Math.max(0, ends + int(-1, 1));
      for (let k = 0; k < starts; k++) threads.push(add(STACK, vmallocTail('kernel_clone+0xbf/0x430', STACK)));
      // A login now and then.
      if (rnd() < 0.05) ttys.push(add(16384, vmallocTail('n_tty_open+0x14/0xa0', 16384)));
      if (rnd() < 0.05 && ttys.length > 6) free(ttys.splice(int(0, ttys.length - 1), 1)[0]);
      // A BPF map made or dropped.
      if (rnd() < 0.02) {
        bpfMaps.push(bpfMap(PAGE * int(2, 64) + PAGE));
      }
      if (rnd() < 0.02 && bpfMaps.length > 10) free(bpfMaps.splice(int(0, bpfMaps.length - 1), 1)[0]);
      // The leak.
      if (m % leakEvery === 0) {
        add(8192, vmallocTail('bpf_prog_alloc_no_stats+0x31/0x1f0', 8192));
        add(12288, vmallocTail('bpf_jit_alloc_exec+0x31/0x40', 12288), true);
      }
      // Bursts of threads.
      if (m === nextBurst) {
        const n = int(100, 400);
        for (let k = 0; k < n; k++) burst.push(add(STACK, vmallocTail('kernel_clone+0xbf/0x430', STACK)));
        burstEnds = m + int(2, 6);
        nextBurst = m + int(60, 150);
      }
      if (m === burstEnds) {
        for (const id of burst) free(id);
        burst = [];
      }
      // Purges.
      if (unpurgedBytes > 16 << 20 || m >= nextPurge) {
        purge();
        nextPurge = m + int(30, 60);
      }
    }
    const busy = [...live.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let dump = '';
    for (const a of busy) dump += line(a.start, a.size, a.tail);
    for (const u of unpurged) dump += line(u.start, u.size, 'unpurged vm_area');
    const time = start + m * everyMinutes * 60000 + int(0, 999);
    const moment: DayMoment = { time: Math.floor(time / 1000) * 1000, stamp: stampOf(time), dump };
    if (meminfo) {
      let pages = 0;
      for (const a of busy) pages += a.pages;
      moment.meminfo = meminfoText(pages * 4, (threads.length + burst.length) * 16);
    }
    yield moment;
  }
}

/** A 16 GiB host's /proc/meminfo (6.1's fields, trimmed) with the given VmallocUsed and KernelStack. */
function meminfoText(vmallocUsedKb: number, kernelStackKb: number): string {
  const rows: Array<[string, number]> = [
    ['MemTotal', 16303488],
    ['MemFree', 9126540],
    ['MemAvailable', 13488120],
    ['Buffers', 212344],
    ['Cached', 4127760],
    ['SwapTotal', 4194300],
    ['SwapFree', 4194300],
    ['Slab', 612344],
    ['KernelStack', kernelStackKb],
    ['PageTables', 31220],
    ['VmallocTotal', 34359738367],
    ['VmallocUsed', vmallocUsedKb],
    ['VmallocChunk', 0],
    ['Percpu', 12160],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(16)}${String(v).padStart(8)} kB\n`).join('');
}

/** Every moment of a generated day (see dayMoments). */
export function generateDay(options: DayOptions = {}): DayMoment[] {
  return [...dayMoments(options)];
}

/** The day as the shell loop logs it: each moment's stamp line, then its dump (and its /proc/meminfo). */
export function dayLog(moments: Iterable<DayMoment>): string {
  const parts: string[] = [];
  for (const m of moments) parts.push(`${m.stamp}\n${m.dump}${m.meminfo ?? ''}`);
  return parts.join('');
}
