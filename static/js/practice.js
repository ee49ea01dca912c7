// "My practice": one small chart per figure, the helper's line and the team's by quarter, each
// point with its 95 % interval as an error bar. The server leaves out the points with too few
// clients (null) and gives the numbers (json_script); this only draws them.
(function () {
  "use strict";
  var colours = { own: "#1d4ed8", team: "#6b7280" };

  // The helper's points a little left of the quarter, the team's a little right, so the two
  // intervals do not hide each other.
  var shift = { own: -0.1, team: 0.1 };

  function trace(data, figure, who) {
    var s = figure[who];
    return {
      type: "scatter",
      mode: "lines+markers",
      name: data.labels[who],
      x: data.x.map(function (_label, k) { return k + shift[who]; }),
      text: data.x,
      y: s.y,
      customdata: s.n,
      connectgaps: false,
      line: { color: colours[who], width: who === "own" ? 3 : 2, dash: who === "own" ? "solid" : "dot" },
      marker: { color: colours[who], size: who === "own" ? 8 : 6 },
      error_y: {
        type: "data",
        symmetric: false,
        array: s.y.map(function (y, k) { return y === null || s.high[k] === null ? null : s.high[k] - y; }),
        arrayminus: s.y.map(function (y, k) { return y === null || s.low[k] === null ? null : y - s.low[k]; }),
        color: colours[who],
        thickness: 1.5,
        width: 4
      },
      hovertemplate: "%{text}: %{y}" + figure.unit + " (" + data.labels.n + " = %{customdata})<extra>" + data.labels[who] + "</extra>"
    };
  }

  function draw() {
    var source = document.getElementById("practice-chart-data");
    if (!source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    data.figures.forEach(function (figure) {
      var holder = document.getElementById("chart-" + figure.key);
      if (!holder) return;
      window.Plotly.newPlot(holder, [trace(data, figure, "own"), trace(data, figure, "team")], {
        margin: { t: 10, r: 10, b: 40, l: 45 },
        separators: data.separators,
        xaxis: {
          tickmode: "array",
          tickvals: data.x.map(function (_label, k) { return k; }),
          // Short: the year under the quarter, so eight quarters fit a phone's width.
          ticktext: data.ticks,
          range: [-0.5, data.x.length - 0.5],
          tickangle: 0,
          zeroline: false,
          automargin: true
        },
        yaxis: { ticksuffix: figure.unit ? " " + figure.unit : "", zeroline: true, automargin: true },
        legend: { orientation: "h", y: -0.25 },
        height: 260
      }, { displayModeBar: false, responsive: true });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
