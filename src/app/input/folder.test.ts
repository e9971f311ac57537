import { describe, expect, it } from 'vitest';
import { openSource } from '../../lib/sources/open.ts';
import { fixture, readIndependently } from '../../lib/testing/fixtures.ts';
import { parseDump } from '../../lib/input/read.ts';
import { folderAsTar } from './folder.ts';

// A dropped folder, as the entries API gives it (FileSystemDirectoryEntry / FileSystemFileEntry,
// readEntries in batches), made here from a sos tree around a real capture.

type Tree = { [name: string]: string | Tree };

function fileEntry(name: string, text: string, read: string[], path: string): FileSystemFileEntry {
  return {
    name,
    isFile: true,
    isDirectory: false,
    file: (ok: (f: File) => void) => {
      read.push(path);
      ok(new File([text], name));
    },
  } as unknown as FileSystemFileEntry;
}

function dirEntry(name: string, tree: Tree, read: string[], path = name): FileSystemDirectoryEntry {
  const children = Object.entries(tree).map(([n, v]) => (typeof v === 'string' ? fileEntry(n, v, read, `${path}/${n}`) : dirEntry(n, v, read, `${path}/${n}`)));
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      // Two entries a batch, then an empty one, as browsers hand out big folders.
      let at = 0;
      return {
        readEntries: (ok: (batch: FileSystemEntry[]) => void) => {
          const batch = children.slice(at, at + 2);
          at += 2;
          queueMicrotask(() => ok(batch));
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

const BASE = 'kernels/arm64-6.12.117-deb12-after-insmod-raw';
const TOP = 'sosreport-arm1-2026-11-30-zz';

describe('a dropped folder', () => {
  it('becomes a small tar of the files that matter, which opens as the sosreport it is', async () => {
    const read: string[] = [];
    const tree: Tree = {
      proc: { vmallocinfo: fixture(`${BASE}.vmallocinfo`), meminfo: fixture(`${BASE}.meminfo`), modules: fixture(`${BASE}.modules`), cpuinfo: 'processor : 0\n' },
      sos_commands: { kernel: { 'uname_-a': 'Linux arm1 6.12.117+deb12-arm64 #1 SMP Debian aarch64 GNU/Linux\n' }, logs: { journalctl: 'x\n'.repeat(1000) } },
      hostname: 'arm1\n',
    };
    const file = await folderAsTar(dirEntry(TOP, tree, read));
    expect(file.name).toBe(TOP);
    expect(read).not.toContain(`${TOP}/sos_commands/logs/journalctl`);
    expect(read).not.toContain(`${TOP}/proc/cpuinfo`);
    const opened = await openSource(file.name, new Uint8Array(await file.arrayBuffer()));
    expect(opened.kind).toBe('dump');
    if (opened.kind !== 'dump') return;
    expect(opened.origin).toMatchObject({ kind: 'sosreport', host: 'arm1', release: '6.12.117+deb12-arm64', arch: 'aarch64' });
    const { snapshot, capture } = parseDump(opened.bytes);
    expect(snapshot.count).toBe(readIndependently(fixture(`${BASE}.vmallocinfo`)).areas.length);
    expect(capture.modules.map((m) => m.name)).toEqual(fixture(`${BASE}.modules`).split('\n').filter(Boolean).map((l) => l.split(' ')[0]));
  });

  it('with nothing of use in it opens to a message saying so', async () => {
    const file = await folderAsTar(dirEntry('photos', { 'a.jpg': 'x' }, []));
    const opened = await openSource(file.name, new Uint8Array(await file.arrayBuffer()));
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.message).toMatch(/^photos: no proc\/vmallocinfo in this archive/);
  });
});
