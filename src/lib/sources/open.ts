// The one way a dump that arrived inside something else becomes a dump's bytes, for the app (its
// parse worker) and every CLI command:
//
//   a sosreport  .tar / .tar.gz / .tar.xz or its unpacked folder: <top>/proc/vmallocinfo, with
//                proc/meminfo, proc/modules, uname (sos_commands/kernel/uname_-a) and hostname
//   a bugreport  .zip (its main bugreport-*.txt) or the .txt alone: the dumpstate sections
//   kmem -v      crash's table, rows rewritten as vmallocinfo lines (kmem.ts)
//   drgn         contrib/vmallocinfo.py's output, bare callers given an empty offset (drgn.ts)
//
// The bytes handed on are the vmallocinfo followed by the /proc/meminfo and /proc/modules found
// (the combined capture the input path already splits: ../input/capture.ts), so every command and
// view uses them as if they had been pasted together; `origin` says where they came from.
// Containers are recognised by their magic bytes (unpack.ts); a compressed tar is walked as it
// streams out (stream.ts), anything else is unpacked whole under the plain dump's cap.

import { concatBytes } from '../bytes.ts';
import { formatBytes, formatCount } from '../format.ts';
import { MAX_INPUT_BYTES, tooBigMessage } from '../input/gzip.ts';
import { isBugreport, readBugreport } from './bugreport.ts';
import { drgnAsVmallocinfo, isDrgnOutput } from './drgn.ts';
import { isKmemTable, kmemAsVmallocinfo } from './kmem.ts';
import { originOf, readUname } from './origin.ts';
import type { Origin } from './origin.ts';
import { MAX_ARCHIVE_BYTES, OverLimit, Pull, walkTar } from './stream.ts';
import { decompressedReader, listTar, listZip, MAX_ENTRIES, sniffContainer } from './unpack.ts';
import type { Listing } from './unpack.ts';

export type Opened =
  /** Not a container (or a compressed plain dump, unpacked): read `bytes` as a dump. */
  | { kind: 'plain'; bytes: Uint8Array; unpacked: 'gzip' | 'xz' | null }
  /** A dump found inside: `bytes` is ready for parseDump; `notes` say how it was found. */
  | { kind: 'dump'; bytes: Uint8Array; origin: Origin; notes: string[] }
  /** Nothing to read, and why ("sosreport of db01: no proc/vmallocinfo — …"). */
  | { kind: 'refused'; message: string };

/** One file of a folder: its path below the folder, its size and a way to read it. */
export interface FolderFile {
  path: string;
  size: number;
  bytes: () => Promise<Uint8Array>;
}

/** A tree of files, from an archive or a folder. */
interface Tree {
  name: string;
  paths: string[];
  read(path: string): Promise<Uint8Array | null>;
  sizeOf(path: string): number;
  /** Why the archive's walk ended early, when it did. */
  cut?: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What a sosreport keeps, relative to its top folder. */
const SOS = {
  vmallocinfo: ['proc/vmallocinfo'],
  meminfo: ['proc/meminfo'],
  modules: ['proc/modules'],
  uname: ['sos_commands/kernel/uname_-a', 'uname', 'sos_commands/general/uname_-a'],
  hostname: ['hostname', 'sos_commands/host/hostname', 'sos_commands/general/hostname', 'etc/hostname', 'proc/sys/kernel/hostname'],
  release: ['proc/sys/kernel/osrelease'],
  date: ['date', 'sos_commands/date/date', 'sos_commands/general/date'],
};
const WANTED = Object.values(SOS).flat();

/** What a sosreport walk may stop at: the dump, its companions, uname and the host name. */
const ESSENTIALS = ['proc/vmallocinfo', 'proc/meminfo', 'proc/modules', 'sos_commands/kernel/uname_-a', 'hostname'];

function hasEssentials(kept: readonly string[]): boolean {
  return ESSENTIALS.every((rel) => kept.some((p) => p === rel || p.endsWith('/' + rel)));
}

/** Whether a file of an archive or folder may be read (the rest are only listed). */
export function wanted(path: string): boolean {
  return WANTED.some((rel) => path === rel || path.endsWith('/' + rel)) || /(?:^|\/)bugreport[^/]*\.txt$/.test(path) || path.endsWith('main_entry.txt') || /vmallocinfo[^/]*$/.test(path);
}

/** Read a container or text and find the dump in it. Never throws. */
export async function openSource(name: string, bytes: Uint8Array, depth = 0): Promise<Opened> {
  try {
    return await openBytes(name, bytes, depth);
  } catch (err) {
    return { kind: 'refused', message: `${name} could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function openBytes(name: string, bytes: Uint8Array, depth: number): Promise<Opened> {
  const container = sniffContainer(bytes);
  if ((container === 'gzip' || container === 'xz') && depth < 2) {
    // A compressed tar is walked as it streams out (stream.ts): only the files needed are kept.
    // Anything else is decompressed whole, under the cap of a plain dump.
    let pull: Pull;
    try {
      pull = new Pull(await decompressedReader(bytes, container), MAX_ARCHIVE_BYTES, bytes.length);
      await pull.fill(512);
    } catch (err) {
      return { kind: 'refused', message: `${name} looks like ${container} but does not decompress: ${err instanceof Error ? err.message : String(err)}` };
    }
    const head = pull.take(512);
    if (sniffContainer(head) === 'tar') {
      const listing = await walkTar(name, pull.unshift(head), wanted, MAX_ENTRIES, hasEssentials);
      return fromListing(name, listing);
    }
    let whole: Uint8Array;
    try {
      const rest = await pull.rest(MAX_INPUT_BYTES - head.length);
      whole = concatBytes([head, rest]);
    } catch (err) {
      await pull.cancel();
      if (err instanceof OverLimit) return { kind: 'refused', message: tooBigMessage(name, `over ${formatBytes(MAX_INPUT_BYTES)} once ${container === 'gzip' ? 'decompressed' : 'unpacked from xz'}`) };
      return { kind: 'refused', message: `${name} looks like ${container} but does not decompress: ${err instanceof Error ? err.message : String(err)}` };
    }
    const inner = await openBytes(name.replace(/\.(?:gz|tgz|xz|txz)$/i, (m) => (/^\.t/i.test(m) ? '.tar' : '')), whole, depth + 1);
    return inner.kind === 'plain' ? { ...inner, unpacked: inner.unpacked ?? container } : inner;
  }
  if (container === 'tar') return fromListing(name, listTar(name, bytes, wanted));
  if (container === 'zip') return fromListing(name, listZip(name, bytes, wanted));
  return openText(name, bytes) ?? { kind: 'plain', bytes, unpacked: null };
}

/** An archive's listing opened as a tree. */
function fromListing(name: string, listing: Listing): Promise<Opened> | Opened {
  if (!listing.ok) return { kind: 'refused', message: listing.message };
  const files = listing.entries.filter((e) => e.file);
  const sizes = new Map(files.map((e) => [e.path, e.size]));
  return openTree({ name, paths: files.map((e) => e.path), read: async (p) => listing.data(p), sizeOf: (p) => sizes.get(p) ?? 0, cut: listing.cut }, 'archive');
}

/** A bugreport or kmem -v text, or null for anything else (a dump, most likely). */
function openText(name: string, bytes: Uint8Array, path?: string): Opened | null {
  // Only the opening is looked at to decide; a NUL there means binary, left to the dump path.
  const head = dec.decode(bytes.subarray(0, 64 << 10));
  if (head.includes('\0')) return null;
  if (isBugreport(head)) return fromBugreport(name, dec.decode(bytes), path);
  if (isKmemTable(head)) {
    const table = kmemAsVmallocinfo(dec.decode(bytes));
    const origin: Origin = { kind: 'kmem-v', name };
    const notes = [
      `read ${formatCount(table.rows)} area${table.rows === 1 ? '' : 's'} from crash's kmem -v table: it gives each area's range and size only — no callers, no pages, no flags (so no kinds) and no NUMA counts`,
    ];
    if (table.skipped > 0) notes.push(`${formatCount(table.skipped)} line${table.skipped === 1 ? '' : 's'} of the table skipped`);
    return { kind: 'dump', bytes: enc.encode(table.text), origin, notes };
  }
  if (isDrgnOutput(head)) {
    const drgn = drgnAsVmallocinfo(dec.decode(bytes));
    const notes = [`read as drgn's contrib/vmallocinfo.py output (a vmcore): its ${formatCount(drgn.callers)} caller${drgn.callers === 1 ? ' is a bare symbol name' : 's are bare symbol names'}, without offset or module, shown with +0x0/0x0`];
    return { kind: 'dump', bytes: enc.encode(drgn.text), origin: { kind: 'drgn', name }, notes };
  }
  return null;
}

function fromBugreport(name: string, text: string, path?: string): Opened {
  const b = readBugreport(text);
  const origin: Origin = { kind: 'bugreport', name, ...(path ? { path } : {}), ...b.facts };
  const found = [b.meminfo !== null ? 'MEMORY INFO' : null, b.modules !== null ? (b.lsmod ? 'lsmod' : 'KERNEL MODULES') : null].filter(Boolean);
  const foundText = `; found ${formatCount(b.sections)} dumpstate section${b.sections === 1 ? '' : 's'}${found.length > 0 ? `, ${found.join(' and ')} among them` : ''}`;
  if (b.vmallocinfo === null) {
    const why = b.vmallocProblem ? `dumpstate could not read /proc/vmallocinfo (${b.vmallocProblem})` : 'no VMALLOC INFO section (dumpstate did not dump /proc/vmallocinfo)';
    return { kind: 'refused', message: `${originOf(origin)}: ${why}${foundText}.` };
  }
  const notes = [`read the VMALLOC INFO section of the ${originOf(origin)}${path ? ` (${path})` : ''}`];
  if (b.lsmod) notes.push("its modules come from lsmod, which prints no load addresses");
  return { kind: 'dump', bytes: combined(b.vmallocinfo, b.meminfo, b.modules), origin, notes };
}

/** The vmallocinfo, then /proc/meminfo and /proc/modules, as one capture. */
function combined(vmallocinfo: string | Uint8Array, meminfo: string | Uint8Array | null, modules: string | Uint8Array | null): Uint8Array {
  const parts = [vmallocinfo, meminfo, modules].filter((p): p is string | Uint8Array => p !== null).map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  let total = 0;
  for (const p of parts) total += p.length + 1;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
    // Each part ends its last line, so the next one starts on a line of its own.
    if (p.length > 0 && p[p.length - 1] !== 0x0a) out[at++] = 0x0a;
  }
  return out.subarray(0, at);
}

/** The top folder of a sosreport in a tree: where its proc/ and sos_commands/ are. */
function rootOf(paths: string[]): string | null {
  let best: string | null = null;
  for (const p of paths) {
    for (const rel of ['proc/vmallocinfo', 'proc/meminfo', 'sos_commands/', 'sos_reports/', 'sos_logs/']) {
      const at = p === rel || p.startsWith(rel) ? 0 : p.indexOf('/' + rel);
      if (at < 0) continue;
      const root = at === 0 && (p === rel || p.startsWith(rel)) ? '' : p.slice(0, at + 1);
      if (best === null || root.length < best.length) best = root;
    }
  }
  return best;
}

/** The host in a sosreport's folder name: sosreport-<host>[-<case>]-<YYYY-MM-DD>-<id>, or older -<date>. */
function hostFromTop(top: string): string | undefined {
  const m = /^sosreport-(.+?)(?:-\d{4}-\d{2}-\d{2}-\w+|-\d{8,}.*|-\d{4}-\d{2}-\d{2})$/.exec(top);
  return m ? m[1] : undefined;
}

function firstLine(bytes: Uint8Array | null): string | undefined {
  if (!bytes) return undefined;
  const line = dec.decode(bytes.subarray(0, 4096)).split(/\r?\n/)[0]?.trim();
  return line ? line : undefined;
}

/** A tree: a sosreport, a bugreport zip, or a folder with a vmallocinfo in it. */
async function openTree(tree: Tree, what: 'archive' | 'folder'): Promise<Opened> {
  const has = new Set(tree.paths);
  // An Android bugreport zip: main_entry.txt names the main text, else the bugreport-*.txt at the top.
  const mainEntry = tree.paths.find((p) => p === 'main_entry.txt');
  const named = mainEntry ? firstLine(await tree.read(mainEntry)) : undefined;
  const bugreport = named && has.has(named) ? named : tree.paths.find((p) => /^(?:[^/]+\/)?bugreport[^/]*\.txt$/.test(p));
  const root = rootOf(tree.paths);
  if (root === null && bugreport) {
    const bytes = await tree.read(bugreport);
    if (bytes) return openText(tree.name, bytes, bugreport) ?? { kind: 'refused', message: `${tree.name}: ${bugreport} is not a dumpstate report.` };
  }
  const top = root === null ? '' : root;
  const read = async (rels: string[]): Promise<{ path: string; bytes: Uint8Array } | null> => {
    for (const rel of rels) {
      const path = top + rel;
      if (!has.has(path)) continue;
      if (tree.sizeOf(path) > MAX_INPUT_BYTES) continue;
      const bytes = await tree.read(path);
      if (bytes) return { path, bytes };
    }
    return null;
  };
  const topName = top.replace(/\/$/, '').split('/').pop() ?? '';
  const isSos = /^sosreport-/.test(topName) || tree.paths.some((p) => p.startsWith(top + 'sos_commands/') || p.startsWith(top + 'sos_reports/'));
  const uname = readUname(firstLine((await read(SOS.uname))?.bytes ?? null) ?? '');
  const hostname = firstLine((await read(SOS.hostname))?.bytes ?? null);
  const release = uname.release ?? firstLine((await read(SOS.release))?.bytes ?? null);
  const taken = firstLine((await read(SOS.date))?.bytes ?? null);
  const origin: Origin = { kind: isSos ? 'sosreport' : 'folder', name: tree.name };
  const host = hostname ?? uname.host ?? (isSos ? hostFromTop(topName) : undefined);
  if (host) origin.host = host;
  if (release) origin.release = release;
  if (uname.arch) origin.arch = uname.arch;
  if (taken) origin.taken = taken;
  let vm = await read(SOS.vmallocinfo);
  if (!vm && root === null) {
    // A folder or archive of plain dumps: the one file named like a vmallocinfo.
    const candidates = tree.paths.filter((p) => /vmallocinfo[^/]*$/i.test(p) && tree.sizeOf(p) <= MAX_INPUT_BYTES);
    if (candidates.length === 1) {
      const bytes = await tree.read(candidates[0]);
      if (bytes) vm = { path: candidates[0], bytes };
    }
  }
  const meminfo = await read(SOS.meminfo);
  const modules = await read(SOS.modules);
  const kernel = [origin.release, origin.arch].filter(Boolean).join(' ');
  if (!vm) {
    const found = [meminfo ? 'proc/meminfo' : null, modules ? 'proc/modules' : null, origin.release ? `uname (${kernel})` : null].filter(Boolean);
    const lead = isSos ? `${originOf(origin)}: no proc/vmallocinfo — the memory plugin was not run` : `${tree.name}: no proc/vmallocinfo in this ${what} (${formatCount(tree.paths.length)} file${tree.paths.length === 1 ? '' : 's'}${tree.paths.length >= MAX_ENTRIES ? ', the first ones only' : ''})`;
    // A damaged archive may have held it further on: say so rather than blame sos.
    const leadCut = tree.cut ? `${tree.cut}; no proc/vmallocinfo was read` : lead;
    return { kind: 'refused', message: `${leadCut}${found.length > 0 ? `; found ${found.join(', ')}` : ''}.` };
  }
  if (/^\s*$/.test(dec.decode(vm.bytes.subarray(0, 4096))) && vm.bytes.length < 4096) {
    const lead = isSos ? originOf(origin) : tree.name;
    return { kind: 'refused', message: `${lead}: ${vm.path} is empty: the report holds no area to show.` };
  }
  origin.path = vm.path;
  const also = [meminfo ? meminfo.path : null, modules ? modules.path : null].filter(Boolean);
  const notes = [`read ${vm.path} from the ${originOf(origin)}${kernel ? ` (${kernel})` : ''}${also.length > 0 ? `, with ${also.join(' and ')}` : ''}`];
  if (tree.cut) notes.push(tree.cut);
  return { kind: 'dump', bytes: combined(vm.bytes, meminfo?.bytes ?? null, modules?.bytes ?? null), origin, notes };
}

/**
 * A folder (a dropped one, or a CLI directory argument): a sosreport unpacked, or a folder holding
 * one vmallocinfo or bugreport. Only the files it needs are read. Never throws.
 */
export async function openFolder(name: string, files: readonly FolderFile[]): Promise<Opened> {
  try {
    const byPath = new Map(files.slice(0, MAX_ENTRIES).map((f) => [f.path.replace(/^\.\//, ''), f]));
    return await openTree(
      {
        name,
        paths: [...byPath.keys()],
        read: async (p) => {
          const f = byPath.get(p);
          return f && f.size <= MAX_INPUT_BYTES ? await f.bytes() : null;
        },
        sizeOf: (p) => byPath.get(p)?.size ?? 0,
      },
      'folder',
    );
  } catch (err) {
    return { kind: 'refused', message: `${name} could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}
