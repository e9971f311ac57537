// `vmscope open`: the CLI serves the built app (PW_DIST, else dist/) and a dump on 127.0.0.1; the
// page opened at the URL it prints fetches the dump with the token, shows it, and drops the token
// from its address; the CLI then stops by itself.
import { expect, test } from '@playwright/test';
import { freePort, startCli } from './cli.ts';
import { MapPage } from './pages/MapPage.ts';
import { baseName, countAreaLines, samplePath } from './fixtures.ts';

const SAMPLE = 'kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo';

test('a dump served by vmscope open is on the page its URL opens, and the URL no longer carries the token', async ({ page }) => {
  const port = await freePort();
  const { process: cli, stdout, stderr, exited } = startCli(['open', samplePath(SAMPLE), '--no-open', '--port', String(port)]);
  try {
    await expect.poll(() => stdout(), { timeout: 30_000 }).toMatch(/at http:\/\/127\.0\.0\.1:\d+\/#open=\S+\n/);
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/#open=\S+)\n/.exec(stdout())![1];
    expect(url.startsWith(`http://127.0.0.1:${port}/`)).toBe(true);
    expect(stdout()).toContain(`serving ${baseName(SAMPLE)} at`);
    const app = new MapPage(page);
    await page.goto(url);
    await app.whenIdle();
    const state = await app.state();
    expect(state.areas).toBe(countAreaLines(SAMPLE));
    expect(state.fileName).toBe(baseName(SAMPLE));
    await expect(page.locator('.dump-meta')).toContainText('served to this page by vmscope open');
    expect(state.status).toBe('ready');
    // The worker's script came from the server before it stopped.
    expect(state.parsedIn).toBe('worker');
    expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    // The page has the dump: the CLI stops by itself and says so.
    expect(await exited).toBe(0);
    expect(stderr()).toContain('stopped serving');
  } finally {
    if (cli.exitCode === null) cli.kill();
  }
});

test('a vmscope open or open --live page whose server has gone says why instead of staying blank', async ({ page }) => {
  // As when vmscope open has stopped: nothing answers for the dump.
  await page.route('**/dump?*', (route) => route.abort('connectionrefused'));
  for (const [hash, words] of [
    ['#open=no-such-token', 'The dump vmscope open served could not be fetched'],
    ['#live=no-such-token', 'The recording vmscope open --live is making could not be fetched'],
  ]) {
    await page.goto('about:blank');
    await page.goto(`/${hash}`);
    await expect(page.getByTestId('load-error')).toContainText(words);
  }
});
