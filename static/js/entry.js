/* The entry grids (a period's actuals, the forecast grid): Ctrl+S or Cmd+S saves the form
   (Enter in an amount already does, as in any form); each actual's variance, the page's
   subtotal and the group subtotals and total (over every line the filter leaves, so the
   stored sum with this page's typed values in place of the shown ones) follow what is
   typed; a variance note grows to show its text.
   Without this script the page still works: the server shows the same figures on save. */
(function () {
  "use strict";

  // Mirrors common/money.py parse_amount, which is the authority: the server parses what
  // is saved and refuses what it cannot read. Returns pence (an integer), null for a blank
  // box, or NaN for text that is not an amount.
  var AMOUNT = /^(-)?£?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d{1,2})?$/;
  function parsePence(text) {
    var raw = String(text).trim().replace(/[ \u00a0]/g, "").replace(/\u2212/g, "-");
    if (!raw) { return null; }
    var negative = false;
    if (raw.charAt(0) === "(" && raw.slice(-1) === ")") {
      negative = true; raw = raw.slice(1, -1);
    } else if (raw.slice(0, 2) === "£(" && raw.slice(-1) === ")") {
      negative = true; raw = raw.slice(2, -1);
    }
    var match = AMOUNT.exec(raw);
    if (!match || !(match[2] || match[3])) { return NaN; }
    if (match[1]) {
      if (negative) { return NaN; }
      negative = true;
    }
    var pounds = (match[2] || "0").replace(/,/g, "");
    var pence = ((match[3] || ".").slice(1) + "00").slice(0, 2);
    if (pounds.replace(/^0+/, "").length > 12) { return NaN; } // at most £999,999,999,999.99
    var value = Number(pounds) * 100 + Number(pence);
    return negative ? -value : value;
  }

  // Mirrors common/money.py format_money: £1,234.56, or −£1,234.56 (U+2212) for a negative.
  function formatPence(pence) {
    if (pence === null) { return "—"; }
    var whole = Math.floor(Math.abs(pence) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var text = "£" + whole + "." + ("0" + (Math.abs(pence) % 100)).slice(-2);
    return pence < 0 ? "\u2212" + text : text;
  }

  function variance(input) {
    var actual = parsePence(input.value);
    if (actual === null || isNaN(actual)) { return actual; }
    return actual - parsePence(input.getAttribute("data-budget"));
  }

  // Sums of the typed actuals and their variances over `inputs`; NaN where one is unreadable.
  function sums(inputs) {
    var total = { actual: null, variance: null };
    inputs.forEach(function (input) {
      var actual = parsePence(input.value);
      if (actual === null) { return; }
      total.actual = (total.actual || 0) + actual;
      total.variance = (total.variance || 0) + variance(input);
    });
    return total;
  }

  // The value each input showed when the page came (its `was-` twin), as an input-like.
  function shownOf(input) {
    var was = input.form && input.form.elements.namedItem("was-" + input.name);
    return { value: was ? was.value : "", getAttribute: input.getAttribute.bind(input) };
  }

  function show(cell, pence) {
    if (cell) { cell.textContent = isNaN(pence) ? "Not an amount yet" : formatPence(pence); }
  }

  // A sum over more lines than the page's (a category's or the filter's total): the stored
  // sum (data-stored, in pounds) with what is typed on this page in place of what it showed.
  function showStored(cell, typed, shown) {
    if (!cell) { return; }
    var stored = cell.getAttribute("data-stored");
    var base = stored ? parsePence(stored) : null;
    if (isNaN(typed)) { show(cell, NaN); return; }
    if (base === null) { show(cell, typed); return; }
    show(cell, base + (typed || 0) - (shown || 0));
  }

  function showSums(scope, inputs) {
    var total = sums(inputs);
    var actual = scope.querySelector("[data-sum=actual]");
    var change = scope.querySelector("[data-sum=variance]");
    if (actual && actual.hasAttribute("data-stored")) {
      var shown = sums(Array.prototype.map.call(inputs, shownOf));
      showStored(actual, total.actual, shown.actual);
      showStored(change, total.variance, shown.variance);
    } else {
      show(actual, total.actual);
      show(change, total.variance);
    }
  }

  function onActual(input, table) {
    var cell = document.getElementById(input.id + "-variance");
    if (cell) {
      var pence = variance(input);
      var words = cell.querySelector(".visually-hidden");
      show(cell, pence);
      if (words) { cell.insertBefore(words, cell.firstChild); }
    }
    var group = input.closest("[data-entry-group]");
    if (group) { showSums(group, group.querySelectorAll("input[data-budget]")); }
    var all = table.querySelectorAll("input[data-budget]");
    ["[data-entry-page]", "[data-entry-total]"].forEach(function (selector) {
      var row = table.querySelector(selector);
      if (row) { showSums(row, all); }
    });
  }

  // Rows enough to show the whole note, as the server sizes it (common text_rows).
  function grow(box) {
    box.rows = 1;
    while (box.scrollHeight > box.clientHeight && box.rows < 12) { box.rows += 1; }
  }

  function start() {
    var form = document.querySelector("form[data-entry-form]");
    if (!form) { return; }
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    var table = form.querySelector("table");
    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.matches("input[data-budget]")) { onActual(target, table); }
      if (target.matches("textarea[data-grow]")) { grow(target); }
    });
    form.querySelectorAll("textarea[data-grow]").forEach(grow);
    // After a refused save the boxes keep what was typed: show its variance, not the stored.
    form.querySelectorAll("input[data-budget]").forEach(function (input) {
      onActual(input, table);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
