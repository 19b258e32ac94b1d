/** `ntl calibrate report`: per-year totals, lit area and flagged breaks of a raster series (CSV + PNG). */
import { reportBase, writeContinuityReport } from '../../calibrate/report.js';
import { optionalNumber, requireFlag } from '../args.js';
import { guardOutputs, parseSeriesArg } from './shared.js';
import { REPORT_SPEC } from '../specs/calibrate.js';
import type { Verb } from './verb.js';

export const reportVerb: Verb = {
  ...REPORT_SPEC,
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
