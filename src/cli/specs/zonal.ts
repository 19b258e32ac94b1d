/** `ntl zonal`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

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
