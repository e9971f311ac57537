// Extra files for the cross-checks: a /proc/meminfo or /proc/modules capture (loaded on its own,
// pasted, or a sample's companion file) attached to a dump already loaded. Pure: no DOM.

import { readMeminfoLine, readModulesLine } from '../../lib/index.ts';
import type { CaptureSection, MeminfoEntry, ModuleEntry } from '../../lib/index.ts';
import type { CaptureFacts } from '../worker/protocol.ts';

export interface Extra {
  meminfo: MeminfoEntry[];
  modules: ModuleEntry[];
  /**
   * A /proc/modules was read even if it has no line: an empty one is valid (no module loaded
   * yet, as on the boot samples) and is attached as such, not ignored.
   */
  modulesRead?: boolean;
}

/** Read a whole /proc/meminfo or /proc/modules text: the lines that are one, the rest ignored. */
export function readExtra(text: string): Extra {
  const meminfo: MeminfoEntry[] = [];
  const modules: ModuleEntry[] = [];
  text.split('\n').forEach((line, j) => {
    const mod = readModulesLine(line, j + 1);
    if (mod) return void modules.push(mod);
    const mem = readMeminfoLine(line, j + 1);
    if (mem) meminfo.push(mem);
  });
  return { meminfo, modules };
}

/** The capture with the extra sections put in (a section given replaces the one it had). */
export function withExtra(capture: CaptureFacts, extra: Extra): CaptureFacts {
  const meminfo = extra.meminfo.length > 0 ? extra.meminfo : capture.meminfo;
  const newModules = extra.modules.length > 0 || extra.modulesRead === true;
  const modules = newModules ? extra.modules : capture.modules;
  const sections: CaptureSection[] = capture.sections.filter(
    (s) => !(s.name === '/proc/meminfo' && extra.meminfo.length > 0) && !(s.name === '/proc/modules' && newModules),
  );
  if (extra.meminfo.length > 0) sections.push({ name: '/proc/meminfo', lines: extra.meminfo.length });
  // An empty /proc/modules stays known: a section of 0 lines (see modulesKnownEmpty).
  if (newModules) sections.push({ name: '/proc/modules', lines: extra.modules.length });
  return { ...capture, meminfo, modules, sections };
}

/**
 * "Attached /proc/modules (24 modules) to boot.vmallocinfo", or "(24 modules, in place of the 23
 * modules attached before)" when the dump had one already; null when there is nothing to attach.
 * `before`: the records the dump had.
 */
export function attachMessage(extra: Extra, dumpName: string, before: Extra | null): string | null {
  const parts: string[] = [];
  const part = (name: string, n: number, had: number, unit: string) =>
    `${name} (${count(n, unit)}${had > 0 ? `, in place of the ${count(had, unit)} attached before` : ''})`;
  if (extra.meminfo.length > 0) parts.push(part('/proc/meminfo', extra.meminfo.length, before?.meminfo.length ?? 0, 'line'));
  if (extra.modules.length > 0) parts.push(part('/proc/modules', extra.modules.length, before?.modules.length ?? 0, 'module'));
  else if (extra.modulesRead) parts.push('an empty /proc/modules (no module loaded)');
  if (parts.length === 0) return null;
  return `Attached ${parts.join(' and ')} to ${dumpName}`;
}

/** Whether the dump's /proc/modules is known and empty (no module was loaded when it was read). */
export function modulesKnownEmpty(capture: Pick<CaptureFacts, 'modules' | 'sections'> | null): boolean {
  return capture !== null && capture.modules.length === 0 && capture.sections.some((s) => s.name === '/proc/modules');
}

const count = (n: number, unit: string) => `${n} ${n === 1 ? unit : `${unit}s`}`;
