// The address layouts vmscope knows: one family per architecture and paging mode, each with the
// variants its kernel releases brought, and the callers that tell 32-bit architectures apart.
// Detection and the evidence rules are in layout.ts.
//
// Sources (each architecture's memory-layout document read across releases, and the headers that
// define the bounds; see also docs/format.md):
// - x86_64: Documentation/arch/x86/x86_64/mm.rst. KASLR moves the vmalloc base by whole GiBs.
// - arm64 (4 KiB pages, no KASAN), arch/arm64/include/asm/memory.h and pgtable.h:
//     4.6–5.3   modules 128 MiB at VA_START, vmalloc above, up to PAGE_OFFSET − PUD_SIZE −
//               VMEMMAP_SIZE − 64 KiB (0xffff7bdfffff0000 with 64 KiB pages, as boot logs print)
//     5.4–5.10  BPF JIT 128 MiB + modules 128 MiB at _PAGE_END(VA_BITS_MIN); VMALLOC_START =
//               MODULES_END; VMALLOC_END = −PUD_SIZE − VMEMMAP_SIZE − SZ_64K
//     5.11–5.15 VMALLOC_END = VMEMMAP_START − SZ_256M, VMEMMAP_START = −(1 << (VA_BITS − 6))
//     5.16–6.4  the BPF JIT region is gone: modules 128 MiB at _PAGE_END, vmalloc right above
//     6.5–6.8   MODULES_VSIZE = SZ_2G ("module VA range rework"): vmalloc from +2 GiB
//     6.9+      VMEMMAP_END = −SZ_1G, VMALLOC_END = VMEMMAP_START − SZ_8M (unused vmemmap reclaimed)
// - riscv64: Documentation/arch/riscv/vm-layout.rst (Sv39 64 GiB, Sv48 32 TiB, Sv57 16 PiB).
// - i386: arch/x86/include/asm/pgtable_32_areas.h: VMALLOC_START = high_memory + 8 MiB (not
//   aligned), VMALLOC_END = PKMAP_BASE − 2 pages (0xfebfe000, 0xfeffe000 with PAE); `vmalloc=`
//   moves only the start; modules are allocated inside the vmalloc range.
// - armhf: arch/arm/include/asm/pgtable.h: VMALLOC_START = (high_memory + 8 MiB) rounded down to
//   8 MiB, VMALLOC_END = 0xff800000; modules at PAGE_OFFSET − 16 MiB (0xbf000000), below the
//   lowmem direct map, which is not vmalloc space.

export interface Window {
  start: bigint;
  end: bigint;
}

export interface Variant {
  era: string | null;
  /** Releases [from, to) as major * 1000 + minor; to = Infinity for the newest. */
  from: number;
  to: number;
  /** VMALLOC_START, or null when it is found from the areas (32-bit) or KASLR. */
  start: bigint | null;
  /** VMALLOC_END (exclusive). */
  end: bigint;
  modules: Window | null;
}

export type FamilyKind = 'fixed' | 'kaslr' | 'i386' | 'armhf';

export interface Family {
  id: string;
  name: string;
  digits: 8 | 16;
  kind: FamilyKind;
  /** Where this family's vmalloc areas may lie (every variant's range, whole KASLR span). */
  vmallocWindow: Window;
  /** Where its module areas may lie, when outside the vmalloc window. */
  modulesWindow: Window | null;
  /** kaslr: the size of the range and the alignment of its randomised base. */
  size?: bigint;
  align?: bigint;
  /** kaslr: VMALLOC_START without KASLR. */
  fixedBase?: bigint;
  /** Oldest first. */
  variants: Variant[];
}

export const MiB = 1n << 20n;
const GiB = 1n << 30n;
const TiB = 1n << 40n;
const ANY = { from: 0, to: Infinity };
/** A release as major * 1000 + minor. */
export const v = (major: number, minor: number) => major * 1000 + minor;

const X86_MODULES = { start: 0xffffffffa0000000n, end: 0xffffffffff000000n };
const RISCV_MODULES = { start: 0xffffffff00000000n, end: 0xffffffff80000000n };

/** arm64's variants for a VA size: base = _PAGE_END(VA_BITS_MIN), the two VMALLOC_ENDs before 6.9 and since. */
/**
 * arm64's variants for a VA size. Before 5.4 the kernel half started at VA_START = −(1 << VA_BITS)
 * (`old`), modules took its first 128 MiB and vmalloc ran up to PAGE_OFFSET − PUD_SIZE −
 * VMEMMAP_SIZE − 64 KiB (`end4k`, or `end64k` with 64 KiB pages: the "Virtual kernel memory
 * layout" boot lines of those kernels print it). From 5.4 on the halves swapped and everything
 * counts from base = _PAGE_END(VA_BITS_MIN).
 */
function arm64Variants(old: bigint, end4k: bigint, end64k: bigint | null, base: bigint, end54: bigint, end511: bigint, end69: bigint): Variant[] {
  const oldModules = { start: old, end: old + 128n * MiB };
  const pages64k: Variant[] = end64k === null ? [] : [{ era: '4.6–5.3, 64 KiB pages', from: v(4, 6), to: v(5, 4), start: old + 128n * MiB, end: end64k, modules: oldModules }];
  return [
    { era: '4.6–5.3', from: v(4, 6), to: v(5, 4), start: old + 128n * MiB, end: end4k, modules: oldModules },
    ...pages64k,
    { era: '5.4–5.10', from: v(5, 4), to: v(5, 11), start: base + 256n * MiB, end: end54, modules: { start: base, end: base + 256n * MiB } },
    { era: '5.11–5.15', from: v(5, 11), to: v(5, 16), start: base + 256n * MiB, end: end511, modules: { start: base, end: base + 256n * MiB } },
    { era: '5.16–6.4', from: v(5, 16), to: v(6, 5), start: base + 128n * MiB, end: end511, modules: { start: base, end: base + 128n * MiB } },
    { era: '6.5–6.8', from: v(6, 5), to: v(6, 9), start: base + 2n * GiB, end: end511, modules: { start: base, end: base + 2n * GiB } },
    { era: '6.9+', from: v(6, 9), to: Infinity, start: base + 2n * GiB, end: end69, modules: { start: base, end: base + 2n * GiB } },
  ];
}

export const FAMILIES: Family[] = [
  {
    id: 'x86_64-4level',
    name: 'x86_64, 4-level paging',
    digits: 16,
    kind: 'kaslr',
    vmallocWindow: { start: 0xffff888000000000n, end: 0xfffffe0000000000n },
    modulesWindow: X86_MODULES,
    size: 32n * TiB,
    align: GiB,
    fixedBase: 0xffffc90000000000n,
    variants: [{ era: null, ...ANY, start: null, end: 0n, modules: X86_MODULES }],
  },
  {
    id: 'arm64-48',
    name: 'arm64, 48-bit VA',
    digits: 16,
    kind: 'fixed',
    vmallocWindow: { start: 0xffff000000000000n, end: 0xfffffe0000000000n },
    modulesWindow: null,
    variants: arm64Variants(
      0xffff000000000000n,
      0xffff7dffbfff0000n,
      0xffff7bdfffff0000n,
      0xffff800000000000n,
      0xfffffdffbfff0000n,
      0xfffffbfff0000000n,
      0xfffffdffbf800000n,
    ),
  },
  {
    id: 'x86_64-5level',
    name: 'x86_64, 5-level paging',
    digits: 16,
    kind: 'kaslr',
    vmallocWindow: { start: 0xff11000000000000n, end: 0xfffe000000000000n },
    modulesWindow: X86_MODULES,
    size: 0x32000000000000n, // 12.5 PiB
    align: GiB,
    fixedBase: 0xffa0000000000000n,
    variants: [{ era: null, ...ANY, start: null, end: 0n, modules: X86_MODULES }],
  },
  {
    id: 'arm64-39',
    name: 'arm64, 39-bit VA',
    digits: 16,
    kind: 'fixed',
    vmallocWindow: { start: 0xffffff8000000000n, end: 0xffffffff00000000n },
    modulesWindow: null,
    variants: arm64Variants(
      0xffffff8000000000n,
      0xffffffbebfff0000n,
      null, // 64 KiB pages never come with a 39-bit VA
      0xffffffc000000000n,
      0xfffffffebfff0000n,
      0xfffffffdf0000000n,
      0xfffffffebf800000n,
    ),
  },
  {
    id: 'riscv64-sv48',
    name: 'riscv64, Sv48',
    digits: 16,
    kind: 'fixed',
    vmallocWindow: { start: 0xffff8f8000000000n, end: 0xffffaf8000000000n },
    modulesWindow: RISCV_MODULES,
    variants: [{ era: null, ...ANY, start: 0xffff8f8000000000n, end: 0xffffaf8000000000n, modules: RISCV_MODULES }],
  },
  {
    id: 'riscv64-sv39',
    name: 'riscv64, Sv39',
    digits: 16,
    kind: 'fixed',
    vmallocWindow: { start: 0xffffffc600000000n, end: 0xffffffd600000000n },
    modulesWindow: RISCV_MODULES,
    variants: [{ era: null, ...ANY, start: 0xffffffc600000000n, end: 0xffffffd600000000n, modules: RISCV_MODULES }],
  },
  {
    id: 'riscv64-sv57',
    name: 'riscv64, Sv57',
    digits: 16,
    kind: 'fixed',
    vmallocWindow: { start: 0xff20000000000000n, end: 0xff60000000000000n },
    modulesWindow: RISCV_MODULES,
    variants: [{ era: null, ...ANY, start: 0xff20000000000000n, end: 0xff60000000000000n, modules: RISCV_MODULES }],
  },
  {
    id: 'i386',
    name: 'x86 32-bit (i386)',
    digits: 8,
    kind: 'i386',
    vmallocWindow: { start: 0x80000000n, end: 0xfeffe000n },
    modulesWindow: null,
    variants: [
      { era: null, ...ANY, start: null, end: 0xfebfe000n, modules: null },
      { era: null, ...ANY, start: null, end: 0xfeffe000n, modules: null },
    ],
  },
  {
    id: 'armhf',
    name: 'arm 32-bit (armhf)',
    digits: 8,
    kind: 'armhf',
    vmallocWindow: { start: 0xc0000000n, end: 0xff800000n },
    modulesWindow: { start: 0xbf000000n, end: 0xc0000000n },
    variants: [{ era: null, ...ANY, start: null, end: 0xff800000n, modules: { start: 0xbf000000n, end: 0xc0000000n } }],
  },
];

/** Callers that allocate module memory; on 6.x arm64 the BPF JIT allocates from the vmalloc range. */
export const LOADER_CALLERS: ReadonlySet<string> = new Set([
  'load_module',
  'move_module',
  'module_alloc',
  'module_memory_alloc',
  'execmem_alloc',
  'execmem_vmalloc',
]);

/**
 * Callers whose areas may lie in a module region (BPF JIT, kprobes) besides the loader's; and since
 * 6.14 x86_64's cache of read-only executable 2 MiB pages (execmem_cache_populate), which holds the
 * text of several modules and BPF programs at once.
 */
export const MODULE_REGION_CALLERS: ReadonlySet<string> = new Set([...LOADER_CALLERS, 'bpf_jit_alloc_exec', 'bpf_prog_pack_alloc', 'alloc_new_pack', 'alloc_insn_page', 'execmem_cache_populate']);

/** Callers only an x86 kernel has (i386 evidence among 8-digit dumps). */
export const X86_CALLERS: ReadonlySet<string> = new Set(['hpet_enable', 'acpi_os_map_iomem', '__ioremap_caller', 'pcibios_add_bus', 'arch_ioremap_p4d_supported']);
/** Callers only an arm kernel has (armhf evidence). */
export const ARM_CALLERS: ReadonlySet<string> = new Set([
  '__arm_ioremap_caller',
  '__arm_ioremap_pfn_caller',
  '__arm_ioremap_exec',
  'pci_reserve_io',
  'gic_of_setup',
  'gicv2m_init',
  'of_iomap',
  'arm_iommu_create_mapping',
  '__dma_alloc_remap',
]);
