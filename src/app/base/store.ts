// Dumps kept on this device: the inputs of the session, as the loader read them (file bytes, pasted
// text, a series' files, a link's text, a sample's path), so a reload can read them again through
// the one loader. Nothing here leaves the browser. The parsed model is never kept: reading the bytes
// again stays right when the parser changes.
//
// One small key-value backend (IndexedDB, or an in-memory one for tests and as the stand-in when
// IndexedDB is missing) behind `Kept`; swapping it for a library (idb-keyval) touches only
// `indexedDbBackend`.

/** One input of a kept entry: a file's bytes as read from disk (gzip stays gzip) and its name. */
export interface KeptFile {
  name: string;
  bytes: ArrayBuffer;
  mtime: number | null;
}

/** How a file came in: chosen, dropped, pasted, or served to the page by `vmscope open` (--live). */
export type FileVia = 'chooser' | 'drop' | 'paste' | 'open' | 'live';

/** What a kept entry reads again, the way the loader was first asked. */
export type KeptInput =
  | { kind: 'files'; files: KeptFile[]; via: FileVia }
  | { kind: 'text'; text: string; name?: string }
  | { kind: 'sample'; path: string }
  | { kind: 'link'; text: string; recording: boolean };

/** A kept entry's facts for the list: no bytes. */
export interface KeptInfo {
  key: string;
  name: string;
  /** What it was: a file, several files (a series), pasted text, a sample, a link. */
  kind: 'file' | 'files' | 'paste' | 'sample' | 'link';
  loadedAt: number;
  /** Bytes kept (what the input's bytes take here). */
  size: number;
}

export interface KeptEntry extends KeptInfo {
  input: KeptInput;
}

/** The smallest key-value store the kept list needs. */
export interface Backend {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** How many entries are kept at most; the oldest goes past this. */
export const KEPT_MAX = 20;

const ENTRY = 'dump:';
const INDEX = 'index';
const CURRENT = 'current';

/** Bytes an input takes when kept (texts counted as UTF-16 code units × 2 would overstate; UTF-8 length is what was read). */
export function inputSize(input: KeptInput): number {
  switch (input.kind) {
    case 'files':
      return input.files.reduce((n, f) => n + f.bytes.byteLength, 0);
    case 'text':
    case 'link':
      return new TextEncoder().encode(input.text).byteLength;
    case 'sample':
      return input.path.length;
  }
}

export function kindOf(input: KeptInput): KeptInfo['kind'] {
  if (input.kind === 'files') return input.files.length === 1 ? 'file' : 'files';
  return input.kind === 'text' ? 'paste' : input.kind;
}

/** A full quota, by any browser's name for it. */
export function isQuotaError(err: unknown): boolean {
  if (!(err instanceof Error) && !(typeof DOMException !== 'undefined' && err instanceof DOMException)) return false;
  const e = err as { name?: string; code?: number };
  return e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED' || e.code === 22;
}

function isInfo(x: unknown): x is KeptInfo {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.key === 'string' && typeof o.name === 'string' && typeof o.kind === 'string' && typeof o.loadedAt === 'number' && typeof o.size === 'number';
}

/** The kept list over a backend: an index of entries (newest last), each entry's input, and which one was on screen. */
export class Kept {
  constructor(private readonly backend: Backend) {}

  /** The kept entries, oldest first (no bytes read). */
  async list(): Promise<KeptInfo[]> {
    const index = await this.backend.get(INDEX);
    return Array.isArray(index) ? index.filter(isInfo) : [];
  }

  /** An entry with its input, or null when it is not (or no longer) kept. */
  async get(key: string): Promise<KeptEntry | null> {
    const got = await this.backend.get(ENTRY + key);
    if (!isInfo(got) || typeof (got as KeptEntry).input !== 'object') return null;
    return got as KeptEntry;
  }

  /**
   * Keep an input; resolves to its entry's facts. A sample kept already is not kept twice (its
   * entry moves to the end, with the new time). Throws what the backend threw (a full quota among
   * them); then the list is as it was.
   */
  async put(name: string, input: KeptInput, loadedAt: number): Promise<KeptInfo> {
    const index = await this.list();
    const key = input.kind === 'sample' ? `sample:${input.path}` : `${loadedAt.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const info: KeptInfo = { key, name, kind: kindOf(input), loadedAt, size: inputSize(input) };
    await this.backend.set(ENTRY + key, { ...info, input });
    const next = [...index.filter((x) => x.key !== key), info];
    const dropped = next.slice(0, Math.max(0, next.length - KEPT_MAX));
    try {
      await this.backend.set(INDEX, next.slice(-KEPT_MAX));
    } catch (err) {
      if (!index.some((x) => x.key === key)) await this.backend.del(ENTRY + key).catch(() => undefined);
      throw err;
    }
    for (const x of dropped) await this.backend.del(ENTRY + x.key);
    return info;
  }

  /**
   * A kept entry's input replaced by a longer one (a live recording grown by moments): same key,
   * name and place in the list, its size updated. False when the entry is no longer kept. Throws
   * what the backend threw (a full quota); then the entry is as it was.
   */
  async replace(key: string, input: KeptInput): Promise<boolean> {
    const entry = await this.get(key);
    if (!entry) return false;
    const info: KeptInfo = { key, name: entry.name, kind: kindOf(input), loadedAt: entry.loadedAt, size: inputSize(input) };
    await this.backend.set(ENTRY + key, { ...info, input });
    const index = await this.list();
    await this.backend.set(INDEX, index.map((x) => (x.key === key ? info : x)));
    return true;
  }

  async forget(key: string): Promise<void> {
    const index = await this.list();
    await this.backend.set(INDEX, index.filter((x) => x.key !== key));
    await this.backend.del(ENTRY + key);
    if ((await this.current()) === key) await this.backend.del(CURRENT);
  }

  async forgetAll(): Promise<void> {
    for (const k of await this.backend.keys()) await this.backend.del(k);
  }

  /** The key of the entry that was on screen last, if it is still kept. */
  async current(): Promise<string | null> {
    const key = await this.backend.get(CURRENT);
    if (typeof key !== 'string') return null;
    return (await this.list()).some((x) => x.key === key) ? key : null;
  }

  /** Which entry is on screen (null: something not kept, such as the starting sample). */
  async setCurrent(key: string | null): Promise<void> {
    if (key === null) await this.backend.del(CURRENT);
    else await this.backend.set(CURRENT, key);
  }
}

/** A backend in memory: for tests, and nothing survives. */
export function memoryBackend(): Backend {
  const m = new Map<string, unknown>();
  return {
    get: (k) => Promise.resolve(structuredClone(m.get(k))),
    set: (k, v) => {
      m.set(k, structuredClone(v));
      return Promise.resolve();
    },
    del: (k) => {
      m.delete(k);
      return Promise.resolve();
    },
    keys: () => Promise.resolve([...m.keys()]),
  };
}

const DB = 'vmscope';
const STORE = 'kept';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** A transaction's end: a write is only kept once it completes (a full quota fails it here). */
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/**
 * The IndexedDB backend, or null where there is none or it cannot be opened (private modes, a
 * browser that forbids storage): the app then works as before and says dumps are not kept.
 */
export async function indexedDbBackend(idb: IDBFactory | undefined = globalThis.indexedDB): Promise<Backend | null> {
  if (!idb) return null;
  let db: IDBDatabase;
  try {
    const open = idb.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    db = await request(open);
  } catch {
    return null;
  }
  const run = async <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = db.transaction(STORE, mode);
    const result = request(work(tx.objectStore(STORE)));
    await done(tx);
    return result;
  };
  return {
    get: (k) => run('readonly', (s) => s.get(k)),
    set: async (k, v) => {
      await run('readwrite', (s) => s.put(v, k));
    },
    del: async (k) => {
      await run('readwrite', (s) => s.delete(k));
    },
    keys: async () => (await run('readonly', (s) => s.getAllKeys())).map(String),
  };
}
