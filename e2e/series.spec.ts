import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SeriesPage, pageFile } from './pages/SeriesPage.ts';
import { HASHED_SAMPLE, countAreaLines, samplePath } from './fixtures.ts';
import { Recorder, encodeHeader } from '../src/lib/series/recording.ts';

// The real recorded series (x86_64 6.18, hashed, `date -Is` before each dump), split here on its
// stamp lines with a plain regex: the facts the app's timeline is checked against.
const SERIES = 'series/host-6.18-hashed-date-Is.txt.gz';
const gz = readFileSync(samplePath(SERIES));
const text = gunzipSync(gz).toString('utf8');
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

interface Round {
  stamp: string;
  lines: string[];
}

function roundsOf(log: string): Round[] {
  const rounds: Round[] = [];
  for (const line of log.split('\n')) {
    if (STAMP.test(line)) rounds.push({ stamp: line, lines: [] });
    else if (line.startsWith('0x') && rounds.length > 0) rounds[rounds.length - 1].lines.push(line);
  }
  return rounds;
}

const rounds = roundsOf(text);
const last = rounds.length - 1;
const stampLines = text.split('\n').filter((l) => STAMP.test(l)).length;

/** A log of some rounds of the real series, as the shell loop would have written them. */
const logOf = (rs: Round[]) => rs.map((r) => `${r.stamp}\n${r.lines.join('\n')}\n`).join('');

test.describe('a recorded series', () => {
  test('dropped as its .gz file, opens on its latest moment with one moment per stamp line', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.dropFiles([pageFile('vmalloc.log.gz', gz)]);
    const s = await app.state();
    expect(s.timeline?.count).toBe(stampLines);
    expect(s.timeline?.index).toBe(stampLines - 1);
    expect(s.timeline?.times).toEqual(rounds.map((r) => Date.parse(r.stamp)));
    expect(s.areas).toBe(rounds[last].lines.length);
    await expect(app.moment).toContainText(`moment ${stampLines} of ${stampLines}`);
    await expect(app.moment).toContainText('stamps in +00:00');
    await app.expectAreaCount(rounds[last].lines.length);
  });

  test('pasted as text, is the same series', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.pasteOnPage(text);
    const s = await app.state();
    expect(s.timeline?.count).toBe(stampLines);
    expect(s.timeline?.index).toBe(stampLines - 1);
    expect(s.areas).toBe(rounds[last].lines.length);
  });

  test('picked from the sample menu, is the same series', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.pickSample(SERIES);
    const s = await app.state();
    expect(s.timeline?.count).toBe(stampLines);
    expect(s.timeline?.index).toBe(stampLines - 1);
    expect(s.areas).toBe(rounds[last].lines.length);
    await expect(app.sampleSelect.locator('optgroup[label="Recorded series"] option')).toHaveCount(1);
  });

  test('moves with , . Home and End, each moment showing its own round’s areas', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(SERIES);
    const expectMoment = async (i: number) => {
      const s = await app.state();
      expect(s.timeline?.index).toBe(i);
      expect(s.areas).toBe(rounds[i].lines.length);
    };
    await app.key(',');
    await expectMoment(last - 1);
    await app.key(',');
    await expectMoment(last - 2);
    await app.key('.');
    await expectMoment(last - 1);
    await app.key('Home');
    await expectMoment(0);
    await app.key(',');
    await expectMoment(0);
    await app.key('.');
    await expectMoment(1);
    await app.key('End');
    await expectMoment(last);
    await app.key('.');
    await expectMoment(last);
    await expect(app.moment).toContainText(`moment ${last + 1} of ${rounds.length}`);
  });

  test('keeps the zoom exactly while stepping through the moments', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(SERIES);
    await app.zoomTo('0x10000', '0x30000');
    const zoomed = await app.state();
    expect([zoomed.viewStart, zoomed.viewEnd]).toEqual(['0x10000', '0x30000']);
    for (const key of [',', ',', ',', 'Home', '.', 'End']) {
      await app.key(key);
      const s = await app.state();
      expect([s.viewStart, s.viewEnd]).toEqual([zoomed.viewStart, zoomed.viewEnd]);
    }
  });

  test('compares the ends of a range of moments in the Compare view', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(SERIES);
    await app.setRange(3, 20);
    const s = await app.state();
    expect(s.timeline?.index).toBe(20);
    expect(s.timeline?.range).toEqual([3, 20]);
    const bytes = (r: Round) => r.lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0);
    expect(s.diff?.netBytes).toBe(bytes(rounds[20]) - bytes(rounds[3]));
    expect(s.diff?.aName).toMatch(/@ moment 4$/);
    expect(s.diff?.bName).toMatch(/@ moment 21$/);
    expect(s.colourMode).toBe('diff');
    await expect(page.getByTestId('compare-moments')).toContainText('moment 4 of');
  });

  test('< and > move the start of a comparison from the moment on screen, without the mouse', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(SERIES);
    for (let k = 0; k < 5; k++) await app.key('<');
    const s = await app.state();
    expect(s.timeline?.index).toBe(last);
    expect(s.timeline?.range).toEqual([last - 5, last]);
    const bytes = (r: Round) => r.lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0);
    expect(s.diff?.netBytes).toBe(bytes(rounds[last]) - bytes(rounds[last - 5]));
    for (let k = 0; k < 5; k++) await app.key('>');
    expect((await app.state()).timeline?.range).toBeNull();
  });

  test('a single dump has no timeline', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(HASHED_SAMPLE);
    const s = await app.state();
    expect(s.timeline).toBeUndefined();
    expect(s.areas).toBe(countAreaLines(HASHED_SAMPLE));
    await expect(app.moment).toBeHidden();
  });

  test('several files dropped at once become one series, a moment each, the latest on screen', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    const picked = [2, 9, 17];
    const t0 = Date.parse('2026-11-30T00:00:00Z');
    // dropped out of order: the modification times put them back in order
    const files = [2, 0, 1].map((k) => pageFile(`moment-${'abc'[k]}.txt`, rounds[picked[k]].lines.join('\n') + '\n', t0 + k * 60_000));
    await app.dropFiles(files);
    const s = await app.state();
    expect(s.timeline?.count).toBe(3);
    expect(s.timeline?.index).toBe(2);
    expect(s.areas).toBe(rounds[picked[2]].lines.length);
    await app.setMoment(0);
    expect((await app.state()).areas).toBe(rounds[picked[0]].lines.length);
  });

  test('several files chosen at once in the file chooser become one series', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.chooseFiles([4, 5].map((k) => ({ name: `round-${k}.txt`, buffer: Buffer.from(`${rounds[k].stamp}\n${rounds[k].lines.join('\n')}\n`) })));
    const s = await app.state();
    expect(s.timeline?.count).toBe(2);
    expect(s.timeline?.times).toEqual([4, 5].map((k) => Date.parse(rounds[k].stamp)));
    expect(s.areas).toBe(rounds[5].lines.length);
  });

  test('bad lines inside a round never lose the good moments or their good lines', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    const some = rounds.slice(0, 4).map((r) => ({ ...r, lines: [...r.lines] }));
    const garbage = ['0xnot-an-address 4096 garbage', 'this line is not from vmallocinfo', '0xffff 12 truncated'];
    const bad = { ...some[2], lines: [...some[2].lines.slice(0, 100), ...garbage, ...some[2].lines.slice(100)] };
    await app.pasteOnPage(logOf([some[0], some[1], bad, some[3]]));
    const s = await app.state();
    expect(s.timeline?.count).toBe(4);
    expect(s.areas).toBe(some[3].lines.length);
    await app.setMoment(2);
    const at2 = await app.state();
    expect(at2.areas).toBe(some[2].lines.length);
    expect(at2.diagnostics).toBe(garbage.length);
    // the moment's own diagnostics, at their lines in the pasted log
    const log = logOf([some[0], some[1], bad, some[3]]).split('\n');
    for (const g of garbage) await expect(app.diagnostics).toContainText(`line ${log.indexOf(g) + 1}`);
    await app.setMoment(1);
    expect((await app.state()).areas).toBe(some[1].lines.length);
  });

  test('a recording dropped on the page opens with every complete moment, even cut short in its last one', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    // A recording of five rounds, made as `vmscope record` makes it (the library's Recorder), then
    // cut in the middle of its last frame as a power cut would leave it.
    const picked = [0, 6, 12, 18, 24];
    const recorder = new Recorder();
    const parts = [encodeHeader({ created: Date.parse(rounds[0].stamp), zoneMinutes: 0, pageSize: 4096, host: 'host', kernel: '6.18', machine: 'x86_64', bootId: 'b', tool: 'test' })];
    for (const k of picked) parts.push(recorder.take({ time: Date.parse(rounds[k].stamp), zoneMinutes: 0, vmallocinfo: Buffer.from(rounds[k].lines.join('\n') + '\n') }).frame);
    const whole = Buffer.concat(parts);
    const cut = whole.subarray(0, whole.length - Math.floor(parts[parts.length - 1].length / 2));
    await app.dropFiles([pageFile('host.vmscope-rec', cut)]);
    const s = await app.state();
    expect(s.timeline?.count).toBe(picked.length - 1);
    expect(s.timeline?.times).toEqual(picked.slice(0, -1).map((k) => Date.parse(rounds[k].stamp)));
    expect(s.areas).toBe(rounds[picked[picked.length - 2]].lines.length);
    await app.setMoment(1);
    expect((await app.state()).areas).toBe(rounds[picked[1]].lines.length);
  });

  test('a file that is not a dump among several never loses the good files’ moments', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.dropFiles([
      pageFile('vmalloc-2026-11-30T0100.txt', rounds[1].lines.join('\n') + '\n'),
      pageFile('vmalloc-2026-11-30T0101.txt', Buffer.from([0, 1, 2, 3, 255, 10, 0])),
      pageFile('vmalloc-2026-11-30T0102.txt', rounds[7].lines.join('\n') + '\n'),
    ]);
    const count = (await app.state()).timeline?.count ?? 0;
    // the file with no area line is left out, not a moment of 0 areas
    expect(count).toBe(2);
    const areas: (number | null)[] = [];
    for (let i = 0; i < count; i++) {
      await app.setMoment(i);
      areas.push((await app.state()).areas);
    }
    expect(areas).toContain(rounds[1].lines.length);
    expect(areas).toContain(rounds[7].lines.length);
    expect(areas.indexOf(rounds[1].lines.length)).toBeLessThan(areas.indexOf(rounds[7].lines.length));
  });

  test('space plays the series from the first moment to the last, then stops', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(SERIES);
    await app.key(' ');
    const started = await app.state();
    expect(started.timeline?.playing).toBe(true);
    expect(started.timeline?.index).toBeLessThan(last);
    await page.waitForFunction(() => (window as unknown as { __vmscope: { getState(): { timeline?: { playing: boolean } } } }).__vmscope.getState().timeline?.playing === false, null, { timeout: 60_000 });
    const s = await app.state();
    expect(s.timeline?.index).toBe(last);
    expect(s.areas).toBe(rounds[last].lines.length);
  });

  test('a caller picked in the summary stays highlighted from moment to moment, with that moment’s areas', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.load(SERIES);
    const threads = (i: number) => rounds[i].lines.filter((l) => l.includes(' kernel_clone+')).length;
    await page.locator('[data-testid="bar-row"][data-key="caller:kernel_clone"]').click();
    await app.whenIdle();
    expect((await app.state()).highlight?.count).toBe(threads(last));
    for (const [key, i] of [['Home', 0], ['.', 1], ['End', last]] as const) {
      await app.key(key);
      const s = await app.state();
      expect(s.timeline?.index).toBe(i);
      expect(s.highlight?.count).toBe(threads(i));
      expect(s.table?.rows).toBe(threads(i));
    }
  });
});
