/**
 * The script the report page runs: it reads the chart specs (chart-specs.ts) from the page's
 * embedded JSON and hands each to uPlot, adding two drawing hooks uPlot lacks: shaded, named
 * bands behind a chart, and decision ticks along its top. It is plain ES5-style JavaScript kept
 * as a string, so the page needs no bundler and no network: everything it runs is inline.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = document.getElementById('chart-data');
  if (!data || typeof uPlot === 'undefined') return;
  var specs = JSON.parse(data.textContent || '[]');
  var ratio = window.devicePixelRatio || 1;
  function font(size) { return Math.round(size * ratio) + 'px system-ui, sans-serif'; }
  function drawBands(spec) {
    return function (u) {
      if (!spec.bands) return;
      var ctx = u.ctx;
      ctx.save();
      spec.bands.forEach(function (band) {
        var top = u.valToPos(band.to, 'y', true);
        var bottom = u.valToPos(band.from, 'y', true);
        ctx.fillStyle = band.color;
        ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
      });
      ctx.restore();
    };
  }
  function labelBands(spec) {
    return function (u) {
      if (!spec.bands) return;
      var ctx = u.ctx;
      ctx.save();
      ctx.font = font(11);
      ctx.fillStyle = '#444';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      spec.bands.forEach(function (band) {
        ctx.fillText(band.label, u.bbox.left + 6 * ratio, u.valToPos(band.to, 'y', true) + 3 * ratio);
      });
      ctx.restore();
    };
  }
  // Decision ticks sit in the top padding, one lane per kind, above the plotted data.
  var LANE_PX = 9;
  function drawMarkers(spec) {
    return function (u) {
      if (!spec.markers) return;
      var ctx = u.ctx;
      var lane = LANE_PX * ratio;
      var lanes = spec.markers.lanes.length;
      var first = u.bbox.top - lanes * lane - 2 * ratio;
      ctx.save();
      ctx.lineWidth = Math.max(1, ratio);
      spec.markers.points.forEach(function (point) {
        var meta = spec.markers.lanes[point[1]];
        var x = u.valToPos(point[0], 'x', true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        var y = first + point[1] * lane;
        ctx.strokeStyle = meta.color;
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x, y + lane - ratio);
        ctx.stroke();
      });
      ctx.font = font(9);
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      spec.markers.lanes.forEach(function (meta, index) {
        ctx.fillStyle = meta.color;
        ctx.fillText(meta.label, u.bbox.left - 4 * ratio, first + index * lane);
      });
      ctx.restore();
    };
  }
  function yScale(spec) {
    if (spec.yRange) return { range: [spec.yRange[0], spec.yRange[1]] };
    return { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
  }
  specs.forEach(function (spec) {
    var host = document.getElementById(spec.id);
    if (!host) return;
    var width = Math.max(320, Math.min(1100, host.clientWidth || 900));
    var options = {
      width: width,
      height: 300,
      padding: [12 + (spec.markers ? spec.markers.lanes.length * LANE_PX : 0), 16, 0, 0],
      scales: { x: { time: false, range: [spec.xRange[0], spec.xRange[1]] }, y: yScale(spec) },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 64 }],
      series: [{ label: spec.xLabel }].concat(spec.series.map(function (s) {
        return { label: s.label, stroke: s.color, width: 2, points: { show: true, size: 5, fill: s.color } };
      })),
      hooks: { drawClear: [drawBands(spec)], draw: [labelBands(spec), drawMarkers(spec)] }
    };
    var columns = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var chart = new uPlot(options, columns, host);
    var canvas = chart.root.querySelector('canvas');
    if (canvas) {
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', spec.title + ': ' + spec.caption);
    }
  });
})();
`;
