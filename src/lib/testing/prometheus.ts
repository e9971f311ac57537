// Prometheus text read back for tests with a real parser (parse-prometheus-text-format, a port of
// the Python client's), plus the checks that parser is too lenient to make on its own: every
// sample line is read as a sample of a family that has HELP and TYPE gauge, and every value is a
// number.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { PromFamily } from 'parse-prometheus-text-format';

export type { PromFamily };

/** The families of `text`, by name; throws when a line is not read as the format says. */
export function parseStrictly(text: string): Map<string, PromFamily> {
  const families = parsePrometheusTextFormat(text);
  const out = new Map<string, PromFamily>();
  let samples = 0;
  for (const f of families) {
    if (out.has(f.name)) throw new Error(`family ${f.name} twice`);
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(f.name)) throw new Error(`bad metric name ${f.name}`);
    if (f.type !== 'GAUGE') throw new Error(`${f.name} is ${f.type}, not a gauge`);
    if (!f.help) throw new Error(`${f.name} has no HELP`);
    const seen = new Set<string>();
    for (const m of f.metrics) {
      if (m.timestamp_ms !== undefined) throw new Error(`${f.name}: a timestamp (or a value with spaces) "${m.value} ${m.timestamp_ms}"`);
      if (m.value === '' || Number.isNaN(Number(m.value))) throw new Error(`${f.name}: value "${m.value}" is not a number`);
      const key = JSON.stringify(Object.entries(m.labels ?? {}).sort());
      if (seen.has(key)) throw new Error(`${f.name}: two samples with labels ${key}`);
      seen.add(key);
      samples++;
    }
    out.set(f.name, f);
  }
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  if (lines !== samples) throw new Error(`${lines} sample lines but ${samples} samples read`);
  return out;
}

/** The value of the sample of `family` whose labels include `labels`, as a Number; undefined when none. */
export function sampleValue(families: Map<string, PromFamily>, family: string, labels: Record<string, string> = {}): number | undefined {
  const m = families.get(family)?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  return m === undefined ? undefined : Number(m.value);
}

/** The sum of a family's values. */
export function familySum(families: Map<string, PromFamily>, family: string): number {
  return (families.get(family)?.metrics ?? []).reduce((sum, m) => sum + Number(m.value), 0);
}
