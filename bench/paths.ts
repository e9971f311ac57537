// Paths that hold whether a benchmark runs from bench/*.ts or bundled into bench/out/*.mjs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the repository root');
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const SAMPLES = join(ROOT, 'public', 'samples');
/** Generated inputs and bundles (git-ignored). */
export const OUT = join(ROOT, 'bench', 'out');
