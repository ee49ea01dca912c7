// The calibration report of own norms (json_script "norms-chart-data"): the mean observed score
// per meeting against the mean each model predicted, and the share of ratings below each model's
// 25th percentile line (about 25 % when the model fits). The table on the page has the numbers.
(function () {
  "use strict";
  var colours = { observed: "#1b1f24", own: "#1d4ed8", published: "#b45309" };
  function line(x, y, name, colour, dash) {
    return { type: "scatter", mode: "lines+markers", x: x, y: y, name: name,
             line: { color: colour, dash: dash || "solid", width: 2 }, marker: { size: 5 } };
  }
  function layout(xTitle, yTitle, extra) {
    var base = {
      margin: { t: 10, r: 10, b: 50, l: 55 }, height: 320,
      legend: { orientation: "h", y: -0.25 },
      xaxis: { title: { text: xTitle }, dtick: 2 },
      yaxis: { title: { text: yTitle } }
    };
    return Object.assign(base, extra || {});
  }
  function draw() {
    var source = document.getElementById("norms-chart-data");
    var predicted = document.getElementById("norms-predicted");
    var below = document.getElementById("norms-below");
    if (!source || !predicted || !below || !window.Plotly) return;
    var d = JSON.parse(source.textContent);
    var l = d.labels;
    var config = { displayModeBar: false, responsive: true };
    window.Plotly.newPlot(predicted, [
      line(d.meetings, d.observed, l.observed, colours.observed),
      line(d.meetings, d.own, l.own, colours.own),
      line(d.meetings, d.published, l.published, colours.published, "dash")
    ], layout(l.meeting, l.score), config);
    var pct = function (values) { return values.map(function (v) { return v === null ? null : 100 * v; }); };
    window.Plotly.newPlot(below, [
      line(d.meetings, pct(d.own_below), l.own_below, colours.own),
      line(d.meetings, pct(d.published_below), l.published_below, colours.published, "dash")
    ], layout(l.meeting, l.share + " (%)", {
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 25, y1: 25,
                 line: { dash: "dot", color: "#6b7280", width: 1 } }],
      annotations: [{ xref: "paper", x: 1, y: 25, xanchor: "right", yanchor: "bottom",
                      text: l.expected, showarrow: false, font: { size: 11, color: "#4b5563" } }]
    }), config);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
