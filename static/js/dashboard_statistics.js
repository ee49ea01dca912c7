// The statistics page's chart: how many clients changed by how much (last minus first ORS),
// in the server's bins of 2 points, coloured by reliable improvement / deterioration (json_script).
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("change-chart");
    var source = document.getElementById("change-chart-data");
    if (!holder || !source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    // The server bins the changes (the same bins as the team report's chart): only drawn here.
    var colours = { improved: "#166534", deteriorated: "#b91c1c", neither: "#6b7280" };
    var bins = data.bins;
    window.Plotly.newPlot(holder, [{
      type: "bar",
      x: bins.map(function (bin) { return (bin.start + bin.end) / 2; }),
      y: bins.map(function (bin) { return bin.count; }),
      width: bins.map(function (bin) { return (bin.end - bin.start) * 0.95; }),
      marker: { color: bins.map(function (bin) { return colours[bin.kind]; }) },
      hovertemplate: "%{x}: %{y}<extra></extra>"
    }], {
      margin: { t: 10, r: 10, b: 50, l: 50 },
      xaxis: { title: { text: data.labels.x }, zeroline: true },
      yaxis: { title: { text: data.labels.y }, rangemode: "tozero", dtick: 1 },
      shapes: [-data.rci, data.rci].map(function (x) {
        return { type: "line", x0: x, x1: x, yref: "paper", y0: 0, y1: 1,
                 line: { dash: "dot", color: "#1b1f24", width: 1 } };
      }),
      bargap: 0.05,
      height: 320
    }, { displayModeBar: false, responsive: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
