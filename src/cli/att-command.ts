/** `ntl att`: heterogeneity-robust staggered DID — Callaway & Sant'Anna (2021) or Sun & Abraham (2021). */
import { NtlError } from '../errors.js';
import { runModel } from '../estimate/api.js';
import { attSchema, numberFlag, parseOptions } from '../estimate/options.js';
import { parseWhere } from '../panel/where.js';
import { optionalNumber, requireFlag } from './args.js';
import { staggeredSpec } from './bacon-command.js';
import { multiValues, parseCommandFlags } from './flags.js';
import { emitModel, guardModelOutputs, parseFormat, readPanel, transformArgs } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { ATT_FLAGS, ATT_HELP } from './specs/att.js';

export async function attCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('att', argv, ATT_FLAGS, io);
  if (values.help) {
    io.stdout(ATT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl att: unexpected argument "${positionals[0]}"; see \`ntl att --help\``);
  const path = requireFlag('att', values, 'panel');
  const [y, unit, time, cohort] = ['y', 'unit', 'time', 'cohort'].map((f) => requireFlag('att', values, f)) as [string, string, string, string];
  const table = parseFormat('att', values.format);
  const where = parseWhere('att', multiValues(values, 'where'));
  const digits = optionalNumber('att', values, 'digits', (n) => Number.isInteger(n) && n >= 0 && n <= 12, 'a whole number 0–12');
  const method = values.method ?? 'cs';
  if (method === 'sunab' && (values.anticipation !== undefined || values.base !== undefined || values.aggregate !== undefined)) {
    throw new NtlError('ntl att: --anticipation, --base and --aggregate apply to --method cs only');
  }
  const att = parseOptions('att', attSchema, {
    method,
    control: values.control,
    base: values.base,
    anticipation: numberFlag(values.anticipation),
    aggregate: typeof values.aggregate === 'string' ? values.aggregate.split(',').map((s) => s.trim()) : undefined,
  });
  const spec = { ...staggeredSpec(y, unit, time, 'att', values), cohort, att, transform: transformArgs('att', values) };
  const out = typeof values.out === 'string' ? values.out : undefined;
  guardModelOutputs('att', path, out);
  await emitModel({ out, table, digits: digits ?? 3 }, io, await runModel('att', await readPanel(path, where), spec));
  return 0;
}
