/* Boxes for codes (common.forms.CodeBox) with a `data-suggest` address: as someone types,
   the rows whose code starts with (or whose name holds) the word being typed are offered
   in the box's datalist, each as the box's text with that word completed and the row's
   code and name as its label. Without script the box is a plain box for codes. */
(function () {
  "use strict";
  if (window.codeSuggestions) { return; }  // on the page twice (the admin's form media)
  window.codeSuggestions = true;
  var WORD = /[^\s,]*$/;  // the word being typed: after the last comma or space
  var SHOWN = 20;

  function option(value, label) {
    var item = document.createElement("option");
    item.value = value;
    item.label = label;
    return item;
  }

  function suggest(box) {
    var list = document.getElementById(box.getAttribute("list"));
    var typed = box.value;
    var word = typed.match(WORD)[0];
    if (!list) { return; }
    if (word.length < 2) { list.replaceChildren(); return; }
    var url = box.dataset.suggest + "?page_size=" + SHOWN + "&q=" + encodeURIComponent(word);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (page) {
        if (box.value !== typed) { return; }  // typed on meanwhile: a later answer follows
        var before = typed.slice(0, typed.length - word.length);
        list.replaceChildren.apply(list, page.results.map(function (row) {
          // The code in the label too: some browsers match what is typed against the
          // label alone, and show only the label.
          var code = row[box.dataset.code];
          return option(before + code, code + " — " + (row[box.dataset.label] || ""));
        }));
      })
      .catch(function () { list.replaceChildren(); });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.suggest) { return; }
    if (event.inputType === "insertReplacementText") { return; }  // a suggestion chosen
    window.clearTimeout(box.suggestTimer);
    box.suggestTimer = window.setTimeout(function () { suggest(box); }, 200);
  });
})();
