// 阅读关注度: the daily chart (ECharts). Its data sits in the json_script block named by
// data-attention-chart: {names: [dates], views: [...], readers: [...], shares: [...]}.
(function () {
  "use strict";
  var COLOURS = ["#206bc4", "#2fb344", "#f59f00"];

  function draw(el) {
    var d = JSON.parse(document.getElementById(el.dataset.attentionChart).textContent);
    var chart = echarts.init(el);
    chart.setOption({
      color: COLOURS,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.names.map(function (s) { return s.slice(5); }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: el.dataset.viewsLabel || "阅读次数", type: "line", smooth: true, data: d.views },
        { name: el.dataset.readersLabel || "读者", type: "line", smooth: true, data: d.readers },
        { name: el.dataset.sharesLabel || "分享", type: "bar", data: d.shares }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-attention-chart]").forEach(draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
