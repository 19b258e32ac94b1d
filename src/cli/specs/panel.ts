/** `ntl panel`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const PANEL_FLAGS = {
  zones: { type: 'string', arg: '<file>', help: 'boundaries: Shapefile or GeoJSON (required)' },
  id: { type: 'string', arg: '<field>', help: 'their unique id field (required)' },
  name: { type: 'string', arg: '<field>', help: 'field with the unit name' },
  parent: { type: 'string', arg: '<field>', help: 'field with the prefecture (parent) code' },
  province: { type: 'string', arg: '<field>', help: 'field with the province code' },
  raster: {
    type: 'string',
    multiple: true,
    arg: '[series:]YEAR=FILE',
    help: 'one raster per series and year (repeat); series defaults to "ntl"; FILE may be an http(s) URL, read in place with range requests (see ntl zonal --help)',
  },
  'download-if-no-range': {
    type: 'boolean',
    help: 'a --raster URL whose server ignores range requests is downloaded to a temporary file for this run (with a warning) instead of failing',
  },
  band: { type: 'string', arg: '<n>', default: '1', help: 'band to read in every raster' },
  stats: {
    type: 'string',
    arg: '<list>',
    default: 'count,sum,mean,min,max',
    help: 'statistics, as in ntl zonal (quantile:0.9 writes the column quantile_0_9)',
  },
  rule: { type: 'string', arg: 'exact|centre', default: 'exact', help: 'coverage rule, as in ntl zonal' },
  'nodata-as-zero': { type: 'boolean', help: 'count no-data cells as value 0, as in ntl zonal' },
  'lit-threshold': { type: 'string', arg: '<x>', default: '0', help: 'lit_count/lit_share threshold, as in ntl zonal' },
  encoding: { type: 'string', arg: '<name>', help: 'DBF text encoding when there is no .cpg, as in ntl zonal' },
  'zones-crs': { type: 'string', arg: '<crs>', help: 'CRS of the zones when the file has none, as in ntl zonal' },
  out: { type: 'string', arg: '<dir>', aliases: ['out-dir'], help: 'output folder (required)' },
  format: { type: 'string', arg: '<list>', default: 'csv', aliases: ['formats'], help: 'panel formats: comma list of csv, parquet, dta' },
  wide: { type: 'boolean', help: 'also write the wide panel' },
  maps: { type: 'boolean', help: 'quick-look PNG maps per series and year' },
  'map-stat': { type: 'string', arg: '<s>', help: 'statistic for the choropleth maps (default sum when asked, else the first)' },
  threads: {
    type: 'string',
    arg: '<n>',
    default: 'all cores',
    aliases: ['concurrency'],
    help: 'parallelism: decoder threads (and at most this many years at once; 2 by default, as ntl run). Never changes a result',
  },
  quiet: { type: 'boolean', help: 'no progress output' },
  'allow-empty': { type: 'boolean', help: 'keep a year in which every unit is empty (by default: an error showing both extents and the likely cause)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const PANEL_HELP = commandHelp(
  `ntl panel — county × year panel from flags (the one-off form of \`ntl run\`)

Usage:
  ntl panel --zones <file> --id <field> --raster [series:]YEAR=<file.tif> [--raster ...] --out DIR [options]`,
  PANEL_FLAGS,
  '',
  30,
);
