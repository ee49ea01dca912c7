/* Draw the outcome chart from the figure the page carries as JSON (json_script), and again
   whenever htmx swaps in a new one after a save. No inline script: the CSP holds. */
(function () {
  "use strict";

  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      window.Plotly.react(el, figure.data, figure.layout, figure.config);
      el.dataset.drawn = source.textContent.length;
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
