import { describe, expect, it } from 'vitest';
import { NO_BROWSER, findBrowser } from './browser.ts';
import type { BrowserProbe } from './browser.ts';

/** A machine holding exactly these files. */
function machine(files: string[], env: Record<string, string | undefined> = {}, more: Partial<BrowserProbe> = {}): BrowserProbe {
  const set = new Set(files);
  return { env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env }, platform: 'linux', exists: (p) => set.has(p), playwrightChromium: '/home/u/.cache/ms-playwright/chromium-1200/chrome-linux/chrome', ...more };
}

describe('the browser the end-to-end tests drive', () => {
  it('is CHROMIUM_PATH when it is set, ahead of every other', () => {
    expect(findBrowser(machine(['/usr/bin/chromium', '/opt/c/chrome'], { CHROMIUM_PATH: '/opt/c/chrome' }))).toMatchObject({ found: true, executablePath: '/opt/c/chrome' });
  });

  it('is an error naming CHROMIUM_PATH when it points at nothing, not a silent fallback', () => {
    const r = findBrowser(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '/nope/chrome' }));
    expect(r.found).toBe(false);
    expect(r.found === false && r.message).toMatch(/CHROMIUM_PATH is \/nope\/chrome, which does not exist/);
  });

  it("is Debian's /usr/bin/chromium when there is no CHROMIUM_PATH", () => {
    expect(findBrowser(machine(['/usr/bin/chromium', '/usr/local/bin/chromium-browser', '/opt/google/chrome/chrome']))).toMatchObject({ found: true, executablePath: '/usr/bin/chromium' });
  });

  it('is chromium or chromium-browser from PATH, in PATH order, when /usr/bin/chromium is missing', () => {
    expect(findBrowser(machine(['/usr/bin/chromium-browser']))).toMatchObject({ found: true, executablePath: '/usr/bin/chromium-browser' });
    expect(findBrowser(machine(['/snap/bin/chromium'], { PATH: '/usr/bin:/snap/bin/' }))).toMatchObject({ found: true, executablePath: '/snap/bin/chromium' });
    expect(findBrowser(machine(['/a/chromium-browser', '/b/chromium'], { PATH: '/a:/b' }))).toMatchObject({ found: true, executablePath: '/b/chromium' });
  });

  it("is Google Chrome through Playwright's channel when no Chromium is installed", () => {
    expect(findBrowser(machine(['/opt/google/chrome/chrome']))).toEqual({ found: true, channel: 'chrome', source: 'Google Chrome' });
    expect(findBrowser(machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'], {}, { platform: 'darwin' }))).toMatchObject({ found: true, channel: 'chrome' });
    const win = machine(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'], { PATH: 'C:\\Windows', PROGRAMFILES: 'C:\\Program Files' }, { platform: 'win32' });
    expect(findBrowser(win)).toMatchObject({ found: true, channel: 'chrome' });
  });

  it("is Playwright's own download when that is all there is, and only when it is there", () => {
    const own = '/home/u/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';
    expect(findBrowser(machine([own]))).toMatchObject({ found: true, executablePath: own });
    expect(findBrowser(machine([], {}, { playwrightChromium: null }))).toEqual({ found: false, message: NO_BROWSER });
  });

  it('is one message saying what to install when there is none', () => {
    const r = findBrowser(machine([]));
    expect(r).toEqual({ found: false, message: NO_BROWSER });
    for (const way of ['apt-get install chromium', 'Google Chrome', 'npx playwright install chromium', 'CHROMIUM_PATH']) expect(NO_BROWSER).toContain(way);
  });
});
