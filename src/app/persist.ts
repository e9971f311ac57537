// What is on screen survives a reload: each input the loader put on screen is kept on this device
// (base/store.ts, IndexedDB) as it was read — a file's bytes, a series' files, pasted text, a link's
// text, a sample's path — never the parsed model, and never sent anywhere. At start-up with nothing
// asked for in the URL, the entry that was on screen is read again through the one loader; the
// others stay listed (state/kept.ts) to open or forget. No storage, or a full one: the app works as
// before and says so.

import { concatBytes } from '../lib/bytes.ts';
import { Kept, indexedDbBackend, isQuotaError } from './base/store.ts';
import type { Backend, KeptInput } from './base/store.ts';
import type { LoadedDump } from './state/history.ts';
import { useKept } from './state/kept.ts';
import { load, message, tracked } from './state/actions.ts';
import { useStore } from './state/store.ts';
import type { LoadRequest } from './state/store.ts';

const setKept = useKept.setState;

let kept: Kept | null = null;
/** Which kept entry each dump of this session is. */
const keyOf = new Map<number, string>();
let following = false;
/** Requests made from a kept entry: shown again, not kept twice. */
const fromKept = new WeakMap<LoadRequest, string>();

/** A loader request as the input to keep, or null for what is not kept (the sample the page opened with). */
export async function keptInputOf(request: LoadRequest): Promise<KeptInput | null> {
  const file = async (f: File) => ({ name: f.name, bytes: await f.arrayBuffer(), mtime: Number.isFinite(f.lastModified) && f.lastModified > 0 ? f.lastModified : null });
  switch (request.kind) {
    case 'file':
      return { kind: 'files', files: [await file(request.file)], via: request.via ?? 'chooser' };
    case 'files':
      return { kind: 'files', files: await Promise.all(request.files.map(file)), via: request.via ?? 'chooser' };
    case 'text':
      return request.name === undefined ? { kind: 'text', text: request.text } : { kind: 'text', text: request.text, name: request.name };
    case 'sample':
      return request.startup ? null : { kind: 'sample', path: request.path };
    case 'link':
      return { kind: 'link', text: request.text, recording: request.recording ?? false };
  }
}

/** A kept input as the loader request that reads it again. */
export function requestOf(input: KeptInput): LoadRequest {
  switch (input.kind) {
    case 'files': {
      const files = input.files.map((f) => new File([f.bytes], f.name, f.mtime === null ? {} : { lastModified: f.mtime }));
      return files.length === 1 ? { kind: 'file', file: files[0], via: input.via } : { kind: 'files', files, via: input.via };
    }
    case 'text':
      return input.name === undefined ? { kind: 'text', text: input.text } : { kind: 'text', text: input.text, name: input.name };
    case 'sample':
      return { kind: 'sample', path: input.path };
    case 'link':
      return { kind: 'link', text: input.text, recording: input.recording };
  }
}

/**
 * What the page shows first: a link in the fragment, else a sample named by ?sample=, else the
 * kept entry that was on screen, else the default sample.
 */
export function startingChoice(linkInHash: boolean, search: string, keptOnScreen: string | null): 'link' | 'sample' | 'kept' | 'default' {
  if (linkInHash) return 'link';
  if (new URLSearchParams(search).get('sample')) return 'sample';
  return keptOnScreen === null ? 'default' : 'kept';
}

async function refresh(): Promise<void> {
  if (!kept) return;
  setKept({ list: await kept.list(), onScreen: await kept.current() });
}

async function markOnScreen(id: number | null): Promise<void> {
  if (!kept) return;
  const key = id === null ? null : (keyOf.get(id) ?? null);
  await kept.setCurrent(key);
  setKept({ onScreen: key });
}

/** The loader calls this for each dump it put on screen. */
export function keepShown(request: LoadRequest, dump: LoadedDump): void {
  if (!kept) return;
  const store = kept;
  const again = fromKept.get(request);
  void tracked(async () => {
    try {
      if (again !== undefined) {
        keyOf.set(dump.id, again);
      } else {
        const input = await keptInputOf(request);
        if (input === null) return;
        const info = await store.put(dump.fileName, input, dump.loadedAt);
        keyOf.set(dump.id, info.key);
        setKept({ problem: null });
      }
      if (useStore.getState().currentId === dump.id) await markOnScreen(dump.id);
    } catch (err) {
      setKept({
        problem: isQuotaError(err)
          ? `This device's storage for the page is full: ${dump.fileName} is on screen but is not kept for the next visit. Forget a kept dump to make room.`
          : `${dump.fileName} is on screen but could not be kept on this device: ${message(err)}`,
      });
    }
    await refresh();
  });
}

/** How often a growing live recording's kept copy is written again, at most. */
export const KEEP_GROWN_MS = 5000;
const grownPending = new Map<number, readonly Uint8Array[]>();

/**
 * A live recording (vmscope open --live) on screen as dump `id` has grown: `parts` are its bytes
 * so far and each frame since, in order (the caller's array, which keeps growing). Its kept copy
 * follows, written again at most every KEEP_GROWN_MS, so a reload without the server, or the Kept
 * list later, opens it with its moments so far, not only the first ones.
 */
export function keepGrown(id: number, parts: readonly Uint8Array[]): void {
  if (!kept || grownPending.has(id)) return;
  grownPending.set(id, parts);
  setTimeout(() => void writeGrown(id), KEEP_GROWN_MS);
}

async function writeGrown(id: number): Promise<void> {
  const parts = grownPending.get(id);
  grownPending.delete(id);
  const key = keyOf.get(id);
  const dump = useStore.getState().history.find((d) => d.id === id);
  if (!kept || !parts || key === undefined || !dump) return;
  const bytes = concatBytes(parts);
  try {
    await kept.replace(key, { kind: 'files', files: [{ name: dump.fileName, bytes: bytes.slice().buffer, mtime: null }], via: 'live' });
    await refresh();
  } catch (err) {
    setKept({ problem: isQuotaError(err) ? `This device's storage for the page is full: the kept copy of ${dump.fileName} stops growing. Forget a kept dump to make room.` : `The kept copy of ${dump.fileName} could not grow: ${message(err)}` });
  }
}

/** Read a kept entry again through the loader; resolves to whether it went on screen. */
export async function openKeptEntry(key: string): Promise<boolean> {
  if (!kept) return false;
  const entry = await kept.get(key);
  if (!entry) {
    await refresh();
    return false;
  }
  const request = requestOf(entry.input);
  fromKept.set(request, key);
  return load(request);
}

/**
 * Open the kept storage (or learn there is none) and put the list's actions in place. A backend
 * may be given (tests); otherwise IndexedDB.
 */
export async function startKeeping(backend?: Backend | null): Promise<void> {
  const b = backend === undefined ? await indexedDbBackend().catch(() => null) : backend;
  kept = null;
  keyOf.clear();
  if (!b) {
    setKept({ storage: 'off', list: [], onScreen: null });
    return;
  }
  kept = new Kept(b);
  try {
    await refresh();
  } catch {
    kept = null;
    setKept({ storage: 'off', list: [], onScreen: null });
    return;
  }
  setKept({
    storage: 'on',
    actions: {
      open: async (key) => {
        await openKeptEntry(key);
      },
      forget: async (key) => {
        await kept?.forget(key);
        for (const [id, k] of keyOf) if (k === key) keyOf.delete(id);
        await refresh();
      },
      forgetAll: async () => {
        await kept?.forgetAll();
        keyOf.clear();
        await refresh();
      },
    },
  });
  if (!following) {
    following = true;
    useStore.subscribe((s, prev) => {
      // Which one to put back next time is only a convenience: a storage failure here is not said.
      if (s.currentId !== prev.currentId) markOnScreen(s.currentId).catch(() => undefined);
    });
  }
}

/** The kept entry that was on screen when the page was last left, if any. */
export async function keptOnScreen(): Promise<string | null> {
  return kept ? kept.current() : null;
}
