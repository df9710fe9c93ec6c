// Draws the dashboard charts from the JSON the page embeds (ECharts, served locally).
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var text = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var blue = "#0b5cad", orange = "#d9480f";
  var narrow = window.innerWidth < 600;
  var charts = [];

  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  function empty(rows) {
    return rows.length ? null : { text: text.empty, left: "center", top: "middle", textStyle: { color: "#5b6477", fontSize: 14 } };
  }

  function bars(rows, horizontal) {
    var labels = rows.map(function (r) { return r.label; });
    var values = rows.map(function (r) { return r.amount; });
    var category = { type: "category", data: labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", name: horizontal ? "" : text.amount, splitNumber: narrow ? 3 : 5, axisLabel: { hideOverlap: true } };
    return {
      title: empty(rows),
      animation: false,
      grid: { left: horizontal ? 90 : 50, right: 20, top: 30, bottom: horizontal ? 30 : 60 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: values, name: text.amount, itemStyle: { color: blue, borderRadius: 3 } }]
    };
  }

  function trend(rows) {
    return {
      title: empty(rows),
      animation: false,
      // The legend sits under the months: at the top it covered the axes' names on a phone.
      grid: { left: 50, right: 50, top: 40, bottom: 64 },
      tooltip: { trigger: "axis" },
      legend: { data: [text.amount, text.count], bottom: 0 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { hideOverlap: true } },
      yAxis: [{ type: "value", name: text.amount }, { type: "value", name: text.count, minInterval: 1 }],
      series: [
        // Straight segments between the months (a smoothed line invents values between them);
        // every month is a point, those without a deal at zero.
        { type: "line", name: text.amount, data: rows.map(function (r) { return r.amount; }), smooth: false, showSymbol: true, symbolSize: 6, itemStyle: { color: blue }, areaStyle: { opacity: 0.12 } },
        { type: "bar", name: text.count, yAxisIndex: 1, data: rows.map(function (r) { return r.count; }), itemStyle: { color: orange }, barMaxWidth: 18 }
      ]
    };
  }

  // No China map ships with ECharts 6: the corridor is drawn on longitude/latitude axes,
  // each city a circle sized by its listings, the corridor's order traced by a line.
  function corridor(cities) {
    var most = Math.max.apply(null, cities.map(function (c) { return c.listings; }).concat([1]));
    var points = cities.map(function (c) {
      // Cities outside the filter stay on the map, greyed.
      return {
        name: text.en ? c.name_en : c.name, value: [c.lon, c.lat, c.listings, c.amount_wan, c.deals],
        itemStyle: c.chosen === false ? { color: "#aab4c3", opacity: 0.6 } : undefined
      };
    });
    // The corridor grew out of Songjiang (its first city): each city is linked to it.
    var hub = cities[0];
    var spokes = cities.slice(1).map(function (c) { return { coords: [[hub.lon, hub.lat], [c.lon, c.lat]] }; });
    var lons = cities.map(function (c) { return c.lon; }), lats = cities.map(function (c) { return c.lat; });
    return {
      animation: false,
      grid: { left: 10, right: narrow ? 40 : 60, top: 10, bottom: 10 },
      tooltip: {
        formatter: function (p) {
          var v = p.value || [];
          return p.name + "<br>" + text.listings + ": " + v[2] + "<br>" + text.count + ": " + v[4] + "<br>" + text.amount + ": " + v[3];
        }
      },
      xAxis: { type: "value", show: false, min: Math.min.apply(null, lons) - 0.4, max: Math.max.apply(null, lons) + 0.9 },
      yAxis: { type: "value", show: false, min: Math.min.apply(null, lats) - 0.3, max: Math.max.apply(null, lats) + 0.3 },
      series: [
        { type: "lines", coordinateSystem: "cartesian2d", data: spokes, lineStyle: { color: "#9bb7d8", width: 1.5, type: "dashed", opacity: 0.9 }, silent: true, z: 1 },
        {
          type: "scatter", data: points, z: 2,
          symbolSize: function (v) { return 14 + 36 * Math.sqrt(v[2] / most); },
          itemStyle: { color: blue, opacity: 0.85, borderColor: "#fff", borderWidth: 1 },
          // Names on a light backing, laid out after the circles and moved apart where they
          // would overlap: next to each other (上海松江, 苏州, 嘉兴) they hid under the circles.
          label: {
            show: true, position: "right", formatter: function (p) { return p.name + " " + p.value[2]; },
            color: "#1d2433", fontSize: narrow ? 10 : 12,
            backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 3], borderRadius: 3
          },
          labelLayout: { moveOverlap: "shiftY" }
        }
      ]
    };
  }

  mount("chart-corridor", corridor(data.corridor));
  mount("chart-city", bars(data.by_city, false));
  mount("chart-industry", bars(data.by_industry, true));
  mount("chart-month", trend(data.by_month));
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
