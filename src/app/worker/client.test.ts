import { describe, expect, it } from 'vitest';
import { BUDGET, NoWorker, WatchdogError, WorkerClient, budgetMs } from './client.ts';
import type { Timers, WorkerLike } from './client.ts';
import type { LinkResult, ParseResult, WorkerRequest, WorkerResponse } from './protocol.ts';

/** A worker that records what it is sent and answers only when told. */
class FakeWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  posted: WorkerRequest[] = [];
  terminated = false;
  postMessage(message: WorkerRequest): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: WorkerResponse): void {
    this.onmessage?.({ data: message } as MessageEvent<WorkerResponse>);
  }
}

/** A clock that moves only when told, running the timers it passes. */
class FakeTimers implements Timers {
  time = 0;
  private timers = new Map<number, { at: number; run: () => void }>();
  private nextHandle = 1;
  setTimeout(run: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.time + ms, run });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  now(): number {
    return this.time;
  }
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
    }
    this.time = end;
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const timers = new FakeTimers();
  const client = new WorkerClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, timers);
  return { workers, timers, client };
}

const RESULT = { summary: { areas: 1 } } as unknown as ParseResult;
const bytes = new ArrayBuffer(8);

/** Whether a promise has settled (after the microtasks queued so far). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('the parse worker client', () => {
  it('stops a job that runs past its budget: the worker is terminated and the job fails with a message naming the input and the seconds', async () => {
    const { workers, timers, client } = setup();
    const job = client.run({ kind: 'parse', bytes }, { name: 'masked.txt', bytes: 3 << 20, budgetMs: 16_500 });
    expect(workers).toHaveLength(1);
    expect(workers[0].posted.map((m) => m.kind)).toEqual(['parse']);
    timers.advance(16_499);
    expect(await settled(job)).toBe(false);
    expect(workers[0].terminated).toBe(false);
    timers.advance(1);
    await expect(job).rejects.toBeInstanceOf(WatchdogError);
    await expect(job).rejects.toThrow(/^vmscope stopped reading masked\.txt after 17 s: far longer than 3(\.0)? MiB takes, .*restarted/);
    expect(workers[0].terminated).toBe(true);
  });

  it('gives the next job a fresh worker after one was stopped, and that job completes normally', async () => {
    const { workers, timers, client } = setup();
    const stuck = client.run({ kind: 'parse', bytes }, { name: 'a', bytes: 8, budgetMs: 1000 });
    const queued = client.run({ kind: 'parse', bytes }, { name: 'b', bytes: 8, budgetMs: 1000 });
    // One job at a time: the second waits, so its budget has not started.
    expect(workers[0].posted).toHaveLength(1);
    timers.advance(1000);
    await expect(stuck).rejects.toBeInstanceOf(WatchdogError);
    expect(workers).toHaveLength(2);
    expect(client.started).toBe(2);
    const second = workers[1].posted[0];
    expect(second.kind).toBe('parse');
    // A late answer from the stopped worker is not taken for the new job's.
    workers[0].reply({ id: second.id, ok: true, result: { summary: { areas: 99 } } as unknown as ParseResult });
    expect(await settled(queued)).toBe(false);
    timers.advance(999);
    workers[1].reply({ id: second.id, progress: 0.5 });
    workers[1].reply({ id: second.id, ok: true, result: RESULT });
    await expect(queued).resolves.toBe(RESULT);
    expect(timers.pending).toBe(0);
    expect(workers[1].terminated).toBe(false);
  });

  it('leaves a job that answers within its budget alone and passes its progress and errors on', async () => {
    const { workers, timers, client } = setup();
    const seen: number[] = [];
    const ok = client.run({ kind: 'parse', bytes }, { name: 'a', bytes: 8, budgetMs: 5000, onProgress: (f) => seen.push(f) });
    const id = workers[0].posted[0].id;
    workers[0].reply({ id, progress: 0.25 });
    timers.advance(4000);
    workers[0].reply({ id, ok: true, result: RESULT });
    await expect(ok).resolves.toBe(RESULT);
    expect(seen).toEqual([0.25]);
    const bad = client.run({ kind: 'link', text: 'abc' }, { name: 'the shared link', bytes: 3, budgetMs: 5000 });
    workers[0].reply({ id: workers[0].posted[1].id, ok: false, error: 'This share link is damaged: x.' });
    await expect(bad).rejects.toThrow('This share link is damaged: x.');
    timers.advance(60_000);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
  });

  it('stops the worker when the caller of the running job gives up, and drops a queued job without sending it', async () => {
    const { workers, client } = setup();
    const first = new AbortController();
    const second = new AbortController();
    const a = client.run({ kind: 'parse', bytes }, { name: 'a', bytes: 8, budgetMs: 1000, signal: first.signal });
    const b = client.run({ kind: 'parse', bytes }, { name: 'b', bytes: 8, budgetMs: 1000, signal: second.signal });
    const c = client.run({ kind: 'link', text: 'x' }, { name: 'c', bytes: 1, budgetMs: 1000 });
    second.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    first.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].posted.map((m) => m.kind)).toEqual(['link']);
    workers[1].reply({ id: workers[1].posted[0].id, ok: true, result: {} as LinkResult });
    await expect(c).resolves.toEqual({});
  });

  it('sends the next job, and only it, to a worker that keeps busy, when the test hook asks', async () => {
    const { workers, timers, client } = setup();
    client.hangNextJob(2000);
    const hung = client.run({ kind: 'parse', bytes }, { name: 'sample.txt', bytes: 8, budgetMs: 60_000 });
    expect(workers[0].posted[0].kind).toBe('hang');
    timers.advance(2000);
    await expect(hung).rejects.toThrow(/^vmscope stopped reading sample\.txt after 2 s/);
    const fine = client.run({ kind: 'parse', bytes }, { name: 'sample.txt', bytes: 8, budgetMs: 60_000 });
    expect(workers[1].posted[0].kind).toBe('parse');
    workers[1].reply({ id: workers[1].posted[0].id, ok: true, result: RESULT });
    await expect(fine).resolves.toBe(RESULT);
  });

  it('tells the caller to work on the main thread when no worker can be started or it dies loading', async () => {
    const none = new WorkerClient(() => {
      throw new Error('blocked by policy');
    }, new FakeTimers());
    await expect(none.run({ kind: 'parse', bytes }, { name: 'a', bytes: 8, budgetMs: 1000 })).rejects.toBeInstanceOf(NoWorker);
    const { workers, client } = setup();
    const a = client.run({ kind: 'parse', bytes }, { name: 'a', bytes: 8, budgetMs: 1000 });
    const b = client.run({ kind: 'parse', bytes }, { name: 'b', bytes: 8, budgetMs: 1000 });
    workers[0].onerror?.({ preventDefault() {} } as ErrorEvent);
    await expect(a).rejects.toBeInstanceOf(NoWorker);
    await expect(b).rejects.toBeInstanceOf(NoWorker);
    await expect(client.run({ kind: 'parse', bytes }, { name: 'c', bytes: 8, budgetMs: 1000 })).rejects.toBeInstanceOf(NoWorker);
    expect(workers).toHaveLength(1);
  });

  it('budgets a floor plus a share per MiB: a dump at the 200 MiB cap gets the floor plus 100 s, a link 40 s per MiB', () => {
    expect(budgetMs('dump', 0)).toBe(BUDGET.floorMs);
    expect(budgetMs('dump', 200 << 20)).toBe(BUDGET.floorMs + 200 * BUDGET.dumpMsPerMiB);
    expect(BUDGET.floorMs + 200 * BUDGET.dumpMsPerMiB).toBe(115_000);
    expect(budgetMs('link', 1 << 20)).toBe(BUDGET.floorMs + 40_000);
    expect(budgetMs('dump', 1 << 20)).toBeLessThan(budgetMs('dump', 2 << 20));
  });
});
