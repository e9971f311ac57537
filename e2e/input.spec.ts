import { expect, test } from '@playwright/test';
import { closeSync, mkdirSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputPage } from './pages/InputPage.ts';
import { DEFAULT_SAMPLE, HASHED_SAMPLE, ZEROED_SAMPLE, baseName, countAreaLines, samplePath } from './fixtures.ts';

const MEMINFO = 'kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo';
const MODULES = 'kernels/x86_64-6.1.0-56-after-insmod-raw.modules';

const text = (path: string) => readFileSync(samplePath(path), 'utf8');
const nonEmptyLines = (path: string) => text(path).split('\n').filter((l) => l.trim() !== '').length;

test.describe('getting a dump in', () => {
  test('dropping a file anywhere shows a drop overlay, then the dropped dump', async ({ page }, testInfo) => {
    const app = new InputPage(page);
    await app.open();
    await app.dragOver(baseName(HASHED_SAMPLE), text(HASHED_SAMPLE));
    await expect(app.dropOverlay).toBeVisible();
    await expect(app.dropOverlay).toContainText('Drop a dump');
    await page.screenshot({ path: testInfo.outputPath('drop-overlay.png') });

    await app.drop();
    await expect(app.dropOverlay).toBeHidden();
    await expect(app.fileName).toHaveText(baseName(HASHED_SAMPLE));
    await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
    expect(await app.state()).toMatchObject({ pointerMode: 'hashed', areas: countAreaLines(HASHED_SAMPLE) });
  });

  test('pasting with Ctrl+V on the page reads the clipboard text', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await app.pasteOnPage(text(ZEROED_SAMPLE));
    await expect(app.fileName).toHaveText('pasted text');
    await app.expectAreaCount(countAreaLines(ZEROED_SAMPLE));
    expect((await app.state()).pointerMode).toBe('zero');
  });

  test('the paste box reads what was typed into it', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await app.pasteInBox(text(HASHED_SAMPLE));
    await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
    expect(await app.state()).toMatchObject({ fileName: 'pasted text', areas: countAreaLines(HASHED_SAMPLE) });
  });

  test('a gzip file chosen with the file chooser is decompressed in the browser', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await app.openBytes('hashed.vmallocinfo.gz', gzipSync(readFileSync(samplePath(HASHED_SAMPLE))));
    await expect(app.fileName).toHaveText('hashed.vmallocinfo.gz');
    await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
    expect((await app.state()).pointerMode).toBe('hashed');
  });

  test('a combined vmallocinfo, meminfo and modules paste reads the areas and reports the other sections', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    const before = await app.state();
    const combined = text(DEFAULT_SAMPLE) + text(MEMINFO) + text(MODULES);
    await app.pasteOnPage(combined);

    const meminfo = nonEmptyLines(MEMINFO);
    const modules = nonEmptyLines(MODULES);
    await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
    await expect(app.note).toContainText(`also found: /proc/meminfo (${meminfo} lines), /proc/modules (${modules} lines)`);
    const after = await app.state();
    expect(after.sections).toEqual([
      { name: '/proc/meminfo', lines: meminfo },
      { name: '/proc/modules', lines: modules },
    ]);
    // The other sections are not diagnostics of the dump.
    expect(after.diagnostics).toBe(before.diagnostics);
  });
});

test('a dump saved by Windows PowerShell 5 (UTF-16LE with a byte-order mark, CRLF) is read, and its encoding named', async ({ page }) => {
  const app = new InputPage(page);
  await app.open();
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(HASHED_SAMPLE).replace(/\n/g, '\r\n'), 'utf16le')]);
  await app.openBytes('dump.txt', utf16);
  await expect(app.fileName).toHaveText('dump.txt');
  await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
  await expect(app.note).toContainText('read as UTF-16LE with a byte-order mark');
  expect(await app.state()).toMatchObject({ pointerMode: 'hashed', areas: countAreaLines(HASHED_SAMPLE), diagnostics: 0 });
});

test('a dump with CR-only line ends reads one area per line', async ({ page }) => {
  const app = new InputPage(page);
  await app.open();
  const lines = text(ZEROED_SAMPLE).split('\n').filter((l) => l !== '').length;
  await app.openBytes('mac.txt', Buffer.from(text(ZEROED_SAMPLE).replace(/\n/g, '\r')));
  await app.expectAreaCount(countAreaLines(ZEROED_SAMPLE));
  await expect(app.note).toContainText(`read ${lines} CR-only line ends`);
});

test('text copied from a terminal, with prompts, tabs, non-breaking spaces and CRLF, reads every area line and names the prompts', async ({ page }) => {
  const app = new InputPage(page);
  await app.open();
  const before = await app.state();
  const lines = text(DEFAULT_SAMPLE)
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => (i % 2 === 0 ? l.replace(/ +/, (run) => '\u00a0'.repeat(run.length)) : l.replace(/ +/, '\t')));
  const pasted = ['root@host:~# cat /proc/vmallocinfo', ...lines, 'root@host:~# '].join('\r\n');
  await app.pasteOnPage(pasted);

  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
  // The two prompts are named as such, by line number, not counted as unreadable lines.
  expect((await app.state()).diagnostics).toBe(before.diagnostics);
  await expect(app.note).toContainText(`skipped 2 shell prompts on lines 1 and ${(lines.length + 2).toLocaleString('en-US')}`);
  await expect(app.note).not.toContainText('lines skipped');
});

test('an area line a 40-column terminal wrapped over three lines is joined back', async ({ page }) => {
  const app = new InputPage(page);
  await app.open();
  const before = await app.state();
  const lines = text(DEFAULT_SAMPLE).split('\n');
  const k = lines.findIndex((l) => l.length > 80 && l.length <= 120);
  const pieces: string[] = [];
  for (let at = 0; at < lines[k].length; at += 40) pieces.push(lines[k].slice(at, at + 40));
  expect(pieces).toHaveLength(3);
  lines[k] = pieces.join('\n');
  await app.pasteInBox(lines.join('\n'));

  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
  expect((await app.state()).diagnostics).toBe(before.diagnostics);
  expect((await app.state()).bytes).toBe(before.bytes);
  await expect(app.note).toContainText('1 wrapped line joined back');
});

test('an area line wrapped onto two lines is joined back, with nothing skipped', async ({ page }) => {
  const app = new InputPage(page);
  await app.open();
  const before = await app.state();
  const lines = text(DEFAULT_SAMPLE).split('\n');
  const k = lines.findIndex((l) => /^0x.* pages=\d+ vmalloc/.test(l));
  lines[k] = lines[k].replace(' pages=', '\npages=');
  await app.pasteInBox(lines.join('\n'));

  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
  expect((await app.state()).diagnostics).toBe(before.diagnostics);
  expect((await app.state()).bytes).toBe(before.bytes);
  await expect(app.note).toContainText('1 wrapped line joined back');
});

test.describe('bad input keeps the dump on screen', () => {
  const bad: Array<{ what: string; name: string; bytes: () => Buffer; message: RegExp }> = [
    { what: 'binary bytes', name: 'vmlinux', bytes: () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0xff, 0xfe, 10, 0, 1]), message: /vmlinux .*binary data/ },
    { what: 'an empty file', name: 'empty.txt', bytes: () => Buffer.alloc(0), message: /empty\.txt .*is empty/ },
    {
      what: '/proc/meminfo alone',
      name: 'meminfo.txt',
      bytes: () => readFileSync(samplePath(MEMINFO)),
      message: new RegExp(`holds /proc/meminfo \\(${nonEmptyLines(MEMINFO)} lines\\) but no /proc/vmallocinfo area line`),
    },
  ];

  for (const b of bad) {
    test(`${b.what} shows its message and keeps the previous snapshot's area count`, async ({ page }, testInfo) => {
      const app = new InputPage(page);
      await app.open();
      const expected = countAreaLines(DEFAULT_SAMPLE);
      await app.openBytes(b.name, b.bytes());

      await expect(app.notice).toBeVisible();
      await expect(app.notice).toContainText(b.message);
      await expect(app.notice).toContainText(`The dump on screen (${baseName(DEFAULT_SAMPLE)}) is kept.`);
      await expect(app.fileName).toHaveText(baseName(DEFAULT_SAMPLE));
      await app.expectAreaCount(expected);
      expect(await app.state()).toMatchObject({ areas: expected, status: 'ready', fileName: baseName(DEFAULT_SAMPLE) });
      if (b.what === 'binary bytes') await app.notice.screenshot({ path: testInfo.outputPath('bad-input-notice.png') });
    });
  }

  test('the paste box keeps refused text, and empties only once a dump is on screen', async ({ page }, testInfo) => {
    const app = new InputPage(page);
    await app.open();
    const expected = countAreaLines(DEFAULT_SAMPLE);

    // Garbage: refused, the dump on screen stays, and the text is still there to be fixed.
    const garbage = 'not a dump at all\nsecond line of nothing useful\n';
    await app.pasteInBox(garbage);
    await expect(app.notice).toContainText(`The dump on screen (${baseName(DEFAULT_SAMPLE)}) is kept.`);
    await expect(app.pasteInput).toHaveValue(garbage);
    await app.expectAreaCount(expected);
    await page.locator('.paste-box').screenshot({ path: testInfo.outputPath('paste-refused.png') });

    // A damaged share link: refused too, its text kept.
    const badLink = 'http://localhost/#s=AAAA';
    await app.pasteInBox(badLink);
    await expect(page.getByTestId('share-error')).toBeVisible();
    await expect(app.pasteInput).toHaveValue(badLink);
    await app.expectAreaCount(expected);

    // Ctrl+Enter on binary-looking text: refused, kept.
    const binary = '\u0000\u0001\u0002ELF\u0000\u00ff\u00fe';
    await app.pasteInput.fill(binary);
    await app.pasteInput.press('Control+Enter');
    await app.whenIdle();
    await expect(app.pasteInput).toHaveValue(binary);
    await app.expectAreaCount(expected);

    // A real dump: shown, and the box is emptied.
    await app.pasteInBox(text(HASHED_SAMPLE));
    await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
    await expect(app.fileName).toHaveText('pasted text');
    await expect(app.pasteInput).toHaveValue('');
  });

  test('the skipped lines of a refused input can be read with their line numbers', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await app.pasteInBox('$ sudo cat /proc/vmallocinfo\ncat: /proc/vmallocinfo: Permission denied\n');
    await expect(app.notice).toContainText('1 line skipped; skipped a shell prompt on line 1');
    await app.notice.getByText(/1 line skipped or read with a caveat/).click();
    await expect(app.notice.getByText('line 2', { exact: true })).toBeVisible();
    await expect(app.notice).toContainText('Permission denied');
    await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
  });
});

test('the history menu goes back to the snapshot loaded before', async ({ page }, testInfo) => {
  const app = new InputPage(page);
  await app.open();
  await app.openFile(samplePath(HASHED_SAMPLE));
  await app.expectAreaCount(countAreaLines(HASHED_SAMPLE));
  await expect(app.history.locator('option')).toHaveCount(2);

  const earlier = app.history.locator('option', { hasText: baseName(DEFAULT_SAMPLE) });
  await expect(earlier).toContainText(`${countAreaLines(DEFAULT_SAMPLE).toLocaleString('en-US')} areas`);
  await app.history.selectOption((await earlier.getAttribute('value'))!);
  await app.whenIdle();

  await expect(app.fileName).toHaveText(baseName(DEFAULT_SAMPLE));
  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
  expect(await app.state()).toMatchObject({ pointerMode: 'raw', areas: countAreaLines(DEFAULT_SAMPLE) });
  expect((await app.state()).history.map((h) => h.current)).toEqual([true, false]);
  await page.screenshot({ path: testInfo.outputPath('history-page.png'), fullPage: true });
});

test('a file over 200 MiB is refused before it is read, and the dump on screen stays', async ({ page }, testInfo) => {
  const app = new InputPage(page);
  await app.open();
  const huge = testInfo.outputPath('huge.vmallocinfo');
  mkdirSync(dirname(huge), { recursive: true });
  closeSync(openSync(huge, 'w'));
  truncateSync(huge, 201 * 1024 * 1024); // sparse: nothing is written to disk
  await app.openFile(huge);

  await expect(app.notice).toContainText(/huge\.vmallocinfo is .*over the 200 MiB that vmscope reads; it was not read/);
  await expect(app.fileName).toHaveText(baseName(DEFAULT_SAMPLE));
  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
});

test('a file cut short in its last line is read, and the missing newline is reported', async ({ page }) => {
  const app = new InputPage(page);
  await app.open();
  const full = text(HASHED_SAMPLE);
  const cut = full.slice(0, full.lastIndexOf('\n', full.length - 2) + 12);
  await app.openBytes('cut.vmallocinfo', Buffer.from(cut));

  await expect(app.fileName).toHaveText('cut.vmallocinfo');
  await app.expectAreaCount(countAreaLines(HASHED_SAMPLE) - 1);
  await expect(app.note).toContainText('the last line has no newline');
  await expect(app.note).toContainText('1 line skipped');
});
