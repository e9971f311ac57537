// vmscope's service worker: once the page has been visited, it opens again with no network.
// The build's hashed files under assets/ (scripts, styles, the parse worker) never change under
// one name: cache first, each kept the first time it is fetched. Everything else of this origin
// (the page, the sample menu and samples, the manifest): network first, so a new build is picked
// up as soon as it is published, and the copy kept from the last visit when there is no network. The page tells it
// which files it had already fetched before this worker was in charge. Nothing else is touched:
// requests to other origins (there are none: the page's CSP forbids them), non-GET requests and any
// other path (the dump `vmscope open` serves) pass through and are never kept. Dumps themselves never come here: they are read from the user's files in the page.
const CACHE = 'vmscope-v1';
// A server may say `Vary: Origin` (vite preview does); a module script asks with an Origin header,
// the copies kept from the page's list were fetched without one: the same file all the same.
const MATCH = { ignoreVary: true };

/**
 * Keep the whole build as offline.json lists it (vite.config.ts writes it; on-demand chunks too),
 * fetching only what is not kept yet, and drop the hashed files of earlier builds. sw.js itself does
 * not change between builds, so this runs at install and again whenever the page is fetched afresh.
 */
async function keepBuild() {
  const cache = await caches.open(CACHE);
  const scope = self.registration.scope;
  const list = await fetch(new URL('offline.json', scope), { cache: 'no-cache' }).then((r) => (r.ok ? r.json() : null));
  if (!Array.isArray(list)) return;
  const urls = list.filter((u) => typeof u === 'string').map((u) => new URL(u, scope).href).filter(isApp);
  await Promise.all(
    urls.map(async (u) => {
      if (isHashed(u) && (await cache.match(u, MATCH))) return;
      const r = await fetch(u, { cache: 'no-cache' }).catch(() => null);
      if (r && r.ok) await cache.put(u, r);
    }),
  );
  const current = new Set(urls);
  for (const request of await cache.keys()) if (isHashed(request.url) && !current.has(request.url)) await cache.delete(request);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    keepBuild()
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** The same origin's files under this worker's scope, and only GETs. */
function ours(url) {
  return url.startsWith(self.registration.scope);
}

/**
 * The app's own files: the page, the build, the samples, the manifest and icon. Anything else
 * (`dump?token=` from `vmscope open` among them: a root-only file's contents) is never kept.
 */
function isApp(url) {
  if (!ours(url)) return false;
  const path = new URL(url).pathname.slice(new URL(self.registration.scope).pathname.length);
  return path === '' || path === 'index.html' || /^(assets|samples)\//.test(path) || ['manifest.webmanifest', 'icon.svg', 'offline.json'].includes(path);
}

function isHashed(url) {
  return new URL(url).pathname.includes('/assets/');
}

/** The page itself (a query such as ?sample= is the same page): kept under its path alone. */
function isPage(request) {
  return request.mode === 'navigate' || /\/(index\.html)?$/.test(new URL(request.url).pathname);
}

async function networkFirst(request, event) {
  const cache = await caches.open(CACHE);
  const page = isPage(request);
  const key = new URL(request.url);
  if (page) key.search = '';
  key.hash = '';
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      await cache.put(key.href, response.clone());
      // A page fetched afresh may be a new build: keep its files too, after the page is served.
      if (page) event.waitUntil(keepBuild().catch(() => undefined));
    }
    return response;
  } catch (err) {
    const kept = (await cache.match(key.href, MATCH)) ?? (page ? await cache.match(self.registration.scope, MATCH) : undefined);
    if (kept) return kept;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, MATCH);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !isApp(request.url)) return;
  event.respondWith(isHashed(request.url) ? cacheFirst(request) : networkFirst(request, event));
});

// The page lists what it fetched before this worker took charge (its scripts, styles, worker).
self.addEventListener('message', (event) => {
  const urls = event.data && Array.isArray(event.data.cache) ? event.data.cache.filter((u) => typeof u === 'string' && isApp(u)) : [];
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        urls.map((u) =>
          cache.match(u, MATCH).then((hit) => hit || fetch(u).then((r) => (r.ok ? cache.put(u, r) : undefined)).catch(() => undefined)),
        ),
      ),
    ),
  );
});
