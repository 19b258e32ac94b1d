/** `ntl zonal`: exact per-polygon statistics of one raster band, written as CSV. */
import { NtlError } from '../errors.js';
import { runZonalJob } from '../jobs/zonal-job.js';
import { csvText, type CsvCell } from '../output/csv.js';
import { writeFileAtomic } from '../output/atomic.js';
import { DEFAULT_STATS, parseStats } from '../zonal/index.js';
import type { CoverageRule } from '../zonal/types.js';
import { SNOW, type BlackMarbleOptions, type Snow } from '../raster/blackmarble/index.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';

export const ZONAL_HELP = `ntl zonal — exact zonal statistics of a raster over polygons

Usage:
  ntl zonal --raster <file.tif> --zones <file.shp|file.geojson> --id <field> [options]
  ntl zonal --raster '<tile.h5>,<tile.h5>|<glob>' --zones … --id … [--bm-layer …] [--bm-quality …] [--bm-snow …]

Options:
  --raster <file>        GeoTIFF (striped/tiled, BigTIFF; none/LZW/DEFLATE/ZSTD/PackBits), or NASA Black
                         Marble VNP46A3/VNP46A4 HDF5 tiles of ONE date, mosaicked on the fly: a comma list
                         and/or globs (quote them), e.g. 'bm/VNP46A4.A2022001.h29v0[56].*.h5' or 'a.h5,b.h5'
  --band <n>             band to read (1-based, default 1; GeoTIFF only)
  --zones <file>         Shapefile (.shp with .dbf/.prj) or GeoJSON polygons
  --id <field>           attribute that identifies each polygon (must be unique)
  --stats <list>         comma list, in output order (default count,sum,mean,min,max):
                         count sum mean min max stdev variance median quantile:q
                         lit_count lit_share nodata_count area_km2 cell_area_sum_km2
                         weighted_sum weighted_mean
  --rule exact|centre    exact fractional coverage (default) or the cell-centre rule
  --nodata-as-zero       count no-data cells as value 0 instead of skipping them
  --lit-threshold <x>    lit_count/lit_share count cells with value > x (default 0)
  --encoding <name>      DBF text encoding when there is no .cpg (utf-8, gbk, gb18030, ...)
  --zones-crs <crs>      CRS of the zones when the file has none (e.g. EPSG:4326)
  --raster-crs <crs>     CRS of the raster when its GeoKeys have none (not for Black Marble: EPSG:4326)

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
`;

const FLAGS = {
  raster: { type: 'string' },
  band: { type: 'string' },
  zones: { type: 'string' },
  id: { type: 'string' },
  stats: { type: 'string' },
  rule: { type: 'string' },
  'nodata-as-zero': { type: 'boolean' },
  'lit-threshold': { type: 'string' },
  encoding: { type: 'string' },
  'zones-crs': { type: 'string' },
  'raster-crs': { type: 'string' },
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
  const band = optionalNumber('zonal', values, 'band', (n) => Number.isInteger(n) && n >= 1, 'a band number ≥ 1');
  const threads = optionalNumber('zonal', values, 'threads', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const litThreshold = optionalNumber('zonal', values, 'lit-threshold', () => true, 'a number') ?? 0;
  const out = typeof values.out === 'string' ? values.out : '-';
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
    threads,
    encoding: values.encoding as string | undefined,
    zonesCrs: values['zones-crs'] as string | undefined,
    rasterCrs: values['raster-crs'] as string | undefined,
    blackmarble,
  });
  const text = csvText(
    [result.idField, ...result.columns],
    result.rows.map((r): CsvCell[] => [r.id, ...r.values]),
  );
  if (out === '-') io.stdout(text);
  else await writeFileAtomic(out, text);
  for (const w of result.warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}
