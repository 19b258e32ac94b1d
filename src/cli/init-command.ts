/** `ntl init`: a data manifest and a runnable pipeline from a boundary file and a folder of rasters. */
import { basename, extname } from 'node:path';
import { NtlError } from '../errors.js';
import { SENSORS } from '../manifest/index.js';
import type { Sensor } from '../manifest/index.js';
import { initProject, INIT_SERIES } from '../pipeline/init.js';
import { displayPath } from '../pipeline/yaml-errors.js';
import { parseCommandFlags } from './flags.js';
import { entryTable, warnMissingTerms } from './manifest-command.js';
import type { CommandIo } from './zonal-command.js';
import { INIT_FLAGS, INIT_HELP } from './specs/init.js';

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
