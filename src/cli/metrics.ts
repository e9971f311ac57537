// `vmscope metrics FILE|- [-o FILE] [--top N]`: a dump as Prometheus metrics for node_exporter's
// textfile collector (the families: src/lib/analysis/metrics.ts and docs/metrics.md).
//
// -o writes the file the way the textfile collector asks (node_exporter's README: "atomically"):
// the text goes to a hidden temporary file in the same folder (named so the collector, which reads
// only *.prom, never picks it up), is fsynced, made mode 0644, and renamed over FILE; a scrape sees
// the old file or the new one, never half of one. On any failure the temporary file is removed.

import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { buildModel, layoutHintsFrom } from '../lib/index.ts';
import type { InputFacts, MeminfoEntry, ModuleEntry, Snapshot } from '../lib/index.ts';
import { DEFAULT_TOP_CALLERS, metricsText } from '../lib/analysis/metrics.ts';
import { words } from './argv.ts';
import { fileError } from './input.ts';

export const METRICS_USAGE = `       vmscope metrics FILE [-o FILE.prom] [--top N]`;

export const METRICS_HELP = `  metrics         Prometheus text format for node_exporter's textfile collector: bytes and areas
                  by kind, bytes by caller (--top N callers, ${DEFAULT_TOP_CALLERS} by default, the rest as
                  caller="other"), by module, lazily freed bytes, the vmalloc range's size, and
                  with real addresses its free bytes and largest free hole (docs/metrics.md);
                  -o writes FILE.prom atomically (temporary file in its folder, then rename)`;

export interface MetricsArgs {
  file: string;
  /** Where to write (atomically), or null for the output stream. */
  out: string | null;
  top: number;
}

/** The options of `vmscope metrics …` (argv after "metrics"): 'help', or a usage error's message. */
export function parseMetricsArgs(argv: readonly string[]): MetricsArgs | 'help' | string {
  const files: string[] = [];
  let out: string | null = null;
  let top = DEFAULT_TOP_CALLERS;
  for (const { arg, name, value } of words(argv)) {
    if (name === '-h' || name === '--help') return 'help';
    if (name === '-o' || name === '--out') {
      const v = value();
      if (v === null) return `${name} needs a file name`;
      out = v;
    } else if (name === '--top') {
      const v = value();
      if (v === null || !/^\d+$/.test(v) || Number(v) > 10000) return `--top needs a number of callers (0 to 10000)${v === null ? '' : `, not "${v}"`}`;
      top = Number(v);
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg} for metrics`;
    else files.push(arg);
  }
  if (files.length === 0) return 'missing FILE (use - for stdin)';
  if (files.length > 1) return `unexpected argument "${files[1]}"`;
  return { file: files[0], out, top };
}

/** What the command needs of a read dump (main.ts's Capture). */
export interface MetricsSource {
  snapshot: Snapshot;
  modules: ModuleEntry[];
  meminfo: MeminfoEntry[];
  facts: InputFacts | null;
}

/** The optional origin an archive's InputFacts carries (issue 14's shared shape). */
interface WithOrigin {
  origin?: { release?: string };
}

/** The metrics text of a read dump. */
export function metricsOf(source: MetricsSource, top: number): string {
  const release = (source.facts as (InputFacts & WithOrigin) | null)?.origin?.release ?? null;
  const model = buildModel(source.snapshot, { ...layoutHintsFrom(source.meminfo), ...(release ? { release } : {}) });
  return metricsText(model, { top, modules: source.modules, meminfo: source.meminfo, release });
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, fsynced, mode 0644,
 * renamed over `path`. Throws an InputError (and leaves no temporary file) when it cannot.
 */
export function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    // The umask may have taken bits away; the collector (often another user) must read it.
    fchmodSync(fd, 0o644);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw fileError('write', path, e);
  }
}

/** `vmscope metrics`: the text to `stdout`, or to `args.out` atomically. */
export function metricsCommand(args: MetricsArgs, source: MetricsSource, stdout: Writable): void {
  const text = metricsOf(source, args.top);
  if (args.out === null) stdout.write(text);
  else writeAtomically(args.out, text);
}
