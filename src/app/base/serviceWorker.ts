// The service worker (public/sw.js) that lets a visited page open again offline. Registered by
// main.tsx in a production build only: never under `vite` (dev), and not when a test drives the
// browser (navigator.webdriver) unless the URL asks for it with ?sw (the offline e2e test does).

import { liveTokenOf, openTokenOf } from './links.ts';

/**
 * Whether to register: a production build, not under automation unless `?sw` is in the URL, and
 * not in a page `vmscope open` served (`#open=`, `#live=`: a one-off server on a random port,
 * nothing to keep for next time).
 */
export function wantsServiceWorker(production: boolean, webdriver: boolean, search: string, hash = ''): boolean {
  return production && openTokenOf(hash) === null && liveTokenOf(hash) === null && (!webdriver || new URLSearchParams(search).has('sw'));
}

/**
 * Register public/sw.js for this page's folder, then tell it which of this origin's files the page
 * had fetched before the worker was in charge (the hashed scripts, styles and parse worker), so it
 * keeps them too. Failure only means no offline copy: said on the console, nothing else.
 */
export function registerServiceWorker(w: Window): void {
  const sw = w.navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!sw) return;
  const origin = w.location.origin;
  const ours = (names: string[]) => [...new Set(names.filter((u) => u.startsWith(origin)))];
  const start = () => {
    sw.register(new URL('sw.js', w.location.href).href, { scope: './' })
      .then(() => sw.ready)
      .then((registration) => {
        const tell = (urls: string[]) => urls.length > 0 && (sw.controller ?? registration.active)?.postMessage({ cache: urls });
        tell(ours(w.performance.getEntriesByType('resource').map((e) => e.name)));
        // A fetch still under way when the worker took charge did not pass through it (the
        // starting sample's companions, often): each one is listed as it ends. The worker
        // fetches only what it has not kept yet.
        if (typeof PerformanceObserver === 'function') {
          new PerformanceObserver((list) => tell(ours(list.getEntries().map((e) => e.name)))).observe({ type: 'resource' });
        }
      })
      .catch((err: unknown) => console.warn('vmscope: no offline copy of the page:', err));
  };
  if (w.document.readyState === 'complete') start();
  else w.addEventListener('load', start, { once: true });
}
