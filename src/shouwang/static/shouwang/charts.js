/* Small charts on [data-chart]: the data comes as JSON (core.home.chart), drawn with the vendored
 * ECharts. Colours are the badges' colours: a series names a state, tokens.css gives its colour,
 * so "missed" is the same red in a chart as in a badge. Tap shows the tooltip on a phone. */
(function () {
  var css = getComputedStyle(document.documentElement);
  function colour(state) {
    return state ? (css.getPropertyValue("--chart-" + state) || "").trim() || undefined : undefined;
  }
  function option(data) {
    var base = {
      animation: false,
      tooltip: { trigger: data.kind === "pie" ? "item" : "axis", triggerOn: "mousemove|click", confine: true },
      legend: { show: data.series.length > 1 && data.kind !== "pie", bottom: 0, itemWidth: 12, itemHeight: 10 },
      grid: { left: 8, right: 12, top: 12, bottom: data.series.length > 1 ? 36 : 8, containLabel: true }
    };
    if (data.kind === "pie") {
      var s = data.series[0];
      base.series = [{ type: "pie", radius: ["40%", "70%"], label: { show: false },
        data: data.labels.map(function (label, i) {
          return { name: label, value: s.data[i], itemStyle: { color: colour((s.states || [])[i]) } };
        }) }];
      return base;
    }
    var horizontal = data.kind === "hbar";
    var category = { type: "category", data: data.labels, axisLabel: { interval: 0, hideOverlap: true } };
    var value = { type: "value", minInterval: 1 };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? Object.assign(category, { inverse: true }) : value;
    base.series = data.series.map(function (s) {
      var points = s.states ? s.data.map(function (v, i) { return { value: v, itemStyle: { color: colour(s.states[i]) } }; }) : s.data;
      return { name: s.name, type: data.kind === "line" ? "line" : "bar", data: points,
               stack: data.stacked ? "all" : undefined, barMaxWidth: 28,
               itemStyle: { color: colour(s.state) }, lineStyle: { color: colour(s.state) } };
    });
    return base;
  }
  function draw(el) {
    if (!window.echarts || el.dataset.drawn) return;
    var source = document.getElementById(el.dataset.chart);
    if (!source) return;
    var chart = echarts.init(el);
    chart.setOption(option(JSON.parse(source.textContent)));
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll); else drawAll();
  document.addEventListener("htmx:afterSwap", drawAll);
})();
