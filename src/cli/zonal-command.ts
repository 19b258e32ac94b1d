/** `ntl zonal`: exact per-polygon statistics of one raster band (or every band), optionally weighted, written as CSV. */
import { NtlError } from '../errors.js';
import { runZonalJob } from '../jobs/zonal-job.js';
import { csvText, type CsvCell } from '../output/csv.js';
import { writeFileAtomic } from '../output/atomic.js';
import { DEFAULT_STATS, parseStats } from '../zonal/index.js';
import type { CoverageRule } from '../zonal/types.js';
import { SNOW, type BlackMarbleOptions, type Snow } from '../raster/blackmarble/index.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';

export const ZONAL_HELP = `ntl zonal — exact zonal statistics of a raster over polygons

Usage:
  ntl zonal --raster <file.tif|https://…/file.tif> --zones <file.shp|file.geojson> --id <field> [options]

Options:
  --raster <file|url>    GeoTIFF (striped/tiled, BigTIFF; none/LZW/DEFLATE/ZSTD/PackBits), or an http(s)
                         URL of one, read in place with range requests: only the header and the blocks the
                         zones touch are fetched (best with a Cloud-Optimised or tiled GeoTIFF)
  --download-if-no-range when the server of a --raster URL ignores range requests, download the whole
                         file to a temporary file for this run (with a warning) instead of failing
  --band <n>|all         band to read (1-based, default 1); all = every band in one pass (coverage
                         computed once per zone), long output: <id>,band[,date],<stats> per band
  --band-dates <f.csv>   with --band all: CSV with columns band,date; adds a date column (without
                         it, the file's band descriptions are the dates when all read as dates)
  ntl zonal --raster '<tile.h5>,<tile.h5>|<glob>' --zones … --id … [--bm-layer …] [--bm-quality …] [--bm-snow …]
  --zones <file>         Shapefile (.shp with .dbf/.prj) or GeoJSON polygons
  --id <field>           attribute that identifies each polygon (must be unique)
  --stats <list>         comma list, in output order (default count,sum,mean,min,max):
                         count sum mean min max stdev variance median quantile:q
                         lit_count lit_share nodata_count area_km2 cell_area_sum_km2
                         weighted_sum weighted_mean weight_sum per_weight
                         weighted_sum = Σ c·x·w, weighted_mean = Σ c·x·w / Σ c·w, with w the
                         cell area in km² — or the --weights raster when one is given;
                         weight_sum = Σ c·w on the weight raster's own grid (e.g. population),
                         per_weight = sum / weight_sum (e.g. light per person); both need --weights
  --weights <file>       weighting raster (e.g. LandScan/WorldPop/GHS-POP), same CRS, any grid:
                         matched on the common grid of both rasters as exactextract does (the
                         finer grid when resolutions are integer multiples; otherwise the overlay
                         of both grids). Cells of --raster outside it have no weight.
  --weights-band <n>     band of the weighting raster (default 1)
  --weights-crs <crs>    CRS of the weighting raster when its GeoKeys have none
  --default-weight <w>   weight of cells with no weight (no-data or outside the weighting raster);
                         default none: a zone covering such a cell gets empty weighted statistics
                         (exactextract's default_weight rule) and a warning names it
  --rule exact|centre    exact fractional coverage (default) or the cell-centre rule
  --nodata-as-zero       count no-data cells as value 0 instead of skipping them
  --lit-threshold <x>    lit_count/lit_share count cells with value > x (default 0)
  --encoding <name>      DBF text encoding when there is no .cpg (utf-8, gbk, gb18030, ...)
  --zones-crs <crs>      CRS of the zones when the file has none (e.g. EPSG:4326)
  --raster-crs <crs>     CRS of the raster when its GeoKeys have none
  --allow-empty          write the CSV even when no zone touches the raster (or all
                         touch only no-data); by default that is an error

Black Marble (.h5 tiles; values are float32 radiance in nW·cm⁻²·sr⁻¹, fill → no data):
  --bm-layer <name>      composite layer (default NearNadir_Composite_Snow_Free): AllAngle, NearNadir or
                         OffNadir, optionally with _Num (observations) or _Std, e.g. AllAngle_Std; or a full
                         Data Fields name such as OffNadir_Composite_Snow_Covered_Num
  --bm-snow free|covered|all
                         snow-free composite (default), snow-covered, or all: the snow-free value where
                         it passes the quality rule, else the snow-covered one
  --bm-quality <rule>    quality flags kept: any (0,1,2; default — drops only fill 255, as blackmarblepy),
                         observed (0,1: no gap-filled cells), good (0: more than 3 observations), or a
                         list of flag values such as 0,2
  --threads <n>          decoder threads (default: all cores)
  --out <file.csv|->     output CSV (default: standard output)

Remote rasters: a token in NTL_EOG_TOKEN (or the file NTL_EOG_TOKEN_FILE names) is sent, as by
\`ntl fetch\`, only over https to eogdata.mines.edu or a host listed in NTL_EOG_TOKEN_HOSTS, and never
after a redirect to another host. Failed requests (dropped connections, 429, 5xx) are retried with backoff.
`;

export const FLAGS = {
  raster: { type: 'string' },
  'download-if-no-range': { type: 'boolean' },
  band: { type: 'string' },
  'band-dates': { type: 'string' },
  weights: { type: 'string' },
  'weights-band': { type: 'string' },
  'weights-crs': { type: 'string' },
  'default-weight': { type: 'string' },
  zones: { type: 'string' },
  id: { type: 'string' },
  stats: { type: 'string' },
  rule: { type: 'string' },
  'nodata-as-zero': { type: 'boolean' },
  'lit-threshold': { type: 'string' },
  encoding: { type: 'string' },
  'zones-crs': { type: 'string' },
  'raster-crs': { type: 'string' },
  'allow-empty': { type: 'boolean' },
  threads: { type: 'string' },
  'bm-layer': { type: 'string' },
  'bm-snow': { type: 'string' },
  'bm-quality': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function zonalCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('zonal', argv, FLAGS);
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
  const band = values.band === 'all' ? 'all' as const : optionalNumber('zonal', values, 'band', (n) => Number.isInteger(n) && n >= 1, 'a band number ≥ 1, or all');
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
  assertOutputsAreNotInputs('zonal', [{ flag: '--out', path: out, example: 'zonal.csv' }], [{ flag: '--raster', path: rasterPath }, { flag: '--zones', path: zonesPath }]);
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
