/* Offline capture: answers and photos kept on the device until the server has them.
 *
 * Loaded on every page (base.html). What it does:
 * - registers the service worker (sw.js), which keeps the app shell and the pages of the
 *   assessments marked "available offline";
 * - on a capture page, an answer given without a connection (or whose request failed) is
 *   written to IndexedDB with the same client id and base revision the online save would
 *   have sent, and the checkpoint says "saved on this device"; a counter shows what waits;
 * - on load, answers waiting on the device, and answers synced since the page (possibly
 *   an old cached copy) was rendered, are painted over the page;
 * - when the network is back (online event, a timer, or "Sync now"), waiting answers go
 *   to the batches endpoint, 500 at a time. Each batch is stored with its idempotency key
 *   BEFORE it is sent, so a retry after a cut connection sends the same key and the same
 *   changes: the server applies it once. Conflicts come back with the other answer and
 *   are shown with both values (keep theirs / use mine); refused answers with the reason;
 *   nothing waiting is deleted until the server has answered for it;
 * - evidence photos are resized on the device, queued, and uploaded in chunks that resume
 *   where the server stopped;
 * - logging out clears what the device keeps of this person's assessments.
 *
 * window.srishtiReady resolves (and <html data-offline-ready="1"> is set) once the page
 * shows what the device holds.
 */
(function () {
  "use strict";

  const API = "/api/sync/";
  const PAGES_CACHE = "srishti-pages";
  const PHOTOS_CACHE = "srishti-photos";
  const config = {
    batchSize: 500,
    retryDelays: [2000, 5000, 15000, 30000, 60000],
    syncEvery: 30000,
    chunkSize: 256 * 1024,
    photoSide: 1600,
    photoQuality: 0.8,
    // After a failed request, answers go to the device for this long before the page
    // tries the network directly again (a sync that succeeds ends it sooner).
    localAfterFailure: 30000,
  };

  let markReady;
  window.srishtiReady = new Promise(function (resolve) { markReady = resolve; });

  const body = document.body;
  const user = (body && body.dataset.user) || "";
  const bar = document.getElementById("offline-bar");
  const words = bar ? bar.dataset : {};
  const list = document.querySelector(".cap-list[data-assessment]");
  const page = list ? { assessment: +list.dataset.assessment, department: +list.dataset.department } : null;

  function ready() {
    document.documentElement.dataset.offlineReady = "1";
    markReady();
  }

  function word(name, n) {
    const text = words[name] || "";
    return n === undefined ? text : text.replace("%(n)s", n);
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  const key = function (assessment, checkpoint) { return assessment + ":" + checkpoint; };
  // "2", "0.5", "na" on the page; 2, 0.5, null in the API.
  const toApi = function (value) { return value === "na" ? null : parseFloat(value); };
  const fromApi = function (value) { return value === null || value === undefined ? "na" : String(value); };

  // ------------------------------------------------------------------------ IndexedDB

  let dbPromise = null;

  function openDb() {
    if (!window.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      const request = indexedDB.open("srishti-offline", 1);
      request.onupgradeneeded = function () {
        const db = request.result;
        // Answers waiting for the server: one per checkpoint (a newer answer replaces it).
        const pending = db.createObjectStore("pending", { keyPath: "key" });
        pending.createIndex("user", "user");
        // Batches as sent: kept until the server answered for them, resent unchanged.
        db.createObjectStore("batches", { keyPath: "key" }).createIndex("user", "user");
        // The server's answers as last known on this device (a cached page can be older).
        db.createObjectStore("answers", { keyPath: "key" })
          .createIndex("department", ["assessment", "department"]);
        // The offline package of each assessment marked "available offline".
        db.createObjectStore("packages", { keyPath: "assessment" });
        const photos = db.createObjectStore("photos", { keyPath: "client_id" });
        photos.createIndex("user", "user");
        photos.createIndex("department", ["assessment", "department"]);
        db.createObjectStore("meta", { keyPath: "name" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Run fn(stores...) in one transaction; resolves with fn's result once committed.
  // Writes to what waits for the server (answers, batches, photos) use strict durability:
  // committed means on disk, also if the browser or the phone stops right after. Copies
  // of what the server has (pages, packages, known answers) need not pay for that.
  const MUST_LAST = ["pending", "batches", "photos"];
  async function transact(names, mode, fn) {
    const db = await openDb();
    const strict = mode === "readwrite" && names.some(function (n) { return MUST_LAST.indexOf(n) >= 0; });
    const tx = db.transaction(names, mode, { durability: strict ? "strict" : "relaxed" });
    const stores = names.map(function (n) { return tx.objectStore(n); });
    const result = fn.apply(null, stores);
    await new Promise(function (resolve, reject) {
      tx.oncomplete = resolve;
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error || new Error("aborted")); };
    });
    return result && typeof result.then === "function" ? result : result;
  }

  async function mine(store) {
    const rows = await transact([store], "readonly", function (s) { return done(s.index("user").getAll(user)); });
    return rows;
  }

  // ------------------------------------------------------------------------ counters and state

  const state = {
    mode: navigator.onLine ? "online" : "offline", // online | offline | syncing | retry | auth | error
    pendingCheckpoints: new Set(), // keys of this page's assessment waiting or in conflict
    localUntil: 0,
    message: "",
  };

  async function counts() {
    if (!user) return { pending: 0, attention: 0, photos: 0 };
    const [pending, photos] = await Promise.all([mine("pending"), mine("photos")]);
    return {
      pending: pending.filter(function (p) { return p.state === "pending"; }).length,
      attention: pending.filter(function (p) { return p.state !== "pending"; }).length,
      photos: photos.filter(function (p) { return p.state === "queued"; }).length,
      rows: pending,
    };
  }

  async function showCounts() {
    if (!bar) return;
    let c;
    try { c = await counts(); } catch (e) { return; }
    const set = function (id, n) {
      const el = document.getElementById(id);
      if (!el) return;
      el.textContent = String(n);
      el.closest("[data-part]").hidden = n === 0 && el.id !== "offline-pending";
    };
    set("offline-pending", c.pending);
    set("offline-attention", c.attention);
    set("offline-photos", c.photos);
    bar.dataset.pending = String(c.pending + c.photos);
    document.querySelectorAll(".cap-dept[data-department]").forEach(function (li) {
      const n = (c.rows || []).filter(function (p) {
        return p.department === +li.dataset.department && p.assessment === +li.dataset.assessment;
      }).length;
      const pill = li.querySelector(".cap-dept-local");
      if (!pill) return;
      pill.hidden = n === 0;
      pill.querySelector("b").textContent = String(n);
    });
    const note = bar.querySelector(".ob-note");
    if (note) note.hidden = c.pending === 0;
  }

  function setMode(mode, message) {
    state.mode = mode;
    state.message = message || "";
    if (!bar) return;
    bar.dataset.state = mode;
    const text = {
      online: word("wOnline"), offline: word("wOffline"), syncing: word("wSyncing"),
      retry: word("wRetry"), auth: word("wAuth"), error: message || word("wRetry"),
      synced: word("wAllSent"),
    }[mode] || "";
    bar.querySelector(".ob-state").textContent = text;
    const login = bar.querySelector(".ob-login");
    if (login) login.hidden = mode !== "auth";
  }

  // ------------------------------------------------------------------------ painting checkpoints

  function card(checkpoint) { return document.getElementById("cp-" + checkpoint); }

  function domRevision(cp) {
    const input = cp.querySelector("form.cp-form input[name=base_revision]");
    return input ? parseInt(input.value || "0", 10) : 0;
  }

  function isAnswered(cp) {
    return !!cp.querySelector(".cp-levels button[aria-pressed=true]");
  }

  // The summary's answered count, when the device adds an answer the page did not have.
  function bumpAnswered(delta) {
    if (!delta) return;
    const b = document.querySelector("#capture-summary .cap-progress b");
    const unanswered = document.getElementById("count-unanswered");
    const all = document.getElementById("count-all");
    if (b) b.textContent = String(parseInt(b.textContent, 10) + delta);
    if (unanswered) unanswered.textContent = String(Math.max(0, parseInt(unanswered.textContent, 10) - delta));
    const track = document.querySelector("#capture-summary .cap-track > span");
    if (b && all && track) {
      const total = parseInt(all.textContent, 10) || 1;
      track.style.width = Math.round(100 * parseInt(b.textContent, 10) / total) + "%";
    }
  }

  // Show an answer on a checkpoint: the pressed score, the remark, the revision it is based
  // on, and what became of it.
  function paint(cp, answer) {
    const form = cp.querySelector("form.cp-form:not(.cp-mine)");
    if (!form) return;
    const was = isAnswered(cp);
    form.querySelectorAll(".cp-levels button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.value === answer.value ? "true" : "false");
      b.classList.remove("pending");
    });
    const textarea = form.querySelector("textarea");
    if (textarea && document.activeElement !== textarea) textarea.value = answer.remark || "";
    if (answer.revision !== undefined) form.querySelector("input[name=base_revision]").value = answer.revision;
    const save = form.querySelector(".cp-save");
    if (save) { save.value = answer.value; save.hidden = true; }
    const full = form.dataset.full;
    cp.classList.remove("cp--full", "cp--gap", "cp--na", "cp--failed", "cp--error", "cp--dirty",
      "cp--needs-remark", "cp--saved", "cp--local", "cp--synced");
    if (answer.value === "na") cp.classList.add("cp--na");
    else if (answer.value) cp.classList.add(answer.value === full ? "cp--full" : "cp--gap");
    if (answer.cls) cp.classList.add(answer.cls);
    const status = form.querySelector(".cp-status");
    if (status && answer.status !== undefined) status.textContent = answer.status;
    // The history button appears once an answer exists on the server.
    if (!was && answer.value) bumpAnswered(1);
  }

  function clearConflict(cp) {
    const box = cp.querySelector(".cp-conflict.cp-kept");
    if (box) box.remove();
    cp.classList.remove("cp--conflict", "cp--kept", "cp--error");
    const form = cp.querySelector("form.cp-form");
    if (form) form.hidden = false;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function shown(value) { return value === "na" ? word("wNa") : value; }

  // Both answers side by side, as the online conflict does; the person chooses.
  function showConflict(cp, item) {
    clearConflict(cp);
    const server = item.server || {};
    const theirs = el("div", { class: "cp-version cp-theirs" }, [
      el("p", { class: "cp-who", text: word("wSavedBy").replace("%(who)s", server.updated_by || "?") }),
      el("p", {}, [el("span", { class: "cp-value", text: shown(fromApi(server.value)) }),
        document.createTextNode(" " + (server.remark || ""))]),
      el("button", { type: "button", class: "button", "data-offline": "keep-theirs", text: word("wKeepTheirs") }),
    ]);
    const mineBox = el("div", { class: "cp-version cp-mine" }, [
      el("p", { class: "cp-who", text: word("wYours") }),
      el("p", {}, [el("span", { class: "cp-value", text: shown(item.value) }),
        document.createTextNode(" " + (item.remark || ""))]),
      el("button", { type: "button", class: "button primary", "data-offline": "use-mine", text: word("wUseMine") }),
    ]);
    const box = el("div", { class: "cp-conflict cp-kept", role: "alert" }, [
      el("p", {}, [el("b", { text: word("wConflict") }), document.createTextNode(" " + word("wChoose"))]),
      el("div", { class: "cp-versions" }, [theirs, mineBox]),
    ]);
    const form = cp.querySelector("form.cp-form");
    if (form) form.hidden = true;
    cp.insertBefore(box, cp.querySelector(".cp-how").nextSibling);
    cp.classList.add("cp--conflict", "cp--kept");
  }

  function showRejected(cp, item) {
    paint(cp, { value: item.value, remark: item.remark, status: word("wRejected") + " " + (item.message || ""), cls: "cp--error" });
    cp.classList.add("cp--kept");
  }

  function showPending(cp, item) {
    clearConflict(cp);
    paint(cp, { value: item.value, remark: item.remark, status: word("wLocal"), cls: "cp--local" });
  }

  function showItem(item) {
    const cp = card(item.checkpoint);
    if (!cp || !page || item.assessment !== page.assessment) return;
    if (item.state === "conflict") showConflict(cp, item);
    else if (item.state === "rejected") showRejected(cp, item);
    else showPending(cp, item);
  }

  // ------------------------------------------------------------------------ keeping an answer

  function shouldKeepLocally(cp) {
    if (!user || !page || !window.indexedDB) return false;
    return !navigator.onLine || Date.now() < state.localUntil
      || state.pendingCheckpoints.has(key(page.assessment, cp.id.slice(3)));
  }

  // Write one answer to the device. `sent` is what the online save sent (or would have):
  // value, remark, base_revision, client_id.
  async function keep(cp, sent) {
    const checkpoint = parseInt(cp.id.slice(3), 10);
    const k = key(page.assessment, checkpoint);
    paint(cp, { value: sent.value, remark: sent.remark, status: word("wKeeping"), cls: "cp--local" });
    state.pendingCheckpoints.add(k);
    try {
      await transact(["pending"], "readwrite", function (pending) {
        return done(pending.get(k)).then(function (old) {
          // Based on the revision the earlier, unsent answer was based on: that answer
          // never reached the server, so this one replaces it.
          const base = old ? old.base_revision : parseInt(sent.base_revision || "0", 10);
          pending.put({
            key: k, user: user, assessment: page.assessment, department: page.department,
            checkpoint: checkpoint, client_id: sent.client_id || uuid4(), value: sent.value,
            remark: (sent.remark || "").trim(), base_revision: base, at: Date.now(),
            state: "pending", server: null, message: "",
          });
        });
      });
    } catch (err) {
      paint(cp, { value: sent.value, remark: sent.remark, status: word("wNotKept"), cls: "cp--failed" });
      return;
    }
    showPending(cp, { value: sent.value, remark: sent.remark });
    showCounts();
    if (navigator.onLine) scheduleSync(0);
  }

  // After an online save failed on the network: keep it here, try the network again later.
  function failed(cp, sent) {
    state.localUntil = Date.now() + config.localAfterFailure;
    keep(cp, sent);
  }

  // ------------------------------------------------------------------------ sync

  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    try { return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  async function api(method, path, payload, contentType) {
    const headers = { "X-CSRFToken": csrf(), Accept: "application/json" };
    let bodyData;
    if (payload !== undefined) {
      headers["Content-Type"] = contentType || "application/json";
      bodyData = contentType ? payload : JSON.stringify(payload);
    }
    const response = await fetch(API + path, { method: method, headers: headers, body: bodyData, credentials: "same-origin", cache: "no-store" });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { status: response.status, data: data };
  }

  let syncing = null;
  let again = false;
  let retryTimer = null;
  let retryIndex = 0;

  function scheduleSync(delay) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(syncNow, delay);
  }

  function syncNow() {
    if (!user) return Promise.resolve();
    if (syncing) { again = true; return syncing; }
    const run = function () { return runSync(); };
    syncing = (navigator.locks ? navigator.locks.request("srishti-sync", run) : run())
      .catch(function () { return "retry"; })
      .then(function (outcome) {
        syncing = null;
        if (outcome === "retry") {
          const delay = config.retryDelays[Math.min(retryIndex, config.retryDelays.length - 1)];
          retryIndex += 1;
          scheduleSync(delay);
        } else {
          retryIndex = 0;
        }
        if (again) { again = false; return syncNow(); }
        return outcome;
      });
    return syncing;
  }

  // Send whatever waits: first batches cut off earlier (same key, same changes), then new
  // batches of at most config.batchSize, then photos. Resolves "done", "retry" or "auth".
  async function runSync() {
    if (!navigator.onLine) { setMode("offline"); return "offline"; }
    let outcome = "done";
    let applied = false;
    const before = await counts();
    if (before.pending === 0 && before.photos === 0 && !(await mine("batches")).length) {
      if (state.mode !== "auth") setMode("online");
      return "done";
    }
    setMode("syncing");
    for (let round = 0; round < 10000; round++) {
      let batches = (await mine("batches")).sort(function (a, b) { return a.at - b.at; });
      if (!batches.length) {
        const made = await makeBatch();
        if (!made) break;
        batches = [made];
      }
      const result = await sendBatch(batches[0]);
      if (result === "applied") applied = true;
      if (result === "retry" || result === "auth") { outcome = result; break; }
    }
    if (outcome === "done") outcome = await uploadPhotos();
    await showCounts();
    if (outcome === "done") {
      state.localUntil = 0;
      const c = await counts();
      setMode(c.pending || c.photos ? "retry" : (c.attention ? "online" : "synced"));
      if (applied) refreshPage();
    } else if (outcome === "auth") {
      setMode("auth");
    } else {
      setMode(navigator.onLine ? "retry" : "offline");
    }
    return outcome;
  }

  // Put the oldest waiting answers of one assessment into a batch, stored before it is
  // sent. Answers of a checkpoint that is in a batch still awaiting its answer wait.
  async function makeBatch() {
    return transact(["pending", "batches"], "readwrite", function (pending, batches) {
      return Promise.all([done(pending.index("user").getAll(user)), done(batches.index("user").getAll(user))])
        .then(function (found) {
          const busy = new Set();
          found[1].forEach(function (b) { b.changes.forEach(function (c) { busy.add(key(b.assessment, c.checkpoint_id)); }); });
          const waiting = found[0].filter(function (p) { return p.state === "pending" && !busy.has(p.key); })
            .sort(function (a, b) { return a.at - b.at; });
          if (!waiting.length) return null;
          const assessment = waiting[0].assessment;
          const changes = waiting.filter(function (p) { return p.assessment === assessment; })
            .slice(0, config.batchSize)
            .map(function (p) {
              return { client_id: p.client_id, checkpoint_id: p.checkpoint, value: toApi(p.value), remark: p.remark, base_revision: p.base_revision };
            });
          const batch = { key: uuid4(), user: user, assessment: assessment, changes: changes, at: Date.now() };
          batches.put(batch);
          return batch;
        });
    });
  }

  async function sendBatch(batch) {
    let response;
    try {
      response = await api("POST", "assessments/" + batch.assessment + "/batches", { key: batch.key, changes: batch.changes });
    } catch (err) {
      return "retry"; // the connection failed: the same batch goes again later
    }
    const status = response.status;
    if (status === 200 && response.data) {
      await applyResults(batch, response.data.results);
      return "applied";
    }
    if (status === 401 || status === 403) return "auth";
    if (status === 409 && response.data && response.data.code === "key_reused") {
      // Never expected (keys are random); the answers go again under a new key.
      await transact(["batches"], "readwrite", function (b) { b.delete(batch.key); });
      return "done";
    }
    if (status === 404 || status === 409 || status === 422 || status === 400) {
      const message = status === 404 ? word("wGone")
        : (response.data && typeof response.data.detail === "string" ? response.data.detail : word("wRefused"));
      await applyResults(batch, batch.changes.map(function (c) {
        return { client_id: c.client_id, checkpoint_id: c.checkpoint_id, status: "rejected", message: message };
      }));
      return "done";
    }
    return "retry"; // 5xx: the server will be asked again
  }

  // What the server said about each change: synced ones leave the queue, conflicts and
  // refusals stay, with the server's answer or reason, until the person decides.
  async function applyResults(batch, results) {
    const outcomes = [];
    await transact(["pending", "answers", "batches"], "readwrite", function (pending, answers, batches) {
      batches.delete(batch.key);
      return Promise.all(results.map(function (r) {
        const k = key(batch.assessment, r.checkpoint_id);
        return Promise.all([done(pending.get(k)), done(answers.get(k))]).then(function (found) {
          const item = found[0];
          const known = found[1];
          const same = item && item.client_id === r.client_id;
          const department = item ? item.department : (known ? known.department : 0);
          if (r.status === "applied" || r.status === "unchanged" || r.status === "replayed"
              || r.status === "conflict") {
            answers.put({ key: k, assessment: batch.assessment, department: department, checkpoint: r.checkpoint_id,
              value: fromApi(r.value), remark: r.remark, revision: r.revision });
          }
          if (!item) return;
          if (r.status === "conflict" && same) {
            item.state = "conflict";
            item.server = { value: r.value, remark: r.remark, revision: r.revision, updated_by: r.updated_by };
            pending.put(item);
          } else if (r.status === "rejected" && same) {
            item.state = "rejected";
            item.message = r.message;
            pending.put(item);
          } else if (r.status !== "conflict" && r.status !== "rejected") {
            if (same) pending.delete(k);
            else { item.base_revision = r.revision; pending.put(item); } // a newer answer builds on this one
          }
          outcomes.push({ result: r, item: item, same: same });
        });
      }));
    });
    outcomes.forEach(function (o) {
      const k = key(batch.assessment, o.result.checkpoint_id);
      const cp = page && batch.assessment === page.assessment ? card(o.result.checkpoint_id) : null;
      const r = o.result;
      if (!o.same) return; // a newer answer waits; the page shows that one
      if (r.status === "conflict") {
        if (cp) showConflict(cp, Object.assign({}, o.item, { server: o.item.server }));
      } else if (r.status === "rejected") {
        if (cp) showRejected(cp, o.item);
      } else {
        state.pendingCheckpoints.delete(k);
        if (cp) {
          clearConflict(cp);
          paint(cp, { value: fromApi(r.value), remark: r.remark, revision: r.revision, status: word("wSynced"), cls: "cp--synced" });
        }
      }
    });
  }

  // After answers reached the server: the department's progress and stored score card as
  // the server now has them, and a fresh copy of the page for the next offline visit.
  async function refreshPage() {
    if (!page || !navigator.onLine) return;
    let html;
    try {
      const response = await fetch(location.pathname + location.search, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok || response.redirected) return;
      html = await response.text();
    } catch (e) { return; }
    const fresh = new DOMParser().parseFromString(html, "text/html");
    ["capture-summary", "capture-areas", "count-all", "count-unanswered", "count-gaps"].forEach(function (id) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next) now.replaceWith(document.importNode(next, true));
    });
    const scores = document.getElementById("capture-score-areas");
    const nextScores = fresh.getElementById("capture-score-areas");
    if (scores && nextScores) scores.innerHTML = nextScores.innerHTML;
    // Checkpoints someone else answered meanwhile (none of ours waits on them).
    fresh.querySelectorAll("article.cp").forEach(function (next) {
      const now = document.getElementById(next.id);
      if (!now || now.classList.contains("cp--kept") || now.classList.contains("cp--local")
          || now.contains(document.activeElement) || now.classList.contains("cp--dirty")) return;
      const a = next.querySelector("input[name=base_revision]");
      if (a && parseInt(a.value, 10) > domRevision(now)) {
        const copy = document.importNode(next, true);
        now.replaceWith(copy);
        if (window.htmx) htmx.process(copy);
      }
    });
    if (window.caches) {
      const cache = await caches.open(PAGES_CACHE);
      const url = location.pathname + location.search;
      if (await cache.match(url)) {
        await cache.put(url, new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
      }
    }
  }

  // An answer saved online: remembered as the server's, so a kept copy of the page (older
  // than this save) shows it when opened offline.
  function rememberSaved(evt) {
    if (!page || !evt.detail.xhr || evt.detail.xhr.status !== 200) return;
    const old = evt.detail.target;
    const cp = old && old.id ? document.getElementById(old.id) : null;
    if (!cp || !cp.classList.contains("cp--saved")) return;
    const form = cp.querySelector("form.cp-form");
    const pressed = cp.querySelector(".cp-levels button[aria-pressed=true]");
    if (!form || !pressed) return;
    const checkpoint = parseInt(cp.id.slice(3), 10);
    transact(["answers"], "readwrite", function (answers) {
      answers.put({ key: key(page.assessment, checkpoint), assessment: page.assessment, department: page.department,
        checkpoint: checkpoint, value: pressed.value, remark: form.querySelector("textarea").value,
        revision: domRevision(cp) });
    }).catch(function () { /* only a copy */ });
  }

  // ------------------------------------------------------------------------ conflict choices

  async function keepTheirs(cp) {
    const checkpoint = parseInt(cp.id.slice(3), 10);
    const k = key(page.assessment, checkpoint);
    const item = await transact(["pending"], "readonly", function (p) { return done(p.get(k)); });
    await transact(["pending"], "readwrite", function (p) { p.delete(k); });
    state.pendingCheckpoints.delete(k);
    clearConflict(cp);
    if (item && item.server) {
      paint(cp, { value: fromApi(item.server.value), remark: item.server.remark, revision: item.server.revision, status: word("wSynced"), cls: "cp--synced" });
    } else if (item) {
      paint(cp, { value: item.value, remark: item.remark, status: "" });
    }
    showCounts();
  }

  async function useMine(cp) {
    const checkpoint = parseInt(cp.id.slice(3), 10);
    const k = key(page.assessment, checkpoint);
    let item = null;
    await transact(["pending"], "readwrite", function (p) {
      return done(p.get(k)).then(function (found) {
        if (!found) return;
        // Now based on the answer the person has seen: a new write, with a new id.
        found.base_revision = found.server ? found.server.revision : found.base_revision;
        found.client_id = uuid4();
        found.state = "pending";
        found.server = null;
        found.message = "";
        found.at = Date.now();
        p.put(found);
        item = found;
      });
    });
    if (!item) return;
    const form = cp.querySelector("form.cp-form");
    if (form) form.querySelector("input[name=base_revision]").value = item.base_revision;
    showPending(cp, item);
    showCounts();
    syncNow();
  }

  // ------------------------------------------------------------------------ photos

  async function resize(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, config.photoSide / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("toBlob")); }, "image/jpeg", config.photoQuality);
    });
  }

  function thumbs(cp) {
    let box = cp.querySelector(".cp-photos");
    if (!box) {
      box = el("div", { class: "cp-photos" });
      const form = cp.querySelector("form.cp-form");
      (form || cp).appendChild(box);
    }
    return box;
  }

  function showPhoto(photo) {
    const cp = card(photo.checkpoint);
    if (!cp) return;
    const box = thumbs(cp);
    let fig = box.querySelector('[data-photo="' + photo.client_id + '"]');
    if (!fig) {
      fig = el("figure", { class: "cp-photo", "data-photo": photo.client_id }, [el("img", { alt: word("wPhoto"), width: "64", height: "64", loading: "lazy" }), el("figcaption")]);
      box.appendChild(fig);
    }
    const img = fig.querySelector("img");
    if (photo.blob) {
      if (!img.dataset.local) { img.src = URL.createObjectURL(photo.blob); img.dataset.local = "1"; }
    } else if (photo.url && img.getAttribute("src") !== photo.url) {
      img.src = photo.url;
    }
    fig.dataset.state = photo.state;
    fig.querySelector("figcaption").textContent = photo.state === "done" ? word("wPhotoSynced")
      : photo.state === "failed" ? word("wRejected") + " " + (photo.message || "") : word("wPhotoLocal");
  }

  async function addPhoto(cp, file) {
    const checkpoint = parseInt(cp.id.slice(3), 10);
    let blob;
    try { blob = await resize(file); } catch (e) { return; }
    const photo = {
      client_id: uuid4(), user: user, assessment: page.assessment, department: page.department,
      checkpoint: checkpoint, blob: blob, type: "image/jpeg", size: blob.size, state: "queued",
      url: "", message: "", at: Date.now(),
    };
    await transact(["photos"], "readwrite", function (s) { s.put(photo); });
    showPhoto(photo);
    showCounts();
    if (navigator.onLine) scheduleSync(0);
  }

  async function savePhoto(photo) {
    await transact(["photos"], "readwrite", function (s) { s.put(photo); });
    if (page && photo.assessment === page.assessment) showPhoto(photo);
  }

  async function failPhoto(photo, r) {
    photo.state = "failed";
    photo.message = r.status === 404 ? word("wGone")
      : ((r.data && typeof r.data.detail === "string") ? r.data.detail : word("wRefused"));
    await savePhoto(photo);
    return "done";
  }

  // One photo: announce (idempotent), send what the server lacks, complete. Returns
  // "done", or "retry"/"auth": the same steps resume later from what the server has.
  async function uploadPhoto(photo) {
    try {
      let r = await api("POST", "assessments/" + photo.assessment + "/photos", {
        client_id: photo.client_id, checkpoint_id: photo.checkpoint, size: photo.size, content_type: photo.type,
      });
      for (let step = 0; step < 1000; step++) {
        if (r.status === 401 || r.status === 403) return "auth";
        if (r.status >= 500) return "retry";
        const resume = r.status === 409 && r.data && typeof r.data.received === "number";
        if (r.status !== 200 && !resume) return failPhoto(photo, r);
        if (r.status === 200 && r.data.complete) {
          photo.state = "done";
          photo.url = r.data.url;
          photo.blob = null; // the server keeps it now
          await savePhoto(photo);
          return "done";
        }
        const received = r.data.received; // 200, or 409: resume where the server is
        if (received < photo.size) {
          r = await api("PUT", "photos/" + photo.client_id + "/chunks?offset=" + received,
            photo.blob.slice(received, received + config.chunkSize), "application/octet-stream");
        } else {
          r = await api("POST", "photos/" + photo.client_id + "/complete");
        }
      }
      return "retry";
    } catch (err) {
      return "retry"; // the connection failed
    }
  }

  async function uploadPhotos() {
    const queued = (await mine("photos")).filter(function (p) { return p.state === "queued"; })
      .sort(function (a, b) { return a.at - b.at; });
    for (const photo of queued) {
      const outcome = await uploadPhoto(photo);
      if (outcome !== "done") return outcome;
    }
    return "done";
  }

  // Photos the server has for this department, so they show offline too.
  async function loadServerPhotos() {
    if (!page || !navigator.onLine) return;
    try {
      const r = await api("GET", "assessments/" + page.assessment + "/photos?department_id=" + page.department);
      if (r.status !== 200) return;
      await transact(["photos"], "readwrite", function (s) {
        r.data.forEach(function (p) {
          s.put({ client_id: p.client_id, user: user, assessment: page.assessment, department: page.department,
            checkpoint: p.checkpoint_id, blob: null, type: p.content_type, size: p.size, state: "done",
            url: p.url, message: "", at: 0 });
        });
      });
      r.data.forEach(function (p) {
        showPhoto({ client_id: p.client_id, checkpoint: p.checkpoint_id, state: "done", url: p.url });
      });
    } catch (e) { /* shown next time */ }
  }

  // ------------------------------------------------------------------------ the page on load

  async function overlay() {
    if (!page) return;
    const range = IDBKeyRange.only([page.assessment, page.department]);
    const found = await transact(["answers", "pending", "photos"], "readonly", function (answers, pending, photos) {
      return Promise.all([done(answers.index("department").getAll(range)), done(pending.index("user").getAll(user)),
        done(photos.index("department").getAll(range))]);
    });
    const [known, waiting, photos] = await found;
    // Answers synced after this copy of the page was rendered (an older cached copy).
    known.forEach(function (a) {
      const cp = card(a.checkpoint);
      if (cp && a.revision > domRevision(cp)) paint(cp, { value: a.value, remark: a.remark, revision: a.revision, status: word("wSynced"), cls: "cp--synced" });
    });
    waiting.forEach(function (item) {
      if (item.assessment !== page.assessment) return;
      state.pendingCheckpoints.add(item.key);
      if (item.department === page.department) showItem(item);
    });
    photos.forEach(function (p) { if (p.user === user || !p.user) showPhoto(p); });
  }

  // ------------------------------------------------------------------------ available offline

  const keepBox = document.getElementById("offline-keep");

  async function keepStatus() {
    if (!keepBox || !window.caches || !navigator.serviceWorker) return;
    const assessment = +keepBox.dataset.assessment;
    let pkg = null;
    try { pkg = await transact(["packages"], "readonly", function (s) { return done(s.get(assessment)); }); } catch (e) { pkg = null; }
    const kept = !!(pkg && pkg.user === user);
    keepBox.hidden = false;
    keepBox.dataset.kept = kept ? "1" : "0";
    keepBox.querySelector("[data-offline=keep]").hidden = kept;
    keepBox.querySelector("[data-offline=drop]").hidden = !kept;
    keepBox.querySelector(".offline-keep-status").textContent = kept
      ? word("wKept").replace("%(when)s", new Date(pkg.saved_at).toLocaleString()) : "";
  }

  async function keepOffline() {
    const assessment = +keepBox.dataset.assessment;
    const pages = JSON.parse(keepBox.dataset.pages);
    const status = keepBox.querySelector(".offline-keep-status");
    const button = keepBox.querySelector("[data-offline=keep]");
    button.disabled = true;
    try {
      status.textContent = word("wPreparing");
      const r = await api("GET", "assessments/" + assessment + "/package");
      if (r.status !== 200) throw new Error("package " + r.status);
      const pkg = r.data;
      const departmentOf = {};
      pkg.checkpoints.forEach(function (c) { departmentOf[c.id] = c.department_id; });
      await transact(["packages", "answers"], "readwrite", function (packages, answers) {
        packages.put({ assessment: assessment, user: user, saved_at: Date.now(), pages: pages,
          title: keepBox.dataset.title, package: pkg });
        pkg.answers.forEach(function (a) {
          answers.put({ key: key(assessment, a.checkpoint_id), assessment: assessment, department: departmentOf[a.checkpoint_id],
            checkpoint: a.checkpoint_id, value: fromApi(a.value), remark: a.remark, revision: a.revision });
        });
      });
      const cache = await caches.open(PAGES_CACHE);
      for (let i = 0; i < pages.length; i++) {
        status.textContent = word("wKeepingPages").replace("%(n)s", i + 1).replace("%(total)s", pages.length);
        const response = await fetch(pages[i], { credentials: "same-origin", cache: "no-store" });
        if (!response.ok || response.redirected) throw new Error("page " + response.status);
        await cache.put(pages[i], response);
      }
      if (navigator.serviceWorker) await navigator.serviceWorker.ready;
      await keepStatus();
    } catch (err) {
      status.textContent = word("wKeepFailed");
    } finally {
      button.disabled = false;
    }
  }

  async function dropOffline() {
    const assessment = +keepBox.dataset.assessment;
    const pkg = await transact(["packages"], "readonly", function (s) { return done(s.get(assessment)); });
    if (pkg && window.caches) {
      const cache = await caches.open(PAGES_CACHE);
      await Promise.all(pkg.pages.map(function (url) { return cache.delete(url); }));
    }
    // Answers waiting for the server stay: only the copy of the checklist goes.
    await transact(["packages", "answers"], "readwrite", function (packages, answers) {
      packages.delete(assessment);
      answers.openCursor().onsuccess = function (evt) {
        const cursor = evt.target.result;
        if (!cursor) return;
        if (cursor.value.assessment === assessment) cursor.delete();
        cursor.continue();
      };
    });
    await keepStatus();
  }

  // ------------------------------------------------------------------------ leaving

  // Everything this device keeps of a person's assessments. Answers and photos not yet
  // sent go only when `everything` (the person chose to log out without sending them).
  async function forget(everything, who) {
    if (window.caches) await Promise.all([caches.delete(PAGES_CACHE), caches.delete(PHOTOS_CACHE)]);
    await transact(["packages", "answers", "photos", "pending", "batches"], "readwrite", function (packages, answers, photos, pending, batches) {
      packages.clear();
      answers.clear();
      photos.openCursor().onsuccess = function (evt) {
        const c = evt.target.result;
        if (!c) return;
        if (c.value.state !== "queued" || (everything && c.value.user === who)) c.delete();
        c.continue();
      };
      if (everything) {
        [pending, batches].forEach(function (store) {
          store.index("user").openCursor(IDBKeyRange.only(who)).onsuccess = function (evt) {
            const c = evt.target.result;
            if (!c) return;
            c.delete();
            c.continue();
          };
        });
      }
    });
  }

  function hookLogout() {
    document.addEventListener("submit", async function (evt) {
      const form = evt.target;
      if (!form.matches || !form.matches("form.logout") || form.dataset.offlineDone) return;
      evt.preventDefault();
      let waiting = 0;
      try {
        let c = await counts();
        if (c.pending + c.photos > 0 && navigator.onLine) { await syncNow(); c = await counts(); }
        waiting = c.pending + c.photos + c.attention;
        const question = (form.dataset.offlineWarning || "").replace("%(n)s", waiting);
        if (waiting > 0 && !window.confirm(question)) return;
        await forget(waiting > 0, user);
      } catch (e) { /* nothing kept, or no storage: log out anyway */ }
      form.dataset.offlineDone = "1";
      form.submit();
    });
  }

  // Another person logged in on this device: what the previous one kept goes (their
  // answers not yet sent stay, sent only when they log in again).
  async function checkPerson() {
    const meta = await transact(["meta"], "readonly", function (m) { return done(m.get("user")); });
    if (meta && meta.value === user) return;
    if (meta) await forget(false, meta.value);
    await transact(["meta"], "readwrite", function (m) { m.put({ name: "user", value: user }); });
  }

  // ------------------------------------------------------------------------ the offline page

  async function offlineList() {
    const target = document.getElementById("offline-list");
    if (!target) return;
    let packages = [];
    let meta = null;
    try {
      packages = await transact(["packages"], "readonly", function (s) { return done(s.getAll()); });
      meta = await transact(["meta"], "readonly", function (m) { return done(m.get("user")); });
    } catch (e) { packages = []; }
    packages = packages.filter(function (p) { return !meta || p.user === meta.value; });
    document.getElementById("offline-none").hidden = packages.length > 0;
    packages.forEach(function (p) {
      const names = p.package.departments;
      const li = el("li", {}, [el("a", { href: p.pages[0], text: p.title || p.pages[0] })]);
      const sub = el("ul");
      p.pages.slice(1).forEach(function (url) {
        const m = url.match(/departments\/(\d+)\//);
        sub.appendChild(el("li", {}, [el("a", { href: url, text: m ? names[m[1]] || url : url })]));
      });
      li.appendChild(sub);
      target.appendChild(li);
    });
  }

  // ------------------------------------------------------------------------ start

  function clicks() {
    document.addEventListener("click", function (evt) {
      const button = evt.target.closest && evt.target.closest("[data-offline]");
      if (!button) return;
      const action = button.dataset.offline;
      const cp = button.closest(".cp");
      if (action === "sync") { retryIndex = 0; syncNow(); }
      else if (action === "keep") keepOffline();
      else if (action === "drop") dropOffline();
      else if (action === "keep-theirs" && cp) keepTheirs(cp);
      else if (action === "use-mine" && cp) useMine(cp);
      else if (action === "photo" && cp) {
        const input = document.getElementById("photo-input");
        input.dataset.cp = cp.id;
        input.value = "";
        input.click();
      }
    });
    const input = document.getElementById("photo-input");
    if (input) {
      input.addEventListener("change", function () {
        const cp = document.getElementById(input.dataset.cp);
        if (cp && input.files && input.files[0]) addPhoto(cp, input.files[0]);
      });
    }
  }

  async function start() {
    window.srishtiOffline = {
      config: config, shouldKeepLocally: shouldKeepLocally, keep: keep, failed: failed,
      syncNow: syncNow, counts: counts,
    };
    if (!user) { await offlineList().catch(function () {}); ready(); return; }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* http: no worker */ });
    }
    hookLogout();
    clicks();
    document.addEventListener("htmx:afterSettle", rememberSaved);
    const mark = function (name) { if (window.performance && performance.mark) performance.mark("srishti:" + name); };
    mark("start");
    try {
      await openDb();
      mark("open");
      await checkPerson();
      mark("person");
      await overlay();
      mark("overlay");
    } catch (err) { /* no storage on this browser: the page stays as the server sent it */ }
    if (bar) { bar.hidden = false; setMode(navigator.onLine ? "online" : "offline"); }
    await keepStatus().catch(function () {});
    await showCounts();
    mark("counts");
    await offlineList().catch(function () {});
    ready();
    window.addEventListener("online", function () { retryIndex = 0; setMode("online"); syncNow(); });
    window.addEventListener("offline", function () { setMode("offline"); });
    setInterval(function () { if (navigator.onLine) syncNow(); }, config.syncEvery);
    if (navigator.onLine) { syncNow(); loadServerPhotos(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
