/** `ntl zonal`: exact per-polygon statistics of one raster band (or every band), optionally weighted, written as CSV. */
import { NtlError } from '../errors.js';
import { runZonalJob } from '../jobs/zonal-job.js';
import { csvText, type CsvCell } from '../output/csv.js';
import { writeFileAtomic } from '../output/atomic.js';
import { DEFAULT_STATS, parseStats } from '../zonal/index.js';
import type { CoverageRule } from '../zonal/types.js';
import { SNOW, type BlackMarbleOptions, type Snow } from '../raster/blackmarble/index.js';
import { optionalNumber, requireFlag } from './args.js';
import { parseCommandFlags } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './io.js';
import { ZONAL_FLAGS, ZONAL_HELP } from './specs/zonal.js';

// The one CommandIo type lives in io.ts (flags.ts needs it, and this module imports flags.ts); commands import it from here.
export type { CommandIo } from './io.js';

export async function zonalCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('zonal', argv, ZONAL_FLAGS, io);
  if (values.help) {
    io.stdout(ZONAL_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl zonal: unexpected argument "${positionals[0]}"; see \`ntl zonal --help\``);
  const rasterPath = requireFlag('zonal', values, 'raster');
  const zonesPath = requireFlag('zonal', values, 'zones');
  const idField = requireFlag('zonal', values, 'id');
  const stats = typeof values.stats === 'string' ? parseStats(values.stats) : DEFAULT_STATS;
  const rule = (values.rule ?? 'exact') as string;
  if (rule !== 'exact' && rule !== 'centre' && rule !== 'center') {
    throw new NtlError(`ntl zonal: --rule must be exact or centre, got "${rule}"`);
  }
  const band =
    values.band === 'all' ? ('all' as const) : optionalNumber('zonal', values, 'band', (n) => Number.isInteger(n) && n >= 1, 'a band number ≥ 1 (or all)');
  const weightsPath = typeof values.weights === 'string' ? values.weights : undefined;
  const weightsBand = optionalNumber('zonal', values, 'weights-band', (n) => Number.isInteger(n) && n >= 1, 'a band number ≥ 1');
  const defaultWeight = optionalNumber('zonal', values, 'default-weight', (n) => Number.isFinite(n), 'a finite number, e.g. 0');
  if (weightsPath === undefined) {
    const stray = (['weights-band', 'weights-crs', 'default-weight'] as const).find((f) => values[f] !== undefined);
    if (stray) throw new NtlError(`ntl zonal: --${stray} applies to a weighting raster; pass --weights <raster> too`);
  }
  const threads = optionalNumber('zonal', values, 'threads', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const litThreshold = optionalNumber('zonal', values, 'lit-threshold', () => true, 'a number') ?? 0;
  const out = typeof values.out === 'string' ? values.out : '-';
  assertOutputsAreNotInputs(
    'zonal',
    [{ flag: '--out', path: out, example: 'zonal.csv' }],
    [
      { flag: '--raster', path: rasterPath },
      { flag: '--zones', path: zonesPath },
      ...(weightsPath !== undefined ? [{ flag: '--weights', path: weightsPath }] : []),
    ],
  );
  const snow = values['bm-snow'] as string | undefined;
  if (snow !== undefined && !(SNOW as readonly string[]).includes(snow)) {
    throw new NtlError(`ntl zonal: --bm-snow must be free, covered or all, got "${snow}"`);
  }
  const blackmarble: BlackMarbleOptions = {
    layer: values['bm-layer'] as string | undefined,
    snow: snow as Snow | undefined,
    quality: values['bm-quality'] as string | undefined,
  };

  const result = await runZonalJob({
    rasterPath,
    zonesPath,
    idField,
    stats,
    rule: (rule === 'center' ? 'centre' : rule) as CoverageRule,
    nodataAsZero: values['nodata-as-zero'] === true,
    litThreshold,
    band,
    bandDates: values['band-dates'] as string | undefined,
    ...(weightsPath !== undefined
      ? { weights: { path: weightsPath, band: weightsBand, defaultWeight: defaultWeight ?? null, crs: values['weights-crs'] as string | undefined } }
      : {}),
    threads,
    encoding: values.encoding as string | undefined,
    zonesCrs: values['zones-crs'] as string | undefined,
    rasterCrs: values['raster-crs'] as string | undefined,
    allowEmpty: values['allow-empty'] === true,
    remote: { downloadIfNoRange: values['download-if-no-range'] === true },
    blackmarble,
  });
  const hasDates = result.bands?.some((b) => b.date !== null) ?? false;
  const text = result.bands
    ? csvText(
        [result.idField, 'band', ...(hasDates ? ['date'] : []), ...result.columns],
        result.bands.flatMap((b) => b.result.rows.map((r): CsvCell[] => [r.id, b.band, ...(hasDates ? [b.date] : []), ...r.values])),
      )
    : csvText(
        [result.idField, ...result.columns],
        result.rows.map((r): CsvCell[] => [r.id, ...r.values]),
      );
  if (out === '-') io.stdout(text);
  else await writeFileAtomic(out, text);
  for (const w of result.warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}
