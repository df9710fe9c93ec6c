// Draws the innovation index's charts from the JSON the page embeds (ECharts, served locally).
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var data = JSON.parse(document.getElementById("index-data").textContent);
  var chart = data.chart;
  var blue = "#0b5cad", orange = "#d9480f", grey = "#8a94a6";
  var narrow = window.innerWidth < 600;
  var charts = [];

  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = window.echarts.init(el, null, { renderer: "svg" });
    c.setOption(option);
    charts.push(c);
  }

  // Best first, at the top: the category axis runs bottom-up, so the rows are reversed.
  function ranking() {
    var names = chart.names.slice().reverse();
    var scores = chart.scores.slice().reverse();
    return {
      animation: false,
      grid: { left: narrow ? 70 : 110, right: 50, top: 10, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", name: "", splitNumber: narrow ? 3 : 5 },
      yAxis: { type: "category", data: names, axisLabel: { interval: 0, width: narrow ? 64 : 100, overflow: "truncate" } },
      series: [{
        type: "bar", name: chart.index_name, data: scores, itemStyle: { color: blue, borderRadius: 3 },
        label: { show: true, position: "right", color: "#1d2433" }
      }]
    };
  }

  function radar() {
    var top = Math.max.apply(null, chart.values.concat(chart.average).filter(function (v) { return v !== null; }).concat([1]));
    return {
      animation: false,
      tooltip: {},
      legend: { data: [chart.unit, chart.average_name], bottom: 0 },
      radar: {
        radius: narrow ? "58%" : "65%",
        center: ["50%", "48%"],
        indicator: chart.dimensions.map(function (d) { return { name: d, max: Math.ceil(top * 1.1) }; }),
        axisName: { color: "#1d2433", fontSize: narrow ? 10 : 12 }
      },
      series: [{
        type: "radar",
        data: [
          { value: chart.values, name: chart.unit, itemStyle: { color: blue }, areaStyle: { opacity: 0.15 } },
          { value: chart.average, name: chart.average_name, itemStyle: { color: grey }, lineStyle: { type: "dashed" } }
        ]
      }]
    };
  }

  function trend() {
    return {
      animation: false,
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      tooltip: { trigger: "axis" },
      legend: { data: [chart.index_name], top: 0 },
      xAxis: { type: "category", data: chart.years },
      yAxis: { type: "value", name: "", scale: true },
      series: [{
        type: "line", name: chart.index_name, data: chart.trend, smooth: false, showSymbol: true,
        itemStyle: { color: orange }, label: { show: !narrow, position: "top" }
      }]
    };
  }

  if (data.page === "ranking") { mount("chart-ranking", ranking()); }
  if (data.page === "city") { mount("chart-radar", radar()); mount("chart-trend", trend()); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
