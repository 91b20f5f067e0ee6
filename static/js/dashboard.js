/* The statistics dashboard: draws each chart from the ECharts option the server put in a
   <script type="application/json"> block (templates/dashboard/_chart.html). The option carries
   the data; this file only fits it to the reader: phone width, larger text, and the
   high-contrast mode (black and blue, with patterns so series differ without colour).
   Every chart has the same figures in a table next to it, so nothing depends on this script. */
(function () {
  "use strict";
  var root = document.documentElement;
  var holders = Array.prototype.slice.call(document.querySelectorAll(".dash-canvas[data-option]"));
  if (!holders.length) return;
  if (typeof window.echarts === "undefined") {
    holders.forEach(function (el) {
      el.style.height = "auto";
      el.textContent = el.getAttribute("data-fallback") || "图表无法显示，请查看下方的数据表。";
      el.className += " dash-empty";
    });
    return;
  }

  // High contrast: black, pure blue and dark red, told apart by patterns (aria.decal) too.
  var HIGH_CONTRAST = ["#000000", "#0000ee", "#b00000", "#005a00", "#5a00a0", "#6b4400", "#004d66"];
  var NARROW = 440;
  var charts = [];

  function each(value, fn) {
    if (!value) return;
    if (Array.isArray(value)) value.forEach(fn);
    else fn(value);
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        target[key] = merge(target[key] && typeof target[key] === "object" ? target[key] : {}, value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function themed(base, el) {
    var option = JSON.parse(JSON.stringify(base));
    var contrast = root.classList.contains("high-contrast");
    var large = root.classList.contains("large-text");
    var narrow = el.clientWidth < NARROW;
    var size = large ? 16 : narrow ? 11 : 12;
    var ink = contrast ? "#000000" : "#333333";
    var line = contrast ? "#000000" : "#8c8c8c";
    var suffix = el.getAttribute("data-value-suffix") || "";

    option.animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    option.textStyle = { fontFamily: window.getComputedStyle(document.body).fontFamily, color: ink, fontSize: size };
    option.aria = { enabled: contrast, label: { enabled: false }, decal: { show: contrast } };
    if (contrast) option.color = HIGH_CONTRAST;

    each(option.xAxis, function (axis) {
      merge(axis, {
        axisLabel: { color: ink, fontSize: size, hideOverlap: true },
        axisLine: { lineStyle: { color: line, width: contrast ? 2 : 1 } },
        axisTick: { lineStyle: { color: line } },
        nameTextStyle: { color: ink, fontSize: size }
      });
    });
    each(option.yAxis, function (axis) {
      merge(axis, {
        axisLabel: { color: ink, fontSize: size },
        axisLine: { show: contrast, lineStyle: { color: line, width: 2 } },
        splitLine: { lineStyle: { color: contrast ? "#000000" : "#e3e3e3", type: contrast ? "dotted" : "solid" } },
        nameTextStyle: { color: ink, fontSize: size, align: "left" }
      });
    });
    if (option.legend && option.legend.show !== false) {
      // The legend wraps onto more lines rather than hiding entries behind arrows; the plot
      // starts below it (ECharts does not make room for a legend by itself).
      var gap = narrow ? 8 : 12;
      var itemWidth = narrow ? 14 : 20;
      var widths = (option.series || []).map(function (series) {
        return String(series.name || "").length * size + itemWidth + 5 + gap;
      });
      var lines = 1;
      var used = 0;
      widths.forEach(function (w) {
        if (used && used + w > el.clientWidth - 16) { lines += 1; used = 0; }
        used += w;
      });
      if (option.grid) option.grid.top = lines * (size + 12) + size + 20;
      merge(option.legend, {
        type: "plain",
        textStyle: { color: ink, fontSize: size },
        itemWidth: itemWidth,
        itemGap: gap,
        pageIconColor: contrast ? "#000000" : "#0b4f9c",
        pageTextStyle: { color: ink }
      });
    }
    option.tooltip = merge(option.tooltip || {}, {
      confine: true,
      textStyle: { color: "#000000", fontSize: size },
      borderColor: line,
      borderWidth: contrast ? 2 : 1
    });
    if (suffix) {
      option.tooltip.valueFormatter = function (value) {
        return value === null || value === undefined || value === "-" ? "—" : value + suffix;
      };
      each(option.yAxis, function (axis) { merge(axis, { axisLabel: { formatter: "{value}" + suffix } }); });
    }
    each(option.series, function (series) {
      if (series.type === "bar") {
        merge(series, { itemStyle: { borderColor: contrast ? "#000000" : "transparent", borderWidth: contrast ? 1 : 0 } });
        if (narrow) series.barMaxWidth = 18;
      } else if (series.type === "line") {
        merge(series, {
          lineStyle: { width: contrast ? 4 : 2 },
          symbol: contrast ? "rect" : "circle",
          label: { color: ink, fontSize: size - 1, show: el.clientWidth >= 640 }
        });
      }
    });
    return option;
  }

  function draw(entry) {
    entry.narrow = entry.el.clientWidth < NARROW;
    entry.chart.setOption(themed(entry.base, entry.el), true);
  }

  var locale = root.getAttribute("lang") === "en" ? "EN" : "ZH";
  holders.forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-option"));
    if (!source) return;
    var base;
    try {
      base = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var entry = { el: el, base: base, chart: window.echarts.init(el, null, { renderer: "canvas", locale: locale }) };
    charts.push(entry);
    draw(entry);
  });

  // Redraw when the reader switches high contrast or larger text (site.js toggles the classes).
  // Larger text also makes the charts taller (dashboard.css), hence the resize.
  new MutationObserver(function () {
    charts.forEach(function (entry) {
      entry.chart.resize();
      draw(entry);
    });
  }).observe(root, { attributes: true, attributeFilter: ["class"] });

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (entry) {
        if ((entry.el.clientWidth < NARROW) !== entry.narrow) draw(entry);
        entry.chart.resize();
      });
    }, 150);
  });
})();
