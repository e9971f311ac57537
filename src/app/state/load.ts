// Loading a dump: read it, parse it in the worker, and either show it (and add it to the session's
// history) or, when it has no area line, keep the dump on screen and say what was read instead.

import { isModulesFileName, noAreasMessage, readMessage } from '../../lib/index.ts';
import { shareTextOf } from '../../lib/share/codec.ts';
import type { InputFacts } from '../../lib/index.ts';
import { mapStateFor, NO_MODEL } from '../map/actions.ts';
import { attachMessage } from '../analysis/attach.ts';
import { attachCompanions, attachExtra } from '../analysis/companions.ts';
import { analyzeInBackground } from '../worker/client.ts';
import type { Analysis } from '../worker/client.ts';
import { withDump } from './history.ts';
import type { InputNotice, LoadedDump } from './history.ts';
import type { InputBytes } from './readInput.ts';
import { readInput } from './readInput.ts';
import type { Source } from './store.ts';
import { useStore } from './store.ts';

const set = useStore.setState;
const get = useStore.getState;

/** Bumped by every load; a load whose number is no longer current drops its result. */
let generation = 0;
/** Aborted when another load starts, so the worker drops a read nobody waits for. */
let reading: AbortController | null = null;
let nextDumpId = 1;

export async function tracked<T>(work: () => Promise<T>): Promise<T> {
  set((s) => ({ pending: s.pending + 1 }));
  try {
    return await work();
  } finally {
    set((s) => ({ pending: s.pending - 1 }));
  }
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function rememberInUrl(samplePath: string | null): void {
  const url = new URL(window.location.href);
  if (samplePath) url.searchParams.set('sample', samplePath);
  else url.searchParams.delete('sample');
  window.history.replaceState(null, '', url);
}

function current(): LoadedDump | null {
  const { history, currentId } = get();
  return history.find((d) => d.id === currentId) ?? null;
}

/** Put a loaded dump on screen. */
function apply(dump: LoadedDump): void {
  set({
    status: 'ready',
    progress: null,
    error: null,
    source: dump.source,
    fileName: dump.fileName,
    fileBytes: dump.fileBytes,
    summary: dump.summary,
    diagnostics: dump.diagnostics,
    diagnosticCount: dump.diagnosticCount,
    parseMs: dump.parseMs,
    parsedIn: dump.parsedIn,
    currentId: dump.id,
    capture: dump.capture,
    inputNote: dump.note,
    ...mapStateFor(dump.model, dump.capture.modules),
  });
}

/** Show an earlier dump of this session again (instant: its model is kept). */
export function switchTo(id: number): void {
  const dump = get().history.find((d) => d.id === id);
  if (!dump || dump.id === get().currentId) return;
  generation++; // a load still in flight no longer replaces what the user chose
  apply(dump);
  set({ notice: null });
  rememberSource(dump.source);
}

function rememberSource(source: Source): void {
  rememberInUrl(source.kind === 'sample' ? source.path : null);
}

/** Nothing new is shown: say why, and put the dump that was on screen back in the heading. */
function refuse(notice: InputNotice): void {
  const kept = current();
  if (kept) {
    rememberSource(kept.source);
    set({
      notice: { ...notice, message: `${notice.message} The dump on screen (${kept.fileName}) is kept.` },
      status: 'ready',
      progress: null,
      source: kept.source,
      fileName: kept.fileName,
      fileBytes: kept.fileBytes,
    });
  } else {
    set({ notice, status: 'error', error: notice.message, progress: null, summary: null, diagnostics: [], diagnosticCount: 0, parseMs: null, ...NO_MODEL });
  }
}

function factsOf(name: string, input: InputBytes, result: Analysis, source: Source): InputFacts {
  const c = result.capture;
  return {
    name,
    bytes: input.bytes.byteLength,
    lines: result.summary.lines,
    areas: result.summary.areas,
    errors: result.summary.diagnostics,
    warnings: result.summary.warnings,
    sections: c.sections,
    binary: c.binary,
    empty: c.empty,
    endsMidLine: c.endsMidLine && source.kind !== 'paste',
    gzip: input.gzip,
    joined: c.joined,
    prompts: c.prompts,
    encoding: c.encoding,
    bom: c.bom,
    crLineEnds: c.crLineEnds,
  };
}

/** Read, parse and show a dump; `readBytes` may throw (too big, not gzip after all, HTTP). */
export function show(source: Source, fileName: string, readBytes: () => Promise<InputBytes>): Promise<void> {
  const mine = ++generation;
  const isCurrent = () => mine === generation;
  reading?.abort();
  const controller = (reading = new AbortController());
  set({ status: 'loading', source, fileName, error: null });
  return tracked(async () => {
    try {
      const input = await readBytes();
      if (!isCurrent()) return;
      set({ status: 'parsing', fileBytes: input.bytes.byteLength, progress: null });
      const result = await analyzeInBackground(input.bytes, { name: fileName, signal: controller.signal, onProgress: (progress) => isCurrent() && set({ progress }) });
      if (!isCurrent()) return;
      const facts = factsOf(fileName, input, result, source);
      if (result.summary.areas === 0) {
        // Only /proc/meminfo or /proc/modules: attach them to the dump on screen for the cross-checks.
        const kept = current();
        // An empty x.modules is an empty /proc/modules (no module loaded yet): attached as such.
        const emptyModules = facts.empty && isModulesFileName(fileName);
        const extra = { meminfo: result.capture.meminfo, modules: result.capture.modules, modulesRead: emptyModules };
        const attached = kept && facts.errors === 0 ? attachMessage(extra, kept.fileName, kept.capture) : null;
        if (kept && attached) {
          attachExtra(kept.id, extra);
          set({ analysisTab: 'checks' });
        }
        const also = attached ? ` ${attached} for the cross-checks under the map.` : '';
        refuse({
          message: noAreasMessage(facts) + also,
          attached: attached !== null,
          diagnostics: result.diagnostics,
          diagnosticCount: result.diagnosticCount,
        });
        return;
      }
      const dump: LoadedDump = {
        id: nextDumpId++,
        source,
        fileName,
        loadedAt: Date.now(),
        fileBytes: input.bytes.byteLength,
        gzip: input.gzip,
        summary: result.summary,
        diagnostics: result.diagnostics,
        diagnosticCount: result.diagnosticCount,
        parseMs: result.parseMs,
        parsedIn: result.where,
        model: result.model,
        capture: result.capture,
        note: readMessage(facts),
      };
      set((s) => ({ history: withDump(s.history, dump), notice: null }));
      apply(dump);
      if (source.kind === 'sample') await attachCompanions(dump.id, source.path);
    } catch (err) {
      if (!isCurrent()) return;
      refuse({ message: message(err), diagnostics: [], diagnosticCount: 0 });
    }
  });
}

/** Load a file the user chose or dropped. It is read in the browser and never sent anywhere. */
export function loadFile(file: File, via: 'chooser' | 'drop' | 'paste' = 'chooser'): Promise<void> {
  // A .vmscope file is a share link's compact encoding (src/app/share): opened, not parsed as text.
  if (/\.vmscope$/i.test(file.name)) return import('../share/link.ts').then((m) => m.openShareFile(file));
  rememberInUrl(null);
  return show({ kind: 'file', name: file.name, via }, file.name, () => readInput(file, file.name));
}

/** Load pasted text; a share link pasted on its own is opened as a link. */
export function loadText(text: string, name = 'pasted text'): Promise<void> {
  const link = shareTextOf(text);
  if (link !== null) return import('../share/link.ts').then((m) => m.openPastedLink(link));
  rememberInUrl(null);
  return show({ kind: 'paste' }, name, () => readInput(new Blob([text], { type: 'text/plain' }), name));
}

/** Forget the message about the last refused input. */
export function dismissNotice(): void {
  set({ notice: null });
}
