// The sample menu: public/samples/index.json lists every bundled dump with a human label.
// Paths are relative to the samples folder and fetched relative to the page ("./samples/…"), so the
// built app works from any base URL, including file servers and sub-paths.

export interface SampleEntry {
  /** e.g. "kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo" */
  path: string;
  /** e.g. "x86_64 6.1 · after insmod · raw" */
  label: string;
  /** Heading of the menu section it belongs to. */
  group: string;
  /** Companion /proc/meminfo and /proc/modules captured at the same moment, when there are any. */
  meminfo?: string;
  modules?: string;
}

export interface SampleManifest {
  version: 1;
  default: string;
  samples: SampleEntry[];
}

export const SAMPLES_BASE = './samples/';
export const FALLBACK_SAMPLE = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';

/** A sample path: one folder, one file name, no "..", no scheme, nothing that leaves samples/. */
const SAFE_PATH = /^[A-Za-z0-9_-]+\/[A-Za-z0-9_.-]+$/;

export function isSafeSamplePath(path: string): boolean {
  return SAFE_PATH.test(path) && !path.includes('..');
}

export function sampleUrl(path: string): string {
  return SAMPLES_BASE + path;
}

/** The file name shown for a sample path: the part after the last slash. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Check a fetched manifest; entries that do not fit are dropped rather than trusted. */
export function readManifest(json: unknown): SampleManifest {
  if (!isRecord(json) || json.version !== 1 || !Array.isArray(json.samples)) {
    throw new Error('samples/index.json is not a version 1 sample manifest');
  }
  const samples: SampleEntry[] = [];
  for (const e of json.samples) {
    if (!isRecord(e) || typeof e.path !== 'string' || typeof e.label !== 'string') continue;
    if (!isSafeSamplePath(e.path)) continue;
    const entry: SampleEntry = { path: e.path, label: e.label, group: typeof e.group === 'string' ? e.group : 'Samples' };
    if (typeof e.meminfo === 'string' && isSafeSamplePath(e.meminfo)) entry.meminfo = e.meminfo;
    if (typeof e.modules === 'string' && isSafeSamplePath(e.modules)) entry.modules = e.modules;
    samples.push(entry);
  }
  const fallback = samples.some((s) => s.path === FALLBACK_SAMPLE) ? FALLBACK_SAMPLE : (samples[0]?.path ?? FALLBACK_SAMPLE);
  const def = typeof json.default === 'string' && samples.some((s) => s.path === json.default) ? json.default : fallback;
  return { version: 1, default: def, samples };
}

/** Samples grouped for <optgroup>, in manifest order. */
export function groupSamples(samples: readonly SampleEntry[]): Array<[string, SampleEntry[]]> {
  const groups = new Map<string, SampleEntry[]>();
  for (const s of samples) {
    const list = groups.get(s.group);
    if (list) list.push(s);
    else groups.set(s.group, [s]);
  }
  return [...groups];
}
