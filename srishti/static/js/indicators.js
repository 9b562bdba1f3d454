/* Monthly entry of indicator figures: a refused (422) or conflicting (409) save is
 * swapped in like a success, since the form it sends back says what happened (the
 * figures marked, or the figures now stored). Without JavaScript the form posts as a
 * page and works the same. */
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
})();
