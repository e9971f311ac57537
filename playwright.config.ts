// End-to-end tests run against the BUILT app (`npm run build` first; `npm run test:e2e` does both),
// served by `vite preview`, in a browser already on the machine: CHROMIUM_PATH, Debian's
// /usr/bin/chromium (what CI uses: .ci/run and .ci/ensure-deps.mjs install it), chromium or
// chromium-browser on PATH, Google Chrome, or Playwright's own download if one is there
// (e2e/browser.ts). We never download a browser; with none, one message says what to install.
import { existsSync } from 'node:fs';
import { chromium, defineConfig, devices } from '@playwright/test';
import { findBrowser } from './e2e/browser.ts';

const browser = findBrowser({ env: process.env, platform: process.platform, exists: existsSync, playwrightChromium: playwrightChromium() });
if (!browser.found) {
  process.stderr.write(browser.message + '\n');
  process.exit(1);
}

/** Where Playwright's own Chromium would be (it need not be there). */
function playwrightChromium(): string | null {
  try {
    return chromium.executablePath();
  } catch {
    return null;
  }
}

// PW_PORT lets two runs (two people, or two worktrees) share a machine.
const PORT = Number(process.env.PW_PORT ?? 4173);
// PW_DIST serves a build from elsewhere (`vite build --outDir $PW_DIST`), so two runs do not share dist/.
const DIST = process.env.PW_DIST;

export default defineConfig({
  testDir: './e2e',
  // e2e/*.test.ts are unit tests of the helpers here (Vitest runs them).
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  // Two browsers at once: Playwright's default is half the cores, one on a 2-core machine, which
  // leaves a core idle while a test waits on its page. PW_WORKERS overrides it (e.g. 1 on a
  // machine busy with other work, more on a bigger one).
  workers: Number(process.env.PW_WORKERS ?? 2),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  // Generous: a test takes 1–4 s on an idle machine, and these bounds only matter when it fails.
  // They are there to stop a hung test, not to time one; a machine busy with other work (two
  // browsers, or other jobs) must not fail a test that would pass. What a test must finish within
  // is its own assertion, measured on the page (e2e/watchdog.spec.ts).
  timeout: 90_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL: `http://localhost:${PORT}/`,
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: browser.executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        channel: browser.channel,
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor: 1,
      },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort${DIST ? ` --outDir ${DIST}` : ''}`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
