// The parse worker, started from its own file next to the page's scripts (the app as served).
// The one-file report (vite.report.config.ts) swaps this module for spawn.inline.ts, whose worker
// travels inside the page: a page opened from file:// cannot start a worker from another file.

export function startParseWorker(): Worker {
  return new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'vmscope-parse' });
}
