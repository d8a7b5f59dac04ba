/* Charts with Apache ECharts (served locally). An element
 *   <div class="chart" data-chart="bar" data-source="ID"></div>
 * is drawn from the JSON list [{"name": …, "value": …}] in <script id="ID" type="application/json">,
 * as written by Django's json_script filter. */
(function () {
  "use strict";
  var COLOR = "#b71c1c";

  function barOption(rows) {
    return {
      color: [COLOR],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), barMaxWidth: 18 }]
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || typeof echarts === "undefined") { return; }
    var rows = JSON.parse(source.textContent);
    element.style.height = Math.max(160, rows.length * 28 + 40) + "px";
    var chart = echarts.init(element);
    if (element.dataset.chart === "bar") { chart.setOption(barOption(rows)); }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    root.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
