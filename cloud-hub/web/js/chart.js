/* global uPlot */
/** uPlot line chart of one topic's series (bucket means), with fault windows shaded. */
const COLORS = ['#1f6feb', '#d97706', '#059669', '#9333ea'];

/**
 * Draws into `el`: x = drive seconds, one line per field (mean per bucket).
 * `windows` are [start_s, end_s] pairs shaded red behind the lines.
 */
export function seriesChart(el, title, series, windows) {
  const fields = Object.keys(series.fields).slice(0, 4);
  const data = [series.t_s, ...fields.map((f) => series.fields[f].mean)];
  const width = Math.max(280, el.clientWidth - 16);
  const shade = {
    hooks: {
      drawClear: [(u) => {
        const { ctx } = u;
        const top = u.bbox.top;
        const hgt = u.bbox.height;
        ctx.save();
        ctx.fillStyle = 'rgba(198, 40, 40, 0.15)';
        for (const [a, b] of windows) {
          const x0 = u.valToPos(a, 'x', true);
          const x1 = u.valToPos(Math.max(b, a + series.bucket_s), 'x', true);
          ctx.fillRect(x0, top, Math.max(2, x1 - x0), hgt);
        }
        ctx.restore();
      }],
    },
  };
  return new uPlot({
    title, width, height: 220, plugins: [shade],
    scales: { x: { time: false } },
    axes: [{ label: 's' }, {}],
    series: [{ label: 't (s)' }, ...fields.map((f, i) => ({ label: f, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }))],
  }, data, el);
}
