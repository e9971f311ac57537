#!/usr/bin/env node
// `npm run build`: the app with Vite into dist/ (what any static host serves), then the one-file
// report's template (vite.report.config.ts: the app with every script, style and its worker inside
// one HTML file) into dist/report/template.html, which `vmscope report` fills in, then the CLI with
// esbuild into dist/cli/vmscope.js (one plain ESM file for Node: src/cli, src/lib and fflate
// bundled, nothing to install at run time). Vite empties its outDir, so the app comes first.
//   node scripts/build.mjs [--outDir DIR] [--cli-only]
// --outDir puts both somewhere else (a relative DIR is taken from the current directory);
// --cli-only builds just the CLI (the start-up benchmark).
import { build as esbuild } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
let outDir = join(root, 'dist');
let cliOnly = false;
for (let k = 0; k < args.length; k++) {
  const arg = args[k];
  if (arg === '--cli-only') cliOnly = true;
  else if (arg === '--outDir' && args[k + 1]) outDir = resolve(args[++k]);
  else if (arg.startsWith('--outDir=')) outDir = resolve(arg.slice('--outDir='.length));
  else {
    console.error(`build: unknown argument ${arg}\nusage: node scripts/build.mjs [--outDir DIR] [--cli-only]`);
    process.exit(2);
  }
}

if (!cliOnly) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), build: { outDir } });
  await viteBuild({ configFile: join(root, 'vite.report.config.ts'), build: { outDir: join(outDir, 'report') } });
}

/** VMSCOPE_BASE from the environment, checked: an http(s) URL ending in a slash, or '' for none. */
function publishedBase() {
  const base = process.env.VMSCOPE_BASE ?? '';
  if (base === '') return '';
  if (!/^https?:\/\/[^\s#?]+\/$/.test(base)) {
    console.error(`build: VMSCOPE_BASE must be an http(s) URL ending in /, not "${base}"`);
    process.exit(2);
  }
  return base;
}

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(outDir, 'cli', 'vmscope.js');
await esbuild({
  entryPoints: [join(root, 'src/cli/run.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  // A require for the CommonJS bundles that ask for Node built-ins at load (xz-decompress's UMD
  // wants stream/web): esbuild's ESM output has none of its own.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __vmscopeCreateRequire } from 'node:module';\nconst require = __vmscopeCreateRequire(import.meta.url);" },
  // VMSCOPE_BASE: where this build of the app will be published (vmscope link's default --base).
  define: { VMSCOPE_VERSION: JSON.stringify(version), VMSCOPE_BASE: JSON.stringify(publishedBase()) },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`build: ${outfile.startsWith(root) ? outfile.slice(root.length) : outfile} (vmscope ${version})`);
