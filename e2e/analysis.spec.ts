// The analysis panel under the map: comparing two snapshots, the fragmentation probe and the
// cross-checks against /proc/meminfo and /proc/modules, driven the way a user drives them.
// Expected values come from the fixture files, read here with plain string splitting.
// VMSCOPE_SHOTS=<dir> saves the screenshots there instead of the test's output folder.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { AnalysisPage } from './pages/AnalysisPage.ts';
import { InputPage } from './pages/InputPage.ts';
import { DEFAULT_SAMPLE, areaLines, baseName, binaryBytes, byAddress, samplePath, shotPath } from './fixtures.ts';
import type { AreaLine } from './fixtures.ts';

const BOOT = 'kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo';
const AFTER = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const HASHED = 'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo';
const AFTER_MODULES = 'kernels/x86_64-6.1.0-56-after-insmod-raw.modules';
const AFTER_MEMINFO = 'kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo';
const AFTER_RMMOD = 'kernels/x86_64-6.1.0-56-after-rmmod-raw.vmallocinfo';
const NUMA = 'kernels/x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo';

/** Areas are the same area in both dumps when start address and caller field agree. */
const key = (l: AreaLine) => `${l.startHex} ${l.text.trim().split(/\s+/)[2] ?? ''}`;

function setDiff(before: AreaLine[], after: AreaLine[]) {
  const keysA = new Set(before.map(key));
  const keysB = new Set(after.map(key));
  const added = after.filter((l) => !keysA.has(key(l)));
  const removed = before.filter((l) => !keysB.has(key(l)));
  const sum = (ls: AreaLine[]) => ls.reduce((s, l) => s + l.size, 0);
  return { added: { count: added.length, bytes: sum(added) }, removed: { count: removed.length, bytes: sum(removed) }, addedLines: added };
}

/** A module's line in /proc/modules: name, lsmod size, base address. */
function moduleLine(path: string, name: string) {
  const f = readFileSync(samplePath(path), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(name + ' '))!
    .split(/\s+/);
  return { name: f[0], size: Number(f[1]), address: BigInt(f[5]) };
}

test('comparing the boot and after-insmod samples counts the areas added and removed, as the two files say', async ({ page }, testInfo) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.compareTab.click();
  await app.pickSample(BOOT);
  await expect(app.compareHint).toHaveCount(0);
  await app.pickSample(AFTER);
  await expect(app.compareA.locator('option:checked')).toHaveText(new RegExp(baseName(BOOT)));
  await expect(app.compareB.locator('option:checked')).toHaveText(new RegExp(baseName(AFTER)));
  await app.compareStart.click();
  await app.whenIdle();

  const expected = setDiff(areaLines(BOOT), areaLines(AFTER));
  const s = await app.state();
  expect(s.diff).toMatchObject({ added: expected.added, removed: expected.removed, matchedBy: 'address', aName: baseName(BOOT), bName: baseName(AFTER) });
  expect(s.colourMode).toBe('diff');
  expect(s.fileName).toBe(baseName(AFTER));
  await expect(app.diffHeadline).toContainText(`+${expected.added.count} areas, +${binaryBytes(expected.added.bytes)}`);
  await expect(app.diffHeadline).toContainText(`−${expected.removed.count} areas, −${binaryBytes(expected.removed.bytes)}`);
  await expect(app.legend).toContainText('added');
  await page.screenshot({ path: shotPath(testInfo, 'compare-page.png'), fullPage: true });
  await app.map.screenshot({ path: shotPath(testInfo, 'compare-map.png') });
  await app.analysis.screenshot({ path: shotPath(testInfo, 'compare-panel.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.whenIdle();
  await page.screenshot({ path: shotPath(testInfo, 'compare-dark.png') });
});

test('the module table says how much vmalloc space erofs took and where, and clicking it shows the place', async ({ page }, testInfo) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.compareTab.click();
  await app.compareInsmod.click();
  await app.whenIdle();
  expect((await app.state()).diff).toMatchObject({ aName: baseName(BOOT), bName: baseName(AFTER) });

  // erofs: its [erofs]-tagged areas that are new, plus the loader area holding its base address.
  const erofs = moduleLine(AFTER_MODULES, 'erofs');
  const { addedLines } = setDiff(areaLines(BOOT), areaLines(AFTER));
  const loader = addedLines.find((l) => l.start <= erofs.address && erofs.address < l.end)!;
  const tagged = addedLines.filter((l) => l.text.includes('[erofs]'));
  expect(loader.symbol).toBe('load_module');
  const bytes = loader.size + tagged.reduce((s, l) => s + l.size, 0);

  const row = app.moduleRow('erofs');
  await expect(row).toContainText(`+${binaryBytes(bytes)}`);
  await expect(row).toContainText(`+${1 + tagged.length} areas`);
  await expect(row).toContainText(`${loader.startHex}–${loader.endHex}`);
  await app.byModule.screenshot({ path: shotPath(testInfo, 'compare-modules.png') });

  await row.click();
  await app.whenIdle();
  const s = await app.state();
  expect(BigInt(s.viewStart!)).toBeLessThanOrEqual(erofs.address);
  expect(BigInt(s.viewEnd!)).toBeGreaterThan(erofs.address);
  expect(s.selected).toBe(loader.startHex);
  await app.map.screenshot({ path: shotPath(testInfo, 'compare-map-erofs.png') });
});

test('with one dump loaded, Compare says how to get a second one', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.compareTab.click();
  await expect(app.compareHint).toContainText("Load another dump (e.g. the ‘after insmod’ sample) to compare");
  expect((await app.state()).diff).toBeNull();
});

test('with the user’s own dump loaded, Compare labels the start-up sample as A and one click opens a file as A instead', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  const startup = (await app.state()).fileName;
  await app.openFile(samplePath(AFTER_RMMOD));
  await app.compareTab.click();
  // Only the start-up sample is there to be A: it is named for what it is, with a way out.
  await expect(app.compareA.locator('option:checked')).toHaveText(`${startup} · bundled sample the page opened with · ${areaLines(DEFAULT_SAMPLE).length.toLocaleString('en-US')} areas`);
  await expect(app.compareAStartup).toContainText(`A is ${startup}, the bundled sample the page opened with, not a dump you loaded`);
  await app.openFileAsA(samplePath(BOOT));
  const s = await app.state();
  expect(s.diff).toMatchObject({ aName: baseName(BOOT), bName: baseName(AFTER_RMMOD) });
  expect(s.fileName).toBe(baseName(AFTER_RMMOD));
  await expect(app.compareAStartup).toHaveCount(0);
  await expect(app.compareA.locator('option:checked')).toHaveText(new RegExp(`^${baseName(BOOT)} · \\d+ areas$`));
  // Loaded as files, neither has /proc/modules: the leak check says it did not run.
  await expect(app.leakCheckSkipped).toContainText('Possible leaks were not checked: B has no /proc/modules');
  await expect(app.noLeaks).toHaveCount(0);
});

test('a dump the user loaded is A ahead of the start-up sample', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.openFile(samplePath(BOOT));
  await app.openFile(samplePath(AFTER_RMMOD));
  await app.compareTab.click();
  await expect(app.compareA.locator('option:checked')).toHaveText(new RegExp(`^${baseName(BOOT)} · `));
  await expect(app.compareAStartup).toHaveCount(0);
});

test('two boots of one x86_64 machine are flagged: another vmalloc base, and not one area in common', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.pickSample(BOOT);
  await app.pickSample(NUMA);
  // Independently: the lowest address of each file, aligned down to the GiB KASLR moves it by.
  const base = (path: string) => {
    const lowest = areaLines(path).reduce((m, l) => (l.start < m ? l.start : m), 1n << 64n);
    return `0x${(lowest - (lowest % (1n << 30n))).toString(16)}`;
  };
  expect(base(BOOT)).not.toBe(base(NUMA));
  expect(areaLines(NUMA).filter((l) => areaLines(BOOT).some((k) => key(k) === key(l)))).toHaveLength(0);
  await app.compareTab.click();
  await app.compareStart.click();
  await app.whenIdle();
  await expect(app.compareWarnings).toContainText('A and B cannot be one machine and boot');
  expect(await app.warningReasons()).toEqual(['base', 'no-common']);
  await expect(app.compareWarnings).toContainText(`A ${base(BOOT)}, B ${base(NUMA)}`);
  // Both have real addresses, but A's mean nothing on B's map: the note says why, not "hashed".
  await expect(app.analysis).toContainText('The two dumps have different vmalloc bases');
  await expect(app.analysis).toContainText('Removed areas are not drawn: A’s addresses cannot be placed on B’s map');
});

test('the one-click comparison finds no possible leaks and says so, with no warning', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.compareTab.click();
  await app.compareInsmod.click();
  await app.whenIdle();
  // Every [module] tag of B is a module its /proc/modules lists.
  const listed = new Set(readFileSync(samplePath(AFTER_MODULES), 'utf8').split('\n').map((l) => l.split(' ')[0]));
  const tags = areaLines(AFTER).flatMap((l) => /\[(\w+)\]/.exec(l.text)?.[1] ?? []);
  expect(tags.length).toBeGreaterThan(0);
  expect(tags.every((t) => listed.has(t))).toBe(true);
  await expect(app.noLeaks).toContainText('No possible leaks');
  await expect(app.possibleLeaks).toHaveCount(0);
  await expect(app.compareWarnings).toHaveCount(0);
  // Lazily freed areas are named for what they are in the caller table.
  await expect(app.byCaller.locator('tbody tr[data-name="(lazily freed)"]')).toHaveCount(1);
  await expect(app.byCaller.locator('tbody tr[data-name="(no caller)"]')).toHaveCount(0);
});

test('the probe says a 16M vmalloc fits, outlines the holes that could take it and zooms to the first fit', async ({ page }, testInfo) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.probe('16M');

  await expect(app.probeResult).toContainText('Fits');
  const s = await app.state();
  expect(s.probe).toMatchObject({ bytes: 16 << 20, needBytes: (16 << 20) + 4096, fits: true, highlighted: true });
  const first = s.probe!.firstFit!;
  // The first-fit hole starts where an area of the dump ends and is big enough.
  const ends = new Set(areaLines(AFTER).map((l) => l.end));
  expect(ends.has(BigInt(first.start))).toBe(true);
  expect(Number(BigInt(first.end) - BigInt(first.start))).toBe(first.bytes);
  expect(first.bytes).toBeGreaterThanOrEqual((16 << 20) + 4096);
  await expect(app.probeResult).toContainText(first.start);

  await app.probeZoom.click();
  await app.whenIdle();
  const z = await app.state();
  expect(BigInt(z.viewStart!)).toBeLessThanOrEqual(BigInt(first.start));
  expect(BigInt(z.viewEnd!)).toBeGreaterThanOrEqual(BigInt(first.end));
  await app.analysis.screenshot({ path: shotPath(testInfo, 'probe-panel.png') });
  await app.map.screenshot({ path: shotPath(testInfo, 'probe-map.png') });

  // A small request fits many holes: the smallest ones are outlined, first fit strongest.
  await app.probe('8K');
  const small = (await app.state()).probe!;
  expect(small.fittingCount).toBeGreaterThan(1);
  expect(small.candidates).toBeGreaterThan(1);
  await app.probeZoom.click();
  await app.whenIdle();
  await app.map.screenshot({ path: shotPath(testInfo, 'probe-map-8k.png') });
});

test('cross-checks read VmallocTotal and each module against the dump, and a module row zooms to its loader area', async ({ page }, testInfo) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.checksTab.click();

  const meminfo = readFileSync(samplePath(AFTER_MEMINFO), 'utf8');
  const totalKb = Number(/^VmallocTotal:\s+(\d+) kB/m.exec(meminfo)![1]);
  await expect(app.meminfoCheck.getByTestId('check-vmalloc-total')).toContainText(binaryBytes(totalKb * 1024));

  const erofs = moduleLine(AFTER_MODULES, 'erofs');
  const row = app.checkRow('erofs');
  await expect(row).toContainText(binaryBytes(erofs.size));
  await expect(row).toContainText(`0x${erofs.address.toString(16)}`);
  await app.analysis.screenshot({ path: shotPath(testInfo, 'cross-checks.png') });

  await row.click();
  await app.whenIdle();
  const s = await app.state();
  expect(BigInt(s.viewStart!)).toBeLessThanOrEqual(erofs.address);
  expect(BigInt(s.viewEnd!)).toBeGreaterThan(erofs.address);
});

test('an empty /proc/modules (a boot sample\'s, or a file opened on its own) is attached as no module loaded', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.pickSample(BOOT);
  await app.checksTab.click();
  await expect(page.getByTestId('modules-empty')).toHaveText('/proc/modules is empty: no module was loaded when it was read.');

  await app.pickSample(HASHED);
  await expect(page.getByTestId('checks-empty')).toBeVisible();
  await app.openBytes('boot.modules', Buffer.alloc(0));
  await expect(app.notice).toContainText(`boot.modules (0 B) is an empty /proc/modules: no module was loaded when it was read.`);
  await expect(app.notice).toContainText(`Attached an empty /proc/modules (no module loaded) to ${baseName(HASHED)}`);
  await expect(page.getByTestId('modules-empty')).toBeVisible();
});

test('cross-checks of the arm64 6.12 sample find every module’s sections adding up to lsmod’s size', async ({ page }, testInfo) => {
  const SAMPLE = 'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo';
  const names = readFileSync(samplePath(SAMPLE.replace(/\.vmallocinfo$/, '.modules')), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(/\s+/)[0]);
  const app = new AnalysisPage(page);
  await app.open();
  await app.load(SAMPLE);
  await app.checksTab.click();
  await expect(app.modulesCheck.locator('tbody tr')).toHaveCount(names.length);
  for (const name of names) await expect(app.checkRow(name)).toContainText(/as expected: \d areas add up/);
  await expect(app.modulesCheck).not.toContainText('differs');
  await expect(page.getByTestId('modules-notes')).toContainText(`All ${names.length} modules: their loader areas minus one guard page each add up exactly to lsmod's size`);
  await app.analysis.screenshot({ path: shotPath(testInfo, 'cross-checks-arm64.png') });

  // Clicking xfs highlights its loader areas (its gapless run from the base, read from the files)
  // and zooms to the stretch they span.
  const lines = byAddress(areaLines(SAMPLE).filter((l) => l.symbol === 'load_module'));
  const xfs = moduleLine(SAMPLE.replace(/\.vmallocinfo$/, '.modules'), 'xfs');
  const run = [lines.find((l) => l.start === xfs.address)!];
  while (run.reduce((s, l) => s + l.size - 4096, 0) < xfs.size) run.push(lines.find((l) => l.start === run[run.length - 1].end)!);
  expect(run.reduce((s, l) => s + l.size - 4096, 0)).toBe(xfs.size);
  await app.checkRow('xfs').click();
  await app.whenIdle();
  const s = await app.state();
  expect(s.highlight).toEqual({ label: 'module xfs (loader areas)', count: run.length });
  expect(s.selected).toBe(run[0].startHex);
  expect(BigInt(s.viewStart!)).toBeLessThanOrEqual(run[0].start);
  expect(BigInt(s.viewEnd!)).toBeGreaterThanOrEqual(run[run.length - 1].end);
});

test('a /proc/modules file opened on its own is attached to the dump on screen', async ({ page }, testInfo) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.load(HASHED);
  await app.checksTab.click();
  await expect(page.getByTestId('checks-empty')).toBeVisible();

  const text = readFileSync(samplePath(AFTER_MODULES));
  const count = text.toString('utf8').split('\n').filter((l) => l.trim() !== '').length;
  await app.openBytes('modules.txt', text);

  await expect(app.notice).toContainText(`Attached /proc/modules (${count} modules) to ${baseName(HASHED)}`);
  // Told as news, not as an error: the records were put to use.
  await expect(app.notice).toContainText('Attached:');
  await expect(app.notice).toHaveAttribute('role', 'status');
  const s = await app.state();
  expect(s.fileName).toBe(baseName(HASHED));
  expect(s.sections).toEqual([{ name: '/proc/modules', lines: count }]);
  await expect(app.modulesCheck.locator('tbody tr')).toHaveCount(count);
  await page.screenshot({ path: shotPath(testInfo, 'attach-modules.png') });
});

test('a second /proc/modules replaces the one attached before, and the message says so', async ({ page }, testInfo) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.load(HASHED);
  const lines = readFileSync(samplePath(AFTER_MODULES), 'utf8').split('\n').filter((l) => l.trim() !== '');
  await app.openBytes('modules.txt', Buffer.from(lines.join('\n')));
  await expect(app.notice).toContainText(`Attached /proc/modules (${lines.length} modules) to ${baseName(HASHED)}`);
  await expect(app.notice).not.toContainText('in place of');

  // Pasted this time, and shorter: it takes the place of the first.
  const fewer = lines.slice(0, 5);
  const input = new InputPage(page);
  await input.pasteInBox(fewer.join('\n'));
  await expect(app.notice).toContainText(
    `Attached /proc/modules (${fewer.length} modules, in place of the ${lines.length} modules attached before) to ${baseName(HASHED)}`,
  );
  expect((await app.state()).sections).toEqual([{ name: '/proc/modules', lines: fewer.length }]);
  await expect(app.modulesCheck.locator('tbody tr')).toHaveCount(fewer.length);
  // The records were used, so the paste box is emptied.
  await expect(input.pasteInput).toHaveValue('');
  await app.notice.screenshot({ path: shotPath(testInfo, 'attach-replaced.png') });
});

test("choosing “change” in the map's colour menu compares with the dump loaded before, and Stop puts the colours back", async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.colourMode.selectOption('caller');
  await app.pickSample(BOOT);
  await app.pickSample(AFTER);
  await app.colourMode.selectOption('diff');
  await app.whenIdle();
  expect((await app.state()).diff).toMatchObject({ aName: baseName(BOOT), bName: baseName(AFTER) });
  await expect(app.colourMode).toHaveValue('diff');

  await page.getByTestId('compare-stop').click();
  await app.whenIdle();
  expect(await app.state()).toMatchObject({ diff: null, colourMode: 'caller' });
});

test('a hashed dump is compared by caller and size, since its addresses say nothing', async ({ page }) => {
  const app = new AnalysisPage(page);
  await app.open();
  await app.pickSample(BOOT);
  await app.pickSample(HASHED);
  await app.compareTab.click();
  await app.compareStart.click();
  await app.whenIdle();

  // Multisets of (caller, size): what B has beyond A is added, what A has beyond B is removed.
  const count = (lines: AreaLine[]) => {
    const m = new Map<string, AreaLine[]>();
    for (const l of lines) {
      const k = `${l.text.trim().split(/\s+/)[2] ?? ''} ${l.size}`;
      m.set(k, [...(m.get(k) ?? []), l]);
    }
    return m;
  };
  const a = count(areaLines(BOOT));
  const b = count(areaLines(HASHED));
  const beyond = (x: Map<string, AreaLine[]>, y: Map<string, AreaLine[]>) =>
    [...x].flatMap(([k, ls]) => ls.slice(y.get(k)?.length ?? 0));
  const added = beyond(b, a);
  const removed = beyond(a, b);
  const s = await app.state();
  expect(s.diff?.matchedBy).toBe('multiset');
  expect(s.diff?.added.count).toBe(added.length);
  expect(s.diff?.removed.count).toBe(removed.length);
  expect(s.diff!.added.bytes - s.diff!.removed.bytes + s.diff!.resized.bytesDelta).toBe(s.diff!.netBytes);
  await expect(app.analysis).toContainText('matched by caller and size');

  // Keyboard: the tabs move with the arrow keys; fragmentation needs real addresses.
  await app.compareTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(app.fragmentationTab).toHaveAttribute('aria-selected', 'true');
  await expect(app.fragmentationTab).toBeFocused();
  await expect(page.getByTestId('fragmentation-unavailable')).toContainText('hashed');
  // Real addresses come from root with kptr_restrict=1 or from no_hash_pointers; 0 is what hashes them.
  await expect(page.getByTestId('fragmentation-unavailable')).toContainText(
    'capture it as root (CAP_SYSLOG) with kernel.kptr_restrict=1, or boot with no_hash_pointers',
  );
});

test('a 900-pixel window never scrolls sideways, with two dumps loaded and every tab open', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 900 });
  const app = new AnalysisPage(page);
  await app.open();
  await app.compareInsmod.click();
  await app.whenIdle();
  for (const tab of [app.compareTab, app.fragmentationTab, app.checksTab]) {
    await tab.click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
  }
});

test('the layout panel and the fragmentation tab agree on the largest free stretch of the vmalloc range', async ({ page }) => {
  // A dump whose 30 areas sit at the start of the x86_64 vmalloc range (0xffffc90000000000,
  // 32 TiB, docs/format.md): the largest free stretch runs from the last area's end to the range's end.
  const RAW_IOREMAP = 'seeds/x86_64-raw-ioremap.vmallocinfo';
  const lastEnd = areaLines(RAW_IOREMAP).reduce((m, l) => (l.end > m ? l.end : m), 0n);
  const tib = Number(0xffffe90000000000n - lastEnd) / 2 ** 40;
  const expected = `${tib.toFixed(1)} TiB`;
  const app = new AnalysisPage(page);
  await app.open();
  await app.load(RAW_IOREMAP);
  await expect(page.getByTestId('largest-free-vmalloc')).toContainText(`Largest free stretch of the vmalloc range: ${expected}`);
  await app.fragmentationTab.click();
  await expect(page.getByTestId('frag-largest')).toContainText(expected);
  // The headline figure is the same stretch, and says what it measures.
  await expect(page.getByTestId('largest-gap')).toHaveText(expected);
  await expect(page.getByText('free stretch of the vmalloc range, its ends included (what VmallocChunk meant)')).toBeVisible();
});

test('on the nearly full i386 sample (linked from the Fragmentation tab) the probe says 8M does not fit, names the largest hole and the areas around it', async ({ page }, testInfo) => {
  // vmalloc=64M on i386: the range is VMALLOC_END (0xfebfe000, the top area's end) minus the
  // companion meminfo's VmallocTotal. Its largest free hole, from the file alone:
  const NEAR_FULL = 'kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo';
  const total = BigInt(/VmallocTotal:\s+(\d+) kB/.exec(readFileSync(samplePath(NEAR_FULL.replace('.vmallocinfo', '.meminfo')), 'utf8'))![1]);
  const lines = areaLines(NEAR_FULL).sort((a, b) => (a.start < b.start ? -1 : 1));
  const end = lines.reduce((m, l) => (l.end > m ? l.end : m), 0n);
  let reached = end - total * 1024n;
  let largest = { bytes: 0n, before: null as AreaLine | null, after: null as AreaLine | null };
  let previous: AreaLine | null = null;
  for (const l of lines) {
    if (l.start > reached && l.start - reached > largest.bytes) largest = { bytes: l.start - reached, before: previous, after: l };
    if (l.end > reached) {
      reached = l.end;
      previous = l;
    }
  }
  const mib = (Number(largest.bytes) / 2 ** 20).toFixed(2);
  expect(Number(largest.bytes)).toBeLessThan(8 << 20);
  const app = new AnalysisPage(page);
  await app.open();
  // The default x86_64 sample has terabytes to spare: its Fragmentation tab points to this one.
  await app.fragmentationTab.click();
  await page.getByTestId('near-full-sample').click();
  await app.whenIdle();
  expect((await app.state()).fileName).toBe(baseName(NEAR_FULL));
  await expect(page.getByTestId('near-full-hint')).toHaveCount(0);
  await expect(page.getByTestId('frag-range')).toContainText('/proc/meminfo (VmallocTotal)');
  await expect(page.getByTestId('frag-largest')).toContainText(`${mib} MiB`);
  await app.probe('8M');
  await expect(app.probeResult).toContainText(`Does not fit: the largest free hole is ${mib} MiB.`);
  const why = page.getByTestId('probe-why');
  await expect(why).toContainText(largest.before!.caller!.split('+')[0]);
  await expect(why).toContainText(largest.after!.caller!.split('+')[0]);
  await expect(page.getByTestId('probe-blockers')).toBeVisible();
  await app.analysis.screenshot({ path: shotPath(testInfo, 'probe-near-full-i386.png') });
});
