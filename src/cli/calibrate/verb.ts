/**
 * The frame of an `ntl calibrate <verb>`: a flag spec (groups of flags with their help), from which the parser
 * options, the `--help` text and the output guard's list of input files are all generated, so they cannot drift.
 */
import { NtlError } from '../../errors.js';
import { optionalNumber, parseFlags, type FlagSpec, type FlagValues } from '../args.js';
import type { CommandIo } from '../zonal-command.js';

export interface FlagDef {
  /** Without the leading --. */
  readonly name: string;
  /** A switch (no value) when true. */
  readonly boolean?: boolean;
  /** Value placeholder in the help, e.g. <file>. */
  readonly value?: string;
  readonly help: string;
  /** The value is a file (or folder) the verb reads: checked against the outputs. */
  readonly reads?: boolean;
  /** Only meaningful with this other flag (given without it: an error naming both). */
  readonly needs?: string;
}

export interface FlagGroup {
  readonly title: string;
  readonly flags: readonly FlagDef[];
}

export interface VerbContext {
  /** "calibrate <verb>", for messages: `ntl ${cmd}: …`. */
  readonly cmd: string;
  readonly values: FlagValues;
  readonly positionals: readonly string[];
  readonly threads: number | undefined;
  readonly io: CommandIo;
  readonly verb: Verb;
}

/** What a verb is (name, help, flags) without its run: src/cli/specs/calibrate.ts holds these, so help loads no verb. */
export interface VerbSpec {
  readonly name: string;
  /** One line for `ntl calibrate --help`. */
  readonly summary: string;
  /** Usage lines, each after `ntl calibrate <name> `. */
  readonly usage: readonly string[];
  /** A few lines on the method (formula, source); optional. */
  readonly about?: string;
  readonly groups: readonly FlagGroup[];
  /** Positional arguments taken (e.g. YEAR=FILE …); none when absent. */
  readonly positionals?: string;
  /** The pipeline `calibrate:` step(s) this verb runs, for the help. */
  readonly steps?: string;
}

export interface Verb extends VerbSpec {
  readonly run: (ctx: VerbContext) => Promise<number>;
}

/** Every verb takes these. */
export const COMMON_GROUP: FlagGroup = {
  title: 'Also',
  flags: [
    { name: 'threads', value: '<n>', help: 'decoder threads (0: decode on the main thread)' },
    { name: 'help', boolean: true, help: 'this help' },
  ],
};

export function allFlags(verb: VerbSpec): FlagDef[] {
  return [...verb.groups, COMMON_GROUP].flatMap((g) => g.flags);
}

export function flagSpec(verb: VerbSpec): FlagSpec {
  const spec: FlagSpec = {};
  for (const f of allFlags(verb)) spec[f.name] = f.boolean ? { type: 'boolean' } : { type: 'string' };
  spec.help = { type: 'boolean', short: 'h' };
  return spec;
}

/** The names of the flags a verb accepts. */
export function acceptedFlags(verb: VerbSpec): Set<string> {
  return new Set(allFlags(verb).map((f) => f.name));
}

export function verbHelp(verb: VerbSpec): string {
  const lines = [`ntl calibrate ${verb.name} — ${verb.summary}`, '', 'Usage:'];
  for (const u of verb.usage) lines.push(`  ntl calibrate ${verb.name} ${u}`);
  if (verb.about) lines.push('', ...verb.about.split('\n'));
  if (verb.steps) lines.push('', `Pipeline equivalent: calibrate: ${verb.steps}`);
  for (const g of [...verb.groups, COMMON_GROUP]) {
    lines.push('', `${g.title}:`);
    for (const f of g.flags) {
      const head = `  --${f.name}${f.value ? ` ${f.value}` : ''}`;
      const [first, ...more] = f.help.split('\n');
      lines.push(head.length <= 27 ? `${head.padEnd(28)}${first}` : `${head}\n${' '.repeat(28)}${first}`);
      for (const m of more) lines.push(`${' '.repeat(28)}${m}`);
    }
  }
  lines.push('', 'Global: --debug (stack traces on errors), --version.');
  return lines.join('\n') + '\n';
}

/** Parse argv for the verb, answer --help, check --threads and flag dependencies, then run it. */
export async function runVerb(verb: Verb, argv: readonly string[], io: CommandIo): Promise<number> {
  const cmd = `calibrate ${verb.name}`;
  const { values, positionals } = parseFlags(cmd, argv, flagSpec(verb));
  if (values.help) {
    io.stdout(verbHelp(verb));
    return 0;
  }
  if (!verb.positionals && positionals.length > 0) throw new NtlError(`ntl ${cmd}: unexpected argument "${positionals[0]}"; see \`ntl ${cmd} --help\``);
  for (const f of allFlags(verb)) {
    if (f.needs && values[f.name] !== undefined && values[f.needs] === undefined) {
      throw new NtlError(`ntl ${cmd}: --${f.name} goes with --${f.needs}, which is not given; add it or drop --${f.name}`);
    }
  }
  const threads = optionalNumber(cmd, values, 'threads', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
  return verb.run({ cmd, values, positionals, threads, io, verb });
}
