// The one way an input becomes a snapshot, shared by the app (its parse worker) and the CLI, so
// both read the same areas and raise the same diagnostics from the same bytes:
//
//   bytes (gunzipped by the caller, at most MAX_INPUT_BYTES)
//     → decodeText   UTF-16 / byte-order marks / CR-only line ends      (text.ts)
//     → splitCapture /proc/meminfo, /proc/modules, shell prompts, wraps  (capture.ts)
//     → StreamParser the area lines                                      (../parse/scanner.ts)
//
// Pure: bytes in, snapshot + what was found besides + notes out.

import { StreamParser } from '../parse/scanner.ts';
import type { Snapshot } from '../parse/snapshot.ts';
import { splitCapture } from './capture.ts';
import type { SplitCapture } from './capture.ts';
import { decodeText } from './text.ts';
import type { TextFacts } from './text.ts';
import { inputNotes } from './verdict.ts';

/** The input ready for the scanner: `bytes` is UTF-8 with the other sections blanked. */
export type DumpInput = SplitCapture & TextFacts;

/** What the input pass found, without the bytes (what the app keeps and the worker sends). */
export type DumpCapture = Omit<DumpInput, 'bytes'>;

export interface ParsedDump {
  snapshot: Snapshot;
  capture: DumpCapture;
  /** Sentences about how the input was read (encoding, line ends, prompts, other sections). */
  notes: string[];
}

/** Decode and split an input (see the top of this file). Never throws. */
export function readDump(input: Uint8Array): DumpInput {
  const text = decodeText(input);
  const split = splitCapture(text.bytes);
  return { ...split, encoding: text.encoding, bom: text.bom, crLineEnds: text.crLineEnds };
}

/** Bytes handed to the parser at a time (progress is reported after each). */
const CHUNK = 4 << 20;

/**
 * Read and parse a whole input. `onProgress` hears the fraction of bytes parsed after each 4 MiB
 * of a bigger input.
 */
export function parseDump(input: Uint8Array, onProgress?: (fraction: number) => void): ParsedDump {
  const { bytes, ...capture } = readDump(input);
  const parser = new StreamParser({ sizeHint: bytes.length });
  for (let at = 0; at < bytes.length; at += CHUNK) {
    parser.push(bytes.subarray(at, at + CHUNK));
    if (onProgress && bytes.length > CHUNK) onProgress(Math.min(1, (at + CHUNK) / bytes.length));
  }
  const snapshot = parser.finish();
  return { snapshot, capture, notes: inputNotes(capture) };
}
