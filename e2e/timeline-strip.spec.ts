import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { StripPage } from './pages/StripPage.ts';
import { SeriesPage, pageFile } from './pages/SeriesPage.ts';
import { HASHED_SAMPLE, binaryBytes, samplePath, shotPath } from './fixtures.ts';

// The real recorded series (x86_64 6.18, hashed, `date -Is` before each dump), split here on its
// stamp lines with plain string splitting: the facts the strip and What grew are checked against.
const SERIES = 'series/host-6.18-hashed-date-Is.txt.gz';
const text = gunzipSync(readFileSync(samplePath(SERIES))).toString('utf8');
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

const rounds: { stamp: string; lines: string[] }[] = [];
for (const line of text.split('\n')) {
  if (STAMP.test(line)) rounds.push({ stamp: line, lines: [] });
  else if (line.startsWith('0x') && rounds.length > 0) rounds[rounds.length - 1].lines.push(line);
}
const times = rounds.map((r) => Date.parse(r.stamp));
const bytesOf = (k: number) => rounds[k].lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0);

/** Bytes per caller function in round k (the third field up to its +offset; lines without one apart). */
function callers(k: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of rounds[k].lines) {
    const f = l.trim().split(/\s+/);
    if (!f[2]?.includes('+0x')) continue;
    const name = f[2].split('+')[0];
    m.set(name, (m.get(name) ?? 0) + Number(f[1]));
  }
  return m;
}

const count = (n: number) => n.toLocaleString('en-US');

test.describe('the timeline strip', () => {
  test('is not shown for a single dump', async ({ page }) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(HASHED_SAMPLE);
    expect(await app.timeline()).toBeUndefined();
    await expect(app.strip).toHaveCount(0);
  });

  test('shows the moment under a click, with the areas of that round', async ({ page }, testInfo) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(SERIES);
    await expect(app.strip).toBeVisible();
    await expect(app.cursor).toHaveAttribute('data-index', String(rounds.length - 1));
    for (const k of [0, 7, 16, rounds.length - 1]) {
      await app.clickMoment(k, times);
      const t = await app.timeline();
      expect(t?.index).toBe(k);
      expect((await app.state()).areas).toBe(rounds[k].lines.length);
      await expect(app.now).toContainText(`moment ${k + 1} of ${rounds.length}`);
      await expect(app.now).toContainText(`${count(rounds[k].lines.length)} areas, ${binaryBytes(bytesOf(k))}`);
      await expect(app.cursor).toHaveAttribute('data-index', String(k));
    }
    await app.clickMoment(16, times);
    await page.screenshot({ path: shotPath(testInfo, 'timeline-strip-click.png') });
  });

  test('tells on hover a moment’s areas and bytes and the change since the one before', async ({ page }) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(SERIES);
    const k = 17;
    await app.hoverMoment(k, times);
    await expect(app.tooltip).toBeVisible();
    await expect(app.tooltip).toContainText(`moment ${k + 1} of ${rounds.length}`);
    await expect(app.tooltip).toContainText(`${count(rounds[k].lines.length)} areas, ${binaryBytes(bytesOf(k))}`);
    const dAreas = rounds[k].lines.length - rounds[k - 1].lines.length;
    const dBytes = bytesOf(k) - bytesOf(k - 1);
    const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '±');
    await expect(app.tooltip).toContainText(`${sign(dAreas)}${count(Math.abs(dAreas))} areas, ${sign(dBytes)}${binaryBytes(Math.abs(dBytes))} since`);
  });

  test('steps with its buttons: first, next, previous, last', async ({ page }) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(SERIES);
    const last = rounds.length - 1;
    for (const [button, index] of [['first', 0], ['next', 1], ['next', 2], ['prev', 1], ['last', last]] as const) {
      await page.getByTestId(`timeline-${button}`).click();
      await app.whenIdle();
      expect((await app.timeline())?.index).toBe(index);
    }
    await expect(page.getByTestId('timeline-last')).toBeDisabled();
    await expect(page.getByTestId('timeline-next')).toHaveAttribute('title', /\(\.\)/);
  });

  test('compares the ends of a range dragged across it', async ({ page }, testInfo) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(SERIES);
    await app.dragMoments(4, 20, times);
    const t = await app.timeline();
    expect(t?.range).toEqual([4, 20]);
    expect(t?.index).toBe(20);
    const s = await app.state();
    expect(s.diff?.netBytes).toBe(bytesOf(20) - bytesOf(4));
    expect(s.analysisTab).toBe('compare');
    await expect(app.range).toBeVisible();
    await page.screenshot({ path: shotPath(testInfo, 'timeline-strip-range.png') });
    await page.getByTestId('timeline-range-clear').click();
    expect((await app.timeline())?.range).toBeNull();
    await expect(app.range).toBeHidden();
  });

  test('What grew ranks first the caller whose bytes rose most over the range, and its row highlights that caller’s areas from moment to moment', async ({ page }, testInfo) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(SERIES);
    const [a, b] = [0, 10];
    const before = callers(a);
    const after = callers(b);
    const rises = [...new Set([...before.keys(), ...after.keys()])].map((name) => ({ name, net: (after.get(name) ?? 0) - (before.get(name) ?? 0) })).sort((x, y) => y.net - x.net);
    expect(rises[0].net).toBeGreaterThan(0);
    await app.dragMoments(a, b, times);
    await app.openWhatGrew();
    const first = app.grew.getByTestId('grew-row').first();
    await expect(first).toHaveAttribute('data-key', rises[0].name);
    await expect(first.getByTestId('grew-net')).toHaveText(`+${binaryBytes(rises[0].net)}`);
    await app.grew.screenshot({ path: shotPath(testInfo, 'what-grew.png') });
    // A row highlights that caller's areas in the moment on screen.
    await first.getByRole('button').click();
    const highlighted = (k: number) => rounds[k].lines.filter((l) => l.trim().split(/\s+/)[2]?.split('+')[0] === rises[0].name).length;
    await expect(page.getByTestId('highlight-chip')).toContainText(`${count(highlighted(b))} areas`);
    // The highlight follows the cursor: another moment, that moment's areas of the caller.
    await app.clickMoment(a, times);
    await expect(page.getByTestId('highlight-chip')).toContainText(`caller ${rises[0].name} · ${count(highlighted(a))} areas`);
  });

  test('draws a series of two moments at its two ends and moves between them', async ({ page }) => {
    const app = new StripPage(page);
    await app.open();
    const picked = [3, 25];
    const log = picked.map((k) => `${rounds[k].stamp}\n${rounds[k].lines.join('\n')}\n`).join('');
    await page.evaluate((t) => (window as unknown as { __vmscope: { openFile(n: string, t: string): Promise<void> } }).__vmscope.openFile('two.log', t), log);
    await app.whenIdle();
    expect((await app.timeline())?.count).toBe(2);
    const two = picked.map((k) => times[k]);
    await app.clickMoment(0, two);
    expect((await app.timeline())?.index).toBe(0);
    expect((await app.state()).areas).toBe(rounds[picked[0]].lines.length);
    await app.clickMoment(1, two);
    expect((await app.timeline())?.index).toBe(1);
    expect((await app.state()).areas).toBe(rounds[picked[1]].lines.length);
  });

  test('spaces moments without a time by their order, and says so', async ({ page }) => {
    const app = new StripPage(page);
    await app.open();
    // Numbered files with one modification time between them: no time to go by.
    const picked = [0, 10, 20, 29];
    const sameTime = Date.parse('2026-11-30T00:00:00Z');
    await new SeriesPage(page).dropFiles(picked.map((k, n) => pageFile(`dump-${n + 1}.txt`, rounds[k].lines.join('\n') + '\n', sameTime)));
    const t = await app.timeline();
    expect(t?.count).toBe(picked.length);
    expect(t?.times).toEqual(picked.map(() => null));
    await expect(page.getByTestId('timeline-note')).toContainText('moments have no time: spaced by order');
    await expect(app.stage).toHaveAttribute('data-timed', 'false');
    // Evenly spaced: moment n sits at n / (count − 1) of the plot.
    const order = picked.map((_, n) => n);
    await app.clickMoment(2, order);
    expect((await app.timeline())?.index).toBe(2);
    expect((await app.state()).areas).toBe(rounds[picked[2]].lines.length);
  });

  test('the table’s CSV of a moment carries that moment’s number and time in every row, as vmscope export FILE@N does', async ({ page }) => {
    const app = new StripPage(page);
    await app.open();
    await app.load(SERIES);
    await app.clickMoment(16, times);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('table-export-csv').click()]);
    const [header, ...rows] = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    expect(rows.length).toBe(rounds[16].lines.length);
    // host, moment and time are the last three columns (a quoted field before them may hold a comma).
    expect(header.slice(-3)).toEqual(['host', 'moment', 'time']);
    for (const r of rows) expect(r.slice(-3)).toEqual(['', '17', new Date(times[16]).toISOString()]);
  });
});
