/* The committee pack's Print button: shown only when scripts run (a plain link to the PDF
   is always there), and handled here rather than inline, so the strict CSP holds. */
(function () {
  "use strict";
  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
