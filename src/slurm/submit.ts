/** Submit with `sbatch --parsable` and return the job id; a missing sbatch or a refusal is one NtlError. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { NtlError } from '../errors.js';

const run = promisify(execFile);

export async function sbatch(script: string, args: readonly string[], sbatchBin = process.env.NTL_SBATCH ?? 'sbatch'): Promise<string> {
  try {
    const { stdout } = await run(sbatchBin, ['--parsable', ...args, script]);
    const id = stdout.trim().split(';')[0]!;
    if (!/^\d+$/.test(id)) throw new Error(`unexpected answer "${stdout.trim()}"`);
    return id;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new NtlError(`ntl slurm: ${sbatchBin} was not found; run on a Slurm login node (or use --dry-run to only write the scripts)`);
    throw new NtlError(`ntl slurm: sbatch refused ${script}: ${(err.stderr ?? err.message).trim().split('\n')[0]}; check the partition and limits (--partition, --time, --mem)`);
  }
}
