// Which browser the end-to-end tests drive, on any developer machine (playwright.config.ts asks).
// In order: CHROMIUM_PATH when set; Debian's /usr/bin/chromium (what .ci/run installs); chromium or
// chromium-browser on PATH; Google Chrome where it installs, through Playwright's `channel`;
// Playwright's own download when one is there (`npx playwright install chromium`). We never
// download one ourselves. Pure: the environment and a file-exists probe come in.

export type Browser =
  | { found: true; executablePath: string; channel?: undefined; source: string }
  | { found: true; channel: 'chrome'; executablePath?: undefined; source: string }
  | { found: false; message: string };

export interface BrowserProbe {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
  /** Where Playwright keeps its own Chromium (chromium.executablePath()), or null when it cannot say. */
  playwrightChromium: string | null;
}

/** Where Google Chrome (stable) installs, which is where `channel: 'chrome'` looks. */
function chromePaths(env: Record<string, string | undefined>, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') return ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((r): r is string => !!r);
    return roots.map((r) => `${r}\\Google\\Chrome\\Application\\chrome.exe`);
  }
  return ['/opt/google/chrome/chrome'];
}

/** `name` in a directory of PATH, as the shell would find it. */
function onPath(name: string, env: Record<string, string | undefined>, platform: NodeJS.Platform, exists: (p: string) => boolean): string | null {
  const sep = platform === 'win32' ? ';' : ':';
  const slash = platform === 'win32' ? '\\' : '/';
  const names = platform === 'win32' ? [`${name}.exe`] : [name];
  for (const dir of (env.PATH ?? env.Path ?? '').split(sep)) {
    if (!dir) continue;
    for (const n of names) {
      const path = `${dir.replace(/[\\/]+$/, '')}${slash}${n}`;
      if (exists(path)) return path;
    }
  }
  return null;
}

export const NO_BROWSER = [
  'vmscope e2e: no browser found for the end-to-end tests. Install one of:',
  '  Chromium      Debian/Ubuntu: sudo apt-get install chromium (or chromium-browser); Fedora: sudo dnf install chromium; macOS: brew install --cask chromium',
  '  Google Chrome https://www.google.com/chrome/ (used through Playwright\'s channel "chrome")',
  "  Playwright's  npx playwright install chromium",
  'or point CHROMIUM_PATH at a Chromium or Chrome executable.',
].join('\n');

export function findBrowser({ env, platform, exists, playwrightChromium }: BrowserProbe): Browser {
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (exists(given)) return { found: true, executablePath: given, source: 'CHROMIUM_PATH' };
    return { found: false, message: `vmscope e2e: CHROMIUM_PATH is ${given}, which does not exist; fix it or unset it to let the tests look for a browser.` };
  }
  if (platform !== 'win32' && exists('/usr/bin/chromium')) return { found: true, executablePath: '/usr/bin/chromium', source: "Debian's Chromium" };
  for (const name of ['chromium', 'chromium-browser']) {
    const path = onPath(name, env, platform, exists);
    if (path) return { found: true, executablePath: path, source: `${name} on PATH` };
  }
  if (chromePaths(env, platform).some(exists)) return { found: true, channel: 'chrome', source: 'Google Chrome' };
  if (playwrightChromium && exists(playwrightChromium)) return { found: true, executablePath: playwrightChromium, source: "Playwright's Chromium" };
  return { found: false, message: NO_BROWSER };
}
