/* One toggle per rater above the outcome chart: a button shows or hides that rater's lines
   (every trace whose meta.rater is the rater's id). aria-pressed says whether they are shown.
   The choice survives the panel being swapped in again after a save. Runs after
   session-chart.js (loaded after it, so its listeners run after the chart is drawn). */
(function () {
  "use strict";

  var hidden = new Set(); // rater ids (strings) hidden by the user on this page

  function chartFor(group) {
    return document.querySelector('[data-chart="' + group.dataset.chartRaters + '"]');
  }

  function traceIndices(chart, rater) {
    var indices = [];
    (chart.data || []).forEach(function (trace, index) {
      if (trace.meta && String(trace.meta.rater) === rater) indices.push(index);
    });
    return indices;
  }

  function show(group, button, shown) {
    var rater = button.dataset.rater;
    var chart = chartFor(group);
    button.setAttribute("aria-pressed", shown ? "true" : "false");
    if (shown) hidden.delete(rater); else hidden.add(rater);
    if (!chart || !chart.data || !window.Plotly) return;
    var indices = traceIndices(chart, rater);
    if (indices.length) window.Plotly.restyle(chart, { visible: shown }, indices);
  }

  function setUp() {
    document.querySelectorAll("[data-chart-raters]").forEach(function (group) {
      if (!window.Plotly) return; // no chart to act on: the buttons stay hidden
      group.hidden = false;
      group.querySelectorAll("button[data-rater]").forEach(function (button) {
        if (hidden.has(button.dataset.rater)) show(group, button, false);
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-chart-raters] button[data-rater]");
    if (!button) return;
    var shown = button.getAttribute("aria-pressed") !== "true";
    show(button.closest("[data-chart-raters]"), button, shown);
  });
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
