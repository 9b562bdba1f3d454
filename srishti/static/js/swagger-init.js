/* Starts Swagger UI (from the swagger-ui-dist npm package, served by the app) on
 * /api/docs, sending the CSRF token with the requests tried from the page. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (request) {
    if (token) request.headers["X-CSRFToken"] = token;
    return request;
  };
  window.ui = SwaggerUIBundle(config);
})();
