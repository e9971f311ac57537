// A dump as Prometheus metrics: the text exposition format 0.0.4 that node_exporter's textfile
// collector reads (https://prometheus.io/docs/instrumenting/exposition_formats/). Every family is a
// gauge with HELP and TYPE lines; the figures are the library's own (summarize, the model's totals,
// fragmentation), never counted again here. The families are documented in docs/metrics.md:
//
//   vmscope_dump_info{pointer_mode,release,layout} 1        how the dump was read
//   vmscope_dump_skipped_lines                              lines that were not area lines
//   vmscope_vmalloc_bytes{kind} / vmscope_vmalloc_areas{kind}   every AREA_KINDS kind, zeros too
//   vmscope_vmalloc_caller_bytes{caller}                    the top N callers + caller="other"
//   vmscope_vmalloc_module_bytes{module}                    per module (when any area has one)
//   vmscope_vmalloc_lazily_freed_bytes / _areas             unpurged vm_area lines
//   vmscope_vmalloc_range_bytes                             the vmalloc range's size, when known
//   vmscope_vmalloc_free_bytes, _largest_free_hole_bytes, _free_holes   real addresses only
//
// The kind and caller families each sum to the total of the size column: caller="other" holds the
// callers below the top N, the lines that name no caller (lazily freed, vm_map_ram, early areas)
// and a caller literally named "other" (so no two samples share a label set). Label values are
// escaped as the format says: backslash, double quote and line feed.

import { AREA_KINDS } from '../types.ts';
import type { ModuleEntry } from '../input/capture.ts';
import type { MeminfoEntry } from '../input/capture.ts';
import type { Model } from '../model/model.ts';
import { summarize, summaryForJson } from '../summary.ts';
import { checkMeminfo } from './meminfo.ts';

/** The content type a scrape of this text announces. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Callers named one by one unless asked otherwise. */
export const DEFAULT_TOP_CALLERS = 20;

/** The caller label value that holds everything below the top N. */
export const OTHER_CALLER = 'other';

export interface MetricsOptions {
  /** Callers named one by one (the rest in caller="other"); default DEFAULT_TOP_CALLERS. */
  top?: number;
  /** /proc/modules taken with the dump: modules' loader areas count for their module. */
  modules?: readonly ModuleEntry[];
  /** /proc/meminfo taken with the dump: VmallocTotal gives the range's size when the addresses do not. */
  meminfo?: readonly MeminfoEntry[];
  /** The kernel release, when the input says it (an archive's uname); "" otherwise. */
  release?: string | null;
}

/** A label value as the text format writes it: \ → \\, " → \", line feed → \n. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '"' ? '\\"' : '\\n'));
}

/** HELP text as the format writes it: \ → \\, line feed → \n. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (ch) => (ch === '\\' ? '\\\\' : '\\n'));
}

/** A sample value: integers as integers, exact (Prometheus keeps the nearest float64). */
function value(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  return String(n);
}

type Labels = ReadonlyArray<readonly [string, string]>;
type Value = number | bigint;

class Exposition {
  private readonly parts: string[] = [];

  family(name: string, help: string, samples: ReadonlyArray<readonly [Labels, Value]>): void {
    if (samples.length === 0) return;
    this.parts.push(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} gauge\n`);
    for (const [labels, n] of samples) {
      const set = labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
      this.parts.push(`${name}${set} ${value(n)}\n`);
    }
  }

  text(): string {
    return this.parts.join('');
  }
}

/**
 * The metrics of one dump, as the text exposition format: see the top of this file and
 * docs/metrics.md. Families whose figure cannot be known from this dump are left out, not zero.
 */
export function metricsText(model: Model, options: MetricsOptions = {}): string {
  const top = Math.max(0, Math.floor(options.top ?? DEFAULT_TOP_CALLERS));
  // One more than asked: a caller literally named "other" is folded into the rest.
  const summary = summarize(model, top + 1, options.modules ? [...options.modules] : []);
  const out = new Exposition();
  const vmalloc = model.layout?.regions.find((r) => r.id === 'vmalloc') ?? null;

  out.family('vmscope_dump_info', 'How vmscope read the dump: pointer_mode is raw (real addresses), hashed, masked, zero or unknown; release is the kernel release when the input names it; layout is the address layout vmscope recognised. Always 1.', [
    [[['pointer_mode', summary.pointerMode], ['release', options.release ?? ''], ['layout', summary.layoutId ?? '']], 1],
  ]);
  out.family('vmscope_dump_skipped_lines', 'Lines of the dump that were not read as areas (not vmallocinfo lines, or damaged).', [[[], summary.diagnostics]]);
  out.family('vmscope_vmalloc_bytes', 'Bytes of vmalloc address space in use by kind of area (the size column, guard pages included); sums to the dump total.', AREA_KINDS.map((k) => [[['kind', k]], summary.kinds[k].bytes] as const));
  out.family('vmscope_vmalloc_areas', 'Areas (lines of /proc/vmallocinfo) by kind of area.', AREA_KINDS.map((k) => [[['kind', k]], summary.kinds[k].count] as const));

  const named = summary.topCallers.filter((c) => c.function !== OTHER_CALLER).slice(0, top);
  const namedBytes = named.reduce((sum, c) => sum + c.bytes, 0);
  // HELP texts do not depend on the options: node_exporter refuses one family with two HELPs.
  out.family(
    'vmscope_vmalloc_caller_bytes',
    'Bytes by caller function (symbol without offset) for the largest callers (vmscope metrics --top N, 20 by default); caller="other" holds the rest, lines without a caller included, so the family sums to the dump total.',
    [...named.map((c) => [[['caller', c.function]], c.bytes] as const), [[['caller', OTHER_CALLER]], summary.bytes - namedBytes] as const],
  );
  out.family('vmscope_vmalloc_module_bytes', 'Bytes by kernel module: areas tagged [module], and the module loader\'s untagged areas of each module when /proc/modules is given with the dump.', Object.entries(summary.modules).map(([name, m]) => [[['module', name]], m.bytes] as const));
  out.family('vmscope_vmalloc_lazily_freed_bytes', 'Bytes freed but not yet purged (unpurged vm_area lines, waiting for the lazy TLB flush); the same as vmscope_vmalloc_bytes{kind="unpurged"}.', [[[], summary.kinds.unpurged.bytes]]);
  out.family('vmscope_vmalloc_lazily_freed_areas', 'Areas freed but not yet purged (unpurged vm_area lines).', [[[], summary.kinds.unpurged.count]]);

  // The range's size: from the layout (which VmallocTotal fixes when known), else VmallocTotal.
  const rangeBytes = vmalloc ? vmalloc.end - vmalloc.start : options.meminfo && options.meminfo.length > 0 ? checkMeminfo(model, [...options.meminfo]).vmallocTotal : null;
  if (rangeBytes !== null) out.family('vmscope_vmalloc_range_bytes', 'Size of the vmalloc address range (VMALLOC_END - VMALLOC_START), from the layout vmscope recognised or /proc/meminfo VmallocTotal.', [[[], rangeBytes]]);
  // Free space needs real addresses (pointer_mode="raw"): left out otherwise, never reported as 0.
  if (summary.vmallocFreeBytes !== null) {
    // Exact (BigInt) where a range can pass 2^53 bytes: riscv64 Sv57's is 2^54.
    const exact = summaryForJson(model, summary) as { vmallocFreeBytes: bigint; largestFreeVmallocBytes: bigint | null };
    out.family('vmscope_vmalloc_free_bytes', 'Free bytes of the vmalloc range (between areas and at its two ends). Only with real addresses (pointer_mode="raw"); absent otherwise.', [[[], exact.vmallocFreeBytes]]);
    if (summary.vmallocHoles !== null) out.family('vmscope_vmalloc_free_holes', 'Free holes of the vmalloc range, its two ends included. Only with real addresses (pointer_mode="raw"); absent otherwise.', [[[], summary.vmallocHoles]]);
    out.family('vmscope_vmalloc_largest_free_hole_bytes', 'Largest free stretch of the vmalloc range (what VmallocChunk meant): an allocation (plus its guard page) larger than this fails. Only with real addresses (pointer_mode="raw"); absent otherwise.', [[[], exact.largestFreeVmallocBytes ?? 0]]);
  }
  return out.text();
}
