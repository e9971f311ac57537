// The map as drawn, checked on the canvas's own pixels: areas in their legend colours in light and
// dark mode, guard pages shaded apart from the stack they end, search matches ticked under the map.
// Each test also saves screenshots for people to look at (test-results/, or VMSCOPE_SHOTS=<dir>):
// the whole map in light and dark mode, a run of thread stacks zoomed until their guard pages show,
// the tooltip and details panel, a big ioremap, arm64, and a hashed dump packed in file order.
// The pixels, not the screenshots, are what is compared: a screenshot holds text, whose glyphs come
// from whichever fonts the machine has, while an area's colour and place do not depend on them.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { MapPage } from './pages/MapPage.ts';
import type { VmscopeHook } from '../src/app/testHook.ts';
import { LANES } from '../src/app/map/lanes.ts';
import { DEFAULT_SAMPLE, HASHED_SAMPLE, areaLines, byAddress, hex, shotPath } from './fixtures.ts';
import type { AreaLine } from './fixtures.ts';

const sorted = byAddress(areaLines(DEFAULT_SAMPLE));

/** The kind the map colours an area by, read from the line's flags (FORMAT.md): only the two checked here. */
function kindOf(line: AreaLine): 'ioremap' | 'vmalloc' | null {
  const flags = line.text.trim().split(/\s+/);
  if (flags.includes('ioremap')) return 'ioremap';
  if (flags.includes('vmalloc') && !flags.includes('vmap')) return 'vmalloc';
  return null;
}

/** Of `keys`, the one whose area is widest on screen now, and its width in CSS pixels. */
async function widest(page: Page, keys: string[]): Promise<{ key: string; width: number }> {
  const widths = await page.evaluate((ks) => ks.map((k) => (window as unknown as { __vmscope: VmscopeHook }).__vmscope.areaBox(k)?.width ?? 0), keys);
  let best = 0;
  for (let j = 1; j < keys.length; j++) if (widths[j] > widths[best]) best = j;
  return { key: keys[best], width: widths[best] };
}

/** The widest area of a kind on screen, named as the hook names it (start hex, or file index when packed). */
async function widestOfKind(page: Page, lines: AreaLine[], kind: 'ioremap' | 'vmalloc', packed: boolean): Promise<string> {
  const keys = lines.flatMap((l, index) => (kindOf(l) === kind ? [packed ? String(index) : l.startHex] : []));
  expect(keys.length, `the dump has ${kind} areas`).toBeGreaterThan(0);
  const { key, width } = await widest(page, keys);
  // Wide enough that a point a third of the way in is the area's own colour, not an edge or its neighbour.
  expect(width, `the widest ${kind} area is drawn at least 3 px wide`).toBeGreaterThanOrEqual(3);
  return key;
}

test('the whole map of the raw sample draws each kind in its legend colour, in light and in dark mode', async ({ page }, testInfo) => {
  const app = new MapPage(page);
  await app.open();
  const ioremap = await widestOfKind(page, sorted, 'ioremap', false);
  const vmalloc = await widestOfKind(page, sorted, 'vmalloc', false);
  const light = { ioremap: await app.legendColour('ioremap'), vmalloc: await app.legendColour('vmalloc') };
  expect(light.ioremap).not.toBe(light.vmalloc);
  expect(await app.bodyColour(ioremap)).toBe(light.ioremap);
  expect(await app.bodyColour(vmalloc)).toBe(light.vmalloc);
  await app.map.screenshot({ path: shotPath(testInfo, 'map-light.png') });
  await page.screenshot({ path: shotPath(testInfo, 'page-light.png'), fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  await app.whenIdle();
  const dark = { ioremap: await app.legendColour('ioremap'), vmalloc: await app.legendColour('vmalloc') };
  // The legend changed with the scheme, and the canvas with it.
  expect(dark.ioremap).not.toBe(light.ioremap);
  expect(dark.vmalloc).not.toBe(light.vmalloc);
  expect(await app.bodyColour(ioremap)).toBe(dark.ioremap);
  expect(await app.bodyColour(vmalloc)).toBe(dark.vmalloc);
  await app.map.screenshot({ path: shotPath(testInfo, 'map-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a run of thread stacks, zoomed until every guard page shows, shades each guard page apart from its stack', async ({ page }, testInfo) => {
  const stacks = sorted.filter((l) => l.symbol === 'kernel_clone');
  // The first sixteen stacks and what lies between them.
  const from = stacks[0].start;
  const to = stacks[15].end;
  const app = new MapPage(page);
  await app.open();
  await app.zoomTo(hex(from), hex(to));
  // A guard page is 4 KiB: at this zoom it is well over the 3 px the map needs to draw it.
  const width = (await app.canvas.boundingBox())!.width;
  expect((4096 / Number(to - from)) * width).toBeGreaterThan(3);

  /** Every stack's body is the legend's vmalloc colour, and the middle of its last 4 KiB is not. */
  const checkStacks = async () => {
    const vmalloc = await app.legendColour('vmalloc');
    // After a change of colour scheme the legend (CSS) is new at once, the canvas at its next frame.
    await expect.poll(() => app.bodyColour(stacks[0].startHex)).toBe(vmalloc);
    for (const s of stacks.slice(0, 16)) {
      expect(kindOf(s)).toBe('vmalloc');
      const box = await app.areaBox(s.startHex);
      expect(await app.bodyColour(s.startHex), `the body of the stack at ${s.startHex}`).toBe(vmalloc);
      const guardMiddle = box.x + box.width * (1 - 2048 / s.size);
      expect(await app.pixelAt(guardMiddle, box.y + LANES.map.h / 2), `the guard page of the stack at ${s.startHex}`).not.toBe(vmalloc);
    }
  };
  await checkStacks();
  await app.map.screenshot({ path: shotPath(testInfo, 'stacks-light.png') });

  await page.emulateMedia({ colorScheme: 'dark' });
  await app.whenIdle();
  await checkStacks();
  await app.map.screenshot({ path: shotPath(testInfo, 'stacks-dark.png') });
});

test('the tooltip and the details panel of an ioremap', async ({ page }, testInfo) => {
  const hpet = sorted.find((l) => l.symbol === 'hpet_enable')!;
  const app = new MapPage(page);
  await app.open();
  await app.zoomTo(hex(hpet.start - 0x8000n), hex(hpet.end + 0x8000n));
  await app.clickArea(hpet.startHex);
  await expect(app.details).toBeVisible();
  // Scroll first: a screenshot that scrolls moves the page under the pointer and ends the hover.
  await app.map.scrollIntoViewIfNeeded();
  await app.hoverArea(hpet.startHex);
  await expect(app.tooltip).toBeVisible();
  expect(kindOf(hpet)).toBe('ioremap');
  expect(await app.bodyColour(hpet.startHex)).toBe(await app.legendColour('ioremap'));
  await app.map.screenshot({ path: shotPath(testInfo, 'tooltip-details.png') });
});

test('other captures (a 256 MiB ioremap behind an IOMMU, arm64, a hashed dump) draw their areas in their legend colours, and search marks its matches', async ({ page }, testInfo) => {
  const IOMMU = 'kernels/x86_64-6.1.0-56-after-insmod-iommu-raw.vmallocinfo';
  const app = new MapPage(page);
  for (const [name, sample, kind, packed] of [
    ['iommu', IOMMU, 'ioremap', false],
    ['arm64', 'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo', 'vmalloc', false],
    ['hashed', HASHED_SAMPLE, 'vmalloc', true],
  ] as const) {
    await app.open(`?sample=${encodeURIComponent(sample)}`);
    const lines = packed ? areaLines(sample) : byAddress(areaLines(sample));
    const key = await widestOfKind(page, lines, kind, packed);
    expect(await app.bodyColour(key), `${name}: the widest ${kind} area`).toBe(await app.legendColour(kind));
    await app.map.screenshot({ path: shotPath(testInfo, `${name}.png`) });
  }
  // The IOMMU sample's widest ioremap is the 256 MiB one.
  const iommu = byAddress(areaLines(IOMMU)).filter((l) => kindOf(l) === 'ioremap');
  expect(Math.max(...iommu.map((l) => l.size))).toBeGreaterThanOrEqual(256 << 20);

  // The hashed dump is on screen, whole: search a caller.
  const hashed = areaLines(HASHED_SAMPLE);
  await app.search('kernel_clone');
  expect((await app.state()).matches).toBe(hashed.filter((l) => l.symbol === 'kernel_clone').length);
  // Under a match in view the marks lane has a tick; under an area that is not a match, clear of every
  // match's tick and the current match's pointer (5 px either side of its middle), it has none.
  const canvasTop = (await app.canvas.boundingBox())!.y;
  const markY = canvasTop + LANES.marks.y + LANES.marks.h - 1;
  const boxes = await page.evaluate((n) => Array.from({ length: n }, (_, k) => (window as unknown as { __vmscope: VmscopeHook }).__vmscope.areaBox(String(k))), hashed.length);
  const inView = hashed.map((l, k) => ({ match: l.symbol === 'kernel_clone', box: boxes[k] })).filter((a) => a.box !== null);
  // A tick is at least 2 px wide from the device pixel nearest the area's left edge: look there.
  const match = inView.find((a) => a.match);
  const clear = inView.find((a) => !a.match && inView.every((m) => !m.match || m.box!.x > a.box!.x + a.box!.width + 8 || m.box!.x + Math.max(2, m.box!.width) < a.box!.x - 8));
  expect(match, 'a match is in view').toBeDefined();
  expect(clear, 'an area that is not a match, away from every match, is in view').toBeDefined();
  const under = (a: { box: { x: number; width: number } | null }) => app.pixelAt(Math.round(a.box!.x) + 0.5, markY);
  expect(await under(match!)).not.toBe(await under(clear!));
  // Then zoom in for the picture: three steps in, the view is narrower.
  const wide = await app.view();
  await app.press('+');
  await app.press('+');
  await app.press('+');
  const narrow = await app.view();
  expect(narrow.end - narrow.start).toBeLessThan(wide.end - wide.start);
  await app.map.screenshot({ path: shotPath(testInfo, 'hashed-zoomed-search.png') });
});
