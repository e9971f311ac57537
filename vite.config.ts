/// <reference types="vitest/config" />
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The app's index.html lives in src/ so the top level stays what the README lists.
export default defineConfig({
  root: here('./src'),
  publicDir: here('./public'),
  base: './',
  plugins: [
    react(),
    {
      // The Content-Security-Policy in index.html holds for the built app; `vite` (dev) injects an
      // inline script and talks to its HMR websocket, so the dev server serves the page without it.
      name: 'vmscope-dev-csp',
      apply: 'serve',
      transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
    },
    {
      // The service worker (public/sw.js) keeps every file of the build for offline use, the
      // chunks loaded only on demand too: it reads their hashed names from offline.json, written here
      // once everything (the parse worker's chunks among them) is in the output folder.
      name: 'vmscope-offline-list',
      apply: 'build',
      writeBundle: {
        sequential: true,
        order: 'post',
        handler(options) {
          const dir = options.dir ?? here('./dist');
          const assets = readdirSync(join(dir, 'assets')).filter((f) => !f.endsWith('.map')).map((f) => `assets/${f}`);
          writeFileSync(join(dir, 'offline.json'), JSON.stringify(['./', 'samples/index.json', 'manifest.webmanifest', 'icon.svg', ...assets.sort()]));
        },
      },
    },
  ],
  build: { outDir: here('./dist'), emptyOutDir: true, target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
  test: {
    root: here('.'),
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    environment: 'node',
    // The default 5 s fails tests that are fine when other work shares the machine (two did on 2
    // busy cores). A test that can hang is still stopped; what a test must finish within is its own
    // assertion about work done, not this.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
