// Runs a benchmark the way the app runs the library: bundled (esbuild, as Vite bundles it for the
// browser), not through a TypeScript loader whose module shims sit on every cross-module call.
//   node bench/run.mjs parse     → bundles bench/parse.ts to bench/out/parse.mjs and runs it
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const name = process.argv[2];
if (!name) {
  console.error('usage: node bench/run.mjs <benchmark>   (e.g. parse)');
  process.exit(2);
}
const entry = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
const outfile = fileURLToPath(new URL(`./out/${name}.mjs`, import.meta.url));
await build({ entryPoints: [entry], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });
const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
