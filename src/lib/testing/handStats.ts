// Test-only: a series' figures built by hand from its text (rounds split at their stamp lines, each
// read the awk way by src/lib/testing), so the strip's tests do not depend on the library's own
// seriesStats. Imported by tests only.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SAMPLES_DIR, readIndependently } from './fixtures.ts';
import type { GroupBy, SeriesStats, StatGroup } from '../series/stats.ts';

export const SERIES_SAMPLE = 'series/host-6.18-hashed-date-Is.txt.gz';

/** The rounds of a `date -Is; cat /proc/vmallocinfo` log: its stamp and its lines. */
export function rounds(text: string): { stamp: string; text: string }[] {
  const out: { stamp: string; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\dT/.test(line)) out.push({ stamp: line.trim(), lines: [] });
    else if (out.length > 0) out[out.length - 1].lines.push(line);
  }
  return out.map((r) => ({ stamp: r.stamp, text: r.lines.join('\n') }));
}

export function seriesText(path = SERIES_SAMPLE): string {
  return gunzipSync(readFileSync(SAMPLES_DIR + path)).toString('utf8');
}

function groupsOf(per: Record<string, number>[], n: number): StatGroup[] {
  const keys = [...new Set(per.flatMap((p) => Object.keys(p)))];
  const groups = keys.map((key) => {
    const values = Float64Array.from({ length: n }, (_, i) => per[i][key] ?? 0);
    return { key, values, peak: Math.max(...values) };
  });
  return groups.sort((a, b) => b.peak - a.peak);
}

/** SeriesStats from the text, by hand: callers without one (lazily freed, vm_map_ram) go under "(none)". */
export function handStats(text: string): SeriesStats {
  const rs = rounds(text);
  const n = rs.length;
  const read = rs.map((r) => readIndependently(r.text));
  const by = (f: (e: (typeof read)[number]) => Record<string, number>) => groupsOf(read.map(f), n);
  const groups: Record<GroupBy, StatGroup[]> = {
    kind: by((e) => Object.fromEntries(Object.entries(e.kinds).map(([k, v]) => [k, v.bytes]))),
    caller: by((e) => {
      const out: Record<string, number> = {};
      for (const a of e.areas) out[a.caller?.symbol ?? '(none)'] = (out[a.caller?.symbol ?? '(none)'] ?? 0) + a.size;
      return out;
    }),
    module: by((e) => {
      const out: Record<string, number> = {};
      for (const a of e.areas) out[a.caller?.module ?? 'built-in'] = (out[a.caller?.module ?? 'built-in'] ?? 0) + a.size;
      return out;
    }),
    node: by((e) => Object.fromEntries(Object.entries(e.nodes).map(([k, pages]) => [k, pages * 4096]))),
  };
  return {
    times: rs.map((r) => Date.parse(r.stamp)),
    count: Float64Array.from(read, (e) => e.areas.length),
    bytes: Float64Array.from(read, (e) => e.bytes),
    backed: Float64Array.from(read, (e) => e.pages * 4096),
    groups,
    unpurged: Float64Array.from(read, (e) => e.kinds.unpurged?.bytes ?? 0),
    vmallocUsed: null,
    largestHole: null,
  };
}
