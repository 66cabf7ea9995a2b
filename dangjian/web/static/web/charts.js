// Home dashboard charts (ECharts, served locally). Each chart's data sits in a json_script block
// (<script type="application/json">, which the browser never executes) named by data-chart-data.
(function () {
  function dataOf(el) {
    return JSON.parse(document.getElementById(el.dataset.chartData).textContent);
  }
  function draw() {
    var status = document.getElementById("chart-status");
    if (status && window.echarts) {
      var c1 = echarts.init(status);
      c1.setOption({
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: dataOf(status) }],
      });
      window.addEventListener("resize", function () { c1.resize(); });
    }
    var cat = document.getElementById("chart-category");
    if (cat && window.echarts) {
      var d = dataOf(cat);
      var c2 = echarts.init(cat);
      c2.setOption({
        tooltip: {}, grid: { left: 40, right: 10, bottom: 30, top: 10 },
        xAxis: { type: "category", data: d.labels }, yAxis: { type: "value" },
        series: [{ type: "bar", data: d.values, itemStyle: { color: "#c8102e" } }],
      });
      window.addEventListener("resize", function () { c2.resize(); });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
