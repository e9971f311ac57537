// Everything that changes the store. Plain functions: call them from components, the URL sync,
// the test hook or the console alike.

import { NO_MODEL, mapStateFor } from '../map/actions.ts';
import { analyzeInBackground } from '../worker/client.ts';
import { baseName, isSafeSamplePath, readManifest, sampleUrl } from '../samples.ts';
import type { Source } from './store.ts';
import { useStore } from './store.ts';

const set = useStore.setState;
const get = useStore.getState;

/** Bumped by every load; a load whose number is no longer current drops its result. */
let generation = 0;

async function tracked<T>(work: () => Promise<T>): Promise<T> {
  set((s) => ({ pending: s.pending + 1 }));
  try {
    return await work();
  } finally {
    set((s) => ({ pending: s.pending - 1 }));
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Fetch and check public/samples/index.json. */
export function loadManifest(): Promise<void> {
  return tracked(async () => {
    try {
      const response = await fetch(sampleUrl('index.json'));
      if (!response.ok) throw new Error(`samples/index.json: HTTP ${response.status}`);
      const manifest = readManifest(await response.json());
      set({ samples: manifest.samples, defaultSample: manifest.default, manifestError: null });
    } catch (err) {
      set({ manifestError: message(err) });
    }
  });
}

/** Parse bytes already in memory and put their summary on screen. */
function show(source: Source, fileName: string, fetchBytes: () => Promise<ArrayBuffer>): Promise<void> {
  const mine = ++generation;
  const current = () => mine === generation;
  set({ status: 'loading', source, fileName, error: null });
  return tracked(async () => {
    try {
      const bytes = await fetchBytes();
      if (!current()) return;
      set({ status: 'parsing', fileBytes: bytes.byteLength, progress: null });
      const result = await analyzeInBackground(bytes, (progress) => current() && set({ progress }));
      if (!current()) return;
      set({
        status: 'ready',
        progress: null,
        summary: result.summary,
        diagnostics: result.diagnostics,
        diagnosticCount: result.diagnosticCount,
        parseMs: result.parseMs,
        parsedIn: result.where,
        // The map arrives with the summary, in the same update.
        ...mapStateFor(result.model),
      });
    } catch (err) {
      if (!current()) return;
      set({ status: 'error', error: message(err), summary: null, diagnostics: [], diagnosticCount: 0, parseMs: null, ...NO_MODEL });
    }
  });
}

/** Load one of the bundled samples by its manifest path; `remember` puts it in the URL (?sample=). */
export function loadSample(path: string, remember = true): Promise<void> {
  if (!isSafeSamplePath(path)) return Promise.reject(new Error(`not a sample path: ${path}`));
  const label = get().samples.find((s) => s.path === path)?.label ?? null;
  if (remember) rememberInUrl(path);
  return show({ kind: 'sample', path, label }, baseName(path), async () => {
    const response = await fetch(sampleUrl(path));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
}

/** Load a file the user chose. It is read in the browser and never sent anywhere. */
export function loadFile(file: File): Promise<void> {
  rememberInUrl(null);
  return show({ kind: 'file', name: file.name }, file.name, () => file.arrayBuffer());
}

function rememberInUrl(samplePath: string | null): void {
  const url = new URL(window.location.href);
  if (samplePath) url.searchParams.set('sample', samplePath);
  else url.searchParams.delete('sample');
  window.history.replaceState(null, '', url);
}

/** The sample named by ?sample= if the manifest lists it, else the manifest's default. */
export function startingSample(search: string): string {
  const asked = new URLSearchParams(search).get('sample');
  const { samples, defaultSample } = get();
  return asked && samples.some((s) => s.path === asked) ? asked : defaultSample;
}

/** What the page does on load: read the menu, then show the starting sample. */
export async function start(search: string): Promise<void> {
  set((s) => ({ pending: s.pending + 1 })); // busy from the very first moment, for whenIdle()
  try {
    await loadManifest();
    await loadSample(startingSample(search), false); // the URL already says what it should
  } finally {
    set((s) => ({ pending: s.pending - 1 }));
  }
}
