/* Render the page's Vega-Lite specs with vl-convert's bundle; the expression interpreter
   keeps Vega from using eval, so the Content-Security-Policy needs no 'unsafe-eval'. */
(function () {
  "use strict";

  function render(el) {
    var source = document.getElementById(el.getAttribute("data-spec"));
    if (!source || !window.vegaEmbed) { return; }
    var spec = JSON.parse(source.textContent);
    var options = {renderer: "svg", actions: false, ast: true, defaultStyle: false};
    // vega-embed falls back to its bundled interpreter when `expr` is not given
    if (window.vega && window.vega.expressionInterpreter) { options.expr = window.vega.expressionInterpreter; }
    window.vegaEmbed(el, spec, options).then(function () {
      el.setAttribute("data-rendered", "1");
    }).catch(function (err) {
      el.textContent = "The chart could not be drawn: " + err;
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-spec]"), render);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
