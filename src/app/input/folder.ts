// A dropped folder (a sosreport unpacked, or a folder holding a dump): its tree is walked through
// the entries API (DataTransferItem.webkitGetAsEntry), the few files that matter are read
// (src/lib/sources/open.ts `wanted`: proc/vmallocinfo, proc/meminfo, proc/modules, uname,
// hostname, a bugreport text) and packed into a small tar named after the folder, which then loads
// as any dropped file does: the worker opens it (src/lib/sources) and the dump is kept on this
// device as that tar.

import { createTar } from 'nanotar';
import { MAX_INPUT_BYTES, formatBytes, tooBigMessage } from '../../lib/index.ts';
import { wanted } from '../../lib/sources/open.ts';
import { MAX_ENTRIES } from '../../lib/sources/unpack.ts';

/** The directory entries among a drop's items (read at once: the items go stale after the event). */
export function droppedFolders(data: DataTransfer): FileSystemDirectoryEntry[] {
  const out: FileSystemDirectoryEntry[] = [];
  for (const item of data.items ?? []) {
    if (item.kind !== 'file' || typeof item.webkitGetAsEntry !== 'function') continue;
    const entry = item.webkitGetAsEntry();
    if (entry?.isDirectory) out.push(entry as FileSystemDirectoryEntry);
  }
  return out;
}

/** All of a directory's entries (readEntries gives them in batches until an empty one). */
function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0 || all.length >= MAX_ENTRIES) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** The folder's wanted files as one small tar File, named after the folder. */
export async function folderAsTar(root: FileSystemDirectoryEntry): Promise<File> {
  const files: { name: string; data: Uint8Array }[] = [];
  let seen = 0;
  let total = 0;
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    for (const entry of await readAllEntries(dir)) {
      if (++seen > MAX_ENTRIES) return;
      const path = `${prefix}/${entry.name}`;
      if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, path, depth + 1);
      else if (entry.isFile && wanted(path)) {
        const file = await fileOf(entry as FileSystemFileEntry);
        total += file.size;
        if (total > MAX_INPUT_BYTES) throw new Error(tooBigMessage(root.name, `over ${formatBytes(MAX_INPUT_BYTES)} in the files vmscope reads`));
        files.push({ name: path, data: new Uint8Array(await file.arrayBuffer()) });
      }
    }
  };
  await walk(root, root.name, 0);
  // An empty folder still makes a tar (of its name only), so the worker says what it did not find.
  if (files.length === 0) files.push({ name: `${root.name}/`, data: new Uint8Array(0) });
  return new File([createTar(files) as Uint8Array<ArrayBuffer>], root.name, { type: 'application/x-tar' });
}
