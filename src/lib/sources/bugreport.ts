// Android bugreports: the text dumpstate writes (frameworks/native/cmds/dumpstate). Each section
// is framed by a title line and a duration line:
//
//   ------ VMALLOC INFO (/proc/vmallocinfo) ------
//   0xffffffc008000000-0xffffffc008005000   20480 …
//   ------ 0.011s was the duration of 'VMALLOC INFO' ------
//
// and the header says what ran it:
//
//   == dumpstate: 2024-01-15 10:23:45
//   Build: UP1A.231005.007
//   Build fingerprint: 'google/oriole/oriole:14/UP1A.231005.007/10754064:user/release-keys'
//   Kernel: Linux version 5.10.177-android13-4-00003-g1b2c3d4 (build-user@build-host) (…) #1 SMP PREEMPT …
//
// The sections vmscope uses: VMALLOC INFO, MEMORY INFO (/proc/meminfo) and the modules (lsmod's
// table, or /proc/modules). The system properties give the CPU ABI ([ro.product.cpu.abi]).

import { archToken } from './origin.ts';
import type { Origin } from './origin.ts';

const TITLE = /^------ (.+?) \((.*)\) ------$/;
const DURATION = /^------ [\d.]+s was the duration of '(.+)' ------$/;

/** Whether a text's opening looks like a dumpstate report. */
export function isBugreport(head: string): boolean {
  return /^== dumpstate: /m.test(head) || (/^Build fingerprint: /m.test(head) && /^------ .+ \(.*\) ------$/m.test(head));
}

export interface Bugreport {
  vmallocinfo: string | null;
  meminfo: string | null;
  /** /proc/modules lines (lsmod's table rewritten as such, with zero addresses). */
  modules: string | null;
  /** The modules came from lsmod (no load addresses). */
  lsmod: boolean;
  /** What dumpstate said in place of the vmallocinfo (e.g. `*** /proc/vmallocinfo: Permission denied`). */
  vmallocProblem: string | null;
  /** Titles of the sections found. */
  sections: number;
  facts: Omit<Origin, 'kind' | 'name'>;
}

/** `name size count deps` from lsmod as a /proc/modules line (load address unknown: zeros). */
function lsmodAsModules(line: string, digits: number): string | null {
  const m = /^(\S+)\s+(\d+)\s+(\d+|-)(?:\s+(\S+))?\s*$/.exec(line.trim());
  if (!m || m[1] === 'Module') return null;
  const deps = m[4] ? m[4].split(',').filter(Boolean).map((d) => d + ',').join('') : '-';
  return `${m[1]} ${m[2]} ${m[3]} ${deps} Live 0x${'0'.repeat(digits)}`;
}

/** The sections and header facts of a bugreport's text. Never throws. */
export function readBugreport(text: string): Bugreport {
  const lines = text.split(/\r?\n/);
  const facts: Bugreport['facts'] = {};
  let vmalloc: string[] | null = null;
  let meminfo: string[] | null = null;
  let modules: string[] | null = null;
  let lsmod = false;
  let sections = 0;
  let current: string[] | null = null;
  let currentName: string | null = null;
  for (const line of lines) {
    const title = TITLE.exec(line);
    if (title) {
      sections++;
      currentName = title[1];
      const what = `${title[1]} (${title[2]})`;
      current = [];
      if (title[1] === 'VMALLOC INFO' || title[2] === '/proc/vmallocinfo') vmalloc ??= current;
      else if (title[1] === 'MEMORY INFO' || title[2] === '/proc/meminfo') meminfo ??= current;
      else if (/\bMODULES\b|\bLSMOD\b/.test(title[1]) || /^lsmod\b|\/proc\/modules$/.test(title[2])) {
        if (modules === null) {
          modules = current;
          lsmod = /lsmod/i.test(what);
        }
      } else current = null;
      continue;
    }
    const end = DURATION.exec(line);
    if (end && (currentName === null || end[1] === currentName)) {
      current = null;
      currentName = null;
      continue;
    }
    if (current) {
      current.push(line);
      continue;
    }
    if (facts.taken === undefined && line.startsWith('== dumpstate: ')) facts.taken = line.slice(14).trim();
    else if (facts.release === undefined && line.startsWith('Kernel: Linux version ')) facts.release = line.slice(22).trim().split(/\s+/)[0];
    else if (facts.build === undefined && line.startsWith('Build: ')) facts.build = line.slice(7).trim();
    else if (line.startsWith('Build fingerprint: ')) {
      // brand/product/device:release/build-id/incremental:type/tags
      const fp = line.slice(19).trim().replace(/^'|'$/g, '');
      const device = fp.split('/')[2]?.split(':')[0];
      if (device && facts.device === undefined) facts.device = device;
      const id = fp.split('/')[3];
      if (id && facts.build === undefined) facts.build = id;
    } else if (facts.arch === undefined && line.startsWith('[ro.product.cpu.abi]: [')) {
      const abi = line.slice(23).replace(/\]\s*$/, '');
      facts.arch = abi === 'arm64-v8a' ? 'aarch64' : abi === 'armeabi-v7a' ? 'armv7l' : (archToken(abi) ?? abi);
    } else if (facts.device === undefined && line.startsWith('[ro.product.device]: [')) facts.device = line.slice(22).replace(/\]\s*$/, '');
  }
  let vmallocProblem: string | null = null;
  let vmallocinfo: string | null = null;
  if (vmalloc) {
    const body = vmalloc.filter((l) => l.trim() !== '');
    const problem = body.find((l) => l.startsWith('*** '));
    if (problem && body.every((l) => l.startsWith('*** ') || !/^0x/.test(l))) vmallocProblem = problem.slice(4).trim();
    else vmallocinfo = vmalloc.join('\n') + '\n';
  }
  let modulesText: string | null = null;
  if (modules) {
    const digits = /0x[0-9a-f]{9,}/.test(vmallocinfo ?? '') ? 16 : 8;
    const rows = lsmod ? modules.map((l) => lsmodAsModules(l, digits)).filter((l): l is string => l !== null) : modules;
    modulesText = rows.join('\n') + '\n';
  }
  return { vmallocinfo, meminfo: meminfo ? meminfo.join('\n') + '\n' : null, modules: modulesText, lsmod, vmallocProblem, sections, facts };
}
