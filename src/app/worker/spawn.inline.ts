// The parse worker of the one-file report: its code is bundled into the page as a string and
// started from a blob: URL (Vite's ?worker&inline), so a page opened from file:// has it too. The
// report's Content-Security-Policy allows workers from blob: and nothing else. Only the report build
// uses this module (vite.report.config.ts puts it in place of spawn.ts).

import ParseWorker from './parse.worker.ts?worker&inline';

export function startParseWorker(): Worker {
  return new ParseWorker({ name: 'vmscope-parse' });
}
