/** `ntl adjacency`: which boundary units are neighbours (queen/rook, snap in metres) → CSV edge list, GAL or GWT. */
import { basename, extname } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { adjacency, DEFAULT_SNAP_M, type AdjacencyResult } from '../spatial/adjacency.js';
import { edgesCsv, galText, gwtText, weightsFormatOf } from '../spatial/weights-io.js';
import { readZones } from '../vector/index.js';
import { optionalNumber, requireFlag } from './args.js';
import { parseCommandFlags } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';
import { ADJACENCY_FLAGS, ADJACENCY_HELP } from './specs/adjacency.js';

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
