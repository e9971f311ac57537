// The zoomable map, driven the way a user drives it: pointer, wheel, keys and the search box.
// Expected values come from the fixture files themselves, read with plain string splitting.
import { expect, test } from '@playwright/test';
import { MapPage } from './pages/MapPage.ts';
import { readFileSync } from 'node:fs';
import { DEFAULT_SAMPLE, HASHED_SAMPLE, ZEROED_SAMPLE, areaLines, binaryBytes, byAddress, hex, samplePath, shotPath } from './fixtures.ts';
import { LANES } from '../src/app/map/lanes.ts';

const raw = areaLines(DEFAULT_SAMPLE);
const sorted = byAddress(raw);
const PAGE = 4096n;
const GiB = 1n << 30n;

/** The first line of the raw sample whose caller is `symbol`, and its neighbours in address order. */
function around(symbol: string) {
  const k = sorted.findIndex((l) => l.symbol === symbol);
  return { area: sorted[k], prev: sorted[k - 1], next: sorted[k + 1] };
}

function holeText(from: bigint, to: bigint): string {
  return to === from ? 'none (adjacent)' : binaryBytes(Number(to - from));
}

test.describe('the map of a raw dump', () => {
  test('opens collapsed, spanning the vmalloc range up to the top of the module area', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await expect(app.canvas).toBeVisible();
    await expect(app.canvas).toHaveAttribute('aria-label', /367 areas at their addresses/);
    const s = await app.state();
    expect(s.collapsed).toBe(true);
    // x86_64 4-level: KASLR puts the vmalloc base on a GiB boundary; modules end at 0xffffffffff000000.
    expect(s.viewStart).toBe(hex((sorted[0].start / GiB) * GiB));
    expect(s.viewEnd).toBe('0xffffffffff000000');
    expect(s.selected).toBeNull();
  });

  test('hovering the hpet_enable ioremap shows its range, size, caller and phys in the tooltip', async ({ page }) => {
    const { area } = around('hpet_enable');
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(area.start - 4n * PAGE), hex(area.end + 4n * PAGE));
    await app.hoverArea(area.startHex);

    await expect(app.tooltip).toBeVisible();
    await expect(app.tooltipField('Range')).toHaveText(`${area.startHex}–${area.endHex}`);
    await expect(app.tooltipField('Size')).toContainText(binaryBytes(area.size));
    await expect(app.tooltipField('Caller')).toHaveText(area.caller!);
    await expect(app.tooltipField('Phys')).toHaveText(/phys=(0x[0-9a-f]+)/.exec(area.text)![1]);
    await expect(app.tooltipField('Guard')).toHaveText(`4 KiB at ${hex(area.end - PAGE)}`);
  });

  test('clicking an area opens its details with its neighbours and the holes on either side', async ({ page }) => {
    const { area, prev, next } = around('hpet_enable');
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(area.start - 4n * PAGE), hex(area.end + 4n * PAGE));
    await app.clickArea(area.startHex);

    expect((await app.state()).selected).toBe(area.startHex);
    await expect(app.details).toBeVisible();
    await expect(app.detail('Caller')).toHaveText(area.caller!);
    await expect(app.detail('Line')).toHaveText(String(area.line));
    await expect(app.details.getByTestId('previous-area')).toHaveText(prev.symbol!);
    await expect(app.details.getByTestId('next-area')).toHaveText(next.symbol!);
    await expect(app.detail('hole-before')).toHaveText(holeText(prev.end, area.start));
    await expect(app.detail('hole-after')).toContainText(holeText(area.end, next.start));

    await app.details.getByTestId('next-area').click();
    await app.whenIdle();
    expect((await app.state()).selected).toBe(next.startHex);
  });

  test('the wheel zooms about the cursor: the area under it stays put', async ({ page }) => {
    const { area } = around('hpet_enable');
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(area.start - 64n * PAGE), hex(area.end + 64n * PAGE));
    const before = await app.view();
    const { x, y } = await app.centreOf(area.startHex);
    // Mouse events land on whole CSS pixels: zoom about the pixel the pointer is really on.
    const mouseX = Math.round(x);

    await app.wheelAt(mouseX, y, -400);
    const after = await app.view();
    expect(after.end - after.start).toBeLessThan((before.end - before.start) / 2n);
    // The point under the pointer stays put, so the area's centre moves away from it by the zoom factor.
    const scale = Number(before.end - before.start) / Number(after.end - after.start);
    expect((await app.centreOf(area.startHex)).x).toBeCloseTo(mouseX + (x - mouseX) * scale, 0);
  });

  test('double-clicking a module area zooms to it', async ({ page }) => {
    const biggest = raw.filter((l) => l.symbol === 'load_module').reduce((a, b) => (b.size > a.size ? b : a));
    const app = new MapPage(page);
    await app.open();
    await app.doubleClickArea(biggest.startHex);

    const v = await app.view();
    expect(v.start).toBeLessThanOrEqual(biggest.start);
    expect(v.end).toBeGreaterThanOrEqual(biggest.end);
    // A quarter of its size free on either side, to the byte.
    expect(Number(v.end - v.start)).toBeCloseTo(biggest.size * 1.5, -1);
  });

  test('searching a caller highlights every match, and Enter steps through them in address order', async ({ page }) => {
    const stacks = sorted.filter((l) => l.symbol === 'kernel_clone');
    const app = new MapPage(page);
    await app.open();
    await app.search('kernel_clone');
    await expect(app.searchStatus).toContainText(`${stacks.length} areas match`);
    expect((await app.state()).matches).toBe(stacks.length);

    for (const stack of stacks.slice(0, 3)) {
      await app.searchNext();
      const s = await app.state();
      expect(s.selected).toBe(stack.startHex);
      expect(BigInt(s.viewStart!)).toBeLessThanOrEqual(stack.start);
      expect(BigInt(s.viewEnd!)).toBeGreaterThanOrEqual(stack.end);
    }
    await expect(app.searchStatus).toHaveText(`Match 3 of ${stacks.length}`);
    await expect(app.detail('Caller')).toHaveText(stacks[2].caller!);
  });

  test('in the search box Enter and Shift+Enter step through matches, Esc hands n / N back to the map', async ({ page }, testInfo) => {
    const stacks = sorted.filter((l) => l.symbol === 'kernel_clone');
    expect(stacks.length).toBeGreaterThan(2);
    const app = new MapPage(page);
    await app.open();
    await app.search('kernel_clone');
    await expect(app.searchStatus).toContainText('Enter / Shift+Enter step through them');
    await expect(page.locator('.map-help')).toContainText('In the search box: Enter / Shift+Enter for the next or previous match, Esc to come back to the map');
    await app.searchNext();
    expect((await app.state()).selected).toBe(stacks[0].startHex);
    await app.searchInput.press('Shift+Enter');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(stacks[stacks.length - 1].startHex); // wraps to the last

    // Esc: the map has the keys, the query stays, and n steps on instead of typing into the box.
    await app.searchInput.press('Escape');
    await expect(app.canvas).toBeFocused();
    await expect(app.searchInput).toHaveValue('kernel_clone');
    await page.keyboard.press('n');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(stacks[0].startHex);
    await page.keyboard.press('n');
    await app.whenIdle();
    expect((await app.state()).selected).toBe(stacks[1].startHex);
    await expect(app.searchInput).toHaveValue('kernel_clone');
    await app.map.screenshot({ path: testInfo.outputPath('search-matches.png') });
  });

  test('a search that finds nothing says so and does not leave the last match selected', async ({ page }, testInfo) => {
    const stacks = sorted.filter((l) => l.symbol === 'kernel_clone');
    const missing = 'no_such_caller_here';
    expect(areaLines(DEFAULT_SAMPLE).some((l) => l.text.toLowerCase().includes(missing))).toBe(false);
    const app = new MapPage(page);
    await app.open();
    await app.search('kernel_clone');
    await app.searchNext();
    expect((await app.state()).selected).toBe(stacks[0].startHex);

    await app.search(missing);
    await expect(app.searchStatus).toHaveText(`No match: no area's caller or module contains “${missing}”`);
    expect(await app.state()).toMatchObject({ selected: null, matches: 0 });
    await expect(app.details).toBeHidden();
    await app.searchNext();
    await expect(app.searchStatus).toContainText('No match');
    await page.locator('.map-head').screenshot({ path: testInfo.outputPath('search-no-match.png') });

    // A selection the user made is not the search's to clear.
    await app.search('kernel_clone');
    await app.searchNext();
    await app.canvas.focus();
    await page.keyboard.press(']');
    await app.whenIdle();
    const next = sorted[sorted.findIndex((l) => l.startHex === stacks[0].startHex) + 1];
    expect((await app.state()).selected).toBe(next.startHex);
    await app.search(missing);
    expect((await app.state()).selected).toBe(next.startHex);
  });

  test('an address inside a free hole shows that hole, with its exact bounds and size', async ({ page }) => {
    const k = sorted.findIndex((l, j) => j + 1 < sorted.length && l.end < sorted[j + 1].start);
    const [before, after] = [sorted[k], sorted[k + 1]];
    const app = new MapPage(page);
    await app.open();
    await app.search(hex(before.end + 0x10n));
    await app.searchNext();

    await expect(app.searchStatus).toContainText(`free hole of ${binaryBytes(Number(after.start - before.end))}`);
    await expect(app.searchStatus).toContainText(`${hex(before.end)}–${hex(after.start)}`);
    const v = await app.view();
    expect(v.start).toBeLessThanOrEqual(before.end);
    expect(v.end).toBeGreaterThanOrEqual(after.start);
  });

  test('hovering a free hole tells its size and bounds', async ({ page }) => {
    const k = sorted.findIndex((l, j) => j + 1 < sorted.length && l.end < sorted[j + 1].start);
    const [before, after] = [sorted[k], sorted[k + 1]];
    const app = new MapPage(page);
    await app.open();
    await app.search(hex(before.end));
    await app.searchNext();
    // The search centres the hole; the pointer goes to the middle of the map.
    await app.hoverMapAt(0.5);
    await expect(app.tooltip).toContainText('Free hole');
    await expect(app.tooltipField('Range')).toHaveText(`${hex(before.end)}–${hex(after.start)}`);
    await expect(app.tooltipField('Size')).toContainText(binaryBytes(Number(after.start - before.end)));
  });

  test('hovering a collapsed break tells the true size of the free space it stands for', async ({ page }) => {
    // The free top of the vmalloc range: from the last area below the per-CPU chunk up to that chunk.
    const vmalloc = sorted.filter((l) => l.start < 0xffffff0000000000n);
    const [below, chunk] = vmalloc.slice(-2);
    const app = new MapPage(page);
    await app.open();
    await app.search(hex(below.end + (1n << 40n)));
    await app.searchNext();
    await app.hoverMapAt(0.5);
    await expect(app.tooltip).toContainText('Free space, collapsed');
    await expect(app.tooltipField('Size')).toContainText(binaryBytes(Number(chunk.start - below.end)));
    await expect(app.tooltipField('Range')).toHaveText(`${hex(below.end)}–${chunk.startHex}`);
  });

  test('an address inside an area selects that area', async ({ page }) => {
    const { area } = around('hpet_enable');
    const app = new MapPage(page);
    await app.open();
    await app.search(hex(area.start + 0x123n));
    await app.searchNext();
    expect((await app.state()).selected).toBe(area.startHex);
    await expect(app.details).toContainText(area.caller!);
  });

  test('0 resets the view to the whole map', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    const whole = await app.state();
    await app.zoomTo(sorted[10].startHex, sorted[20].endHex);
    expect((await app.state()).viewStart).not.toBe(whole.viewStart);

    await app.press('0');
    const s = await app.state();
    expect([s.viewStart, s.viewEnd]).toEqual([whole.viewStart, whole.viewEnd]);
  });

  test('C switches between the collapsed and the linear map, keeping the addresses at the edges', async ({ page }) => {
    const { area } = around('hpet_enable');
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(area.start - 16n * PAGE), hex(area.end + 16n * PAGE));
    const collapsed = await app.state();

    await app.press('c');
    const linear = await app.state();
    expect(linear.collapsed).toBe(false);
    await expect(app.collapseToggle).not.toBeChecked();
    expect([linear.viewStart, linear.viewEnd]).toEqual([collapsed.viewStart, collapsed.viewEnd]);

    await app.press('0');
    await app.press('C');
    const back = await app.state();
    expect(back.collapsed).toBe(true);
    expect([back.viewStart, back.viewEnd]).toEqual([hex((sorted[0].start / GiB) * GiB), '0xffffffffff000000']);
  });

  test('+ and − zoom about the centre, and the arrow keys pan by a tenth of the view', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(sorted[0].start), hex(sorted[0].start + 1024n * PAGE));
    const v0 = await app.view();
    const span0 = v0.end - v0.start;

    await app.press('+');
    const v1 = await app.view();
    expect(Number(v1.end - v1.start)).toBeCloseTo(Number(span0) / 2, -1);
    expect(Number(v1.start + v1.end) / 2).toBeCloseTo(Number(v0.start + v0.end) / 2, -2);

    await app.press('ArrowRight');
    const v2 = await app.view();
    expect(Number(v2.start - v1.start)).toBeCloseTo(Number(v1.end - v1.start) / 10, -1);

    await app.press('-');
    const v3 = await app.view();
    expect(Number(v3.end - v3.start)).toBeCloseTo(Number(span0), -1);
  });

  test('dragging pans the map by the distance dragged', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(sorted[0].start + 256n * PAGE), hex(sorted[0].start + 512n * PAGE));
    const before = await app.view();
    const width = (await app.canvas.boundingBox())!.width;

    await app.drag(200);
    const after = await app.view();
    expect(Number(before.start - after.start)).toBeCloseTo((Number(before.end - before.start) * 200) / width, -2);
    expect((await app.state()).selected).toBeNull();
  });

  test('clicking the overview moves the view there', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await app.zoomTo(hex(sorted[0].start), hex(sorted[0].start + 256n * PAGE));
    const box = (await app.canvas.boundingBox())!;
    // The module area is at the right end of the collapsed track; the overview is the canvas's top lane.
    await page.mouse.click(box.x + box.width - 20, box.y + LANES.overview.y + LANES.overview.h / 2);
    await app.whenIdle();
    expect(BigInt((await app.state()).viewStart!)).toBeGreaterThan(0xffffffff00000000n);
  });

  test('[ and ] select areas in address order from the keyboard, and Enter zooms to the selection', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await app.press(']');
    expect((await app.state()).selected).toBe(sorted[0].startHex);
    await app.press(']');
    await app.press(']');
    await app.press('[');
    expect((await app.state()).selected).toBe(sorted[1].startHex);
    await expect(app.detail('Range')).toHaveText(`${sorted[1].startHex}–${sorted[1].endHex}`);

    await app.press('Enter');
    const v = await app.view();
    expect(v.start).toBeLessThanOrEqual(sorted[1].start);
    expect(v.end).toBeGreaterThanOrEqual(sorted[1].end);
    expect(Number(v.end - v.start)).toBeCloseTo(Math.max(4096, sorted[1].size * 1.5), -1);

    await app.press('Escape');
    expect((await app.state()).selected).toBeNull();
    await expect(app.details).toBeHidden();
  });

  test('the map follows the width of the window', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await page.setViewportSize({ width: 900, height: 800 });
    await app.whenIdle();
    const size = await app.canvas.evaluate((c: HTMLCanvasElement) => ({ backing: c.width, css: c.clientWidth }));
    expect(size.css).toBeLessThan(900);
    expect(size.backing).toBe(size.css);
  });

  test('the colour modes change the legend to kinds, callers, modules and NUMA nodes', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    await expect(app.legend).toContainText('ioremap');
    await app.colourMode.selectOption('caller');
    await expect(app.legend).toContainText('kernel_clone');
    await app.colourMode.selectOption('module');
    await expect(app.legend).toContainText('built-in');
    await expect(app.legend).toContainText('e1000');
    await app.colourMode.selectOption('node');
    await expect(app.legend).toContainText('node 0');
    expect((await app.state()).colourMode).toBe('node');
  });
});

test.describe('the map on a high-DPI screen', () => {
  test.use({ deviceScaleFactor: 2 });

  test('draws at two device pixels per CSS pixel', async ({ page }) => {
    const app = new MapPage(page);
    await app.open();
    const size = await app.canvas.evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight }));
    expect(size.w).toBe(size.cssW * 2);
    expect(size.h).toBe(size.cssH * 2);
  });
});

test.describe('the map of a dump without real addresses', () => {
  test('a hashed dump is packed in file order, and says gaps are unknown', async ({ page }) => {
    const lines = areaLines(HASHED_SAMPLE);
    const app = new MapPage(page);
    await app.open(`?sample=${encodeURIComponent(HASHED_SAMPLE)}`);
    await expect(app.pointerMode).toContainText('file order');
    await expect(app.pointerMode).toContainText('unknown');
    await expect(app.canvas).toHaveAttribute('aria-label', /packed in file order/);
    const s = await app.state();
    expect(s).toMatchObject({ viewStart: '0x0', collapsed: false, selected: null });

    await app.zoomTo('0x0', '0x40000');
    await app.hoverArea('0');
    await expect(app.tooltipField('Range')).toHaveText(`${lines[0].startHex}–${lines[0].endHex} (hashed)`);
    await expect(app.tooltipField('Caller')).toHaveText(lines[0].caller!);
    await app.clickArea('0');
    expect((await app.state()).selected).toBe('0');
    await expect(app.detail('Line')).toHaveText(String(lines[0].line));

    await app.press('c');
    expect((await app.state()).collapsed).toBe(false);

    await app.search('kernel_clone');
    expect((await app.state()).matches).toBe(lines.filter((l) => l.symbol === 'kernel_clone').length);
  });

  test('a masked (____ptrval____) dump is packed in file order, with every size and caller kept', async ({ page }) => {
    const MASKED = 'seeds/ptrval-masked.vmallocinfo';
    const lines = readFileSync(samplePath(MASKED), 'utf8').split('\n').filter((l) => l.startsWith('0x'));
    const sizes = lines.map((l) => Number(l.trim().split(/\s+/)[1]));
    const app = new MapPage(page);
    await app.open(`?sample=${encodeURIComponent(MASKED)}`);
    await expect(app.pointerMode).toHaveAttribute('data-mode', 'masked');
    await expect(app.pointerMode).toContainText('file order');
    expect((await app.state()).areas).toBe(lines.length);

    await app.search('load_module');
    expect((await app.state()).matches).toBe(lines.length);
    await app.searchNext();
    expect((await app.state()).selected).toBe('0');
    await expect(app.detail('Range')).toHaveText('masked as (____ptrval____)');
    await expect(app.detail('Size')).toContainText(binaryBytes(sizes[0]));
  });

  test('a zeroed dump still shows sizes and callers, and its details give the line number', async ({ page }) => {
    const lines = areaLines(ZEROED_SAMPLE);
    const hpet = lines.findIndex((l) => l.symbol === 'hpet_enable');
    const app = new MapPage(page);
    await app.open(`?sample=${encodeURIComponent(ZEROED_SAMPLE)}`);
    await expect(app.pointerMode).toHaveAttribute('data-mode', 'zero');
    await expect(app.pointerMode).toContainText('file order');

    await app.search('hpet_enable');
    await app.searchNext();
    expect((await app.state()).selected).toBe(String(hpet));
    await expect(app.detail('Size')).toContainText(binaryBytes(lines[hpet].size));
    await expect(app.detail('Caller')).toHaveText(lines[hpet].caller!);
    await expect(app.detail('Range')).toHaveText('zeroed in this dump');
    await expect(app.detail('Line')).toHaveText(String(lines[hpet].line));
  });
});

test.describe('the search by a module’s name on arm64 6.12 (one loader area per section)', () => {
  const SAMPLE = 'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo';
  const lines = areaLines(SAMPLE);
  /** xfs's sections, read from the sample and its .modules: the gapless run of load_module lines from its base until lsmod's size. */
  const xfs = (() => {
    const fields = readFileSync(samplePath(SAMPLE.replace(/\.vmallocinfo$/, '.modules')), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('xfs '))!
      .trim()
      .split(/\s+/);
    const loader = byAddress(lines.filter((l) => l.symbol === 'load_module'));
    const run = [loader.find((l) => l.start === BigInt(fields[5]))!];
    let net = run[0].size - 4096;
    while (net < Number(fields[1])) {
      const next = loader.find((l) => l.start === run[run.length - 1].end)!;
      run.push(next);
      net += next.size - 4096;
    }
    return run;
  })();

  test('finds every loader area of xfs once the sample’s /proc/modules is attached, and an address inside one names xfs', async ({ page }, testInfo) => {
    expect(xfs.length).toBe(4);
    expect(lines.some((l) => l.text.includes('[xfs]'))).toBe(false);
    const app = new MapPage(page);
    await app.open();
    await app.load(SAMPLE);
    await app.search('xfs');
    await expect(app.searchStatus).toContainText(`${xfs.length} areas match`);
    expect((await app.state()).matches).toBe(xfs.length);
    for (const area of xfs) {
      await app.searchNext();
      expect((await app.state()).selected).toBe(area.startHex);
      await expect(app.detail('Module')).toHaveText('xfs: its code and data (by /proc/modules)');
    }
    await page.screenshot({ path: shotPath(testInfo, 'search-module-arm64.png') });

    const inside = xfs[2].start + 0x123n;
    await app.search(hex(inside));
    await app.searchNext();
    await expect(app.searchStatus).toContainText(`${hex(inside)} is inside load_module`);
    await expect(app.searchStatus).toContainText("xfs's code and data (by /proc/modules)");
    expect((await app.state()).selected).toBe(xfs[2].startHex);
  });
});
