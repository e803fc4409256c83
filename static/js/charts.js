/* Draws every [data-chart] element from the JSON in the <script type="application/json">
   it names. One file, no inline script, so the Content-Security-Policy stays strict.
   The modebar is hidden (its icon links have no accessible names); charts follow the
   window's width; a printed page gets every chart at the print width and every table. */
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true, displaylogo: false };
  // The width of an A4 landscape page less print.css's 12mm margins, in CSS pixels.
  var PRINT_WIDTH = 1000;

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.Plotly) { return; }
    var fig = JSON.parse(source.textContent);
    window.Plotly.newPlot(el, fig.data || [], fig.layout || {}, config).then(function () {
      followLinks(el);
      el.setAttribute("data-chart-drawn", "true");
    });
  }

  // Drill-down: a trace names the page each of its points opens in meta.links (built on
  // the server; null where a point has none). A click on such a point opens it, and the
  // pointer shows over it. The chart's table carries the same links for the keyboard.
  function pointLink(points) {
    for (var i = 0; i < (points || []).length; i += 1) {
      var point = points[i];
      var meta = point.data && point.data.meta;
      var link = meta && meta.links ? meta.links[point.pointNumber] : null;
      // A path on this site only: never a script or another site's address.
      if (typeof link === "string" && link.charAt(0) === "/" && link.charAt(1) !== "/") {
        return link;
      }
    }
    return null;
  }

  function followLinks(el) {
    el.on("plotly_click", function (event) {
      var link = pointLink(event && event.points);
      if (link) { window.location.assign(link); }
    });
    el.on("plotly_hover", function (event) {
      el.classList.toggle("chart-point-linked", pointLink(event && event.points) !== null);
    });
    el.on("plotly_unhover", function () {
      el.classList.remove("chart-point-linked");
    });
  }

  function drawAll() {
    each("[data-chart]", draw);
  }

  // Plotly's own resize waits 100ms, too late for the printout: relayout at a fixed width
  // now, and hand the width back to the window afterwards.
  var printing = false;
  function beforePrint() {
    if (printing) { return; }
    printing = true;
    each("details", function (d) {
      d.setAttribute("data-was-open", d.open ? "1" : "0");
      d.open = true;
    });
    each("[data-chart-drawn]", function (el) {
      window.Plotly.relayout(el, { width: PRINT_WIDTH });
    });
  }
  function afterPrint() {
    if (!printing) { return; }
    printing = false;
    each("details[data-was-open]", function (d) {
      d.open = d.getAttribute("data-was-open") === "1";
      d.removeAttribute("data-was-open");
    });
    each("[data-chart-drawn]", function (el) {
      window.Plotly.relayout(el, { width: null, autosize: true });
    });
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
