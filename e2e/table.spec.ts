import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { TablePage } from './pages/TablePage.ts';
import { DEFAULT_SAMPLE, HASHED_SAMPLE, areaLines, byAddress, samplePath, shotPath } from './fixtures.ts';
import type { AreaLine } from './fixtures.ts';


/** The [module] tag of an area line, read with a regular expression. */
const moduleOf = (l: AreaLine) => /\s\[([\w.-]+)\]/.exec(l.text)?.[1] ?? null;
/**
 * The untagged area holding a module's base address by the sample's /proc/modules companion (the
 * app attaches it), read with split: `e1000 163840 0 - Live 0xffffffffc059e000`.
 */
const loaderAreaOf = (lines: AreaLine[], module: string): number => {
  const modules = readFileSync(samplePath(DEFAULT_SAMPLE.replace(/\.vmallocinfo$/, '.modules')), 'utf8');
  const base = BigInt(modules.split('\n').find((l) => l.startsWith(`${module} `))!.trim().split(/\s+/)[5]);
  return lines.findIndex((l) => moduleOf(l) === null && l.start <= base && base < l.end);
};
const isKind = (l: AreaLine, kind: string) => l.text.trim().split(/\s+/).slice(2).includes(kind);

test.describe('the areas table', () => {
  const lines = areaLines(DEFAULT_SAMPLE);

  test('lists every area of the default sample, building only the rows in view', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    await expect(app.count).toContainText(`${lines.length} areas`);
    expect(await app.tableRows()).toBe(lines.length);
    const inDom = await app.rows.count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(60);
    // Default: address order, lowest first.
    const first = byAddress(lines)[0];
    expect((await app.rowIndices())[0]).toBe(lines.indexOf(first));
    await expect(app.table.locator('[role="columnheader"][aria-sort="ascending"]')).toContainText('Start');
  });

  test('sorting by size puts the largest area first', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    await app.sortBy('size');
    const max = Math.max(...lines.map((l) => l.size));
    const largest = byAddress(lines.filter((l) => l.size === max))[0];
    const first = (await app.rowIndices())[0];
    expect(first).toBe(lines.indexOf(largest));
    await expect(app.row(first)).toContainText(largest.startHex);
    await expect(app.table.locator('[role="columnheader"][aria-sort="descending"]')).toContainText('Size');
    expect((await app.state()).table).toMatchObject({ sortKey: 'size', sortDir: 'desc' });

    await app.sortBy('size');
    const min = Math.min(...lines.map((l) => l.size));
    expect(lines[(await app.rowIndices())[0]].size).toBe(min);
  });

  test('filtering by a module shows the areas tagged with it and, by /proc/modules, the area holding its code', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const loader = loaderAreaOf(lines, 'virtio_pci_modern_dev');
    expect(loader).toBeGreaterThanOrEqual(0);
    const tagged = lines
      .flatMap((l, i) => (moduleOf(l) === 'virtio_pci_modern_dev' || i === loader ? [i] : []))
      .sort((a, b) => a - b);
    expect(tagged.length).toBeGreaterThan(2);
    await app.filterBy('[virtio_pci_modern_dev]');
    await expect(app.count).toContainText(`${tagged.length} of ${lines.length} areas`);
    expect((await app.rowIndices()).sort((a, b) => a - b)).toEqual(tagged);
    expect(await app.tableRows()).toBe(tagged.length);
  });

  test('filtering by an address inside an area finds that area', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const target = lines.find((l) => l.size >= 16384)!;
    const inside = '0x' + (target.start + 0x1234n).toString(16).padStart(16, '0');
    await app.filterBy(inside);
    expect(await app.rowIndices()).toEqual([lines.indexOf(target)]);
  });

  test('the kind chips hide and show kinds', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const ioremaps = lines.filter((l) => isKind(l, 'ioremap')).length;
    expect(ioremaps).toBeGreaterThan(0);
    await app.kindFilter.getByRole('checkbox', { name: /ioremap/ }).uncheck();
    await expect(app.count).toContainText(`${lines.length - ioremaps} of ${lines.length} areas`);
    expect((await app.state()).table!.kinds).not.toContain('ioremap');
    await app.kindFilter.getByRole('button', { name: 'show all kinds' }).click();
    await expect(app.count).toContainText(`${lines.length} areas`);
  });

  test('clicking a row selects that area on the map and zooms to it', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    await app.sortBy('size');
    const index = (await app.rowIndices())[2];
    await app.row(index).click();
    await app.whenIdle();
    const s = await app.state();
    expect(s.selected).toBe(lines[index].startHex);
    expect(BigInt(s.viewStart!) <= lines[index].start && lines[index].end <= BigInt(s.viewEnd!)).toBe(true);
    await expect(app.row(index)).toHaveAttribute('aria-selected', 'true');
    // The table lies below the map: the click brings the map into view to show where the area is.
    await expect(page.getByTestId('map')).toBeInViewport();
  });

  test('selecting an area on the map scrolls the table to its row', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const last = byAddress(lines).at(-1)!;
    await expect(app.row(lines.indexOf(last))).toHaveCount(0);
    await app.searchInput.fill(last.startHex);
    await app.searchInput.press('Enter');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(last.startHex);
    // The page stays put; inside the table's own scroll box, the row is in view.
    await app.body.scrollIntoViewIfNeeded();
    await expect(app.row(lines.indexOf(last))).toBeInViewport();
    await expect(app.row(lines.indexOf(last))).toHaveAttribute('aria-selected', 'true');
  });

  test('arrow keys move the selection and Enter zooms the map to it', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const ordered = byAddress(lines);
    await app.body.focus();
    await page.keyboard.press('ArrowDown');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(ordered[0].startHex);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(ordered[2].startHex);
    await page.keyboard.press('ArrowUp');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(ordered[1].startHex);
    const before = await app.state();
    await page.keyboard.press('Enter');
    await app.whenIdle();
    const after = await app.state();
    const width = (s: typeof after) => BigInt(s.viewEnd!) - BigInt(s.viewStart!);
    expect(width(after) < width(before)).toBe(true);
    expect(BigInt(after.viewStart!) <= ordered[1].start && ordered[1].end <= BigInt(after.viewEnd!)).toBe(true);
  });

  test('export CSV and JSON download the filtered rows', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const loader = lines[loaderAreaOf(lines, 'e1000')];
    const tagged = lines.filter((l) => moduleOf(l) === 'e1000' || l === loader);
    await app.filterBy('[e1000]');
    await expect(app.count).toContainText(`${tagged.length} of`);

    const [csv] = await Promise.all([page.waitForEvent('download'), app.exportCsv.click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const csvLines = readFileSync(await csv.path(), 'utf8').split('\n').filter((l) => l !== '');
    expect(csvLines.length).toBe(1 + tagged.length);
    for (const l of tagged) expect(csvLines.some((c) => c.includes(l.startHex))).toBe(true);

    const [json] = await Promise.all([page.waitForEvent('download'), app.exportJson.click()]);
    expect(json.suggestedFilename()).toMatch(/\.json$/);
    const objects = JSON.parse(readFileSync(await json.path(), 'utf8')) as Array<{ module: string | null; start: string }>;
    expect(objects.length).toBe(tagged.length);
    // The export says what the dump printed: the loader area has no [module] tag.
    expect(objects.filter((o) => o.module === 'e1000').length).toBe(tagged.length - 1);
    expect(objects.filter((o) => o.module === null).map((o) => o.start)).toEqual([loader.startHex]);
  });

  test('a hashed dump keeps file order under "Start" and says so', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    await app.load(HASHED_SAMPLE);
    const hashed = areaLines(HASHED_SAMPLE);
    await expect(app.count).toContainText(`${hashed.length} areas`);
    await expect(app.sortNote).toContainText('hashed');
    expect((await app.rowIndices()).slice(0, 3)).toEqual([0, 1, 2]);
    await expect(app.row(0)).toContainText(hashed[0].startHex);
  });
});

test.describe('the summary bars', () => {
  const lines = areaLines(DEFAULT_SAMPLE);

  test('clicking a caller bar highlights its areas, and the chip or Escape clears it', async ({ page }, testInfo) => {
    const app = new TablePage(page);
    await app.open();
    const loaders = lines.filter((l) => l.symbol === 'load_module').length;
    expect(loaders).toBeGreaterThan(0);
    await app.bar('caller:load_module').click();
    await app.whenIdle();
    expect((await app.state()).highlight).toEqual({ label: 'caller load_module', count: loaders });
    await expect(app.chip).toContainText('Highlighting: caller load_module');
    await expect(app.bar('caller:load_module')).toHaveAttribute('aria-pressed', 'true');
    await expect(app.count).toContainText(`${loaders} of ${lines.length} areas`);
    await app.chip.getByTestId('highlight-show').click();
    await app.whenIdle();
    await expect(app.map).toBeInViewport();
    const shown = await app.state();
    const loaderStarts = lines.filter((l) => l.symbol === 'load_module').map((l) => l.start);
    for (const start of loaderStarts) expect(BigInt(shown.viewStart!) <= start && start < BigInt(shown.viewEnd!)).toBe(true);
    await app.map.screenshot({ path: shotPath(testInfo, 'highlighted-map.png') });
    // A loader area keeps its colour; its neighbour in address order, another caller's, is dimmed.
    const ordered = byAddress(lines);
    const k = ordered.findIndex((l, j) => l.symbol === 'load_module' && ordered[j - 1]?.symbol !== 'load_module' && ordered[j - 1]?.size >= 8192);
    const [other, loader] = [ordered[k - 1], ordered[k]];
    await app.zoomTo(other.startHex, loader.endHex);
    const bright = await app.colourOfArea(loader.startHex);
    const dim = await app.colourOfArea(other.startHex);
    const sum = (c: number[]) => c[0] + c[1] + c[2];
    expect(sum(dim) - sum(bright)).toBeGreaterThan(150);

    await app.chip.getByRole('button', { name: 'Clear the highlight' }).click();
    await app.whenIdle();
    expect((await app.state()).highlight).toBeNull();
    await expect(app.chip).toHaveCount(0);
    expect(await app.tableRows()).toBe(lines.length);

    await app.bar('caller:load_module').click();
    expect((await app.state()).highlight).not.toBeNull();
    await page.keyboard.press('Escape');
    await app.whenIdle();
    expect((await app.state()).highlight).toBeNull();
  });

  test('clicking a bar brings its highlighted areas into view: the map zooms to them and scrolls on screen', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const loaders = lines.filter((l) => l.symbol === 'load_module');
    // Look elsewhere first: the lowest area alone, which no loader area is near.
    const lowest = byAddress(lines)[0];
    expect(loaders.every((l) => l.start > lowest.end)).toBe(true);
    await app.zoomTo(lowest.startHex, lowest.endHex);
    await app.bar('caller:load_module').scrollIntoViewIfNeeded();
    await expect(app.map).not.toBeInViewport();
    await app.bar('caller:load_module').click();
    await app.whenIdle();
    await expect(app.map).toBeInViewport();
    const s = await app.state();
    expect(s.highlight).toEqual({ label: 'caller load_module', count: loaders.length });
    for (const l of loaders) expect(BigInt(s.viewStart!) <= l.start && l.end <= BigInt(s.viewEnd!)).toBe(true);
    // Zoomed to them, not to the whole map: from the lowest loader area to the highest spans most of the map's width.
    const ordered = byAddress(loaders);
    const first = await app.areaBox(ordered[0].startHex);
    const last = await app.areaBox(ordered.at(-1)!.startHex);
    const mapBox = (await app.canvas.boundingBox())!;
    expect(last.x + last.width - first.x).toBeGreaterThan(mapBox.width * 0.8);
    // The same bar again clears the highlight and leaves the view alone.
    await app.bar('caller:load_module').click();
    await app.whenIdle();
    expect(await app.state()).toMatchObject({ highlight: null, viewStart: s.viewStart, viewEnd: s.viewEnd });
  });

  test('the callers bars name lazily freed areas and vm_map_ram blocks for what they are', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const lazy = lines.filter((l) => / unpurged vm_area\s*$/.test(l.text));
    const ram = lines.filter((l) => / vm_map_ram\s*$/.test(l.text));
    expect(lazy.length).toBeGreaterThan(0);
    expect(ram.length).toBeGreaterThan(0);
    await expect(app.bar('caller:(vm_map_ram)')).toContainText(ram.length.toLocaleString('en-US'));
    await expect(app.bar('caller:(lazily freed)')).toContainText(lazy.length.toLocaleString('en-US'));
    await app.bar('caller:(lazily freed)').click();
    await app.whenIdle();
    expect((await app.state()).highlight).toEqual({ label: 'caller (lazily freed)', count: lazy.length });
  });

  test('the kind bars count the areas of each kind, and a kind bar highlights them', async ({ page }) => {
    const app = new TablePage(page);
    await app.open();
    const ioremaps = lines.filter((l) => isKind(l, 'ioremap'));
    await expect(app.bar('kind:ioremap')).toContainText(String(ioremaps.length));
    await app.bar('kind:ioremap').click();
    await app.whenIdle();
    expect((await app.state()).highlight).toEqual({ label: 'kind ioremap', count: ioremaps.length });
  });

  test('screenshots of the bars and the filtered table, light and dark', async ({ page }, testInfo) => {
    const app = new TablePage(page);
    await app.open();
    await page.getByTestId('backing').scrollIntoViewIfNeeded();
    await page.getByTestId('kinds').screenshot({ path: shotPath(testInfo, 'kinds.png') });
    await page.locator('.summary').screenshot({ path: shotPath(testInfo, 'summary-bars.png') });
    await app.filterBy('module');
    expect((await app.state()).table).toMatchObject({ filter: 'module' });
    expect((await app.state()).table!.rows).toBeGreaterThan(0);
    await app.table.screenshot({ path: shotPath(testInfo, 'table-filtered.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.filterBy('');
    expect((await app.state()).table!.rows).toBe(areaLines(DEFAULT_SAMPLE).length);
    await app.bar('module:e1000').click();
    await app.whenIdle();
    // What the dark pictures show: e1000's areas highlighted, at least every area tagged [e1000].
    const highlight = (await app.state()).highlight;
    expect(highlight?.label).toContain('e1000');
    expect(highlight!.count).toBeGreaterThanOrEqual(areaLines(DEFAULT_SAMPLE).filter((l) => moduleOf(l) === 'e1000').length);
    expect(highlight!.count).toBeGreaterThan(0);
    await page.locator('.summary').screenshot({ path: shotPath(testInfo, 'summary-dark.png') });
    await app.table.screenshot({ path: shotPath(testInfo, 'table-dark.png') });
    await page.getByTestId('map').screenshot({ path: shotPath(testInfo, 'map-dark-highlight.png') });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgb(245, 246, 248)');
  });
});
