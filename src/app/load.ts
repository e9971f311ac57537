// The one way a dump gets on screen. Every source (a file chosen or dropped, pasted text, a bundled
// sample, a share link's text, a .vmscope file) goes through the loader: read its bytes, parse
// them (or decode the link) in the worker under its watchdog (worker/client.ts), and put the loaded
// dump into the session's history and on screen. One progress and error path, and one generation
// counter (the store's): a load that is no longer the latest drops its result.
//
// A dump with no area line (only /proc/meminfo or /proc/modules) is not shown: its records are
// attached to the dump on screen, and a message says what was read instead.

import { MAX_INPUT_BYTES, formatBytes, isModulesFileName, noAreasMessage, readMessage, tooBigMessage } from '../lib/index.ts';
import { shareTextOf } from '../lib/share/codec.ts';
import { HIDDEN_NOTE } from '../lib/series/read.ts';
import { decodeSeriesLink, seriesTextOf } from '../lib/series/share.ts';
import type { InputFacts } from '../lib/index.ts';
import { NO_MODEL } from './state/view.ts';
import { attachMessage } from './analysis/attach.ts';
import { attachCompanions, attachExtra } from './analysis/companions.ts';
import { isSafeSamplePath, baseName, sampleUrl } from './base/samples.ts';
import { LINK_NAME, RECORDING_LINK_NAME } from './base/links.ts';
import { applyShareView } from './share/link.ts';
import { forgetLink, message, rememberInUrl, rememberSource, showDump, tracked, withViewSaved } from './state/actions.ts';
import { currentDump } from './state/select.ts';
import { withDump } from './state/history.ts';
import { seedMoment } from './state/timeline.ts';
import type { InputNotice, LoadedDump } from './state/history.ts';
import { readInput } from './base/readInput.ts';
import type { InputBytes } from './base/readInput.ts';
import { useStore } from './state/store.ts';
import type { AppState, LoadRequest, Source } from './state/store.ts';
import { openInBackground, readInBackground } from './worker/client.ts';
import type { Analysis, OpenedLink, SeriesRead } from './worker/client.ts';

const set = useStore.setState;
const get = useStore.getState;

/** What a source gave once read: a parsed dump, a series, or an opened link. */
type Read =
  | { kind: 'dump'; input: InputBytes; result: Analysis }
  /** `bytes`: of every input together, once gunzipped; `gzip`: any of them was. */
  | { kind: 'series'; bytes: number; gzip: boolean; read: SeriesRead }
  | { kind: 'link'; opened: OpenedLink; bytes: number };

/** One input to read: its name, its bytes once read (gunzipped, capped) and its modification time. */
interface Named {
  name: string;
  bytes: () => Promise<InputBytes>;
  mtime: number | null;
}

/** What a read reports on the way: its bytes are in (the parse starts), and the fraction parsed. */
interface Progress {
  bytesRead(bytes: number): void;
  parsed(fraction: number): void;
}

/** How one request is loaded. */
interface Plan {
  /** What the heading says while it loads. */
  source: Source;
  name: string;
  read: (signal: AbortSignal, progress: Progress) => Promise<Read>;
  /**
   * A link's failure is said by the share notice and leaves the screen as it was; a dump's says
   * why it was not shown, and `prefix` goes before the message.
   */
  failure: { to: 'notice' } | { to: 'share'; prefix: string };
  /** Done to the URL when the load starts, and when it has succeeded. */
  atStart?: () => void;
  atEnd?: () => void;
}

/** A bundled sample's bytes, gunzipped when it is gzip (a recorded series ships as .txt.gz). */
function fetchSample(path: string): () => Promise<InputBytes> {
  return async () => {
    const response = await fetch(sampleUrl(path));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return readInput(await response.blob(), baseName(path));
  };
}

/**
 * Read inputs (one, or several files at once) in the worker: one dump as before, or a series.
 * Several files are capped together as one input is.
 */
function inputsRead(name: string, inputs: readonly Named[]): Plan['read'] {
  return async (signal, progress) => {
    const read: { name: string; bytes: ArrayBuffer; mtime: number | null }[] = [];
    let total = 0;
    let gzip = false;
    for (const x of inputs) {
      const input = await x.bytes();
      total += input.bytes.byteLength;
      gzip ||= input.gzip;
      if (total > MAX_INPUT_BYTES) throw new Error(tooBigMessage(name, `over ${formatBytes(MAX_INPUT_BYTES)} together`));
      read.push({ name: x.name, bytes: input.bytes, mtime: x.mtime });
    }
    progress.bytesRead(total);
    const got = await readInBackground(read, { name, signal, onProgress: progress.parsed });
    if (got.kind === 'series') return { kind: 'series', bytes: total, gzip, read: got };
    const { kind: _single, ...result } = got;
    return { kind: 'dump', input: { bytes: read[0].bytes, gzip }, result };
  };
}

function fileInput(file: File): Named {
  return { name: file.name, bytes: () => readInput(file, file.name), mtime: Number.isFinite(file.lastModified) && file.lastModified > 0 ? file.lastModified : null };
}

/** How several files are named in the heading: their names, the first few and how many more. */
export function filesName(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more files`;
}

/**
 * A recording link (`#r=…`, or pasted): its text decoded and checked here (capped, strict:
 * lib/series/share.ts), then its bytes read in the worker as a dropped recording is. A bad one is
 * said by the share notice and leaves the screen as it was.
 */
function recordingLinkPlan(text: string): Plan {
  const name = RECORDING_LINK_NAME;
  const bytes = async (): Promise<InputBytes> => {
    const got = decodeSeriesLink(text);
    if ('problem' in got) throw new Error(got.problem);
    return { bytes: got.bytes.slice().buffer, gzip: false };
  };
  return { source: { kind: 'link', addressesHidden: false, text }, name, read: inputsRead(name, [{ name, bytes, mtime: null }]), failure: { to: 'share', prefix: '' } };
}

function linkPlan(text: string): Plan {
  return {
    source: { kind: 'link', addressesHidden: false, text },
    name: LINK_NAME,
    read: async (signal) => ({ kind: 'link', opened: await openInBackground({ text }, { name: 'the shared link', signal }), bytes: text.length }),
    failure: { to: 'share', prefix: '' },
  };
}

/** A .vmscope file: the compact encoding a too-long link is offered as. */
function shareFilePlan(file: File): Plan {
  const name = file.name || 'shared snapshot';
  return {
    source: { kind: 'link', addressesHidden: false },
    name,
    read: async (signal) => {
      const bytes = await file.arrayBuffer();
      return { kind: 'link', opened: await openInBackground({ bytes }, { name, signal }), bytes: bytes.byteLength };
    },
    failure: { to: 'share', prefix: `${file.name || 'This file'}: ` },
    atEnd: () => {
      const url = new URL(window.location.href);
      url.search = '';
      url.hash = '';
      window.history.replaceState(null, '', url);
    },
  };
}

function planFor(request: LoadRequest, s: AppState): Plan {
  switch (request.kind) {
    case 'file': {
      const { file, via = 'chooser' } = request;
      if (/\.vmscope$/i.test(file.name)) return shareFilePlan(file);
      return {
        source: { kind: 'file', name: file.name, via },
        name: file.name,
        read: inputsRead(file.name, [fileInput(file)]),
        failure: { to: 'notice' },
        atStart: () => rememberInUrl(null),
      };
    }
    case 'files': {
      const { files, via = 'chooser' } = request;
      if (files.length === 1) return planFor({ kind: 'file', file: files[0], via }, s);
      const name = filesName(files.map((f) => f.name));
      return {
        source: { kind: 'file', name, via },
        name,
        read: inputsRead(name, files.map(fileInput)),
        failure: { to: 'notice' },
        atStart: () => rememberInUrl(null),
      };
    }
    case 'text': {
      const link = shareTextOf(request.text);
      if (link !== null) return linkPlan(link);
      const recording = seriesTextOf(request.text);
      if (recording !== null) return recordingLinkPlan(recording);
      const name = request.name ?? 'pasted text';
      return {
        source: { kind: 'paste' },
        name,
        read: inputsRead(name, [{ name, bytes: () => readInput(new Blob([request.text], { type: 'text/plain' }), name), mtime: null }]),
        failure: { to: 'notice' },
        atStart: () => rememberInUrl(null),
      };
    }
    case 'sample': {
      const { path, remember = true, startup = false } = request;
      if (!isSafeSamplePath(path)) throw new Error(`not a sample path: ${path}`);
      const label = s.samples.find((x) => x.path === path)?.label ?? null;
      return {
        source: startup ? { kind: 'sample', path, label, startup } : { kind: 'sample', path, label },
        name: baseName(path),
        read: inputsRead(baseName(path), [{ name: baseName(path), bytes: fetchSample(path), mtime: null }]),
        failure: { to: 'notice' },
        atStart: remember ? () => rememberInUrl(path) : undefined,
      };
    }
    case 'link':
      return request.recording ? recordingLinkPlan(request.text) : linkPlan(request.text);
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
    ...(c.origin ? { origin: c.origin } : {}),
  };
}

/** Where a dump found in an archive came from ("Read proc/vmallocinfo from the sosreport of db01."), before the note about its lines. */
function withOriginNotes(notes: string[] | undefined, note: string | null): string | null {
  const said = (notes ?? []).map((n) => n.charAt(0).toUpperCase() + n.slice(1) + (/[.!?…]$/.test(n) ? '' : '.'));
  const all = [...said, ...(note ? [note] : [])];
  return all.length > 0 ? all.join(' ') : null;
}

/** Nothing new is shown: say why, and put the dump that was on screen back in the heading. */
function refuse(notice: InputNotice): void {
  const kept = currentDump(get());
  if (kept) {
    rememberSource(kept.source);
    set({ notice: { ...notice, message: `${notice.message} The dump on screen (${kept.fileName}) is kept.` }, status: 'ready', progress: null, input: null });
  } else {
    // Nothing to fall back on: the heading keeps naming the input, with the error.
    set({ notice, status: 'error', error: notice.message, progress: null, ...NO_MODEL });
  }
}

/** Only /proc/meminfo or /proc/modules: attach them to the dump on screen for the cross-checks, and say so. */
function attachInstead(name: string, read: Extract<Read, { kind: 'dump' }>, source: Source): void {
  const { input, result } = read;
  const facts = factsOf(name, input, result, source);
  const kept = currentDump(get());
  // An empty x.modules is an empty /proc/modules (no module loaded yet): attached as such.
  const emptyModules = facts.empty && isModulesFileName(name);
  const extra = { meminfo: result.capture.meminfo, modules: result.capture.modules, modulesRead: emptyModules };
  const attached = kept && facts.errors === 0 ? attachMessage(extra, kept.fileName, kept.capture) : null;
  if (kept && attached) {
    attachExtra(kept.id, extra);
    set({ analysisTab: 'checks' });
  }
  const also = attached ? ` ${attached} for the cross-checks under the map.` : '';
  refuse({ message: noAreasMessage(facts) + also, attached: attached !== null, diagnostics: result.diagnostics, diagnosticCount: result.diagnosticCount });
}

/** The session's entry for what was read. */
function loadedDump(id: number, plan: Plan, read: Read): LoadedDump {
  const common = { id, fileName: plan.name, loadedAt: Date.now(), view: null };
  if (read.kind === 'link') {
    const { opened } = read;
    const source: Source = { ...(plan.source as Extract<Source, { kind: 'link' }>), addressesHidden: opened.addressesHidden };
    return {
      ...common,
      source,
      fileBytes: read.bytes,
      gzip: false,
      summary: opened.summary,
      diagnostics: [],
      diagnosticCount: 0,
      parseMs: opened.ms,
      parsedIn: opened.where,
      model: opened.model,
      capture: { meminfo: [], modules: [], sections: [], nbsp: 0, joined: 0, binary: false, endsMidLine: false, empty: false },
      note: null,
    };
  }
  if (read.kind === 'series') {
    const { series, stats, how, notes, hints, latest } = read.read;
    const index = series.count - 1;
    const screen = { model: latest.model, summary: latest.summary, diagnostics: latest.diagnostics, diagnosticCount: latest.diagnosticCount, capture: latest.capture };
    seedMoment(series, index, screen);
    return {
      ...common,
      ...screen,
      // A recording link says whether it hid raw addresses (its header, read as a note), as a snapshot link does.
      source: plan.source.kind === 'link' ? { ...plan.source, addressesHidden: notes.includes(HIDDEN_NOTE) && series.table.pointerMode === 'raw' } : plan.source,
      fileBytes: read.bytes,
      gzip: read.gzip,
      parseMs: latest.parseMs,
      parsedIn: latest.where,
      note: [how, ...notes].map((x) => (/[.!?…]$/.test(x) ? x : `${x}.`)).join(' '),
      timeline: { series, stats, index, range: null, playing: false, how, notes, hints },
    };
  }
  const { input, result } = read;
  return {
    ...common,
    source: plan.source,
    fileBytes: input.bytes.byteLength,
    gzip: input.gzip,
    summary: result.summary,
    diagnostics: result.diagnostics,
    diagnosticCount: result.diagnosticCount,
    parseMs: result.parseMs,
    parsedIn: result.where,
    model: result.model,
    capture: result.capture,
    note: withOriginNotes(result.capture.originNotes, readMessage(factsOf(plan.name, input, result, plan.source))),
  };
}

/**
 * The loader: one per page, made at start-up (boot.ts) and kept in the store. Resolves to whether
 * the request's dump went on screen; rejects only for a request that names no source (a sample
 * path that is not one). `shown` hears of each dump put on screen with the request it came from
 * (persist.ts keeps its input on this device).
 */
export function createLoader(shown?: (request: LoadRequest, dump: LoadedDump) => void): (request: LoadRequest) => Promise<boolean> {
  /** Aborted when another load starts, so the worker drops a read nobody waits for. */
  let reading: AbortController | null = null;
  let nextDumpId = 1;

  return (request) => {
    let plan: Plan;
    try {
      plan = planFor(request, get());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const mine = get().generation + 1;
    const isCurrent = () => mine === get().generation;
    reading?.abort();
    const controller = (reading = new AbortController());
    const before = (({ status, input, progress, error }) => ({ status, input, progress, error }))(get());
    plan.atStart?.();
    set({ generation: mine, status: 'loading', input: { source: plan.source, fileName: plan.name, fileBytes: null }, error: null });
    return tracked(async () => {
      try {
        const read = await plan.read(controller.signal, {
          bytesRead: (bytes) => isCurrent() && set((s) => ({ status: 'parsing', input: s.input && { ...s.input, fileBytes: bytes }, progress: null })),
          parsed: (progress) => isCurrent() && set({ progress }),
        });
        if (!isCurrent()) return false;
        if (read.kind === 'dump' && read.result.summary.areas === 0) {
          attachInstead(plan.name, read, plan.source);
          return false;
        }
        const dump = loadedDump(nextDumpId++, plan, read);
        set((s) => ({ history: withDump(withViewSaved(s), dump), notice: null }));
        showDump(dump);
        shown?.(request, dump);
        forgetLink(dump.source);
        plan.atEnd?.();
        if (read.kind === 'link') applyShareView(read.opened.view);
        if (dump.source.kind === 'link') set({ shareError: null });
        if (dump.source.kind === 'sample') await attachCompanions(dump.id, dump.source.path);
        return true;
      } catch (err) {
        if (!isCurrent()) return false;
        if (plan.failure.to === 'share') {
          set({ ...before, shareError: plan.failure.prefix + message(err) });
        } else refuse({ message: message(err), diagnostics: [], diagnosticCount: 0 });
        return false;
      }
    });
  };
}
