/* Capture page: each checkpoint's form saves through htmx on its own.
 *
 * What this adds to htmx:
 * - an id per intended answer (value + remark), sent as client_id: resending the same
 *   answer (double tap, retry after a network error) reuses it, so the server applies it
 *   once; a different answer gets a new id;
 * - a prompt for the remark before a score below full is sent (the server refuses it
 *   anyway without one);
 * - refused (422) and conflicting (409) answers are swapped in like successes, since
 *   their fragments say what happened;
 * - a visible state when a save failed on the network, and a warning before leaving the
 *   page with answers not saved;
 * - focus returns to the same control after the checkpoint is re-rendered;
 * - without a network (or when the request fails), the answer goes to js/offline.js,
 *   which keeps it on the device and syncs it later.
 */
(function () {
  "use strict";

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  var words = (document.getElementById("capture-i18n") || { dataset: {} }).dataset;

  // crypto.randomUUID exists only on https or localhost; facilities often serve over
  // plain http on their network, where getRandomValues still works.
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function card(el) { return el && el.closest ? el.closest(".cp") : null; }

  function say(cp, text, state) {
    var status = cp.querySelector(".cp-status");
    if (status) status.textContent = text || "";
    cp.classList.remove("cp--needs-remark", "cp--dirty", "cp--failed");
    if (state) cp.classList.add(state);
  }

  function param(params, name) {
    var v = params[name];
    return Array.isArray(v) ? v[v.length - 1] : (v == null ? "" : String(v));
  }

  var lastFocus = {};

  document.addEventListener("htmx:configRequest", function (evt) {
    var form = evt.detail.elt.closest && evt.detail.elt.closest("form.cp-form");
    if (!form || evt.detail.verb !== "post") return;
    var cp = card(form);
    var params = evt.detail.parameters;
    var value = param(params, "value");
    var remark = param(params, "remark").trim();
    var full = form.dataset.full;
    if (full && value && value !== "na" && parseFloat(value) < parseFloat(full) && !remark) {
      // Keep the choice on screen and ask for the remark; nothing is sent yet.
      evt.preventDefault();
      form.querySelectorAll(".cp-levels button").forEach(function (b) {
        b.classList.toggle("pending", b.value === value);
      });
      var save = form.querySelector(".cp-save");
      save.value = value;
      save.hidden = false;
      say(cp, words.needRemark, "cp--needs-remark");
      form.querySelector("textarea").focus();
      return;
    }
    var key = value + "\u0000" + remark;
    if (form.dataset.answerKey !== key) {
      form.dataset.answerKey = key;
      form.dataset.clientId = uuid4();
    }
    params.client_id = form.dataset.clientId;
    var sent = { value: value, remark: remark, base_revision: param(params, "base_revision"),
                 client_id: form.dataset.clientId };
    var offline = window.srishtiOffline;
    if (offline && !form.classList.contains("cp-mine") && offline.shouldKeepLocally(cp)) {
      // No network (or answers of this checkpoint already wait on the device): the answer
      // is kept on the device with the same id and base revision, and synced later.
      evt.preventDefault();
      offline.keep(cp, sent);
      return;
    }
    form._sent = sent;
    var active = document.activeElement;
    lastFocus = { id: cp.id, tag: active && active.tagName, value: active && active.value };
    cp.classList.remove("cp--failed");
  });

  function failed(evt) {
    // Saves only: a history that failed to load is no answer to keep or to warn about.
    var form = evt.detail.elt.matches && evt.detail.elt.matches("form.cp-form") ? evt.detail.elt : null;
    var cp = card(form);
    if (!cp) return;
    var xhr = evt.detail.xhr;
    var lost = evt.type !== "htmx:responseError" || (xhr && xhr.status >= 500);
    if (lost && form._sent && window.srishtiOffline && !form.classList.contains("cp-mine")) {
      // The request may or may not have reached the server: kept on the device with the
      // same client id, the sync applies it once either way.
      window.srishtiOffline.failed(cp, form._sent);
      return;
    }
    say(cp, words.failed, "cp--failed");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:responseError", failed);

  document.addEventListener("htmx:afterSettle", function (evt) {
    if (!lastFocus.id) return;
    var cp = document.getElementById(lastFocus.id);
    // Out-of-band swaps (progress, scores) settle too, sometimes before the checkpoint
    // itself: wait for the checkpoint's own settle before using up the saved focus.
    var settled = evt.target;
    if (cp && settled && settled !== cp && !cp.contains(settled) && !settled.contains(cp)) return;
    var target = lastFocus;
    lastFocus = {};
    if (!cp || (document.activeElement && document.activeElement !== document.body)) return;
    var el = null;
    if (target.tag === "TEXTAREA") el = cp.querySelector("textarea");
    else if (target.tag === "BUTTON") {
      el = Array.prototype.find.call(cp.querySelectorAll(".cp-levels button"), function (b) {
        return b.value === target.value;
      });
    }
    (el || cp.querySelector("button")).focus();
  });

  // A changed remark is not saved until Save (or a score) is pressed: say so.
  document.addEventListener("input", function (evt) {
    if (evt.target.tagName !== "TEXTAREA" || !evt.target.closest("form.cp-form")) return;
    var cp = card(evt.target);
    var save = cp.querySelector(".cp-save");
    if (save.value) save.hidden = false;
    if (!cp.classList.contains("cp--needs-remark")) say(cp, words.unsaved, "cp--dirty");
  });

  window.addEventListener("beforeunload", function (evt) {
    // Answers kept on the device (.cp--kept, .cp--local) are safe: only what is nowhere
    // but on the screen warns.
    if (document.querySelector(".cp--dirty, .cp--needs-remark, .cp--failed, .cp--error:not(.cp--kept), .cp--conflict:not(.cp--kept)")) {
      evt.preventDefault();
      evt.returnValue = words.leave || "";
    }
  });
})();
