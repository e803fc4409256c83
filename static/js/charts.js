/* Draws every [data-chart] element from the JSON in the <script type="application/json">
   it names. One file, no inline script, so the Content-Security-Policy stays strict. */
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true, displaylogo: false };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.Plotly) { return; }
    var fig = JSON.parse(source.textContent);
    window.Plotly.newPlot(el, fig.data || [], fig.layout || {}, config).then(function () {
      el.setAttribute("data-chart-drawn", "true");
    });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  // A printed committee pack shows every data table, not only the opened ones.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.setAttribute("data-was-open", d.open ? "1" : "0");
      d.open = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-drawn]"), function (el) {
      window.Plotly.Plots.resize(el);
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-was-open]"), function (d) {
      d.open = d.getAttribute("data-was-open") === "1";
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
