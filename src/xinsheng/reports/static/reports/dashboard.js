/* Charts of the figures dashboard, with Apache ECharts (served locally).
 * Each <div class="chart" data-chart="trend|rates|bar|pie" data-source="ID"> is drawn from the
 * JSON in <script id="ID" type="application/json"> written by Django's json_script filter.
 * Charts follow the width of the page (phones included); a bar of the rates chart opens that
 * unit's dashboard (drill-down). */
(function () {
  "use strict";
  var COLORS = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"];
  var GRID = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

  function trendOption(data) {
    return {
      color: COLORS,
      grid: GRID,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.labels },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
      ],
      series: data.series.map(function (s) {
        return { name: s.name, type: s.type, data: s.data, yAxisIndex: s.rate ? 1 : 0,
                 barMaxWidth: 18, connectNulls: true };
      })
    };
  }

  function ratesOption(data) {
    return {
      color: COLORS,
      grid: GRID,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, barMaxWidth: 14 };
      })
    };
  }

  function barOption(rows) {
    return {
      color: COLORS,
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), barMaxWidth: 18 }]
    };
  }

  function pieOption(rows) {
    return {
      color: COLORS,
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: rows }]
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var kind = element.dataset.chart;
    var option;
    if (kind === "trend") { option = trendOption(data); element.style.height = "300px"; }
    else if (kind === "rates") { option = ratesOption(data); element.style.height = "320px"; }
    else if (kind === "pie") { option = pieOption(data); element.style.height = "260px"; }
    else { option = barOption(data); element.style.height = Math.max(160, data.length * 28 + 40) + "px"; }
    var chart = echarts.init(element);
    chart.setOption(option);
    if (kind === "rates" && data.links) {
      chart.on("click", function (params) {
        var url = data.links[params.dataIndex];
        if (url) { window.location.href = url; }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
