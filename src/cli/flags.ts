/**
 * Flag specs: each command's flags declared once — name, type, placeholder, default, description, old names —
 * and from that one declaration both the parser (node's parseArgs, via parseFlags) and the `--help` text, so help
 * and parsing cannot drift. Old names (`aliases`) keep working as deprecated spellings: the value moves to the
 * new name and one `ntl: warning:` line says which name to use. The vocabulary is written down in docs/flags.md.
 */
import { NtlError } from '../errors.js';
import { parseFlags, type FlagSpec, type FlagValues } from './args.js';
import type { CommandIo } from './io.js';

export interface FlagDef {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder after the flag in help: '<col>', 'a,b', 'md|tex|csv'. */
  readonly arg?: string;
  /** What the flag does (wrapped in help; '\n' starts a new line). */
  readonly help: string;
  /** Shown as "(default …)". */
  readonly default?: string;
  /** Old names, still accepted with a deprecation warning. */
  readonly aliases?: readonly string[];
  /** Section of the help ("Panel and model", "Output", …); default "Options". */
  readonly group?: string;
}

export type FlagTable = Readonly<Record<string, FlagDef>>;

/** The flags every command takes (--debug and --version are handled before the command runs, in main.ts). */
export const HELP_FLAG: FlagTable = { help: { type: 'boolean', short: 'h', help: 'this help', group: 'General' } };

/** The parseArgs options of a table: every flag and every old name. */
export function parserOptions(table: FlagTable): FlagSpec {
  const out: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, d] of Object.entries(table)) {
    out[name] = { type: d.type, ...(d.multiple ? { multiple: true } : {}), ...(d.short ? { short: d.short } : {}) };
    for (const a of d.aliases ?? []) out[a] = { type: d.type, ...(d.multiple ? { multiple: true } : {}) };
  }
  return out as FlagSpec;
}

/** Every name a table accepts (flags and old names), without the leading dashes. */
export function acceptedNames(table: FlagTable): string[] {
  return Object.entries(table).flatMap(([name, d]) => [name, ...(d.aliases ?? [])]);
}

/**
 * Parse argv with a flag table: old names are folded into the new one, each with one warning on standard error;
 * an old and a new name together is an error (for a repeatable flag their values are joined).
 */
export function parseCommandFlags(
  command: string,
  argv: readonly string[],
  table: FlagTable,
  io: Pick<CommandIo, 'stderr'>,
): { values: FlagValues; positionals: string[] } {
  const { values, positionals } = parseFlags(command, argv, parserOptions(table));
  const v = values as Record<string, unknown>;
  for (const [name, d] of Object.entries(table)) {
    for (const alias of d.aliases ?? []) {
      if (v[alias] === undefined) continue;
      // both names of a single-valued flag: the error alone (a warning first would only repeat it)
      if (v[name] !== undefined && !d.multiple) throw new NtlError(`ntl ${command}: --${alias} is the old name of --${name}; give one of them`);
      io.stderr(`ntl: warning: --${alias} is deprecated; use --${name} (see docs/flags.md)\n`);
      if (v[name] !== undefined) {
        v[name] = [...(v[name] as string[]), ...(v[alias] as string[])];
      } else v[name] = v[alias];
      delete v[alias];
    }
  }
  return { values, positionals };
}

/** Help text of a table: one block per group (in order of first appearance), flags aligned in a `width` column. */
export function flagsHelp(table: FlagTable, width = 25): string {
  const groups = new Map<string, string[]>();
  for (const [name, d] of Object.entries(table)) {
    const group = d.group ?? 'Options';
    const head = `  ${d.short ? `-${d.short}, ` : ''}--${name}${d.arg ? ` ${d.arg}` : ''}`;
    const notes = [
      d.default !== undefined ? `(default ${d.default})` : '',
      d.aliases?.length ? `(old name${d.aliases.length > 1 ? 's' : ''} ${d.aliases.map((a) => `--${a}`).join(', ')}: deprecated, still accepted)` : '',
    ].filter((s) => s !== '');
    const text = [d.help, ...notes].join(' ');
    groups.set(group, [...(groups.get(group) ?? []), wrapOption(head, text, width)]);
  }
  if (!groups.has('General')) groups.set('General', []);
  groups
    .get('General')!
    .push(
      wrapOption('  --debug', 'stack traces on errors (every command)', width),
      wrapOption('  --version', 'print the version and exit (every command)', width),
    );
  return [...groups].map(([g, lines]) => `${g}:\n${lines.join('')}`).join('\n');
}

/** An option's help: the flag in the first `width` columns, the text wrapped at 110 characters beside it. */
export function wrapOption(head: string, text: string, width: number): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && width + line.length + 1 + word.length > 110) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  const pad = ' '.repeat(width);
  const first = head.length < width ? head.padEnd(width) + lines[0] : `${head}\n${pad}${lines[0]}`;
  return [first, ...lines.slice(1).map((l) => pad + l)].join('\n') + '\n';
}

/** The values of a repeatable flag (undefined → []). */
export function multiValues(values: FlagValues, name: string): string[] {
  const v = (values as Record<string, unknown>)[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

/** A command's help: the text before the flags, the flags (generated from the table), the text after. */
export function commandHelp(head: string, table: FlagTable, tail = '', width = 25): string {
  return `${head.replace(/\n*$/, '\n\n')}${flagsHelp(table, width)}${tail ? `\n${tail}` : ''}`;
}
