// 领导驾驶舱: each tile's chart. The data sits in the json_script block named by data-dashboard-chart:
// "bar" and "stack" are rankings (horizontal bars, the best on top; a click opens the organization),
// "line" is a trend over the months (null: no value that month, drawn as a gap).
(function () {
  var COLOURS = ["#206bc4", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8"];

  function suffix(d) { return d.unit ? d.unit : ""; }

  function ranking(d) {
    var stacked = d.kind === "stack";
    var series = stacked
      ? d.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.values }; })
      : [{ name: d.label, type: "bar", data: d.values, label: { show: true, position: "right", formatter: "{c}" + suffix(d) } }];
    return {
      color: COLOURS,
      grid: { left: 8, right: stacked ? 16 : 48, top: stacked ? 32 : 8, bottom: 8, containLabel: true },
      legend: stacked ? { top: 0 } : undefined,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null ? "—" : v + suffix(d); } },
      xAxis: { type: "value", max: d.unit === "%" ? 100 : null },
      yAxis: { type: "category", inverse: true, data: d.names, axisLabel: { width: 120, overflow: "truncate" } },
      series: series,
    };
  }

  function trend(d) {
    return {
      color: COLOURS,
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + suffix(d); } },
      xAxis: { type: "category", data: d.names },
      yAxis: { type: "value", max: d.unit === "%" ? 100 : null, axisLabel: { formatter: "{value}" + suffix(d) } },
      series: d.series.map(function (s) { return { name: s.name, type: "line", connectNulls: false, data: s.values }; }),
    };
  }

  function draw(el) {
    var d = JSON.parse(document.getElementById(el.dataset.dashboardChart).textContent);
    if (d.kind !== "line") {
      // One bar a row: a long list of children gets a taller chart instead of squeezed bars.
      el.style.height = Math.max(240, d.names.length * 28 + 60) + "px";
    }
    var chart = echarts.init(el);
    chart.setOption(d.kind === "line" ? trend(d) : ranking(d));
    if (d.urls) {
      chart.on("click", function (p) { var url = d.urls[p.dataIndex]; if (url) { window.location.href = url; } });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-dashboard-chart]").forEach(draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
