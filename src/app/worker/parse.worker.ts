// The parse worker: keeps parsing off the main thread so the page stays responsive on big dumps.
// The model's column buffers are transferred to the page, not copied.

import { analyze } from './analyze.ts';
import type { ParseRequest, ParseResponse } from './protocol.ts';

// tsconfig uses the DOM lib, not WebWorker; this is the part of DedicatedWorkerGlobalScope we use.
interface WorkerScope {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
  postMessage(message: ParseResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, bytes } = event.data;
  try {
    const { result, transfer } = analyze(new Uint8Array(bytes), (progress) => scope.postMessage({ id, progress }, []));
    scope.postMessage({ id, ok: true, result }, transfer);
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) }, []);
  }
};
