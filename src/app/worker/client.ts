// The page's side of the parse worker. One worker, started on first use; requests carry an id so
// answers find their caller. If the worker cannot be constructed (no Worker, blocked by a policy)
// or dies loading its script, parsing falls back to the main thread, loaded on demand.

import { unpackModel } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import type { ParseRequest, ParseResponse, ParseResult } from './protocol.ts';

export type ParsedWhere = 'worker' | 'main thread';

/** What the page gets back: the worker's result with the model unpacked, and where it was parsed. */
export type Analysis = Omit<ParseResult, 'packed'> & { model: Model; where: ParsedWhere };

function received(result: ParseResult, where: ParsedWhere): Analysis {
  const { packed, ...rest } = result;
  return { ...rest, model: unpackModel(packed), where };
}

interface Pending {
  bytes: ArrayBuffer;
  onProgress?: (fraction: number) => void;
  resolve: (value: Analysis) => void;
  reject: (reason: Error) => void;
}

let worker: Worker | null | undefined; // undefined: not tried yet; null: unavailable
let nextId = 1;
const pending = new Map<number, Pending>();

async function onMainThread(bytes: ArrayBuffer): Promise<Analysis> {
  const { analyze } = await import('./analyze.ts');
  return received(analyze(new Uint8Array(bytes)).result, 'main thread');
}

function giveUpOnWorker(): void {
  worker?.terminate();
  worker = null;
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) onMainThread(p.bytes).then(p.resolve, p.reject);
}

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const w = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'vmscope-parse' });
    w.onmessage = (event: MessageEvent<ParseResponse>) => {
      const msg = event.data;
      const p = pending.get(msg.id);
      if (!p) return;
      if ('progress' in msg) {
        p.onProgress?.(msg.progress);
        return;
      }
      pending.delete(msg.id);
      if (msg.ok) p.resolve(received(msg.result, 'worker'));
      else p.reject(new Error(msg.error));
    };
    w.onerror = (event) => {
      event.preventDefault();
      giveUpOnWorker();
    };
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

/** Parse a dump, summarise it and build its model, in the worker when there is one. */
export function analyzeInBackground(bytes: ArrayBuffer, onProgress?: (fraction: number) => void): Promise<Analysis> {
  const w = getWorker();
  if (!w) return onMainThread(bytes);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { bytes, onProgress, resolve, reject });
    const request: ParseRequest = { id, bytes };
    w.postMessage(request);
  });
}
