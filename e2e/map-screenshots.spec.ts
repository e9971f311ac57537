// Screenshots of the map for people to look at (they land in test-results/ on every run): the whole
// map in light and dark mode, a run of thread stacks zoomed until their guard pages show, the
// tooltip and details panel, a big ioremap, arm64, and a hashed dump packed in file order.
import { expect, test } from '@playwright/test';
import { MapPage } from './pages/MapPage.ts';
import { DEFAULT_SAMPLE, HASHED_SAMPLE, areaLines, byAddress, hex } from './fixtures.ts';

const sorted = byAddress(areaLines(DEFAULT_SAMPLE));

test('the whole map of the raw sample, in light and dark mode', async ({ page }, testInfo) => {
  const app = new MapPage(page);
  await app.open();
  await app.map.screenshot({ path: testInfo.outputPath('map-light.png') });
  await page.screenshot({ path: testInfo.outputPath('page-light.png'), fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  await app.whenIdle();
  await app.map.screenshot({ path: testInfo.outputPath('map-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a run of thread stacks, zoomed until every guard page shows', async ({ page }, testInfo) => {
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
  await app.map.screenshot({ path: testInfo.outputPath('stacks-light.png') });

  await page.emulateMedia({ colorScheme: 'dark' });
  await app.whenIdle();
  await app.map.screenshot({ path: testInfo.outputPath('stacks-dark.png') });
});

test('the tooltip and the details panel of an ioremap', async ({ page }, testInfo) => {
  const hpet = sorted.find((l) => l.symbol === 'hpet_enable')!;
  const app = new MapPage(page);
  await app.open();
  await app.zoomTo(hex(hpet.start - 0x8000n), hex(hpet.end + 0x8000n));
  await app.clickArea(hpet.startHex);
  // Scroll first: a screenshot that scrolls moves the page under the pointer and ends the hover.
  await app.map.scrollIntoViewIfNeeded();
  await app.hoverArea(hpet.startHex);
  await expect(app.tooltip).toBeVisible();
  await app.map.screenshot({ path: testInfo.outputPath('tooltip-details.png') });
});

test('other captures: a 256 MiB ioremap behind an IOMMU, arm64, and a hashed dump', async ({ page }, testInfo) => {
  const app = new MapPage(page);
  for (const [name, sample] of [
    ['iommu', 'kernels/x86_64-6.1.0-56-after-insmod-iommu-raw.vmallocinfo'],
    ['arm64', 'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo'],
    ['hashed', HASHED_SAMPLE],
  ]) {
    await app.open(`?sample=${encodeURIComponent(sample)}`);
    await app.map.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  }
  await app.search('kernel_clone');
  await app.press('+');
  await app.press('+');
  await app.press('+');
  await app.map.screenshot({ path: testInfo.outputPath('hashed-zoomed-search.png') });
});
