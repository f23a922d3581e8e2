/* The monthly emission pages' charts: ECharts (served from this server) over the figures each
 * page passes with json_script. The tables beside the charts carry the same numbers, so a page
 * reads without this script; a chart's box stays hidden until it is drawn. */
(function () {
  "use strict";

  function option(data) {
    var grid = { left: 20, right: 20, top: 90, bottom: 30, containLabel: true };
    var legend = { top: 30, type: "scroll" };
    var tooltip = { trigger: "axis", renderMode: "richText" };
    var valueAxis = { type: "value", name: data.axis || "", nameTextStyle: { align: "left" } };
    var series;
    if (data.kind === "stacked") {
      series = data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "total", barMaxWidth: 48, data: s.data };
      });
      series.push({ name: data.total, type: "line", data: data.total_data, symbolSize: 6 });
    } else if (data.kind === "lines") {
      // One value axis per unit (kWh on the left, m³ on the right …): lines of different units
      // are not drawn against one scale.
      valueAxis = (data.axes || [""]).map(function (name, index) {
        return {
          type: "value",
          name: name,
          position: index % 2 ? "right" : "left",
          offset: Math.floor(index / 2) * 60,
          splitLine: { show: index === 0 }
        };
      });
      series = data.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          yAxisIndex: s.axis || 0,
          data: s.data,
          connectNulls: false,
          symbolSize: 6
        };
      });
    } else {
      series = data.series.map(function (s) {
        return { name: s.name, type: "bar", barMaxWidth: 48, data: s.data };
      });
    }
    return {
      title: { text: data.title, left: 0, textStyle: { fontSize: 14 } },
      tooltip: tooltip,
      legend: legend,
      grid: grid,
      xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
      yAxis: valueAxis,
      series: series,
      animation: false
    };
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-chart"));
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.series || !data.series.length) {
      return;
    }
    box.classList.add("drawn");
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option(data));
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < boxes.length; i += 1) {
      draw(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
