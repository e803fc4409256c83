/* Every page: after a save (or any action that leaves a message), focus moves to the
   message, so a keyboard or screen-reader user hears the outcome and continues from it. */
(function () {
  "use strict";
  function focusMessages() {
    var messages = document.querySelector(".messages");
    if (messages) { messages.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusMessages);
  } else {
    focusMessages();
  }
})();
