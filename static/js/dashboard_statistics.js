// The statistics page's chart: how many clients changed by how much (last minus first ORS),
// in bins of 2 points, coloured by reliable improvement / deterioration. Data from json_script.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("change-chart");
    var source = document.getElementById("change-chart-data");
    if (!holder || !source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    var width = 2;
    var counts = {};
    data.changes.forEach(function (change) {
      var bin = Math.floor(change / width) * width;
      counts[bin] = (counts[bin] || 0) + 1;
    });
    var bins = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
    var colours = bins.map(function (bin) {
      if (bin >= data.rci) return "#166534";
      if (bin + width <= -data.rci) return "#b91c1c";
      return "#6b7280";
    });
    window.Plotly.newPlot(holder, [{
      type: "bar",
      x: bins.map(function (bin) { return bin + width / 2; }),
      y: bins.map(function (bin) { return counts[bin]; }),
      width: bins.map(function () { return width * 0.95; }),
      marker: { color: colours },
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
