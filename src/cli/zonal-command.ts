/** `ntl zonal`: exact per-polygon statistics of one raster band (or every band), optionally weighted, written as CSV. */
import { NtlError } from '../errors.js';
import { runZonalJob } from '../jobs/zonal-job.js';
import { csvText, type CsvCell } from '../output/csv.js';
import { writeFileAtomic } from '../output/atomic.js';
import { DEFAULT_STATS, parseStats } from '../zonal/index.js';
import type { CoverageRule } from '../zonal/types.js';
import { SNOW, type BlackMarbleOptions, type Snow } from '../raster/blackmarble/index.js';
import { optionalNumber, requireFlag } from './args.js';
import { commandHelp, HELP_FLAG, parseCommandFlags, type FlagTable } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './io.js';

const BM = 'Black Marble (.h5 tiles)';

export const ZONAL_FLAGS = {
  raster: {
    type: 'string',
    arg: '<file|url>',
    help:
      'the raster (required): a GeoTIFF (striped/tiled, BigTIFF; none/LZW/DEFLATE/ZSTD/PackBits, JPEG, LERC); ' +
      'or an http(s) URL of one, read in place with range requests (only the header and the blocks the zones touch are fetched; best with a tiled or Cloud-Optimised GeoTIFF); ' +
      "or NASA Black Marble VNP46A3/A4 .h5 tiles of ONE date as a comma list and/or quoted glob, mosaicked on the fly (e.g. 'bm/VNP46A4.A2022001.h29v0[56].*.h5')",
  },
  zones: { type: 'string', arg: '<file>', help: 'polygons (required): Shapefile (.shp with .dbf/.prj) or GeoJSON' },
  id: { type: 'string', arg: '<field>', help: 'attribute that identifies each polygon (required; must be unique)' },
  band: {
    type: 'string',
    arg: '<n>|all',
    default: '1',
    help: '1-based band to read; all = every band of a GeoTIFF in one pass (coverage computed once per zone), long output <id>,band[,date],<stats>, one block of rows per band',
  },
  'band-dates': {
    type: 'string',
    arg: '<f.csv>',
    help: "with --band all: CSV with columns band,date naming every band's date; adds a date column (without it, the file's GDAL band descriptions are the dates when every band has one that reads as a date)",
  },
  stats: {
    type: 'string',
    arg: '<list>',
    default: 'count,sum,mean,min,max',
    help:
      'comma list, in output order: count sum mean min max stdev variance median quantile:q lit_count lit_share nodata_count area_km2 cell_area_sum_km2 weighted_sum weighted_mean weight_sum per_weight.\n' +
      'weighted_sum = Σ c·x·w and weighted_mean = Σ c·x·w / Σ c·w, w = the cell area in km², or the --weights raster when one is given; ' +
      "weight_sum = the zone's total of the weighting raster (e.g. its population), per_weight = sum / weight_sum (e.g. light per person): both need --weights",
  },
  weights: {
    type: 'string',
    arg: '<file|url>',
    help: 'weighting raster (e.g. a LandScan, WorldPop or GHS-POP population grid) in the CRS of --raster, on any grid: matched with the value raster on the common grid of both, as exactextract does (the finer grid when one resolution is an integer multiple of the other, else the overlay of both grids); another CRS is refused (warp it first, gdalwarp -r sum for counts)',
  },
  'weights-band': { type: 'string', arg: '<n>', default: '1', help: 'band of the weighting raster' },
  'weights-crs': { type: 'string', arg: '<crs>', help: 'CRS of the weighting raster when its GeoKeys have none' },
  'default-weight': {
    type: 'string',
    arg: '<w>',
    help: "weight of cells without one (no-data in the weighting raster, or outside it); default none: a zone covering such a cell gets empty weighted statistics and a warning (exactextract's default_weight rule)",
  },
  rule: { type: 'string', arg: 'exact|centre', default: 'exact', help: 'exact fractional coverage, or the cell-centre rule' },
  'nodata-as-zero': { type: 'boolean', help: 'count no-data cells as value 0 instead of skipping them' },
  'lit-threshold': { type: 'string', arg: '<x>', default: '0', help: 'lit_count/lit_share count cells with value > x' },
  encoding: { type: 'string', arg: '<name>', help: 'DBF text encoding when there is no .cpg (utf-8, gbk, gb18030, ...)' },
  'zones-crs': { type: 'string', arg: '<crs>', help: 'CRS of the zones when the file has none (e.g. EPSG:4326)' },
  'raster-crs': { type: 'string', arg: '<crs>', help: 'CRS of the raster when its GeoKeys have none (not for Black Marble tiles: EPSG:4326)' },
  'allow-empty': { type: 'boolean', help: 'write the CSV even when no zone touches the raster (or all touch only no-data); by default that is an error' },
  'download-if-no-range': {
    type: 'boolean',
    help: 'when the server of a --raster URL ignores range requests, download the whole file to a temporary file for this run (with a warning) instead of failing',
  },
  'bm-layer': {
    type: 'string',
    arg: '<name>',
    group: BM,
    help: 'composite layer (default NearNadir_Composite_Snow_Free): AllAngle, NearNadir or OffNadir, optionally with _Num (observations) or _Std; or a full Data Fields name such as OffNadir_Composite_Snow_Covered_Num',
  },
  'bm-snow': {
    type: 'string',
    arg: 'free|covered|all',
    default: 'free',
    group: BM,
    help: 'snow-free composite, snow-covered, or all: the snow-free value where it passes the quality rule, else the snow-covered one',
  },
  'bm-quality': {
    type: 'string',
    arg: '<rule>',
    default: 'any',
    group: BM,
    help: 'quality flags kept: any (0,1,2: drops only fill 255, as blackmarblepy), observed (0,1: no gap-filled cells), good (0: more than 3 observations), or a list of flag values such as 0,2',
  },
  threads: { type: 'string', arg: '<n>', default: 'all cores', group: 'Output', help: 'decoder threads (never changes a result)' },
  out: { type: 'string', arg: '<file.csv|->', default: 'standard output', group: 'Output', help: 'output CSV' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const ZONAL_HELP = commandHelp(
  `ntl zonal — exact zonal statistics of a raster over polygons

Usage:
  ntl zonal --raster <file.tif|https://…/file.tif> --zones <file.shp|file.geojson> --id <field> [options]
  ntl zonal --raster '<tile.h5>,<tile.h5>|<glob>' --zones … --id … [--bm-layer …] [--bm-quality …] [--bm-snow …]`,
  ZONAL_FLAGS,
  `Values of Black Marble tiles are float32 radiance in nW·cm⁻²·sr⁻¹; fill values are no data.
Remote rasters: a token in NTL_EOG_TOKEN (or the file NTL_EOG_TOKEN_FILE names) is sent, as by \`ntl fetch\`, only
over https to eogdata.mines.edu or a host listed in NTL_EOG_TOKEN_HOSTS, and never after a redirect to another host.
Failed requests (dropped connections, 429, 5xx) are retried with backoff. More: docs/reach.md.
`,
  27,
);

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
