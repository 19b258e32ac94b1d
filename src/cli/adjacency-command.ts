/** `ntl adjacency`: which boundary units are neighbours (queen/rook, snap in metres) → CSV edge list, GAL or GWT. */
import { basename, extname } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { adjacency, DEFAULT_MIN_SHARED_SNAPS, DEFAULT_SNAP_M, type AdjacencyResult } from '../spatial/adjacency.js';
import { edgesCsv, galText, gwtText, weightsFormatOf } from '../spatial/weights-io.js';
import { readZones } from '../vector/index.js';
import { optionalNumber, requireFlag } from './args.js';
import { commandHelp, HELP_FLAG, parseCommandFlags, type FlagTable } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';

export const ADJACENCY_FLAGS = {
  zones: { type: 'string', arg: '<file>', help: 'Shapefile or GeoJSON polygons, lon/lat or projected (required)' },
  id: { type: 'string', arg: '<field>', help: 'attribute that identifies each unit; must be unique (required)' },
  rule: {
    type: 'string',
    arg: 'queen|rook',
    default: 'queen',
    help: 'queen: any boundary point in common; rook: a shared border of at least --min-shared metres (two separate touching points are not rook)',
  },
  snap: {
    type: 'string',
    arg: '<metres>',
    default: String(DEFAULT_SNAP_M),
    help: 'boundary points closer than this touch (raise it, e.g. 50, for files with digitising gaps)',
  },
  'min-shared': { type: 'string', arg: '<metres>', default: `${DEFAULT_MIN_SHARED_SNAPS} × snap`, help: 'rook: least shared border length' },
  out: { type: 'string', arg: '<file|->', default: 'CSV on standard output', help: 'edges.csv (id_a,id_b,shared_m; id_a < id_b), x.gal or x.gwt (GeoDa)' },
  encoding: { type: 'string', arg: '<name>', help: 'DBF text encoding when there is no .cpg' },
  'zones-crs': { type: 'string', arg: '<crs>', help: 'CRS of the zones when the file has none (e.g. EPSG:4326)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const ADJACENCY_HELP = commandHelp(
  `ntl adjacency — neighbouring units of a boundary file (contiguity)

Usage:
  ntl adjacency --zones <file.shp|file.geojson> --id <field> [options]`,
  ADJACENCY_FLAGS,
  `shared_m is the length of border the two units share, in metres (geodesic on the ellipsoid for
lon/lat files, planar for projected ones): the mean of each side's boundary length lying within
the snap of the other. A unit with no contact that lies inside another (an enclave behind a gap)
is that unit's neighbour with shared_m 0. The summary (units, pairs, islands, components) goes to
standard output, or to standard error when the edges do.
`,
);

export async function adjacencyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('adjacency', argv, ADJACENCY_FLAGS, io);
  if (values.help) {
    io.stdout(ADJACENCY_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl adjacency: unexpected argument "${positionals[0]}"; see \`ntl adjacency --help\``);
  const zonesPath = requireFlag('adjacency', values, 'zones');
  const idField = requireFlag('adjacency', values, 'id');
  const rule = (values.rule ?? 'queen') as string;
  if (rule !== 'queen' && rule !== 'rook') throw new NtlError(`ntl adjacency: --rule must be queen or rook, got "${rule}"`);
  const snapM = optionalNumber('adjacency', values, 'snap', (n) => n > 0, 'a positive number of metres') ?? DEFAULT_SNAP_M;
  const minSharedM = optionalNumber('adjacency', values, 'min-shared', (n) => n >= 0, 'a number of metres ≥ 0');
  const out = typeof values.out === 'string' ? values.out : '-';
  const format = out === '-' ? 'csv' : weightsFormatOf(out);
  if (format === null) throw new NtlError(`ntl adjacency: --out ${out}: use a .csv, .gal or .gwt file name (or - for CSV on standard output)`);
  assertOutputsAreNotInputs('adjacency', [{ flag: '--out', path: out, example: 'edges.csv' }], [{ flag: '--zones', path: zonesPath }]);

  const zoneSet = await readZones(zonesPath, {
    idField,
    encoding: values.encoding as string | undefined,
    crs: values['zones-crs'] as string | undefined,
  });
  if (zoneSet.zones.length === 0) throw new NtlError(`${zonesPath} has no polygons; check the file`);
  const result = adjacency(zoneSet, { rule, snapM, minSharedM });
  const layer = basename(zonesPath, extname(zonesPath));
  const text =
    format === 'gal'
      ? galText(result.ids, result.pairs, layer, idField)
      : format === 'gwt'
        ? gwtText(result.ids, result.pairs, layer, idField)
        : edgesCsv(result.pairs);
  if (out === '-') io.stdout(text);
  else await writeFileAtomic(out, text);
  const say = out === '-' ? io.stderr : io.stdout;
  say(summary(result, zoneSet.crs.geographic ? 'lon/lat' : 'projected'));
  for (const w of [...zoneSet.warnings, ...result.warnings]) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}

export function summary(r: AdjacencyResult, crsKind: string): string {
  const lines = [
    `units: ${r.ids.length}`,
    `rule: ${r.rule}, snap ${r.snapM} m${r.rule === 'rook' ? `, min shared ${r.minSharedM} m` : ''} (${crsKind} coordinates)`,
    `neighbour pairs: ${r.pairs.length}`,
    `islands (no neighbour): ${r.islands.length}${r.islands.length > 0 ? ` — ${r.islands.join(', ')}` : ''}`,
    `connected components: ${r.components}`,
  ];
  if (r.enclosed.length > 0) lines.push(`enclosed without contact (neighbours, shared_m 0): ${r.enclosed.map((p) => `${p.a}–${p.b}`).join(', ')}`);
  return lines.join('\n') + '\n';
}
