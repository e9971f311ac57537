// The one way inputs become either a single dump (as before) or a series, for the app's worker and
// the CLI:
// - a recording (`vmscope record`, told by its magic, not its name): its complete moments;
// - a text log with stamp lines before each dump (rounds.ts): one moment per round, each parsed on
//   its own, so a round's /proc/meminfo and /proc/modules stay with it and its diagnostics are its;
// - several files: one moment per round of each, ordered by the time in their names, else a stamp
//   inside, else their modification time (files.ts), and the order is said.
// One input with one round is today's single dump, read exactly as before (parseDump).

import { parseDump } from '../input/read.ts';
import type { ParsedDump } from '../input/read.ts';
import { decodeText } from '../input/text.ts';
import type { Diagnostic } from '../types.ts';
import { SeriesBuilder } from './build.ts';
import type { MomentMeta } from './build.ts';
import { orderMoments } from './files.ts';
import { decodeRecording, isRecording, recordingToSeries } from './recording.ts';
import { splitRounds } from './rounds.ts';
import type { Round } from './rounds.ts';
import type { Series } from './series.ts';

/** What a recording shared with its addresses hidden says when opened (series/share.ts). */
export const HIDDEN_NOTE = 'Its addresses were hidden when it was shared: raw ones count from the lowest area (at 0), phys= from the lowest phys, hashed ones are renumbered.';

export interface SeriesInput {
  name: string;
  /** The file's bytes, gunzipped, at most MAX_INPUT_BYTES. */
  bytes: Uint8Array;
  /** Modification time (epoch ms), or null. */
  mtime: number | null;
}

export type ReadResult =
  /** One input that holds one moment: today's single dump (`notes`: files left out beside it). */
  | { kind: 'single'; parsed: ParsedDump; notes: string[] }
  /** Several moments. `how` says how they were found and ordered (one sentence); `notes` anything else. */
  | { kind: 'series'; series: Series; how: string; notes: string[] }
  /** Nothing could be read as a moment (a recording with no complete moment): why. */
  | { kind: 'none'; message: string };

/** One moment to be: its round's bytes and what is known of its time. */
interface Pending {
  meta: MomentMeta;
  bytes: Uint8Array;
  /** Line numbers of a parse of `bytes` add this to be lines of the file. */
  lineOffset: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function fromRound(name: string, round: Round): Pending {
  const s = round.stamp;
  return {
    meta: { time: s?.ms ?? null, timeFrom: s?.ms != null ? 'stamp' : null, label: s?.text ?? null, zone: s?.zone ?? null, source: name, line: round.line },
    bytes: round.bytes,
    lineOffset: round.bodyLine - 1,
  };
}

/** Diagnostics with line numbers of the file rather than of the round. */
function shifted(diagnostics: readonly Diagnostic[], by: number): Diagnostic[] {
  return by === 0 ? [...diagnostics] : diagnostics.map((d) => ({ ...d, line: d.line + by }));
}

function build(pending: readonly Pending[], onProgress?: (fraction: number) => void): Series {
  const builder = new SeriesBuilder();
  const total = pending.reduce((n, p) => n + p.bytes.length, 0);
  let done = 0;
  let told = 0;
  for (const p of pending) {
    const parsed = parseDump(p.bytes);
    builder.addParsed(p.meta, parsed, p.lineOffset);
    builder.shiftLastDiagnostics((d) => shifted(d, p.lineOffset));
    done += p.bytes.length;
    // every 4 MiB or so, as parseDump tells of one big dump
    if (onProgress && done - told >= 4 << 20) {
      told = done;
      onProgress(done / total);
    }
  }
  return builder.finish();
}

/**
 * Read inputs as one dump or a series (see the top of this file). Never throws on bad input.
 * `onProgress` hears how far a single big dump's parse has got (see parseDump).
 */
export function readSeries(inputs: readonly SeriesInput[], onProgress?: (fraction: number) => void): ReadResult {
  const notes: string[] = [];
  if (inputs.length === 1 && isRecording(inputs[0].bytes)) {
    const { name, bytes } = inputs[0];
    const decoded = decodeRecording(bytes);
    const { series, problem } = recordingToSeries(decoded, name);
    if (!series) return { kind: 'none', message: `${name} is a vmscope recording, but ${problem ?? 'it holds no complete moment'}` };
    if (problem) notes.push(problem);
    if (decoded.header?.addressesHidden) notes.push(HIDDEN_NOTE);
    return { kind: 'series', series, how: `${name}: a recording of ${plural(series.count, 'moment')}`, notes };
  }
  let split = inputs.map((input) => {
    const text = decodeText(input.bytes).bytes;
    return { input, text, ...splitRounds(text) };
  });
  if (split.length > 1) {
    // Among several files, one that holds no area line (a /proc/meminfo, a note, a binary file)
    // is not a moment of 0 areas: it is left out and named.
    const empty = split.filter((s) => s.rounds.every((r) => r.areaLines === 0));
    if (empty.length > 0 && empty.length < split.length) {
      split = split.filter((s) => !empty.includes(s));
      notes.push(`${plural(empty.length, 'file')} with no vmallocinfo area line left out: ${empty.slice(0, 3).map((s) => s.input.name).join(', ')}${empty.length > 3 ? ', …' : ''}`);
    }
  }
  if (split.length === 1 && split[0].rounds.length <= 1) return { kind: 'single', parsed: parseDump(split[0].input.bytes, onProgress), notes };

  for (const s of split) {
    if (s.emptyRounds.length > 0) {
      const lines = s.emptyRounds.slice(0, 3).map((e) => e.line).join(', ');
      notes.push(`${s.input.name}: ${plural(s.emptyRounds.length, 'stamp')} with no area line after ${s.emptyRounds.length === 1 ? 'it was' : 'them were'} left out (line ${lines}${s.emptyRounds.length > 3 ? ', …' : ''})`);
    }
  }
  let pending: Pending[];
  let how: string;
  if (split.length === 1) {
    const { input, rounds } = split[0];
    pending = rounds.map((r) => fromRound(input.name, r));
    const timed = rounds.filter((r) => r.stamp?.ms != null).length;
    how = `${input.name}: ${plural(rounds.length, 'moment')}, one per stamp line${timed < rounds.length ? ` (${plural(rounds.length - timed, 'moment')} without a time)` : ''}`;
  } else {
    // Files of one round are moments ordered by name, stamp or mtime; a file of several rounds
    // brings its rounds in their order, placed by its first stamp.
    const order = orderMoments(split.map((s) => ({ name: s.input.name, mtime: s.input.mtime, firstStamp: s.rounds[0]?.stamp ?? null })));
    pending = [];
    for (const [k, f] of order.order.entries()) {
      const s = split[f];
      if (s.rounds.length === 1) {
        const p = fromRound(s.input.name, s.rounds[0]);
        const from = order.from[k];
        p.meta = { ...p.meta, time: order.times[k], timeFrom: from, label: from === 'name' ? s.input.name : from === 'mtime' ? new Date(order.times[k] ?? 0).toISOString() : p.meta.label };
        pending.push(p);
      } else pending.push(...s.rounds.map((r) => fromRound(s.input.name, r)));
    }
    how = `${plural(split.length, 'file')}, ${plural(pending.length, 'moment')}: ${order.how}`;
  }
  return { kind: 'series', series: build(pending, onProgress), how, notes };
}
