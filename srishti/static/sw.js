/* Srishti's service worker, served from /sw.js (srishti.sync.views) so that it controls
 * every page. The server fills in the placeholders: the app shell's URLs, a version that
 * changes with any shell file, the offline page and the static prefix.
 *
 * - The app shell (CSS, scripts, htmx, icons, manifest, offline page) is kept at install
 *   and served from the device first: a new version of a file comes with a new worker.
 * - Pages are kept only when the person marks an assessment "available offline"
 *   (js/offline.js puts them in the "srishti-pages" cache). A navigation goes to the
 *   network first; a kept page is refreshed with every successful visit and served from
 *   the device when the network fails. Anything else falls back to the offline page.
 * - Evidence photos, once seen, are kept (their URL never changes content).
 * - Nothing that writes (POST, PUT) is touched: offline.js keeps those itself.
 * Logging out deletes the pages and photos (js/offline.js).
 */
"use strict";

const VERSION = "__SRISHTI_VERSION__";
const SHELL = "__SRISHTI_SHELL__";
const OFFLINE_URL = "__SRISHTI_OFFLINE__";
const STATIC_PREFIX = "__SRISHTI_STATIC__";
const SHELL_CACHE = "srishti-shell-" + VERSION;
const PAGES_CACHE = "srishti-pages";
const PHOTOS_CACHE = "srishti-photos";
// A kept page is served from the device when the network takes longer than this.
const NAVIGATION_TIMEOUT = 10000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE)
    .then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys()
    .then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("srishti-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    })
    .then(function () { return self.clients.claim(); }));
});

function fromShell(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) { return hit || fetch(request); });
  });
}

function withTimeout(promise, ms) {
  if (!ms) return promise;
  return new Promise(function (resolve, reject) {
    const timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (err) { clearTimeout(timer); reject(err); });
  });
}

function navigate(request) {
  const url = new URL(request.url);
  url.hash = "";
  // Opened only when it exists: caches.open would create it again after logging out.
  return caches.has(PAGES_CACHE).then(function (exists) {
    return exists ? caches.open(PAGES_CACHE) : null;
  }).then(function (cache) {
    if (!cache) {
      return fetch(request).catch(function () { return caches.match(OFFLINE_URL); });
    }
    return cache.match(url.href).then(function (kept) {
      const network = fetch(request).then(function (response) {
        if (kept) {
          if (response.ok && !response.redirected && response.type === "basic") {
            cache.put(url.href, response.clone());
          } else if (response.status === 404 || response.status === 403) {
            cache.delete(url.href); // no longer this person's to see
          }
        }
        return response;
      });
      return withTimeout(network, kept ? NAVIGATION_TIMEOUT : 0).catch(function () {
        if (kept) return kept;
        // "?show=gaps" of a kept page: the whole page, which the person can filter by eye.
        return cache.match(url.href, { ignoreSearch: true }).then(function (other) {
          return other || caches.match(OFFLINE_URL);
        });
      });
    });
  });
}

function photo(request) {
  return caches.open(PHOTOS_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok && !response.redirected) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(navigate(request));
  else if (url.pathname.indexOf(STATIC_PREFIX) === 0) event.respondWith(fromShell(request));
  else if (url.pathname.indexOf("/sync/photos/") === 0) event.respondWith(photo(request));
});
