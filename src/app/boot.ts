// What the page does when it opens: make the loader (load.ts) and hand it to the store, start the
// analysis panel following the dump on screen, read the
// sample menu, then show what the URL asks for: a share link in the fragment (`#s=…`, or `#r=…` for a recording; a bad one
// says why and the page falls back to the sample), else the sample named by ?sample= or the
// manifest's default. Later fragment changes (a link pasted into the address bar of the open page)
// open too. A page opened by `vmscope open` (`#open=TOKEN`, src/cli/open.ts) fetches its dump from
// the server that served it, with the token, and loads it as a file of the name the server says.
// A page opened by `vmscope open --live` (`#live=TOKEN`, src/cli/live.ts) fetches the recording so
// far the same way, then listens for each new moment (server-sent events) and appends it to the
// series (state/timeline.ts appendMoment); the token stays in the address so a reload picks the
// recording up again. With nothing asked for in the URL, the dump kept on this device that was on screen when the page
// was left comes back instead of the sample (persist.ts).
// A one-file report (base/report.ts) opens the dump it carries and nothing else: no sample menu,
// nothing kept on this device, no request at all.

import { followTheScreen } from './analysis/actions.ts';
import { createLoader } from './load.ts';
import { keepGrown, keepShown, keptOnScreen, openKeptEntry, startKeeping, startingChoice } from './persist.ts';
import { readManifest, sampleUrl } from './base/samples.ts';
import { linkTextOf, liveTokenOf, openTokenOf, recordingTextOf } from './base/links.ts';
import { readReport } from './base/report.ts';
import { load, loadSample, message, tracked } from './state/actions.ts';
import { currentDump } from './state/select.ts';
import { appendMoment, liveCount, setLive, startLive } from './state/timeline.ts';
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
  const served = await fetchServed(token, 'dump', (why) => `The dump vmscope open served could not be fetched (${why}); the server stops once the page has it: run vmscope open again.`);
  if (served) await load({ kind: 'file', file: served.file, via: 'open' });
}

/**
 * What `vmscope open` serves at `dump?token=`: a file of the name its X-Vmscope-Name header says
 * (`fallback` when it says none, or one that does not decode), and the response's headers. Null when
 * it cannot be fetched, the page's error then being `failed`'s text for why.
 */
async function fetchServed(token: string, fallback: string, failed: (why: string) => string): Promise<{ file: File; headers: Headers } | null> {
  try {
    const response = await fetch(`dump?token=${encodeURIComponent(token)}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    let name = fallback;
    try {
      name = decodeURIComponent(response.headers.get('X-Vmscope-Name') ?? '') || name;
    } catch {
      // a name that does not decode: keep the default
    }
    return { file: new File([await response.blob()], name), headers: response.headers };
  } catch (err) {
    const text = failed(message(err));
    set({ notice: { message: text, diagnostics: [], diagnosticCount: 0 }, status: 'error', error: text });
    return null;
  }
}

/** A frame sent as base64 in an event's data. */
function fromBase64(text: string): Uint8Array | null {
  try {
    const raw = atob(text);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The stream of the live recording on screen, while there is one. */
let liveStream: EventSource | null = null;

/**
 * The recording `vmscope open --live` is making: fetched so far (`dump?token=`, loaded as any
 * recording), then `live?token=&from=N` streams each moment from the N-th on. An event's id is its
 * moment's index: EventSource sends the last one back when it reconnects (Last-Event-ID), and a
 * moment the series has already is skipped, so none is shown twice.
 */
async function openLive(token: string): Promise<void> {
  const served = await fetchServed(token, 'live recording', (why) => `The recording vmscope open --live is making could not be fetched (${why}): has it been stopped? The recording it wrote opens with vmscope open FILE.`);
  if (!served) return;
  const { file } = served;
  const every = Number(served.headers.get('X-Vmscope-Every')) || 0;
  await load({ kind: 'file', file, via: 'live' });
  const dump = currentDump(get());
  if (!dump?.timeline || dump.fileName !== file.name) return;
  const id = dump.id;
  // The recording as it grows (its bytes so far, then each moment's frame): its kept copy follows.
  const recording: Uint8Array[] = [new Uint8Array(await file.arrayBuffer())];
  try {
    await startLive(id, every, recording[0].slice().buffer);
  } catch (err) {
    setLive(id, { every, state: 'stopped', why: `the recording could not be followed (${message(err)})` });
    return;
  }
  liveStream?.close();
  const source = new EventSource(`live?token=${encodeURIComponent(token)}&from=${dump.timeline.series.count}`);
  liveStream = source;
  const stop = (why?: string) => {
    source.close();
    if (liveStream === source) liveStream = null;
    setLive(id, { state: 'stopped', why });
  };
  source.addEventListener('moment', (event: MessageEvent<string>) => {
    const count = liveCount(id);
    if (count === 0) return stop();
    const index = Number(event.lastEventId);
    if (!Number.isInteger(index) || index < count) return; // one the series has (a reconnect)
    if (index > count) return stop(`moment ${count + 1} never came: reload the page`);
    const frame = fromBase64(event.data);
    const problem = frame === null ? 'a moment came garbled' : appendMoment(id, frame);
    if (problem !== null) return stop(`${problem}: reload the page`);
    recording.push(frame!);
    keepGrown(id, recording);
  });
  source.addEventListener('end', () => stop());
  // EventSource reconnects by itself after an error: stopped until it is back.
  source.addEventListener('error', () => setLive(id, { state: 'stopped', why: source.readyState === EventSource.CLOSED ? 'the stream was refused' : 'the connection was lost; trying again' }));
  source.addEventListener('open', () => setLive(id, { state: 'live' }));
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
    const live = liveTokenOf(hash);
    if (live !== null) {
      await Promise.all([loadManifest(), keeping]);
      await openLive(live);
      return;
    }
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
