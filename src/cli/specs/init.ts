/** `ntl init`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { SENSORS } from '../../manifest/names.js';
import { INIT_SERIES } from '../../pipeline/init-series.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const INIT_FLAGS = {
  zones: { type: 'string', arg: '<file>', help: 'boundary file: Shapefile (.shp with .dbf/.shx/.prj/.cpg) or GeoJSON (required)' },
  id: { type: 'string', arg: '<field>', help: 'attribute holding the unit id (required)' },
  rasters: {
    type: 'string',
    arg: "'<glob>'",
    help: "raster files, e.g. 'rasters/*.tif' (* and ? within a folder name, ** any folders); quote it so the shell does not expand it (required)",
  },
  name: { type: 'string', arg: '<name>', default: 'mine', help: 'run name: names the files and the output folder' },
  out: { type: 'string', arg: '<file>', help: 'pipeline to write (default: pipelines/<name>.yaml)' },
  manifest: { type: 'string', arg: '<file>', help: 'manifest to write (default: data-manifests/<name>.yaml)' },
  'outputs-dir': {
    type: 'string',
    arg: '<dir>',
    aliases: ['out-dir'],
    help: "output folder of the run, written as the pipeline's outputs.dir (default: out/<name>)",
  },
  sensor: { type: 'string', arg: '<s>', default: 'other', help: `sensor of the rasters: ${SENSORS.join(', ')}` },
  product: { type: 'string', arg: '<text>', help: 'product name recorded with the rasters (and selected by the series)' },
  'name-field': { type: 'string', arg: '<f>', help: 'attribute with the unit names (panel column county_name)' },
  'zones-crs': { type: 'string', arg: '<crs>', help: 'CRS of the boundaries when the file carries none, e.g. EPSG:4326' },
  force: { type: 'boolean', help: 'overwrite existing pipeline / manifest files' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const INIT_HELP = commandHelp(
  `ntl init — your own data in one step: a manifest and a runnable pipeline from a boundary file and rasters

Usage:
  ntl init --zones <boundaries.shp|.geojson> --id <FIELD> --rasters '<dir/*.tif>' [options]
  then:  npx ntl run pipelines/<name>.yaml

Writes
  data-manifests/<name>.yaml   the boundaries entry and one raster entry per file (size + sha256 measured),
                               the year of each raster taken from its file name (the one 4-digit year 1970-2100:
                               lights_2015.tif, VNL_v2_npp_2015_global_….tif)
  pipelines/<name>.yaml        series '${INIT_SERIES}' from those rasters, years = the years found, zonal statistics
                               count, sum, mean (exact coverage), CSV panel in out/<name>/; commented lines show
                               what to edit next (more statistics, calibration, inequality, estimation, maps)
Checks first: the boundary file opens and has the id field (else it lists the fields), every raster opens as
a GeoTIFF and has its own year, files stay inside the project folder as \`ntl run\` requires, and nothing is
overwritten. Either both files are written or neither.`,
  INIT_FLAGS,
  `Licence and citation are not asked for (private data); add them to the manifest before you share.

Example:
  ntl init --zones gis/counties.geojson --id code --rasters 'rasters/*_8bit.tif' --name guizhou
  npx ntl run pipelines/guizhou.yaml
`,
  24,
);
