/** Flag parsing shared by the commands: node's parseArgs, with its errors turned into NtlErrors. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NtlError } from '../errors.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;
export type FlagValues = Record<string, string | boolean | undefined>;

export function parseFlags(command: string, argv: readonly string[], options: FlagSpec): { values: FlagValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: glueNegativeNumbers(argv, options), options, strict: true, allowPositionals: true });
    return { values: values as FlagValues, positionals };
  } catch (e) {
    throw new NtlError(`ntl ${command}: ${(e as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}; see \`ntl ${command} --help\``);
  }
}

/**
 * `--threshold -1`: node's parseArgs reads a value starting with "-" as another flag and gives up. A negative
 * number after a flag that takes a value is that flag's value (no flag looks like -1), so glue it on: --threshold=-1.
 */
function glueNegativeNumbers(argv: readonly string[], options: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
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

/**
 * --data-dir DIR: the folder that replaces the `data_dir` of manifests that declare one. It must exist (a typo
 * would otherwise read as "every file missing"); it is the user's own choice, so it may be anywhere.
 */
export function dataDirFlag(command: string, values: FlagValues, mustExist = true): string | undefined {
  const v = values['data-dir'];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new NtlError(`ntl ${command}: --data-dir needs a folder, e.g. --data-dir ~/ntl-data/china`);
  const dir = resolve(v);
  if (mustExist) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      throw new NtlError(
        `ntl ${command}: --data-dir ${v}: no such folder; check the path (\`ntl fetch <manifest> --data-dir ${v}\` creates it and downloads the files)`,
      );
    }
    if (!st.isDirectory()) throw new NtlError(`ntl ${command}: --data-dir ${v} is a file, not a folder`);
  }
  return dir;
}
