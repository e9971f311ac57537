// Share links: share a dump and its view, open the link in a fresh page (a new browser context:
// no storage, no history in common), and find the same areas, view and selection. Also: bad links,
// and that nothing is requested from anywhere but the app's own origin.
import { expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { InputPage } from './pages/InputPage.ts';
import { MapPage } from './pages/MapPage.ts';
import { DEFAULT_SAMPLE, GLUED_SAMPLE, HASHED_SAMPLE, areaLines, byAddress, countAreaLines, hex, samplePath } from './fixtures.ts';

const PAGE = 4096n;
const sorted = byAddress(areaLines(DEFAULT_SAMPLE));

/** Open the Share panel, set the address choice, and read the link once it is there. */
async function shareLink(page: Page, includeAddresses: boolean): Promise<string> {
  await page.getByTestId('share-button').click();
  const box = page.getByTestId('share-include-addresses');
  if (includeAddresses) await box.check();
  const url = page.getByTestId('share-url');
  // The link for the current choice (it is made anew when the choice changes).
  await expect(url).toHaveAttribute('data-addresses', includeAddresses ? 'included' : 'hidden');
  await expect(url).toHaveValue(/#s=[A-Za-z0-9_-]+$/);
  return url.inputValue();
}

/** Open a link in a fresh context, as a colleague would. */
async function openFresh(browser: Browser, url: string): Promise<MapPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const app = new MapPage(page);
  await page.goto(url);
  await app.whenIdle();
  return app;
}

/** Choose the history entry whose label contains `text` (the "Loaded" menu). */
async function switchHistory(app: MapPage, text: string): Promise<void> {
  const menu = app.page.getByTestId('snapshot-history');
  const value = await menu.locator('option', { hasText: text }).first().getAttribute('value');
  await menu.selectOption(value!);
  await app.whenIdle();
}

function viewOf(s: Awaited<ReturnType<MapPage['state']>>) {
  return { viewStart: s.viewStart, viewEnd: s.viewEnd, selected: s.selected, colourMode: s.colourMode, collapsed: s.collapsed };
}

test.describe('share links', () => {
  test('a raw dump with addresses: the same areas, view, selection and colours in a fresh page', async ({ page, browser }) => {
    const app = new MapPage(page);
    await app.open();
    const area = sorted.find((l) => l.symbol === 'hpet_enable')!;
    await app.zoomTo(hex(area.start - 4n * PAGE), hex(area.end + 4n * PAGE));
    await app.clickArea(area.startHex);
    await app.colourMode.selectOption('caller');
    await app.whenIdle();
    const before = await app.state();
    expect(before.selected).toBe(area.startHex);

    const url = await shareLink(page, true);
    expect(new URL(url).search).toBe(''); // the snapshot is in the fragment, never in a query
    await expect(page.getByTestId('share-address-note')).toContainText('real kernel addresses');
    await expect(page.getByTestId('share-size')).toBeVisible();

    const other = await openFresh(browser, url);
    const after = await other.state();
    expect(after.areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    expect(after.pointerMode).toBe('raw');
    expect(after.bytes).toBe(before.bytes);
    expect(after.viewStart).toBe(before.viewStart);
    expect(after.viewEnd).toBe(before.viewEnd);
    expect(after.selected).toBe(area.startHex);
    expect(after.colourMode).toBe('caller');
    expect(after.collapsed).toBe(before.collapsed);
    await expect(other.fileName).toHaveText('shared link');
    await expect(other.page.getByTestId('share-note')).toHaveCount(0);
    await expect(other.details).toBeVisible();

    // Loading another dump keeps the link's snapshot in the session's history.
    await other.pickSample(HASHED_SAMPLE);
    const later = await other.state();
    expect(later.areas).toBe(countAreaLines(HASHED_SAMPLE));
    expect(later.history.map((d) => [d.name, d.areas])).toContainEqual(['shared link', countAreaLines(DEFAULT_SAMPLE)]);
    expect(new URL(other.page.url()).hash).toBe(''); // a reload shows what is on screen, not the old link
  });

  test('the panel says what the link leaves out, and the opened link is measured as a link, not as a file', async ({ page, browser }, testInfo) => {
    const app = new MapPage(page);
    await app.open();
    // The default sample comes with its /proc/meminfo and /proc/modules attached.
    await expect.poll(async () => (await app.state()).sections.map((x) => x.name).sort()).toEqual(['/proc/meminfo', '/proc/modules']);
    const url = await shareLink(page, false);
    const panel = page.getByTestId('share-panel');
    await expect(panel).toContainText('carries every area and this view');
    await expect(panel).not.toContainText('whole dump');
    await expect(page.getByTestId('share-left-out')).toHaveText(
      'Left out: the file name, the skipped lines and the attached /proc/meminfo and /proc/modules.',
    );
    await panel.screenshot({ path: testInfo.outputPath('share-panel.png') });

    const other = await openFresh(browser, url);
    await expect(page.getByTestId('share-panel')).toContainText(`${url.length.toLocaleString('en-US')} characters of a practical`);
    const areas = countAreaLines(DEFAULT_SAMPLE);
    // The same count on both ends: the whole link's characters, not a file size in bytes.
    await expect(other.page.getByTestId('dump-size')).toHaveText(`link of ${url.length.toLocaleString('en-US')} characters · ${areas.toLocaleString('en-US')} areas`);
    // None of the companions travelled with the link.
    expect((await other.state()).sections).toEqual([]);
    await other.page.locator('.dump-heading').screenshot({ path: testInfo.outputPath('link-heading.png') });
  });

  test('by default the link hides absolute addresses, keeps the relative layout, and says so on both ends', async ({ page, browser }) => {
    const app = new MapPage(page);
    await app.open();
    const k = 40;
    const area = sorted[k];
    await app.zoomTo(hex(area.start - 8n * PAGE), hex(area.end + 8n * PAGE));
    await app.clickArea(area.startHex);
    const url = await shareLink(page, false);
    await expect(page.getByTestId('share-address-note')).toContainText('hidden');
    // No absolute address survives in the link's view.
    const other = await openFresh(browser, url);
    const after = await other.state();
    expect(after.areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    const origin = sorted[0].start;
    expect(after.selected).toBe(hex(area.start - origin));
    expect(BigInt(after.viewStart!)).toBe(area.start - 8n * PAGE - origin);
    await expect(other.page.getByTestId('share-note')).toContainText('hidden');
    await expect(other.page.getByText(/absolute addresses were hidden/).first()).toBeVisible();
    // The pointer-mode note does not claim the addresses are real.
    await expect(other.page.getByTestId('pointer-mode')).toContainText('offsets from the first area');
    await expect(other.page.getByTestId('pointer-mode')).not.toContainText('real address');
  });

  test('switching back to a link’s dump in the history restores its own view, selection, colours and note', async ({ page, browser }) => {
    const app = new MapPage(page);
    await app.open();
    const area = sorted[40];
    await app.zoomTo(hex(area.start - 8n * PAGE), hex(area.end + 8n * PAGE));
    await app.clickArea(area.startHex);
    await app.colourMode.selectOption('caller');
    const url = await shareLink(page, false);
    const other = await openFresh(browser, url);
    const opened = await other.state();
    expect(opened.selected).toBe(hex(area.start - sorted[0].start));
    expect(opened.colourMode).toBe('caller');
    await expect(other.page.getByTestId('share-note')).toContainText('hidden');

    // Another dump, given a view of its own.
    await other.pickSample(HASHED_SAMPLE);
    await expect(other.page.getByTestId('share-note')).toHaveCount(0);
    await other.colourMode.selectOption('module');
    const total = BigInt((await other.state()).viewEnd!);
    await other.zoomTo('0x' + (total / 4n).toString(16), '0x' + (total / 2n).toString(16));
    const sample = await other.state();
    expect(sample.viewStart).not.toBe(opened.viewStart);

    await switchHistory(other, 'shared link');
    const back = await other.state();
    expect(back.areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    expect(viewOf(back)).toEqual(viewOf(opened));
    await expect(other.page.getByTestId('share-note')).toContainText('hidden');
    await expect(other.details).toBeVisible();

    await switchHistory(other, HASHED_SAMPLE.split('/').pop()!);
    const again = await other.state();
    expect(again.areas).toBe(countAreaLines(HASHED_SAMPLE));
    expect(viewOf(again)).toEqual(viewOf(sample));
    await expect(other.page.getByTestId('share-note')).toHaveCount(0);
  });

  test('a two-line dump travels in a bit-packed link, with its view and selection', async ({ page, browser }) => {
    // The seed copied from a web page: its first line lost the space before its size, so the end
    // address is the first 16 hex digits after "-0x" and the size is end − start.
    const lines = readFileSync(samplePath(GLUED_SAMPLE), 'utf8').trim().split('\n');
    const bounds = lines.map((l) => [BigInt(l.slice(0, 18)), BigInt(l.slice(19, 37))]);
    const bytes = bounds.reduce((sum, [start, end]) => sum + Number(end - start), 0);
    const app = new MapPage(page);
    await app.open();
    await app.load(GLUED_SAMPLE);
    expect((await app.state()).bytes).toBe(bytes);
    // A view from the second area's start (not inside the collapsed break before it, where one
    // display unit stands for many bytes) to 16 pages past the dump's end.
    await app.zoomTo(hex(bounds[1][0]), hex(bounds[1][1] + 16n * PAGE));
    await app.clickArea(hex(bounds[1][0]));
    const before = await app.state();
    const withAddresses = await shareLink(page, true);
    await page.getByTestId('share-include-addresses').uncheck();
    await expect(page.getByTestId('share-url')).toHaveAttribute('data-addresses', 'hidden');
    const hidden = await page.getByTestId('share-url').inputValue();
    for (const [url, origin] of [
      [withAddresses, 0n],
      [hidden, bounds[0][0]],
    ] as const) {
      const fragment = new URL(url).hash.slice('#s='.length);
      // Under half the text's 176 bytes, view included, and packed: the first byte (the first
      // character's six bits and the second's top two) ends in the bits 111.
      expect(fragment.length).toBeLessThan(176 / 2);
      const digit = (k: number) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(fragment[k]);
      expect(((digit(0) << 2) | (digit(1) >> 4)) & 7).toBe(7);
      const other = await openFresh(browser, url);
      const after = await other.state();
      expect(after.areas).toBe(2);
      expect(after.bytes).toBe(bytes);
      expect(after.selected).toBe(hex(bounds[1][0] - origin));
      expect(BigInt(after.viewStart!)).toBe(BigInt(before.viewStart!) - origin);
      // Without addresses the map ends with the last area: the view reaching 16 pages past it stops there.
      expect(BigInt(after.viewEnd!)).toBe(origin === 0n ? BigInt(before.viewEnd!) : bounds[1][1] - origin);
      await other.page.context().close();
    }
  });

  test('a link made by `vmscope link` on the command line opens in the app', async ({ browser, baseURL }) => {
    const cli = spawnSync(process.execPath, ['src/cli/vmscope.mjs', 'link', samplePath(DEFAULT_SAMPLE), '--base', baseURL!], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const url = cli.stdout.trim();
    expect(url.startsWith(`${baseURL}#s=`)).toBe(true);
    const other = await openFresh(browser, url);
    const state = await other.state();
    expect(state.areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    expect(state.bytes).toBe(sorted.reduce((sum, l) => sum + l.size, 0));
    await expect(other.page.getByTestId('share-note')).toContainText('hidden');
  });

  test('a link pasted into an open page, whole or as its fragment, opens; a damaged one says why and keeps the dump', async ({ page, browser }) => {
    const app = new MapPage(page);
    await app.open();
    await app.load(HASHED_SAMPLE);
    const url = await shareLink(page, false);
    const other = new InputPage(await (await browser.newContext()).newPage());
    await other.open();
    expect((await other.state()).areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    await other.pasteOnPage(`  ${url}\n`);
    await expect(other.fileName).toHaveText('shared link');
    expect((await other.state()).areas).toBe(countAreaLines(HASHED_SAMPLE));
    await other.pickSample(DEFAULT_SAMPLE);
    await other.pasteInBox(url.slice(url.indexOf('#')));
    await expect(other.fileName).toHaveText('shared link');
    expect((await other.state()).areas).toBe(countAreaLines(HASHED_SAMPLE));
    // Cut short: the message, and the dump on screen stays.
    await other.pickSample(DEFAULT_SAMPLE);
    await other.pasteOnPage(url.slice(0, url.indexOf('#s=') + 12));
    await expect(other.page.getByTestId('share-error')).toContainText('could not be opened');
    expect((await other.state()).areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    await other.page.context().close();
  });

  test('a dump with counts at 2^53 − 1 and a phys at the top of the address space shares, and its link opens to the same dump', async ({ page, browser }) => {
    const top = 2n ** 53n - 1n;
    const lines = [
      `0xffa0000000000000-0x${(0xffa0000000000000n + top).toString(16)} ${top} f+0x1/0x2 vmalloc`,
      `0xffffc90000000000-0xffffc90000003000   12288 g+0x${top.toString(16)}/0x${top.toString(16)} pages=${top} vmalloc N0=${top}`,
      `0xffffc90000004000-0xffffc90000006000    8192 h+0x0/0x1 phys=0xfffffffffffff000 ioremap`,
    ];
    const app = new InputPage(page);
    await app.open();
    await app.openBytes('edges.vmallocinfo', Buffer.from(lines.join('\n') + '\n'));
    const before = await app.state();
    expect(before).toMatchObject({ fileName: 'edges.vmallocinfo', areas: 3, pointerMode: 'raw', diagnostics: 0 });
    const hidden = await shareLink(page, false);
    await page.getByTestId('share-include-addresses').check();
    await expect(page.getByTestId('share-url')).toHaveAttribute('data-addresses', 'included');
    const withAddresses = await page.getByTestId('share-url').inputValue();
    for (const url of [hidden, withAddresses]) {
      const other = await openFresh(browser, url);
      await expect(other.page.getByTestId('share-error')).toHaveCount(0);
      expect(await other.state()).toMatchObject({ fileName: 'shared link', areas: 3, pointerMode: 'raw', bytes: before.bytes });
      await other.page.context().close();
    }
  });

  test('a hashed dump keeps its view, selection and adjacency', async ({ page, browser }) => {
    const app = new MapPage(page);
    await app.open(`?sample=${HASHED_SAMPLE}`);
    const total = BigInt((await app.state()).viewEnd!);
    await app.zoomTo('0x' + (total / 5n).toString(16), '0x' + ((total * 3n) / 5n).toString(16));
    await app.hoverMapAt(0.4);
    await page.mouse.down();
    await page.mouse.up();
    await app.whenIdle();
    const before = await app.state();
    expect(before.selected).not.toBeNull();
    const url = await shareLink(page, false);
    const other = await openFresh(browser, url);
    const after = await other.state();
    expect(after.areas).toBe(countAreaLines(HASHED_SAMPLE));
    expect(after.pointerMode).toBe('hashed');
    expect(after.viewStart).toBe(before.viewStart);
    expect(after.viewEnd).toBe(before.viewEnd);
    expect(after.selected).toBe(before.selected);
    expect(after.bytes).toBe(before.bytes);
  });

  test('a tampered link says what is wrong and falls back to the default sample', async ({ page, browser }) => {
    const app = new MapPage(page);
    await app.open();
    const url = await shareLink(page, false);
    const at = url.indexOf('#s=') + 20;
    const tampered = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1, url.length - 10);
    const other = await openFresh(browser, tampered);
    await expect(other.page.getByTestId('share-error')).toContainText(/share link/);
    expect((await other.state()).areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    await expect(other.fileName).not.toHaveText('shared link');

    const garbage = await openFresh(browser, new URL('./#s=not*a*link', url).href);
    await expect(garbage.page.getByTestId('share-error')).toContainText(/cannot be in a link/);
    expect((await garbage.state()).areas).toBe(countAreaLines(DEFAULT_SAMPLE));
  });

  test('nothing leaves the browser: every request goes to the app’s own origin, and the CSP holds', async ({ browser, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const context = await browser.newContext();
    const requests: string[] = [];
    const violations: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const watch = (p: Page) => p.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    const page = await context.newPage();
    watch(page);
    const app = new MapPage(page);
    await app.open();
    await app.load('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo');
    const url = await shareLink(page, false);
    await page.getByTestId('share-copy').click();

    const fresh = await context.newPage();
    watch(fresh);
    await fresh.goto(url);
    await new MapPage(fresh).whenIdle();
    expect((await new MapPage(fresh).state()).areas).toBe(countAreaLines('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo'));

    expect(requests.length).toBeGreaterThan(3);
    const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    // The fragment never reaches the server: no request carries the link.
    expect(requests.filter((u) => u.includes('#s=') || u.includes(url.slice(url.indexOf('#s=') + 3, url.indexOf('#s=') + 40)))).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  });
});

test.describe('a snapshot too large for a link', () => {
  test('offers the compact file, which opens like any dump', async ({ page }, testInfo) => {
    // 20,000 areas with varied sizes, holes and callers: well past a practical 32 KB link.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let at = 0xffffc90000000000n;
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const pages = 1 + Math.floor(next() * 64);
      const size = (pages + 1) * 4096;
      const end = at + BigInt(size);
      const caller = `fn_${Math.floor(next() * 400)}+0x${Math.floor(next() * 4096).toString(16)}/0x1000`;
      lines.push(`0x${at.toString(16)}-0x${end.toString(16)} ${String(size).padStart(7)} ${caller} pages=${pages} vmalloc N0=${pages}`);
      at = end + BigInt(Math.floor(next() * 16)) * 4096n;
    }
    const dump = testInfo.outputPath('big.vmallocinfo');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(dump, lines.join('\n') + '\n');

    const app = new MapPage(page);
    await app.open();
    await app.openFile(dump);
    expect((await app.state()).areas).toBe(20000);
    await page.getByTestId('share-button').click();
    await expect(page.getByTestId('share-too-long')).toContainText('too large for a practical link');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-download').click()]);
    expect(download.suggestedFilename()).toBe('big.vmscope');
    const file = testInfo.outputPath('big.vmscope');
    await download.saveAs(file);

    await app.pickSample(DEFAULT_SAMPLE);
    expect((await app.state()).areas).toBe(countAreaLines(DEFAULT_SAMPLE));
    await app.openFile(file);
    const s = await app.state();
    expect(s.areas).toBe(20000);
    expect(s.fileName).toBe('big.vmscope');
    await expect(page.getByTestId('share-note')).toContainText('hidden');
  });
});
