// The package's version: put in by the build (scripts/build.mjs defines VMSCOPE_VERSION), else read
// from package.json next to the sources (`npm run cli`, the tests through tsx).
import { readFileSync } from 'node:fs';

declare const VMSCOPE_VERSION: string | undefined;

function fromPackageJson(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const VERSION: string = typeof VMSCOPE_VERSION === 'string' ? VMSCOPE_VERSION : fromPackageJson();
