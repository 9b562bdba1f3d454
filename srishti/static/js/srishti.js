/* Behaviour every page shares, kept in a file: the Content-Security-Policy allows no
 * inline script (no <script> without src, no onclick attributes). */
(function () {
  "use strict";

  // A button with data-confirm asks its question before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // "Try again" on the offline page.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-reload]")) location.reload();
  });
})();
