// Starts Swagger UI on the API docs page from static files: no inline script, no CDN.
(function () {
  "use strict";
  var root = document.querySelector("[data-api-docs]");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrfToken = root.getAttribute("data-csrf-token");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: false,
    // The session's writes need the CSRF token, as the pages' forms send it.
    requestInterceptor: function (request) {
      if (csrfToken && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
