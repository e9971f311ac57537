#!/usr/bin/env node
// First step of `npm test`: make sure what the tests need is there.
//   - node_modules: installed with `npm ci` when missing;
//   - a browser for Playwright (we never download one). Debian's Chromium at /usr/bin/chromium is
//     what CI uses: installed with apt-get when running as root on a machine with apt-get and no
//     CHROMIUM_PATH. Otherwise the end-to-end tests look for one themselves (e2e/browser.ts:
//     CHROMIUM_PATH, chromium or chromium-browser on PATH, Google Chrome, Playwright's own) and
//     say what to install when there is none.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

function run(command) {
  console.log(`ensure-deps: ${command}`);
  execSync(command, { cwd: root, stdio: 'inherit' });
}

if (!existsSync(join(root, 'node_modules'))) run('npm ci --no-audit --no-fund');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!existsSync(CHROMIUM) && isRoot && !process.env.CHROMIUM_PATH && existsSync('/usr/bin/apt-get')) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log('ensure-deps: apt-get update && apt-get install -y chromium');
  execSync('apt-get update && apt-get install -y chromium', { cwd: root, stdio: 'inherit', env });
}
