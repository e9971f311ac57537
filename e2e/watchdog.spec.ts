// The parse worker under hostile input: a read that never ends is stopped by the watchdog and the
// next one gets a fresh worker; a deflate-bomb link is refused in the worker while the page keeps
// answering.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createDeflateRaw } from 'node:zlib';
import { InputPage } from './pages/InputPage.ts';
import { DEFAULT_SAMPLE, HASHED_SAMPLE, baseName, countAreaLines, samplePath } from './fixtures.ts';

/** CRC-16/CCITT-FALSE, the check a link ends with (written out here, independently of the codec). */
function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** 1 GiB of zeros, deflate-raw, sealed with its check, as link text (about 1.4 million characters). */
async function bombLink(): Promise<string> {
  const deflater = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflater.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => deflater.on('end', resolve));
  const zeros = Buffer.alloc(1 << 20);
  for (let k = 0; k < 1024; k++) deflater.write(zeros);
  deflater.end();
  await ended;
  const body = Buffer.concat(parts);
  const crc = crc16(body);
  return Buffer.concat([body, Buffer.from([crc >> 8, crc & 0xff])]).toString('base64url');
}

test.describe('the parse worker under hostile input', () => {
  test('a read that keeps the worker busy past its budget is stopped with a message, the dump on screen stays, and the next sample loads', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await expect(app.fileName).toHaveText(baseName(DEFAULT_SAMPLE));
    const before = await app.state();
    expect(before.areas).toBe(countAreaLines(DEFAULT_SAMPLE));

    // The next read hangs the worker (as a line that sends the scanner into a loop would), with a 2 s budget.
    await page.evaluate(() => (window as unknown as { __vmscope: { hangNextRead(ms: number): void } }).__vmscope.hangNextRead(2000));
    const t0 = Date.now();
    await app.openBytes('stuck.vmallocinfo', readFileSync(samplePath(HASHED_SAMPLE)));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    await expect(app.notice).toContainText(/vmscope stopped reading stuck\.vmallocinfo after 2 s: far longer than .* takes, .*restarted/);
    await expect(app.notice).toContainText(`The dump on screen (${baseName(DEFAULT_SAMPLE)}) is kept.`);
    const after = await app.state();
    expect(after).toMatchObject({ status: 'ready', fileName: baseName(DEFAULT_SAMPLE), areas: before.areas, parsedIn: 'worker' });
    await expect(app.fileName).toHaveText(baseName(DEFAULT_SAMPLE));

    // The same file again, now read normally by the fresh worker.
    await app.openBytes('stuck.vmallocinfo', readFileSync(samplePath(HASHED_SAMPLE)));
    await expect(app.fileName).toHaveText('stuck.vmallocinfo');
    expect(await app.state()).toMatchObject({ status: 'ready', areas: countAreaLines(HASHED_SAMPLE), parsedIn: 'worker', notice: null });
    // And a bundled sample from the menu.
    await app.pickSample(DEFAULT_SAMPLE);
    expect(await app.state()).toMatchObject({ status: 'ready', fileName: baseName(DEFAULT_SAMPLE), areas: countAreaLines(DEFAULT_SAMPLE), parsedIn: 'worker' });
  });

  test('a read stuck in the worker is dropped as soon as another dump is chosen, which then loads at once', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await page.evaluate(() => (window as unknown as { __vmscope: { hangNextRead(ms: number): void } }).__vmscope.hangNextRead(60_000));
    await app.fileInput.setInputFiles({ name: 'stuck.vmallocinfo', mimeType: 'text/plain', buffer: readFileSync(samplePath(HASHED_SAMPLE)) });
    await expect.poll(async () => (await app.state()).status).toBe('parsing');
    const t0 = Date.now();
    await app.pickSample(HASHED_SAMPLE);
    // The stuck read's budget is 60 s: loading well within half of it means it was dropped, not
    // waited out. (The sample itself takes well under a second on an idle machine; the margin is for
    // a machine busy with other work.)
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(await app.state()).toMatchObject({ status: 'ready', fileName: baseName(HASHED_SAMPLE), areas: countAreaLines(HASHED_SAMPLE), parsedIn: 'worker', notice: null });
  });

  test('a link that inflates to 1 GiB is refused in seconds, the page answering all along, and the dump on screen stays', async ({ page }) => {
    // Deflating the gigabyte here takes seconds of CPU before the page is even asked.
    test.setTimeout(180_000);
    const bomb = await bombLink();
    const app = new InputPage(page);
    await app.open();
    const before = await app.state();
    // Measured on the page, not across processes: a round trip from this test to the page can take
    // long only because another process has the CPU. The main thread's longest task while the
    // worker inflates is what makes the page answer late (the Long Tasks API reports each task over
    // 50 ms); the time to the refusal is taken on the page's clock from the moment the link is set.
    // First a task of 100 ms on purpose, run by the page itself (a script the test evaluates is not
    // reported as a task), so the test knows the observer sees long tasks at all.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const record = { longest: 0, tasks: 0, t0: 0, refusedAt: -1 };
          (window as unknown as { __bomb: typeof record }).__bomb = record;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              record.tasks++;
              record.longest = Math.max(record.longest, e.duration);
            }
            resolve();
          }).observe({ type: 'longtask' });
          setTimeout(() => {
            const busyUntil = performance.now() + 100;
            while (performance.now() < busyUntil);
          }, 0);
          setTimeout(resolve, 10_000); // a page that never reports one fails the check below
          new MutationObserver(() => {
            if (record.refusedAt < 0 && document.querySelector('[data-testid=share-error]')) record.refusedAt = performance.now();
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }),
    );
    expect(await page.evaluate(() => (window as unknown as { __bomb: { tasks: number } }).__bomb.tasks), 'the long-task observer saw the 100 ms task made on purpose').toBeGreaterThanOrEqual(1);
    await page.evaluate((text) => {
      (window as unknown as { __bomb: { t0: number } }).__bomb.t0 = performance.now();
      window.location.hash = 's=' + text;
    }, bomb);
    // Ask the page for something every 100 ms until the refusal shows: it answers all along.
    const t0 = Date.now();
    let message: string | null = null;
    while (message === null && Date.now() - t0 < 60_000) {
      message = await page.evaluate(() => document.querySelector('[data-testid=share-error]')?.textContent ?? null);
      await page.waitForTimeout(100);
    }
    expect(message).toMatch(/more than 64 MiB/);
    const { longest, t0: setAt, refusedAt } = await page.evaluate(() => (window as unknown as { __bomb: { longest: number; t0: number; refusedAt: number } }).__bomb);
    expect(longest).toBeGreaterThanOrEqual(100);
    // No task kept the main thread for 2 s: any input in that time would have been answered within it.
    expect(longest).toBeLessThan(2000);
    // Refused in seconds: inflating up to the 64 MiB cap takes well under one on an idle machine,
    // the whole GiB many times that; the bound leaves room for a machine busy with other work.
    expect(refusedAt).toBeGreaterThan(setAt);
    expect(refusedAt - setAt).toBeLessThan(15_000);
    await app.whenIdle();
    expect(await app.state()).toMatchObject({ status: 'ready', fileName: before.fileName, areas: before.areas });
  });
});
