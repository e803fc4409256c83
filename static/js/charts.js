/* Draws every [data-chart] element from the JSON in the <script type="application/json">
   it names. One file, no inline script, so the Content-Security-Policy stays strict.
   The modebar is hidden (its icon links have no accessible names); charts follow the
   window's width; a printed page gets every chart at the print width and every table.
   A figure may carry a small-screen layout in layout.meta.small (common/chart_layout.py):
   it is drawn while the chart's box is narrower than layout.meta.smallWidth, and the
   figure's own (wide) layout comes back when the box grows again.
   Plotly draws a chart twice when the margins its labels and legend need are larger than
   the layout's (automargin): it draws, measures and draws again. The margins a chart
   ended with are kept for the browser session, under the page, the chart, its figure and
   its width; the same chart drawn again at the same width starts from them and is drawn
   once. The figure's own margins come back when the chart's width changes. */
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true, displaylogo: false };
  // The width of an A4 landscape page less print.css's 12mm margins, in CSS pixels.
  var PRINT_WIDTH = 1000;

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  var layouts = [];  // each drawn chart's element and its two layouts' updates

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.Plotly) { return; }
    var fig = JSON.parse(source.textContent);
    var layout = fig.layout || {};
    var fit = fitting(el, layout);
    if (fit && fit.narrow) { layout = merged(layout, fit.small); }
    var drawing = fingerprint(source.textContent, el.clientWidth);
    var margins = rememberedMargins(el, drawing);
    if (margins) {
      pinned.push({ el: el, width: el.clientWidth, layout: fig.layout || {}, fit: fit });
      layout = merged(layout, margins);
    }
    el.setAttribute("data-chart-margins", margins ? "remembered" : "figure");
    window.Plotly.newPlot(el, fig.data || [], layout, config).then(function () {
      followLinks(el);
      if (fit) { layouts.push(fit); }
      rememberMargins(el, drawing);
      el.setAttribute("data-chart-layout", fit && fit.narrow ? "small" : "wide");
      el.setAttribute("data-chart-drawn", "true");
    });
  }

  // Margins kept for the session (see the top of this file). A drawing is a fingerprint
  // (FNV-1a) of the figure's JSON with its length and the chart's width.
  var MARGINS = ["l", "r", "t", "b"];
  var pinned = [];  // charts drawn with remembered margins: each one's width, layout and fit

  function fingerprint(text, width) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16) + ":" + text.length + ":" + width;
  }

  function marginsKey(el) {
    return "chart-margins:" + window.location.pathname + ":" + el.getAttribute("data-chart");
  }

  function rememberedMargins(el, drawing) {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(marginsKey(el)) || "null");
      return stored && stored.drawing === drawing ? stored.margins : null;
    } catch (e) {
      return null;  // no storage (a private window, say): plotly measures as before
    }
  }

  function rememberMargins(el, drawing) {
    var size = el._fullLayout && el._fullLayout._size;
    if (!size) { return; }
    var margins = {};
    MARGINS.forEach(function (side) { margins["margin." + side] = size[side]; });
    try {
      window.sessionStorage.setItem(
        marginsKey(el), JSON.stringify({ drawing: drawing, margins: margins }));
    } catch (e) {
      // storage full or refused: the next drawing measures again
    }
  }

  // The margins of the layout the chart has now: its small or wide one, or the figure's.
  function ownMargins(chart) {
    var own = {};
    var fit = chart.fit;
    MARGINS.forEach(function (side) {
      var key = "margin." + side;
      if (fit && key in fit.small) {
        own[key] = fit.narrow ? fit.small[key] : fit.wide[key];
      } else {
        own[key] = valueAt(chart.layout, key);
      }
    });
    return own;
  }

  // A chart whose width changed (or that is printed) gets its layout's own margins back,
  // for plotly to measure afresh.
  function unpin(all) {
    pinned = pinned.filter(function (chart) {
      if (!all && chart.el.clientWidth === chart.width) { return true; }
      if (chart.el.getAttribute("data-chart-drawn")) {
        window.Plotly.relayout(chart.el, ownMargins(chart));
      }
      chart.el.setAttribute("data-chart-margins", "figure");
      return false;
    });
  }

  // Small-screen layouts: the small layout as relayout updates ("legend.y": 0, ...), and
  // the wide layout's values of the same keys (null: plotly's default), to go back.
  function fitting(el, layout) {
    var meta = layout.meta;
    if (!meta || !meta.small) { return null; }
    var small = {};
    flatten(meta.small, "", small);
    var wide = {};
    Object.keys(small).forEach(function (key) { wide[key] = valueAt(layout, key); });
    var width = meta.smallWidth || 480;
    return { el: el, small: small, wide: wide, width: width, narrow: el.clientWidth < width };
  }

  function flatten(obj, prefix, out) {
    Object.keys(obj).forEach(function (key) {
      var value = obj[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        flatten(value, prefix + key + ".", out);
      } else {
        out[prefix + key] = value;
      }
    });
  }

  function valueAt(obj, path) {
    var parts = path.split(".");
    for (var i = 0; i < parts.length; i += 1) {
      if (!obj || typeof obj !== "object" || !(parts[i] in obj)) { return null; }
      obj = obj[parts[i]];
    }
    return obj === undefined ? null : obj;
  }

  // A copy of `layout` with the flat `updates` set in it.
  function merged(layout, updates) {
    var copy = JSON.parse(JSON.stringify(layout));
    Object.keys(updates).forEach(function (path) {
      var parts = path.split(".");
      var node = copy;
      for (var i = 0; i < parts.length - 1; i += 1) {
        if (!node[parts[i]] || typeof node[parts[i]] !== "object") { node[parts[i]] = {}; }
        node = node[parts[i]];
      }
      node[parts[parts.length - 1]] = updates[path];
    });
    return copy;
  }

  function refit(fit, forceWide) {
    var narrow = !forceWide && fit.el.clientWidth < fit.width;
    if (narrow === fit.narrow) { return; }
    fit.narrow = narrow;
    fit.el.setAttribute("data-chart-layout", narrow ? "small" : "wide");
    window.Plotly.relayout(fit.el, narrow ? fit.small : fit.wide);
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    if (printing) { return; }
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      layouts.forEach(function (fit) { refit(fit, false); });
      unpin(false);
    }, 120);
  });

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
    layouts.forEach(function (fit) { refit(fit, true); });
    unpin(true);
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
    layouts.forEach(function (fit) { refit(fit, false); });
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
