// The parse worker: keeps parsing off the main thread so the page stays responsive on big dumps.

import { analyze } from './analyze.ts';
import type { ParseRequest, ParseResponse } from './protocol.ts';

// tsconfig uses the DOM lib, not WebWorker; this is the part of DedicatedWorkerGlobalScope we use.
interface WorkerScope {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
  postMessage(message: ParseResponse): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, bytes } = event.data;
  try {
    scope.postMessage({ id, ok: true, result: analyze(new Uint8Array(bytes)) });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
