#!/usr/bin/env node
// First step of `npm test`: make sure what the tests need is there.
//   - node_modules: installed with `npm ci` when missing;
//   - Debian's Chromium at /usr/bin/chromium (Playwright drives it; we never download a browser):
//     installed with apt-get when running as root, otherwise a one-line instruction and exit 1.
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

if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`ensure-deps: ${CHROMIUM} is missing; install it with: sudo apt-get install chromium`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log('ensure-deps: apt-get update && apt-get install -y chromium');
  execSync('apt-get update && apt-get install -y chromium', { cwd: root, stdio: 'inherit', env });
}
