// `vmscope open --live`: the CLI records a fake /proc (VMSCOPE_PROC) and serves the built app
// (PW_DIST, else dist/); the page opened at the URL it prints shows the recording so far, grows by
// each new moment as the CLI takes it (the cursor following the newest), picks it all up again on a
// reload without a moment twice, and says it stopped once the CLI is stopped with Ctrl-C, which
// leaves the whole recording at -o FILE.
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startCli } from './cli.ts';
import { MapPage } from './pages/MapPage.ts';
import { samplePath, shotPath } from './fixtures.ts';

const SAMPLE = 'kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo';


/** The sample's area lines, read with plain string splitting. */
const lines = readFileSync(samplePath(SAMPLE), 'utf8')
  .split('\n')
  .filter((l) => /^0x/.test(l));

/** The sample with `n` thread stacks more (in a stretch of the arm64 vmalloc range the sample leaves free). */
function withStacks(n: number): string {
  const extra = Array.from({ length: n }, (_, k) => {
    const start = 0xffff8000b0000000n + BigInt(k) * 0x10000n;
    return `0x${start.toString(16)}-0x${(start + 0x5000n).toString(16)}   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4`;
  });
  return [...lines, ...extra].join('\n') + '\n';
}

test('the page of vmscope open --live grows by each new moment, picks it all up again on a reload, and says when it stopped', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const top = mkdtempSync(join(tmpdir(), 'vmscope-live-e2e-'));
  const proc = join(top, 'proc');
  mkdirSync(join(proc, 'sys/kernel'), { recursive: true });
  writeFileSync(join(proc, 'vmallocinfo'), withStacks(0));
  writeFileSync(join(proc, 'sys/kernel/hostname'), 'e2e-host\n');
  const out = join(top, 'live.vmscope-rec');
  const port = await freePort();
  const { process: cli, stdout, stderr, exited } = startCli(['open', '--live', '--every', '1500ms', '-o', out, '--no-open', '--port', String(port)], { VMSCOPE_PROC: proc });
  /** Moments the CLI says it has written. */
  const written = () => [...stderr().matchAll(/moment (\d+): ([\d,]+) areas/g)].map((m) => ({ n: Number(m[1]), areas: Number(m[2].replace(/,/g, '')) }));
  try {
    await expect.poll(() => stdout(), { timeout: 30_000 }).toMatch(/live at http:\/\/127\.0\.0\.1:\d+\/#live=\S+\n/);
    const url = /live at (\S+)\n/.exec(stdout())![1];
    expect(url.startsWith(`http://127.0.0.1:${port}/#live=`)).toBe(true);
    expect(stderr()).toContain(`recording to ${out}`);
    await expect.poll(() => written().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

    const app = new MapPage(page);
    await page.goto(url);
    await app.whenIdle();
    const badge = page.getByTestId('timeline-live');
    await expect(badge).toHaveAttribute('data-state', 'live');
    await expect(badge).toHaveText(/^live · every 1\.5 s · \d+ moments$/);
    await expect(page.locator('.dump-meta')).toContainText('recorded live by vmscope open --live');
    // The page has every moment written so far, and the cursor on the newest.
    await expect.poll(async () => (await app.state()).timeline?.count, { timeout: 10_000 }).toBe(written().length);
    let s = await app.state();
    expect(s.timeline!.index).toBe(s.timeline!.count - 1);
    expect(s.areas).toBe(lines.length);

    // A change in /proc: the next moment shows it, and the cursor follows.
    writeFileSync(join(proc, 'vmallocinfo'), withStacks(5));
    await expect.poll(async () => (await app.state()).areas, { timeout: 15_000 }).toBe(lines.length + 5);
    s = await app.state();
    expect(s.timeline!.index).toBe(s.timeline!.count - 1);
    expect(written().find((w) => w.n === s.timeline!.count)?.areas).toBe(lines.length + 5);
    await expect(badge).toHaveText(`live · every 1.5 s · ${s.timeline!.count} moments`);
    const appendMs = Number(await badge.getAttribute('data-append-ms'));
    expect(appendMs).toBeGreaterThan(0);
    testInfo.annotations.push({ type: 'append', description: `${appendMs} ms to append moment ${s.timeline!.count}` });

    // Scrubbed back: a new moment does not move the cursor.
    await app.press('Home');
    const before = (await app.state()).timeline!.count;
    await expect.poll(async () => (await app.state()).timeline!.count, { timeout: 15_000 }).toBeGreaterThan(before);
    expect((await app.state()).timeline!.index).toBe(0);
    await app.press('End');

    // A reload fetches the whole recording again and goes on: every moment once, in time order.
    await page.reload();
    await app.whenIdle();
    await expect(badge).toHaveAttribute('data-state', 'live');
    const seen = (await app.state()).timeline!.count;
    await expect.poll(async () => (await app.state()).timeline!.count, { timeout: 15_000 }).toBeGreaterThan(seen);
    await expect.poll(async () => (await app.state()).timeline!.count - written().length, { timeout: 10_000 }).toBe(0);
    const times = (await app.state()).timeline!.times;
    for (let k = 1; k < times.length; k++) expect(times[k]!).toBeGreaterThan(times[k - 1]!);
    await page.getByTestId('timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(testInfo, 'live.png') });

    // Ctrl-C: the CLI says where the whole recording is, and the page that it stopped.
    cli.kill('SIGINT');
    expect(await exited).toBe(0);
    const total = written().length;
    expect(stderr()).toContain(`the recording is ${out} (${total} moments)`);
    await expect(badge).toHaveAttribute('data-state', 'stopped');
    await expect(badge).toHaveText(`stopped · ${(await app.state()).timeline!.count} moments`);
    expect((await app.state()).timeline!.count).toBe(total);
    expect(readFileSync(out).subarray(0, 8).toString('latin1')).toBe('VMSCREC\n');
  } finally {
    if (cli.exitCode === null) cli.kill();
  }
});
