/* Shouwang phone pages' service worker (patrols, inspections): the page shell from cache when offline; data network-first. */
const CACHE = "{{ version }}";
const SHELL = {{ shell|safe }};
const DATA = "{{ data_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // actions go through the page's queue
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const cacheable = SHELL.includes(url.pathname) || url.pathname === DATA;
  if (!cacheable) return;
  // Network first (fresh shell and data when online), the cached copy when not.
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    }).catch(() => caches.match(url.pathname).then((hit) => hit ? offlineCopy(hit) : Response.error()))
  );
});

// A cached copy says so, so the page does not take it for an answer of the server.
function offlineCopy(hit) {
  const headers = new Headers(hit.headers);
  headers.set("X-Shouwang-Offline", "1");
  return new Response(hit.body, {status: hit.status, statusText: hit.statusText, headers: headers});
}
