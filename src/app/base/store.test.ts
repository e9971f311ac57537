import { describe, expect, it } from 'vitest';
import { KEPT_MAX, Kept, indexedDbBackend, isQuotaError, memoryBackend } from './store.ts';
import type { Backend, KeptInput } from './store.ts';

const bytesOf = (text: string) => new TextEncoder().encode(text).buffer;
const file = (name: string, text: string): KeptInput => ({ kind: 'files', files: [{ name, bytes: bytesOf(text), mtime: 1_700_000_000_000 }], via: 'chooser' });

describe('the dumps kept on this device', () => {
  it('keeps a file with its name, kind, time and size, and gives its bytes back unchanged', async () => {
    const kept = new Kept(memoryBackend());
    const text = '0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0x100/0x140 vmalloc\n';
    const info = await kept.put('a.vmallocinfo', file('a.vmallocinfo', text), 1234);
    expect(info).toMatchObject({ name: 'a.vmallocinfo', kind: 'file', loadedAt: 1234, size: new TextEncoder().encode(text).byteLength });
    expect(await kept.list()).toEqual([info]);
    const entry = await kept.get(info.key);
    expect(entry?.input.kind).toBe('files');
    if (entry?.input.kind !== 'files') return;
    expect(new TextDecoder().decode(entry.input.files[0].bytes)).toBe(text);
    expect(entry.input.files[0].mtime).toBe(1_700_000_000_000);
  });

  it('calls several files one series and counts all their bytes', async () => {
    const kept = new Kept(memoryBackend());
    const input: KeptInput = {
      kind: 'files',
      files: [
        { name: 'm1', bytes: bytesOf('abc'), mtime: null },
        { name: 'm2', bytes: bytesOf('defgh'), mtime: null },
      ],
      via: 'drop',
    };
    const info = await kept.put('m1, m2', input, 1);
    expect(info.kind).toBe('files');
    expect(info.size).toBe(8);
  });

  it('counts a pasted text by its UTF-8 bytes', async () => {
    const kept = new Kept(memoryBackend());
    const info = await kept.put('pasted text', { kind: 'text', text: 'é€' }, 1);
    expect(info).toMatchObject({ kind: 'paste', size: 2 + 3 });
  });

  it('keeps a sample once, by its path, moved to the end when loaded again', async () => {
    const kept = new Kept(memoryBackend());
    const a = await kept.put('s.vmallocinfo', { kind: 'sample', path: 'kernels/s.vmallocinfo' }, 1);
    await kept.put('b', file('b', 'x'), 2);
    const again = await kept.put('s.vmallocinfo', { kind: 'sample', path: 'kernels/s.vmallocinfo' }, 3);
    expect(again.key).toBe(a.key);
    expect((await kept.list()).map((x) => [x.name, x.loadedAt])).toEqual([
      ['b', 2],
      ['s.vmallocinfo', 3],
    ]);
  });

  it('keeps two files of the same name apart (a before and an after)', async () => {
    const kept = new Kept(memoryBackend());
    await kept.put('same', file('same', 'before'), 1);
    await kept.put('same', file('same', 'after'), 1);
    expect(await kept.list()).toHaveLength(2);
  });

  it('remembers which entry was on screen, and forgets that with the entry', async () => {
    const kept = new Kept(memoryBackend());
    const a = await kept.put('a', file('a', 'x'), 1);
    const b = await kept.put('b', file('b', 'y'), 2);
    expect(await kept.current()).toBeNull();
    await kept.setCurrent(a.key);
    expect(await kept.current()).toBe(a.key);
    await kept.forget(a.key);
    expect(await kept.current()).toBeNull();
    expect(await kept.get(a.key)).toBeNull();
    expect((await kept.list()).map((x) => x.key)).toEqual([b.key]);
    await kept.setCurrent(b.key);
    await kept.setCurrent(null);
    expect(await kept.current()).toBeNull();
  });

  it('forgets everything at once', async () => {
    const backend = memoryBackend();
    const kept = new Kept(backend);
    const a = await kept.put('a', file('a', 'x'), 1);
    await kept.setCurrent(a.key);
    await kept.forgetAll();
    expect(await kept.list()).toEqual([]);
    expect(await kept.current()).toBeNull();
    expect(await backend.keys()).toEqual([]);
  });

  it(`keeps at most ${KEPT_MAX} entries, dropping the oldest and its bytes`, async () => {
    const backend = memoryBackend();
    const kept = new Kept(backend);
    const first = await kept.put('first', file('first', 'x'), 0);
    for (let i = 1; i <= KEPT_MAX; i++) await kept.put(`n${i}`, file(`n${i}`, 'x'), i);
    const list = await kept.list();
    expect(list).toHaveLength(KEPT_MAX);
    expect(list.some((x) => x.key === first.key)).toBe(false);
    expect(await kept.get(first.key)).toBeNull();
    expect((await backend.keys()).filter((k) => k.startsWith('dump:'))).toHaveLength(KEPT_MAX);
  });

  it('leaves the list as it was when the storage is full, and says it was the quota', async () => {
    const inner = memoryBackend();
    let full = false;
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const backend: Backend = { ...inner, set: (k, v) => (full ? Promise.reject(quota) : inner.set(k, v)) };
    const kept = new Kept(backend);
    const a = await kept.put('a', file('a', 'x'), 1);
    full = true;
    const err = await kept.put('big', file('big', 'y'.repeat(1000)), 2).catch((e: unknown) => e);
    expect(isQuotaError(err)).toBe(true);
    expect((await kept.list()).map((x) => x.key)).toEqual([a.key]);
  });

  it('reads a damaged index as an empty list rather than failing', async () => {
    const backend = memoryBackend();
    await backend.set('index', [{ key: 1 }, 'nonsense', null]);
    await backend.set('current', 42);
    const kept = new Kept(backend);
    expect(await kept.list()).toEqual([]);
    expect(await kept.current()).toBeNull();
    expect(await kept.get('nope')).toBeNull();
  });

  it('has no IndexedDB backend where there is no IndexedDB, or it cannot be opened', async () => {
    expect(await indexedDbBackend(undefined)).toBeNull();
    const refusing = {
      open: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as IDBFactory;
    expect(await indexedDbBackend(refusing)).toBeNull();
  });

  it('tells a full quota from other errors', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new DOMException('x', 'NotFoundError'))).toBe(false);
    expect(isQuotaError(new Error('x'))).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });
});
