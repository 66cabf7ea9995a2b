// 运行状态矩阵图: organizations on two indices, coloured by a third, the medians as quadrant lines.
// The data sits in a json_script block named by data-chart-data; a click opens the organization.
(function () {
  function draw() {
    var el = document.getElementById("insights-matrix");
    if (!el || !window.echarts) { return; }
    var d = JSON.parse(document.getElementById(el.dataset.chartData).textContent);
    var chart = echarts.init(el);
    // The axes start at the ten below the lowest score, so a cluster of points is not squeezed in a corner.
    function lower(v) { return Math.max(0, Math.floor(v.min / 10) * 10 - 10); }
    var lines = [];
    if (d.x.median !== null) { lines.push({ xAxis: d.x.median }); }
    if (d.y.median !== null) { lines.push({ yAxis: d.y.median }); }
    chart.setOption({
      grid: { left: 48, right: 64, top: 24, bottom: 48 },
      tooltip: {
        formatter: function (p) {
          return echarts.format.encodeHTML(p.data.name) + "<br>" + d.x.label + "：" + p.data.value[0] + "<br>" + d.y.label + "：" +
            p.data.value[1] + (p.data.value[2] !== null ? "<br>" + d.c.label + "：" + p.data.value[2] : "");
        },
      },
      xAxis: { name: d.x.label, nameLocation: "middle", nameGap: 28, min: lower, max: 100 },
      yAxis: { name: d.y.label, nameLocation: "middle", nameGap: 32, min: lower, max: 100 },
      visualMap: {
        dimension: 2, min: 0, max: 100, calculable: true, orient: "vertical", right: 0, top: "middle",
        itemHeight: 100, itemWidth: 12, text: ["100", "0"], inRange: { color: ["#d63939", "#f59f00", "#2fb344"] },
      },
      series: [{
        type: "scatter", symbolSize: 12, data: d.points,
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#888" }, data: lines },
        markArea: { silent: true, data: [] },
      }],
      graphic: [
        { type: "text", right: 30, top: 28, style: { text: d.quadrants[0], fill: "#2fb344" } },
        { type: "text", left: 56, bottom: 56, style: { text: d.quadrants[3], fill: "#d63939" } },
      ],
    });
    chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
