// Facts about the bundled dumps, computed here from the files themselves, never copied from the app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('../public/samples/', import.meta.url));

export const DEFAULT_SAMPLE = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
export const HASHED_SAMPLE = 'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo';
export const ZEROED_SAMPLE = 'kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo';
export const GLUED_SAMPLE = 'seeds/x86_64-copied-from-web.vmallocinfo';

export function samplePath(path: string): string {
  return SAMPLES_DIR + path;
}

/** Area lines as `grep -c '^0x'` counts them. */
export function countAreaLines(path: string): number {
  return readFileSync(samplePath(path), 'utf8')
    .split('\n')
    .filter((line) => /^0x/.test(line)).length;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** One area line of a dump, read with plain string splitting (no code shared with the app). */
export interface AreaLine {
  /** 1-based line number. */
  line: number;
  text: string;
  start: bigint;
  end: bigint;
  startHex: string;
  endHex: string;
  size: number;
  /** "symbol+0xoff/0xlen" as printed, or null (vm_map_ram, unpurged vm_area). */
  caller: string | null;
  /** The caller's function name. */
  symbol: string | null;
}

export function areaLines(path: string): AreaLine[] {
  const out: AreaLine[] = [];
  readFileSync(samplePath(path), 'utf8')
    .split('\n')
    .forEach((text, j) => {
      if (!/^0x/.test(text)) return;
      const fields = text.trim().split(/\s+/);
      const [startHex, endHex] = fields[0].split('-');
      const caller = /^[\w.]+\+0x/.test(fields[2] ?? '') ? fields[2] : null;
      out.push({
        line: j + 1,
        text,
        start: BigInt(startHex),
        end: BigInt(endHex),
        startHex,
        endHex,
        size: Number(fields[1]),
        caller,
        symbol: caller ? caller.slice(0, caller.indexOf('+')) : null,
      });
    });
  return out;
}

/** Area lines in address order (raw dumps). */
export function byAddress(lines: AreaLine[]): AreaLine[] {
  return [...lines].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export function hex(value: bigint): string {
  return '0x' + value.toString(16).padStart(16, '0');
}

/** Binary units as the app prints them: 4096 → "4 KiB", 2101248 → "2.00 MiB". */
export function binaryBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v} B`;
  return `${Number.isInteger(v) ? v : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** Where a test saves a screenshot: VMSCOPE_SHOTS=<dir> when set (to look at them), else the test's output folder. */
export function shotPath(testInfo: TestInfo, name: string): string {
  return process.env.VMSCOPE_SHOTS ? join(process.env.VMSCOPE_SHOTS, name) : testInfo.outputPath(name);
}
