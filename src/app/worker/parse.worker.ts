// The parse worker: keeps parsing and opening share links off the main thread so the page stays
// responsive on big dumps and hostile links. The model's column buffers are transferred to the
// page, not copied. The page terminates and replaces a worker that runs past its budget (client.ts).

import { analyze, readAll } from './analyze.ts';
import { liveAppend, liveStart } from './live.ts';
import { openShared } from './openLink.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

// tsconfig uses the DOM lib, not WebWorker; this is the part of DedicatedWorkerGlobalScope we use.
interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

async function run(job: WorkerRequest): Promise<void> {
  const { id } = job;
  try {
    if (job.kind === 'parse') {
      const { result, transfer } = analyze(new Uint8Array(job.bytes), (progress) => scope.postMessage({ id, progress }, []));
      scope.postMessage({ id, ok: true, result }, transfer);
    } else if (job.kind === 'read') {
      const { result, transfer } = await readAll(job.inputs, (progress) => scope.postMessage({ id, progress }, []));
      scope.postMessage({ id, ok: true, result }, transfer);
    } else if (job.kind === 'link' || job.kind === 'share-file') {
      const { result, transfer } = await openShared(job.kind === 'link' ? { text: job.text } : { bytes: new Uint8Array(job.bytes) });
      scope.postMessage({ id, ok: true, result }, transfer);
    } else if (job.kind === 'live-start') {
      scope.postMessage({ id, ok: true, result: liveStart(job.live, new Uint8Array(job.bytes)) }, []);
    } else if (job.kind === 'live-append') {
      scope.postMessage({ id, ok: true, result: liveAppend(job.live, job.frames.map((f) => new Uint8Array(f))) }, []);
    } else if (job.kind === 'hang') {
      // Busy until terminated, as a scanner stuck in a loop would be (only the test hook asks).
      for (let spins = 0; ; spins++) if (spins < 0) break;
    }
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) }, []);
  }
}

scope.onmessage = (event) => void run(event.data);
