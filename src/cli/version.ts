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

declare const VMSCOPE_BASE: string | undefined;

/**
 * Where the app is published, when the build was told (`VMSCOPE_BASE=https://host/vmscope/ npm run
 * build`): the page `vmscope link` points at by default. Else what `npm start` serves.
 */
export const PUBLISHED_BASE: string = typeof VMSCOPE_BASE === 'string' && VMSCOPE_BASE !== '' ? VMSCOPE_BASE : 'http://localhost:5173/';
