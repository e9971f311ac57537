// The one-file report's template (`vmscope report FILE -o report.html`, src/cli/htmlReport.ts): the
// same app as vite.config.ts, built into one HTML file with every script and style inside
// (vite-plugin-singlefile) and the parse worker inside too (spawn.inline.ts in place of spawn.ts),
// so it opens from file:// with no network. scripts/build.mjs builds it into DIST/report/template.html.
//
// The page is a document, not the installable app: no web app manifest, no public/ files (the
// samples), no source map. Its Content-Security-Policy and the dump are the CLI's to write: the
// template holds three markers in their place (REPORT_MARKERS: the policy, the title, and the dump's
// data blocks before #root), which src/cli/reportPage.ts fills in.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { REPORT_MARKERS } from './src/cli/reportPage.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));


/** spawn.ts → spawn.inline.ts: the parse worker bundled into the page (Vite's ?worker&inline). */
function inlineWorker(): Plugin {
  const spawn = here('./src/app/worker/spawn.ts');
  return {
    name: 'vmscope-report-inline-worker',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !source.endsWith('/spawn.ts')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === spawn ? here('./src/app/worker/spawn.inline.ts') : null;
    },
  };
}

/** The page's head as a report: markers for the policy and title, no manifest; a marker for the dump. */
function reportPage(): Plugin {
  return {
    name: 'vmscope-report-page',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        // The policy and the comment above it (about the served app's policy).
        const csp = /(<!--(?:(?!-->)[\s\S])*-->\s*)?<meta\s+http-equiv="Content-Security-Policy"[^>]*\/?>/;
        const title = /<title>[^<]*<\/title>/;
        const manifest = /\s*<link rel="manifest"[^>]*\/?>/;
        const root = '<div id="root"></div>';
        for (const [what, re] of [['policy', csp], ['title', title], ['manifest link', manifest]] as const) {
          if (!re.test(html)) throw new Error(`vite.report.config.ts: src/index.html has no ${what} to replace`);
        }
        if (!html.includes(root)) throw new Error(`vite.report.config.ts: src/index.html has no ${root}`);
        return html
          .replace(csp, REPORT_MARKERS.csp)
          .replace(title, REPORT_MARKERS.title)
          .replace(manifest, '')
          .replace(/<meta name="theme-color"[^>]*\/?>\s*/, '')
          .replace(root, `${REPORT_MARKERS.data}\n    ${root}`);
      },
    },
  };
}

export default defineConfig({
  root: here('./src'),
  publicDir: false,
  base: './',
  plugins: [react(), inlineWorker(), reportPage(), viteSingleFile({ outputFileName: 'template.html' })],
  build: { outDir: here('./dist/report'), emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
  // A classic worker: Chromium starts no module worker from a blob: URL in a page from file://
  // (checked: it fails with no message, where a classic one runs).
  worker: { format: 'iife' },
  logLevel: 'warn',
});
