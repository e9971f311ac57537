// What is on screen, selected from the store rather than copied into it: the dump on screen is
// the history's current entry; while another input is read, the heading names that one.

import type { Diagnostic, Summary } from '../../lib/index.ts';
import type { CaptureFacts } from '../worker/protocol.ts';
import type { LoadedDump } from './history.ts';
import type { AppState, Source } from './store.ts';

type S = Pick<AppState, 'history' | 'currentId'>;
type WithInput = S & Pick<AppState, 'input'>;

/** The dump on screen, or null. */
export function currentDump(s: S): LoadedDump | null {
  return s.history.find((d) => d.id === s.currentId) ?? null;
}

export function summaryOf(s: S): Summary | null {
  return currentDump(s)?.summary ?? null;
}

/** The other sections of the dump on screen (meminfo, modules), or null. */
export function captureOf(s: S): CaptureFacts | null {
  return currentDump(s)?.capture ?? null;
}

/** Where the input the heading names came from: the one being read, else the dump on screen. */
export function sourceOf(s: WithInput): Source | null {
  return s.input ? s.input.source : (currentDump(s)?.source ?? null);
}

/** The name the heading gives: the input being read, else the dump on screen. */
export function fileNameOf(s: WithInput): string | null {
  return s.input ? s.input.fileName : (currentDump(s)?.fileName ?? null);
}

/** Bytes of the input being read (null until read), else of the dump on screen. */
export function fileBytesOf(s: WithInput): number | null {
  return s.input ? s.input.fileBytes : (currentDump(s)?.fileBytes ?? null);
}

const NO_DIAGNOSTICS: Diagnostic[] = [];

/** The kept diagnostics of the dump on screen (a stable empty list without one). */
export function diagnosticsOf(s: S): Diagnostic[] {
  return currentDump(s)?.diagnostics ?? NO_DIAGNOSTICS;
}

/** The bundled sample the heading names, or null. */
export function samplePathOf(s: WithInput): string | null {
  const source = sourceOf(s);
  return source?.kind === 'sample' ? source.path : null;
}

/** Whether the heading's input is a share link that kept only the relative layout. */
export function linkHidesAddresses(s: WithInput): boolean {
  const source = sourceOf(s);
  return source?.kind === 'link' && source.addressesHidden;
}
