// Facts about the bundled dumps, computed here from the files themselves, never copied from the app.
import { readFileSync } from 'node:fs';
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
