// npm run bench:render — drives the built app in headless Chromium over generated dumps of
// 1,000, 100,000 and 1,000,000 areas. For each: the time from choosing the file to the first full
// map, then one scripted zoom-and-pan sequence (the same on every dump) played inside the page,
// one step per animation frame. Reports the median and p95 of the app's own per-frame work (event
// handling plus drawing, as the app measures it around its draw), the wall-clock frame interval,
// and the 1M/1k ratio.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { generateDump } from './generate.ts';
import { OUT, ROOT } from './paths.ts';

const SIZES = (process.env.SIZES ?? '1000,100000,1000000').split(',').map(Number);
const PORT = 4174;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Hook {
  whenIdle(): Promise<void>;
  frameTimes(): number[];
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench:render: ${url} did not come up`);
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('vite build failed');
  }
  mkdirSync(OUT, { recursive: true });
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  const url = `http://localhost:${PORT}/`;
  try {
    await waitForServer(url);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
    const results: Array<{ n: number; firstMapMs: number; median: number; p95: number; intervalMedian: number; intervalP95: number; frames: number }> = [];
    for (const n of SIZES) {
      const file = join(OUT, `dump-${n}.vmallocinfo`);
      if (!existsSync(file)) writeFileSync(file, generateDump(n));
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      await page.goto(url);
      await page.waitForFunction(() => 'frameTimes' in ((window as unknown as { __vmscope?: object }).__vmscope ?? {}));
      await page.evaluate(() => (window as unknown as { __vmscope: Hook }).__vmscope.whenIdle());

      const t0 = Date.now();
      await page.getByTestId('file-input').setInputFiles(file);
      await page.waitForFunction((count) => document.querySelector('[data-testid="area-count"]')?.textContent?.replace(/[^0-9]/g, '') === String(count), n, {
        timeout: 60_000,
        polling: 20,
      });
      await page.evaluate(() => (window as unknown as { __vmscope: Hook }).__vmscope.whenIdle());
      const firstMapMs = Date.now() - t0;

      // The scripted sequence: zoom in 40 steps about three points, pan, zoom out, pan back.
      const { work, intervals } = await page.evaluate(async () => {
        const hook = (window as unknown as { __vmscope: Hook }).__vmscope;
        const canvas = document.querySelector('[data-testid="map-canvas"]') as HTMLCanvasElement;
        const box = canvas.getBoundingClientRect();
        const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
        const wheel = (x: number, dy: number) =>
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: dy, clientX: box.left + x * box.width, clientY: box.top + box.height / 2, bubbles: true, cancelable: true }));
        const key = (k: string) => canvas.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
        hook.frameTimes();
        const stamps: number[] = [];
        const steps: Array<() => void> = [];
        for (const x of [0.3, 0.5, 0.7]) for (let i = 0; i < 40; i++) steps.push(() => wheel(x, -120));
        for (let i = 0; i < 30; i++) steps.push(() => key('ArrowRight'));
        for (let i = 0; i < 30; i++) steps.push(() => key('ArrowLeft'));
        for (let i = 0; i < 60; i++) steps.push(() => wheel(0.5, 120));
        for (let i = 0; i < 30; i++) steps.push(() => key(i % 2 ? '+' : '-'));
        for (const step of steps) {
          step();
          stamps.push(await frame());
        }
        await frame();
        const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
        return { work: hook.frameTimes(), intervals: gaps };
      });
      results.push({
        n,
        firstMapMs,
        median: pct(work, 0.5),
        p95: pct(work, 0.95),
        intervalMedian: pct(intervals, 0.5),
        intervalP95: pct(intervals, 0.95),
        frames: work.length,
      });
      await page.close();
    }
    await browser.close();

    console.log('bench:render  1280×800, dpr 1, headless Chromium, the same 270-step zoom/pan script per dump');
    console.log('  areas       first map   frame work median / p95   frame interval median / p95   frames');
    for (const r of results) {
      console.log(
        `  ${r.n.toLocaleString('en-US').padStart(9)}   ${(r.firstMapMs / 1000).toFixed(2).padStart(7)} s   ${r.median.toFixed(2).padStart(8)} / ${r.p95.toFixed(2).padEnd(8)} ms   ${r.intervalMedian.toFixed(1).padStart(10)} / ${r.intervalP95.toFixed(1).padEnd(6)} ms   ${r.frames}`,
      );
    }
    const small = results.find((r) => r.n === Math.min(...SIZES));
    const big = results.find((r) => r.n === Math.max(...SIZES));
    if (small && big && small !== big) {
      console.log(`  ratio ${big.n.toLocaleString('en-US')}/${small.n.toLocaleString('en-US')} median frame work: ${(big.median / small.median).toFixed(2)}  (goal <= 3)`);
      console.log(`  goals at ${big.n.toLocaleString('en-US')}: median <= 16 ms, p95 <= 33 ms, first map <= 3 s`);
    }
  } finally {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
