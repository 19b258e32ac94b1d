/** `ntl init`: a data manifest and a runnable pipeline from a boundary file and a folder of rasters. */
import { basename, extname } from 'node:path';
import { NtlError } from '../errors.js';
import { SENSORS } from '../manifest/index.js';
import type { Sensor } from '../manifest/index.js';
import { initProject, INIT_SERIES } from '../pipeline/init.js';
import { displayPath } from '../pipeline/yaml-errors.js';
import { commandHelp, HELP_FLAG, parseCommandFlags, type FlagTable } from './flags.js';
import { entryTable, warnMissingTerms } from './manifest-command.js';
import type { CommandIo } from './zonal-command.js';

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

export async function initCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('init', argv, INIT_FLAGS, io);
  if (values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' && values[k] !== '' ? (values[k] as string) : undefined);
  if (positionals.length > 0) {
    throw new NtlError(
      str('rasters') !== undefined
        ? `ntl init: unexpected argument "${positionals[0]}": the shell expanded the --rasters pattern into file names; put the pattern in quotes, e.g. --rasters 'rasters/*.tif'`
        : `ntl init: unexpected argument "${positionals[0]}"; everything is given by flags (see \`ntl init --help\`)`,
    );
  }
  const missing = ['zones', 'id', 'rasters'].filter((k) => str(k) === undefined).map((k) => `--${k}`);
  if (missing.length > 0) {
    throw new NtlError(
      `ntl init: missing ${missing.join(', ')}; e.g. \`ntl init --zones gis/counties.geojson --id code --rasters 'rasters/*.tif'\` (see \`ntl init --help\`)`,
    );
  }
  const sensor = str('sensor') ?? 'other';
  if (!(SENSORS as readonly string[]).includes(sensor)) throw new NtlError(`ntl init: --sensor must be one of ${SENSORS.join(', ')}, got "${sensor}"`);
  if (sensor === 'viirs-monthly' || sensor === 'blackmarble-monthly')
    throw new NtlError(
      `ntl init: monthly rasters (${sensor}) are not set up by init; record them with \`ntl manifest add --glob … --month-from-name\` and write the series by hand`,
    );
  if (sensor === 'blackmarble-annual')
    throw new NtlError(
      'ntl init: Black Marble tiles are not set up by init (several tiles make one raster); record them with `ntl manifest add --glob \'tiles/VNP46A4.*.h5\' --year-from-name --sensor blackmarble-annual` and write the series by hand (docs/reach.md, "NASA Black Marble")',
    );
  const out = str('out');
  const name = str('name') ?? (out !== undefined ? basename(out, extname(out)) : 'mine');

  const r = await initProject({
    zones: str('zones')!,
    idField: str('id')!,
    rasters: str('rasters')!,
    name,
    pipeline: out ?? `pipelines/${name}.yaml`,
    manifest: str('manifest') ?? `data-manifests/${name}.yaml`,
    outDir: str('outputs-dir'),
    sensor: sensor as Sensor,
    product: str('product'),
    nameField: str('name-field'),
    zonesCrs: str('zones-crs'),
    force: values.force === true,
  });

  for (const w of r.warnings) io.stderr(`ntl: warning: ${w}\n`);
  const manifestShown = displayPath(r.manifestFile);
  const pipelineShown = displayPath(r.pipelineFile);
  io.stdout(
    `wrote ${manifestShown}: ${r.entries.length} entries (${r.units} units in the boundaries; rasters for ${r.years.length} year(s), ${r.years[0]}–${r.years[r.years.length - 1]}):\n` +
      entryTable(r.entries) +
      `wrote ${pipelineShown}: series ${INIT_SERIES}, zonal count/sum/mean → ${displayPath(r.outDir)}/\n` +
      `next:  npx ntl run ${/\s/.test(pipelineShown) ? JSON.stringify(pipelineShown) : pipelineShown}\n`,
  );
  warnMissingTerms(r.entries, manifestShown, io, '');
  return 0;
}
