// The one way inputs become either a single dump (as before) or a series, for the app's worker and
// the CLI: a recording (by its magic), a text log with stamp lines (rounds), or several files (one
// moment each, ordered by the time in their names, a stamp inside, or their modification time).

import type { ParsedDump } from '../input/read.ts';
import type { Series } from './series.ts';

export interface SeriesInput {
  name: string;
  /** The file's bytes, gunzipped, at most MAX_INPUT_BYTES. */
  bytes: Uint8Array;
  /** Modification time (epoch ms), or null. */
  mtime: number | null;
}

export type ReadResult =
  /** One input that holds one moment: today's single dump. */
  | { kind: 'single'; parsed: ParsedDump }
  /** Several moments. `how` says how they were found and ordered (one sentence); `notes` anything else. */
  | { kind: 'series'; series: Series; how: string; notes: string[] };

/** Read inputs as one dump or a series (see the top of this file). Never throws on bad input. */
export function readSeries(inputs: readonly SeriesInput[]): ReadResult {
  throw new Error(`not yet ${inputs.length}`);
}
