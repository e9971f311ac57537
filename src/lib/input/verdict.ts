// What to tell the user about an input: what was read, what was skipped, and (when nothing could
// be shown) why the dump on screen was kept. Plain strings, so the app, the CLI and tests agree.

import { formatBytes, formatCount } from '../format.ts';
import type { CaptureSection } from './capture.ts';
import { encodingName } from './text.ts';
import type { TextFacts } from './text.ts';
import type { Origin } from '../sources/origin.ts';

/** The facts about one input that the messages are made of. */
export interface InputFacts {
  name: string;
  /** Bytes read (after decompression). */
  bytes: number;
  lines: number;
  areas: number;
  /** Lines skipped (errors) and lines read with a caveat (warnings). */
  errors: number;
  warnings: number;
  sections: CaptureSection[];
  binary: boolean;
  empty: boolean;
  endsMidLine: boolean;
  gzip: boolean;
  /** Wrapped area lines joined back together. */
  joined?: number;
  /** Line numbers of the shell prompts skipped (e.g. `user@host:~$ sudo cat /proc/vmallocinfo`). */
  prompts?: number[];
  /** How the bytes were written (absent: plain UTF-8 with LF or CRLF line ends). */
  encoding?: TextFacts['encoding'];
  bom?: boolean;
  crLineEnds?: number;
  /** What the dump came in (a sosreport, a bugreport, a vmcore tool's output, a folder), when not alone. */
  origin?: Origin;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "1, 5 and 9", the first few of a list of line numbers. */
function lineList(lines: number[]): string {
  const shown = lines.slice(0, 5).map((n) => formatCount(n));
  if (lines.length > 5) return `${shown.join(', ')} and ${formatCount(lines.length - 5)} more`;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** "skipped a shell prompt on line 1", or null without prompts. */
export function promptsSkipped(lines: number[] | undefined): string | null {
  if (!lines || lines.length === 0) return null;
  return lines.length === 1 ? `skipped a shell prompt on line ${lineList(lines)}` : `skipped ${formatCount(lines.length)} shell prompts on lines ${lineList(lines)}`;
}

/** "also found: /proc/meminfo (54 lines), /proc/modules (23 lines)", or null without other sections. */
export function alsoFound(sections: CaptureSection[]): string | null {
  if (sections.length === 0) return null;
  return 'also found: ' + sections.map((s) => `${s.name} (${plural(s.lines, 'line')})`).join(', ');
}

/** "read as UTF-16LE with a byte-order mark", "skipped a UTF-8 byte-order mark", or null for plain UTF-8. */
export function encodingNote(c: Partial<TextFacts>): string | null {
  const name = c.encoding ? encodingName(c.encoding, c.bom ?? false) : null;
  if (!name) return null;
  return c.encoding === 'utf-8' ? 'skipped a UTF-8 byte-order mark' : `read as ${name}`;
}

/** "read 102 CR-only line ends (old Mac tools, some web forms) as line ends", or null. */
export function lineEndNote(c: Partial<TextFacts>): string | null {
  const n = c.crLineEnds ?? 0;
  if (n === 0) return null;
  return `read ${plural(n, 'CR-only line end')} (old Mac tools, some web forms) as line ends`;
}

/**
 * How an input was read, one clause each in a fixed order: its encoding, its line ends, the shell
 * prompts skipped, the wrapped lines joined, the other sections found. Empty for a clean dump.
 * The app shows them in its note about the input, the CLI on stderr.
 */
export function inputNotes(c: Partial<TextFacts> & { sections: CaptureSection[]; joined?: number; prompts?: number[] }): string[] {
  const joined = c.joined ? `${plural(c.joined, 'wrapped line')} joined back` : null;
  return [encodingNote(c), lineEndNote(c), promptsSkipped(c.prompts), joined, alsoFound(c.sections)].filter((x): x is string => x !== null);
}

/**
 * Whether a file's name says it is a /proc/modules capture (`modules`, `x.modules`,
 * `host-modules.txt`): an empty one is then an empty /proc/modules, which is valid (no module
 * loaded yet), not an empty dump.
 */
export function isModulesFileName(name: string): boolean {
  return /(?:^|[/\\._-])modules(?:\.txt)?$/i.test(name);
}

/** Why an input with no area line shows nothing. */
export function noAreasMessage(f: InputFacts): string {
  const encoding = f.encoding ? encodingName(f.encoding, f.bom ?? false) : null;
  const what = `${f.name} (${[f.gzip ? `gzip, ${formatBytes(f.bytes)} unpacked` : formatBytes(f.bytes), encoding].filter(Boolean).join(', ')})`;
  if ((f.bytes === 0 || f.empty) && isModulesFileName(f.name)) return `${what} is an empty /proc/modules: no module was loaded when it was read.`;
  if (f.bytes === 0 || f.empty) return `${what} is empty: there is nothing to show.`;
  if (f.binary) return `${what} is binary data, not a text dump of /proc/vmallocinfo: no area line in ${plural(f.lines, 'line')}.`;
  if (f.sections.length > 0 && f.errors === 0) {
    return `${what} holds ${f.sections.map((s) => `${s.name} (${plural(s.lines, 'line')})`).join(' and ')} but no /proc/vmallocinfo area line.`;
  }
  const others = alsoFound(f.sections);
  const prompts = promptsSkipped(f.prompts);
  const skipped = [f.errors > 0 || !prompts ? `${plural(f.errors, 'line')} skipped` : null, prompts, others].filter((x) => x !== null);
  return `${what}: none of its ${plural(f.lines, 'line')} is a /proc/vmallocinfo area line; ${skipped.join('; ')}.`;
}

/** What was read from an input that did show, or null when every line was a clean area line. */
export function readMessage(f: InputFacts): string | null {
  const parts: string[] = [];
  if (f.errors > 0) parts.push(`${plural(f.errors, 'line')} skipped`);
  if (f.warnings > 0) parts.push(`${plural(f.warnings, 'line')} read with a warning`);
  parts.push(...inputNotes(f));
  if (f.endsMidLine) parts.push('the last line has no newline (was the file cut short?)');
  if (parts.length === 0) return null;
  return `Read ${plural(f.areas, 'area line')} from ${f.name}; ${parts.join('; ')}.`;
}
