/** `ntl bacon`: Goodman-Bacon (2021) decomposition of the TWFE DID coefficient into its 2×2 comparisons. */
import { NtlError } from '../errors.js';
import { runModel, type ModelSpec } from '../estimate/api.js';
import { parseWhere } from '../panel/where.js';
import { optionalNumber, requireFlag, type FlagValues } from './args.js';
import { multiValues, parseCommandFlags } from './flags.js';
import { emitModel, estimateTimeType, guardModelOutputs, parseFormat, readPanel, transformArgs } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { BACON_FLAGS, BACON_HELP } from './specs/bacon.js';

export async function baconCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('bacon', argv, BACON_FLAGS, io);
  if (values.help) {
    io.stdout(BACON_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl bacon: unexpected argument "${positionals[0]}"; see \`ntl bacon --help\``);
  const path = requireFlag('bacon', values, 'panel');
  const [y, treat, unit, time] = ['y', 'treat', 'unit', 'time'].map((f) => requireFlag('bacon', values, f)) as [string, string, string, string];
  const table = parseFormat('bacon', values.format);
  const where = parseWhere('bacon', multiValues(values, 'where'));
  const digits = optionalNumber('bacon', values, 'digits', (n) => Number.isInteger(n) && n >= 0 && n <= 12, 'a whole number 0–12') ?? 4;
  const spec = { ...staggeredSpec(y, unit, time, 'bacon', values), treat, transform: transformArgs('bacon', values) };
  const out = typeof values.out === 'string' ? values.out : undefined;
  guardModelOutputs('bacon', path, out);
  await emitModel({ out, table, digits }, io, await runModel('bacon', await readPanel(path, where), spec));
  return 0;
}

/** Bacon and the staggered estimators fix the model (unit and time effects, by-unit clusters): only the columns vary. */
export function staggeredSpec(y: string, unit: string, time: string, command: string, values: FlagValues): ModelSpec {
  return { y, unit, time, timeType: estimateTimeType(command, values), controls: [], fe: [unit, time], cluster: [unit], vcov: 'CR1', ssc: 'nested' };
}
