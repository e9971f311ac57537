import { describe, expect, it, vi } from 'vitest';
import { Kept, memoryBackend } from './base/store.ts';
import type { Backend } from './base/store.ts';
import { KEEP_GROWN_MS, keepGrown, keepShown, keptInputOf, keptOnScreen, requestOf, startKeeping, startingChoice } from './persist.ts';
import type { LoadedDump } from './state/history.ts';
import { useKept } from './state/kept.ts';
import { useStore } from './state/store.ts';

describe('what the page shows first', () => {
  it('opens a link in the fragment before anything kept', () => {
    expect(startingChoice(true, '?sample=kernels/a', 'k1')).toBe('link');
  });
  it('opens the sample named in the URL before anything kept', () => {
    expect(startingChoice(false, '?sample=kernels/a', 'k1')).toBe('sample');
  });
  it('puts back the kept dump that was on screen when the URL asks for nothing', () => {
    expect(startingChoice(false, '', 'k1')).toBe('kept');
    expect(startingChoice(false, '?sample=', 'k1')).toBe('kept');
  });
  it('shows the default sample when nothing kept was on screen', () => {
    expect(startingChoice(false, '', null)).toBe('default');
  });
});

describe('an input kept and read again', () => {
  it('gives a file back with its name, bytes and modification time', async () => {
    const text = 'line one\nline two\n';
    const input = await keptInputOf({ kind: 'file', file: new File([text], 'x.vmallocinfo', { lastModified: 1_700_000_000_000 }), via: 'drop' });
    expect(input).not.toBeNull();
    const request = requestOf(input!);
    expect(request.kind).toBe('file');
    if (request.kind !== 'file') return;
    expect(request.file.name).toBe('x.vmallocinfo');
    expect(request.file.lastModified).toBe(1_700_000_000_000);
    expect(request.via).toBe('drop');
    expect(await request.file.text()).toBe(text);
  });

  it('gives several files back as several files, in their order', async () => {
    const files = ['a', 'b', 'c'].map((n) => new File([`moment ${n}`], `${n}.txt`));
    const request = requestOf((await keptInputOf({ kind: 'files', files, via: 'chooser' }))!);
    expect(request.kind).toBe('files');
    if (request.kind !== 'files') return;
    expect(await Promise.all(request.files.map((f) => f.text()))).toEqual(['moment a', 'moment b', 'moment c']);
  });

  it('gives pasted text, a sample path and a link back as they were asked for', async () => {
    expect(requestOf((await keptInputOf({ kind: 'text', text: 'abc', name: 'clip' }))!)).toEqual({ kind: 'text', text: 'abc', name: 'clip' });
    expect(requestOf((await keptInputOf({ kind: 'sample', path: 'kernels/a' }))!)).toEqual({ kind: 'sample', path: 'kernels/a' });
    expect(requestOf((await keptInputOf({ kind: 'link', text: 'AAAA', recording: true }))!)).toEqual({ kind: 'link', text: 'AAAA', recording: true });
  });

  it('does not keep the sample the page opened with', async () => {
    expect(await keptInputOf({ kind: 'sample', path: 'kernels/a', startup: true })).toBeNull();
  });
});

/** Every keep started has settled (they count as pending work, as loads do). */
async function whenIdle(): Promise<void> {
  while (useStore.getState().pending > 0) await new Promise((r) => setTimeout(r, 5));
}

function dump(id: number, fileName: string): LoadedDump {
  return { id, fileName, loadedAt: 1000 + id } as unknown as LoadedDump;
}

describe('keeping what the loader shows', () => {
  it('lists each dump shown, marks the one on screen, and says so when the storage is full', async () => {
    const inner = memoryBackend();
    let full = false;
    const backend: Backend = { ...inner, set: (k, v) => (full ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : inner.set(k, v)) };
    await startKeeping(backend);
    expect(useKept.getState().storage).toBe('on');

    useStore.setState({ currentId: 1 });
    keepShown({ kind: 'text', text: 'first' }, dump(1, 'pasted text'));
    await whenIdle();
    expect(useKept.getState().list.map((x) => x.name)).toEqual(['pasted text']);
    expect(await keptOnScreen()).toBe(useKept.getState().list[0].key);

    full = true;
    useStore.setState({ currentId: 2 });
    keepShown({ kind: 'file', file: new File(['x'.repeat(100)], 'big.txt') }, dump(2, 'big.txt'));
    await whenIdle();
    expect(useKept.getState().problem).toMatch(/full.*big\.txt is on screen but is not kept/);
    expect(useKept.getState().list.map((x) => x.name)).toEqual(['pasted text']);
  });

  it('keeps a live recording as it grows: its copy is written again at most every few seconds, with the latest bytes', async () => {
    try {
      const backend = memoryBackend();
      await startKeeping(backend);
      const first = new Uint8Array([1, 2, 3]);
      const shown = dump(7, 'live.vmscope-rec');
      useStore.setState({ currentId: 7, history: [shown] });
      keepShown({ kind: 'file', file: new File([first], 'live.vmscope-rec'), via: 'live' }, shown);
      await whenIdle();
      const [info] = useKept.getState().list;
      expect(info.size).toBe(3);
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const parts = [first, new Uint8Array([4, 5])];
      keepGrown(7, parts);
      parts.push(new Uint8Array([6]));
      keepGrown(7, parts);
      // Nothing written before the interval; then once, with every part so far.
      expect((await new Kept(backend).get(info.key))!.size).toBe(3);
      await vi.advanceTimersByTimeAsync(KEEP_GROWN_MS);
      const entry = (await new Kept(backend).get(info.key))!;
      expect(entry.size).toBe(6);
      expect(entry.input.kind === 'files' && [...new Uint8Array(entry.input.files[0].bytes)]).toEqual([1, 2, 3, 4, 5, 6]);
      expect(useKept.getState().list.map((x) => [x.key, x.name, x.size])).toEqual([[info.key, 'live.vmscope-rec', 6]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says nothing is kept where the browser has no storage', async () => {
    await startKeeping(null);
    expect(useKept.getState().storage).toBe('off');
    expect(await keptOnScreen()).toBeNull();
  });
});
