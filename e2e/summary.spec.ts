import { expect, test } from '@playwright/test';
import { SummaryPage } from './pages/SummaryPage.ts';
import {
  DEFAULT_SAMPLE,
  GLUED_SAMPLE,
  HASHED_SAMPLE,
  ZEROED_SAMPLE,
  baseName,
  countAreaLines,
  areaLines,
  binaryBytes,
  byAddress,
  samplePath,
} from './fixtures.ts';
import { readFileSync } from 'node:fs';

test.describe('the summary page', () => {

  test('the nearly full i386 sample headlines its largest free hole in the vmalloc range, VmallocTotal below VMALLOC_END', async ({ page }) => {
    const SAMPLE = 'kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo';
    // The range from the files: the top area (a percpu chunk) ends at VMALLOC_END; VmallocTotal
    // from the companion /proc/meminfo gives its start.
    const lines = byAddress(areaLines(SAMPLE));
    const end = lines.reduce((m, l) => (l.end > m ? l.end : m), 0n);
    const totalKb = BigInt(/VmallocTotal:\s+(\d+)/.exec(readFileSync(samplePath(SAMPLE.replace(/\.vmallocinfo$/, '.meminfo')), 'utf8'))![1]);
    let at = end - totalKb * 1024n;
    let largest = 0n;
    for (const l of lines) {
      if (l.start > at && l.start - at > largest) largest = l.start - at;
      if (l.end > at) at = l.end;
    }
    if (end - at > largest) largest = end - at;
    const app = new SummaryPage(page);
    await app.open();
    await app.load(SAMPLE);
    await expect(page.getByText('Largest free hole', { exact: true })).toBeVisible();
    await expect(app.largestGap).toHaveText(binaryBytes(Number(largest)));
  });
  test('opens with the default sample and shows its real area count', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    const expected = countAreaLines(DEFAULT_SAMPLE);
    expect(expected).toBeGreaterThan(0);

    await expect(app.fileName).toHaveText(baseName(DEFAULT_SAMPLE));
    await app.expectAreaCount(expected);
    await expect(app.sampleSelect).toHaveValue(DEFAULT_SAMPLE);
    expect(await app.state()).toMatchObject({ areas: expected, pointerMode: 'raw', fileName: baseName(DEFAULT_SAMPLE) });
    await expect(app.pointerMode).toHaveAttribute('data-mode', 'raw');
    await expect(app.layoutName).toContainText('x86_64');
  });

  test('names the areas with no pages= by kind instead of calling them unbacked', async ({ page }, testInfo) => {
    const app = new SummaryPage(page);
    await app.open();
    // Read from the file: the area lines that print no pages=, by the word that says what they are.
    const noPages = areaLines(DEFAULT_SAMPLE).filter((l) => !/ pages=\d+/.test(l.text));
    const words = (l: { text: string }) => l.text.trim().split(/\s+/);
    const ioremap = noPages.filter((l) => words(l).includes('ioremap')).length;
    const unpurged = noPages.filter((l) => words(l).includes('unpurged')).length;
    const vmMapRam = noPages.filter((l) => words(l)[2] === 'vm_map_ram').length;
    expect(ioremap).toBeGreaterThan(0);
    expect(unpurged).toBeGreaterThan(0);

    const key = page.getByTestId('backing-unbacked');
    await expect(key.locator('.stack-label')).toHaveText('No pages= printed');
    await expect(key).not.toContainText('Unbacked');
    const detail = page.getByTestId('backing-no-pages-kinds');
    await expect(detail).toContainText(`ioremap (${ioremap} areas, device memory)`);
    await expect(detail).toContainText(`unpurged (${unpurged} areas, lazily freed`);
    await expect(detail).toContainText(`vm_map_ram (${vmMapRam} areas`);
    // Every area without pages= is in one of the kinds listed.
    const listed = [...(await detail.innerText()).matchAll(/\((\d[\d,]*) areas?\b/g)].reduce((sum, m) => sum + Number(m[1].replace(/,/g, '')), 0);
    expect(listed).toBe(noPages.length);
    await page.getByTestId('backing').screenshot({ path: testInfo.outputPath('backing.png') });
  });

  test('shows the exact byte count in a tooltip on the total size', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    const { bytes } = await app.state();
    expect(bytes).not.toBeNull();
    await expect(app.totalBytes.locator('[title]')).toHaveAttribute('title', `${bytes!.toLocaleString('en-US')} bytes`);
  });

  test('lists every bundled dump in the sample menu', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    const values = await app.sampleSelect.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(values).toContain(DEFAULT_SAMPLE);
    expect(values).toContain(HASHED_SAMPLE);
    expect(values).toContain(ZEROED_SAMPLE);
  });

  test('picking a hashed sample shows pointer mode hashed', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    await app.pickSample(HASHED_SAMPLE);

    await expect(app.fileName).toHaveText(baseName(HASHED_SAMPLE));
    await expect(app.pointerMode).toHaveAttribute('data-mode', 'hashed');
    await expect(app.pointerMode).toContainText('hashed');
    await expect(app.pointerMode).toContainText('layout is not');
    await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
    expect((await app.state()).pointerMode).toBe('hashed');
  });

  test('the zeroed sample shows pointer mode zero', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    await app.load(ZEROED_SAMPLE);

    await expect(app.pointerMode).toHaveAttribute('data-mode', 'zero');
    await expect(app.pointerMode).toContainText('zero');
    await app.expectAreaCount(countAreaLines(ZEROED_SAMPLE));
    expect(await app.state()).toMatchObject({ pointerMode: 'zero', fileName: baseName(ZEROED_SAMPLE) });
  });

  test('a sample named in the URL is the one that opens', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open(`?sample=${encodeURIComponent(ZEROED_SAMPLE)}`);
    expect(await app.state()).toMatchObject({ pointerMode: 'zero', areas: countAreaLines(ZEROED_SAMPLE) });
  });

  test('a line with the size glued to its address shows up as a diagnostic with its line number', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    await app.load(GLUED_SAMPLE);

    await expect(app.diagnostics).toContainText('1 diagnostic');
    await expect(app.diagnostics.getByText('line 1', { exact: true })).toBeVisible();
    await expect(app.diagnostics).toContainText('glued');
  });

  test('a file chosen from disk is parsed in the browser', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    await app.openFile(samplePath(HASHED_SAMPLE));

    await expect(app.fileName).toHaveText(baseName(HASHED_SAMPLE));
    await expect(app.pointerMode).toHaveAttribute('data-mode', 'hashed');
    await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
  });

  test('parsing happens in a worker, and still works on the main thread without one', async ({ page }) => {
    const app = new SummaryPage(page);
    await app.open();
    expect((await app.state()).parsedIn).toBe('worker');

    await page.addInitScript(() => {
      Object.defineProperty(window, 'Worker', { value: undefined });
    });
    await app.open();
    expect(await app.state()).toMatchObject({ parsedIn: 'main thread', areas: countAreaLines(DEFAULT_SAMPLE) });
  });
});
