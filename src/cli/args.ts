/** Flag parsing shared by the commands: node's parseArgs, with its errors turned into NtlErrors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NtlError } from '../errors.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;
export type FlagValues = Record<string, string | boolean | undefined>;

export function parseFlags(command: string, argv: readonly string[], options: FlagSpec): { values: FlagValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    return { values: values as FlagValues, positionals };
  } catch (e) {
    throw new NtlError(`ntl ${command}: ${(e as Error).message.replace(/\.$/, '')}; see \`ntl ${command} --help\``);
  }
}

export function requireFlag(command: string, values: FlagValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new NtlError(`ntl ${command}: --${name} is required; see \`ntl ${command} --help\``);
  return v;
}

export function optionalNumber(command: string, values: FlagValues, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new NtlError(`ntl ${command}: --${name} must be ${what}, got "${String(v)}"`);
  }
  return n;
}
