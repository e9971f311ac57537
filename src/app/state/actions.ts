// Everything that changes the store. Plain functions: call them from components, the URL sync,
// the test hook or the console alike.

import { baseName, isSafeSamplePath, readManifest, sampleUrl } from '../samples.ts';
import { message, rememberInUrl, show, tracked } from './load.ts';
import { useStore } from './store.ts';

export { dismissNotice, loadFile, loadText } from './load.ts';
// Switching between the session's dumps restores each one's own view (views.ts).
export { switchTo } from './views.ts';

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

/**
 * Load one of the bundled samples by its manifest path; `remember` puts it in the URL (?sample=);
 * `startup` marks the sample the page opened with (the user did not choose it: Compare says so).
 */
export function loadSample(path: string, remember = true, startup = false): Promise<void> {
  if (!isSafeSamplePath(path)) return Promise.reject(new Error(`not a sample path: ${path}`));
  const label = get().samples.find((s) => s.path === path)?.label ?? null;
  if (remember) rememberInUrl(path);
  return show(startup ? { kind: 'sample', path, label, startup } : { kind: 'sample', path, label }, baseName(path), async () => {
    const response = await fetch(sampleUrl(path));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return { bytes: await response.arrayBuffer(), gzip: false };
  });
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
    await loadSample(startingSample(search), false, true); // the URL already says what it should
  } finally {
    set((s) => ({ pending: s.pending - 1 }));
  }
}
