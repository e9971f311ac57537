// End-to-end tests run against the BUILT app (`vite build` first; `npm run test:e2e` does both),
// served by `vite preview`, in Debian's Chromium. Never `npx playwright install`: the browser is
// the system one at /usr/bin/chromium (.ci/ensure-deps.mjs installs it when missing).
import { defineConfig, devices } from '@playwright/test';

// PW_PORT lets two runs (two people, or two worktrees) share a machine.
const PORT = Number(process.env.PW_PORT ?? 4173);
// PW_DIST serves a build from elsewhere (`vite build --outDir $PW_DIST`), so two runs do not share dist/.
const DIST = process.env.PW_DIST;

export default defineConfig({
  testDir: './e2e',
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
      executablePath: '/usr/bin/chromium',
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
