/** Submit with `sbatch --parsable` and return the job id; a missing sbatch or a refusal is one NtlError. */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { NtlError } from '../errors.js';

const run = promisify(execFile);

/** The sbatch command (NTL_SBATCH or sbatch), when it is an executable file here (a path, or found on PATH). */
export function findSbatch(sbatchBin = process.env.NTL_SBATCH ?? 'sbatch'): string | null {
  const candidates = sbatchBin.includes('/')
    ? [sbatchBin]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, sbatchBin));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return c;
    } catch {
      // not here
    }
  }
  return null;
}

export async function sbatch(script: string, args: readonly string[], sbatchBin = process.env.NTL_SBATCH ?? 'sbatch'): Promise<string> {
  try {
    const { stdout } = await run(sbatchBin, ['--parsable', ...args, script]);
    const id = stdout.trim().split(';')[0]!;
    if (!/^\d+$/.test(id)) throw new Error(`unexpected answer "${stdout.trim()}"`);
    return id;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT')
      throw new NtlError(`ntl slurm: ${sbatchBin} was not found; run on a Slurm login node (or use --dry-run to only write the scripts)`);
    throw new NtlError(
      `ntl slurm: sbatch refused ${script}: ${(err.stderr ?? err.message).trim().split('\n')[0]}; check the partition and limits (--partition, --time, --mem)`,
    );
  }
}
