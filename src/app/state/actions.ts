// What the features may ask of the session through the store: load something (the loader itself
// sits above them, src/app/load.ts, and is reached through the store's `loader`), switch between
// the loaded dumps, dismiss a message. Plain functions: call them from components, the test hook or
// the console alike.

import { mapStateFor, select, setColourMode, setView, toggleCollapse } from './view.ts';
import type { LoadedDump, SavedView } from './history.ts';
import { currentDump } from './select.ts';
import { marksOfEntry } from './timeline.ts';
import { useStore } from './store.ts';
import type { AppState, LoadRequest, Source } from './store.ts';

const set = useStore.setState;
const get = useStore.getState;

/** Load a dump (or open a link) the one way every source is loaded; resolves to whether it went on screen. */
export function load(request: LoadRequest): Promise<boolean> {
  const loader = get().loader;
  if (!loader) return Promise.reject(new Error('vmscope has not started yet'));
  return loader(request);
}

/** Load a file the user chose or dropped (a .vmscope file is opened as the link it encodes). It is read in the browser and never sent anywhere. */
export function loadFile(file: File, via: 'chooser' | 'drop' | 'paste' = 'chooser'): Promise<boolean> {
  return load({ kind: 'file', file, via });
}

/**
 * Load several files chosen or dropped at once: one series with a moment per file, ordered by the
 * times in their names, a stamp inside, or their modification times. One file loads as loadFile.
 */
export function loadFiles(files: readonly File[], via: 'chooser' | 'drop' | 'paste' = 'chooser'): Promise<boolean> {
  if (files.length === 1) return loadFile(files[0], via);
  return load({ kind: 'files', files: [...files], via });
}
/** Load pasted text; a share link pasted on its own is opened as a link. */
export function loadText(text: string, name?: string): Promise<boolean> {
  return load({ kind: 'text', text, name });
}

/**
 * Load one of the bundled samples by its manifest path; `remember` puts it in the URL (?sample=);
 * `startup` marks the sample the page opened with (the user did not choose it: Compare says so).
 */
export function loadSample(path: string, remember = true, startup = false): Promise<boolean> {
  return load({ kind: 'sample', path, remember, startup });
}

/** Count `work` as pending while it runs (whenIdle() waits for the count to reach 0). */
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

/** The URL follows the dump on screen: a sample's path, and no old link (see forgetLink). */
export function rememberSource(source: Source): void {
  rememberInUrl(source.kind === 'sample' ? source.path : null);
  forgetLink(source);
}

/** Drop a link's fragment once something else is on screen, so a reload shows what is on screen. */
export function forgetLink(source: Source): void {
  if (source.kind !== 'link' && window.location.hash.startsWith('#s=')) {
    const url = new URL(window.location.href);
    url.hash = '';
    window.history.replaceState(null, '', url);
  }
}

function viewOf(s: AppState): SavedView {
  return { viewStart: s.viewStart, viewEnd: s.viewEnd, collapse: s.collapse, selected: s.selected, colourMode: s.colourMode };
}

/** The history with the dump on screen holding the view it is left with. */
export function withViewSaved(s: AppState): LoadedDump[] {
  const dump = currentDump(s);
  if (!dump || dump.model !== s.model) return s.history; // the model on screen is not (yet) this entry's
  return s.history.map((d) => (d === dump ? { ...d, view: viewOf(s) } : d));
}

/** Put a loaded dump on screen, the whole track in view (what the heading and panels show follows from currentId). */
export function showDump(dump: LoadedDump): void {
  set({ status: 'ready', progress: null, error: null, input: null, currentId: dump.id, ...mapStateFor(dump.model, dump.capture.modules), momentMarks: marksOfEntry(dump) });
}

/** Put a view back on the dump on screen: collapse first (it changes display units), then the rest. */
export function restoreView(v: SavedView): void {
  const s = get();
  if (s.track?.exact && s.collapse !== v.collapse) toggleCollapse();
  if (get().colourMode !== v.colourMode) setColourMode(v.colourMode);
  setView({ start: v.viewStart, end: v.viewEnd });
  select(v.selected);
}

/** Show an earlier dump of this session again (instant: its model is kept), with the view it was left with. */
export function switchTo(id: number): void {
  const s = get();
  if (id === s.currentId) return;
  const history = withViewSaved(s);
  const dump = history.find((d) => d.id === id);
  if (!dump) return;
  // A load still in flight no longer replaces what the user chose.
  set({ generation: s.generation + 1, history, notice: null });
  showDump(dump);
  rememberSource(dump.source);
  if (dump.view) restoreView(dump.view);
}

/** Forget the message about the last refused input. */
export function dismissNotice(): void {
  set({ notice: null });
}

/** Forget the message about a link that could not be opened. */
export function dismissShareError(): void {
  set({ shareError: null });
}
