/** `ntl calibrate report`: per-year totals, lit area and flagged breaks of a raster series (CSV + PNG). */
import { reportBase, writeContinuityReport } from '../../calibrate/report.js';
import { optionalNumber, requireFlag } from '../args.js';
import { guardOutputs, parseSeriesArg } from './shared.js';
import type { Verb } from './verb.js';

export const reportVerb: Verb = {
  name: 'report',
  summary: 'continuity diagnostics of a series: totals, lit area, ratios, flagged breaks (CSV + PNG)',
  usage: ['2012=a.tif 2013:viirs=b.tif … [--lit-threshold 0] --out report   (writes report.csv + report.png)'],
  about: "A break is flagged when a year-over-year ratio departs from the series' typical change (robust to a steady trend).",
  positionals: 'YEAR[:SENSOR]=FILE …',
  groups: [
    { title: 'Series', flags: [{ name: 'lit-threshold', value: '<x>', help: 'a cell is lit when its value is > x (default 0)' }] },
    { title: 'Output', flags: [{ name: 'out', value: '<base>', help: 'base name: writes BASE.csv and BASE.png (a trailing .csv or .png is dropped)' }] },
  ],
  run: async (ctx) => {
    const { cmd, values, io } = ctx;
    const out = requireFlag(cmd, values, 'out');
    const series = ctx.positionals.map((a) => parseSeriesArg(cmd, a));
    const base = reportBase(out);
    guardOutputs(
      ctx,
      [
        { flag: '--out', path: `${base}.csv` },
        { flag: '--out', path: `${base}.png` },
      ],
      series,
    );
    const lit = optionalNumber(cmd, values, 'lit-threshold', () => true, 'a number') ?? 0;
    const rows = await writeContinuityReport(series, base, lit, ctx.threads);
    for (const r of rows)
      if (r.flag.includes('break'))
        io.stderr(`ntl: warning: continuity break at ${r.year} (total ×${r.totalRatio?.toFixed(3)}, lit area ×${r.litAreaRatio?.toFixed(3)}): ${r.flag}\n`);
    return 0;
  },
};
