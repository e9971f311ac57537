// What the page does when it opens: make the loader (load.ts) and hand it to the store, start the
// analysis panel following the dump on screen, read the
// sample menu, then show what the URL asks for: a share link in the fragment (`#s=…`, or `#r=…` for a recording; a bad one
// says why and the page falls back to the sample), else the sample named by ?sample= or the
// manifest's default. Later fragment changes (a link pasted into the address bar of the open page)
// open too. A page opened by `vmscope open` (`#open=TOKEN`, src/cli/open.ts) fetches its dump from
// the server that served it, with the token, and loads it as a file of the name the server says.
// With nothing asked for in the URL, the dump kept on this device that was on screen when the page
// was left comes back instead of the sample (persist.ts).
// A one-file report (base/report.ts) opens the dump it carries and nothing else: no sample menu,
// nothing kept on this device, no request at all.

import { followTheScreen } from './analysis/actions.ts';
import { createLoader } from './load.ts';
import { keepShown, keptOnScreen, openKeptEntry, startKeeping, startingChoice } from './persist.ts';
import { readManifest, sampleUrl } from './base/samples.ts';
import { linkTextOf, openTokenOf, recordingTextOf } from './base/links.ts';
import { readReport } from './base/report.ts';
import { load, loadSample, message, tracked } from './state/actions.ts';
import { currentDump } from './state/select.ts';
import { useStore } from './state/store.ts';

const set = useStore.setState;
const get = useStore.getState;

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

/** The sample named by ?sample= if the manifest lists it, else the manifest's default. */
export function startingSample(search: string): string {
  const asked = new URLSearchParams(search).get('sample');
  const { samples, defaultSample } = get();
  return asked && samples.some((s) => s.path === asked) ? asked : defaultSample;
}

/** Open the link in a fragment, unless it is the link on screen already (hashchange fires for that one too). */
function openFromHash(hash: string): Promise<boolean> {
  const recording = recordingTextOf(hash);
  const text = recording ?? linkTextOf(hash);
  if (text === null) return Promise.resolve(false);
  const source = currentDump(get())?.source;
  if (source?.kind === 'link' && source.text === text) return Promise.resolve(false);
  return load({ kind: 'link', text, recording: recording !== null });
}

/**
 * The dump `vmscope open` serves: the token leaves the address first (a reload or a copied URL does
 * not carry it), then `dump?token=` is fetched and loaded through the one loader as a file.
 */
async function openServed(token: string): Promise<void> {
  const url = new URL(window.location.href);
  url.hash = '';
  window.history.replaceState(null, '', url);
  let file: File;
  try {
    const response = await fetch(`dump?token=${encodeURIComponent(token)}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    let name = 'dump';
    try {
      name = decodeURIComponent(response.headers.get('X-Vmscope-Name') ?? '') || name;
    } catch {
      // a name that does not decode: keep the default
    }
    file = new File([await response.blob()], name);
  } catch (err) {
    const text = `The dump vmscope open served could not be fetched (${message(err)}); the server stops once the page has it: run vmscope open again.`;
    set({ notice: { message: text, diagnostics: [], diagnosticCount: 0 }, status: 'error', error: text });
    return;
  }
  await load({ kind: 'file', file });
}

/** Start the app on this page (main.tsx calls it once). */
export function boot(hash: string, search: string): Promise<void> {
  const report = readReport(document);
  if (report !== null) {
    set({ loader: createLoader() });
    followTheScreen();
    return tracked(async () => void (await load({ kind: 'file', file: report.file })));
  }
  set({ loader: createLoader(keepShown) });
  followTheScreen();
  window.addEventListener('hashchange', () => void openFromHash(window.location.hash));
  // Busy from the very first moment, for whenIdle().
  return tracked(async () => {
    const keeping = startKeeping();
    const token = openTokenOf(hash);
    if (token !== null) {
      await Promise.all([loadManifest(), keeping]); // while the server still serves it
      await openServed(token);
      return;
    }
    if (await openFromHash(hash)) {
      await Promise.all([loadManifest(), keeping]); // the sample menu still works; nothing else to load
      return;
    }
    await Promise.all([loadManifest(), keeping]);
    const choice = startingChoice(false, search, await keptOnScreen());
    if (choice === 'kept') {
      const key = await keptOnScreen();
      if (key !== null && (await openKeptEntry(key))) return;
    }
    await loadSample(startingSample(search), false, true); // the URL already says what it should
  });
}
