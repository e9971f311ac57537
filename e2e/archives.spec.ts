import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createTar } from 'nanotar';
import { countAreaLines, samplePath } from './fixtures.ts';
import { SeriesPage, pageFile } from './pages/SeriesPage.ts';

// A sosreport as a customer sends it: the sos tree around a real capture, tarred and gzipped here.
const BASE = 'kernels/x86_64-6.1.0-56-after-insmod-raw';
const TOP = 'sosreport-db01-2026-11-30-kqzvbta';
const RELEASE = '6.1.0-56-amd64';
const text = (path: string) => readFileSync(samplePath(path), 'utf8');

function sosreport(withVmallocinfo = true): Buffer {
  const files = [
    { name: `${TOP}/proc/meminfo`, data: text(`${BASE}.meminfo`) },
    { name: `${TOP}/proc/modules`, data: text(`${BASE}.modules`) },
    { name: `${TOP}/sos_commands/kernel/uname_-a`, data: `Linux db01 ${RELEASE} #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09) x86_64 GNU/Linux\n` },
    { name: `${TOP}/sos_commands/host/hostname`, data: 'db01\n' },
  ];
  if (withVmallocinfo) files.unshift({ name: `${TOP}/proc/vmallocinfo`, data: text(`${BASE}.vmallocinfo`) });
  return gzipSync(createTar(files));
}

test.describe('dumps as they arrive', () => {
  test('a sosreport .tar.gz dropped on the page shows its host and kernel in the heading and every area on the map, and again after a reload', async ({ page }, testInfo) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.dropFiles([pageFile(`${TOP}.tar.gz`, sosreport())]);
    await expect(app.fileName).toHaveText(`${TOP}.tar.gz`);
    await expect(page.getByTestId('dump-origin')).toHaveText(`sosreport · db01 · ${RELEASE} x86_64`);
    await app.expectAreaCount(countAreaLines(`${BASE}.vmallocinfo`));
    expect((await app.state()).areas).toBe(countAreaLines(`${BASE}.vmallocinfo`));
    await page.screenshot({ path: testInfo.outputPath('sosreport.png') });

    // Kept on this device as it was read (the tar): a reload opens it again, origin and all.
    await page.reload();
    await app.whenIdle();
    await expect(app.fileName).toHaveText(`${TOP}.tar.gz`);
    await expect(page.getByTestId('dump-origin')).toHaveText(`sosreport · db01 · ${RELEASE} x86_64`);
    await app.expectAreaCount(countAreaLines(`${BASE}.vmallocinfo`));
  });

  test('a sosreport .tar.xz chosen with the file button is unpacked in the worker (xz in WebAssembly)', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    const xz = execFileSync('/usr/bin/xz', ['-c'], { input: gunzipSync(sosreport()) });
    await app.chooseFiles([{ name: `${TOP}.tar.xz`, buffer: xz }]);
    await expect(page.getByTestId('dump-origin')).toHaveText(`sosreport · db01 · ${RELEASE} x86_64`);
    await app.expectAreaCount(countAreaLines(`${BASE}.vmallocinfo`));
  });

  test('a sosreport without a vmallocinfo is not shown, and the message says what it held', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.dropFiles([pageFile(`${TOP}.tar.gz`, sosreport(false))]);
    await expect(page.getByText('sosreport of db01: no proc/vmallocinfo — the memory plugin was not run; found proc/meminfo, proc/modules')).toBeVisible();
  });
});
