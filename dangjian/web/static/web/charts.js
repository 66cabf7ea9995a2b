// Home dashboard charts (ECharts, served locally).
(function () {
  function draw() {
    var status = document.getElementById("chart-status");
    if (status && window.echarts) {
      var c1 = echarts.init(status);
      c1.setOption({
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: JSON.parse(status.dataset.chart) }],
      });
      window.addEventListener("resize", function () { c1.resize(); });
    }
    var cat = document.getElementById("chart-category");
    if (cat && window.echarts) {
      var d = JSON.parse(cat.dataset.chart);
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
