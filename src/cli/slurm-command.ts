/** `ntl slurm <pipeline.yaml> --shards N`: write and submit the shard array and a dependent merge job. */
import { resolve, join, relative } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { planWork } from '../pipeline/shard/work.js';
import { arrayList, arrayScript, mergeScript, type SlurmJobSpec } from '../slurm/scripts.js';
import { findSbatch, sbatch } from '../slurm/submit.js';
import { optionalNumber } from './args.js';
import { parseCommandFlags } from './flags.js';
import { loadPlanFromFlags } from './run-command.js';
import type { CommandIo } from './zonal-command.js';
import { SLURM_FLAGS, SLURM_HELP } from './specs/slurm.js';

export async function slurmCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('slurm', argv, SLURM_FLAGS, io);
  if (values.help) {
    io.stdout(SLURM_HELP);
    return 0;
  }
  const shards = optionalNumber('slurm', values, 'shards', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  if (shards === undefined) throw new NtlError('ntl slurm: --shards N is required (e.g. --shards 16); see `ntl slurm --help`');
  const cpus = optionalNumber('slurm', values, 'cpus', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const { plan, bandRows } = await loadPlanFromFlags('slurm', values, positionals);
  const outDir = plan.outputs.dir;
  const slurmDir = join(outDir, '.slurm');
  const ntl =
    typeof values.ntl === 'string' ? values.ntl.split(' ').filter(Boolean) : [process.execPath, ...process.execArgv, resolve(process.argv[1] ?? 'bin/ntl.js')];
  const spec: SlurmJobSpec = {
    name: plan.name,
    ntl,
    pipeline: resolve(positionals[0]!),
    outDir,
    workDir: process.cwd(),
    shards,
    bandRows,
    partition: values.partition as string | undefined,
    time: values['time-limit'] as string | undefined,
    cpus,
    mem: values.mem as string | undefined,
    logDir: join(slurmDir, 'logs'),
  };
  let todo = Array.from({ length: shards }, (_, i) => i + 1);
  if (values.resubmit) {
    const w = await planWork(plan, { bandRows, shards, checkStore: true });
    const missing = new Set(w.missing!.map((u) => u.key));
    todo = todo.filter((s) => w.units.some((u, i) => w.shardOf![i] === s && missing.has(u.key)));
    io.stdout(`${w.missing!.length} of ${w.units.length} units missing; resubmitting shard(s) ${todo.length > 0 ? arrayList(todo) : '(none)'}\n`);
  }
  // Before any script is written: without sbatch a submission fails, and it should leave nothing behind.
  if (!values['dry-run'] && findSbatch() === null) {
    throw new NtlError(
      `ntl slurm: ${process.env.NTL_SBATCH ?? 'sbatch'} was not found; run on a Slurm login node (or use --dry-run to only write the scripts); nothing was written`,
    );
  }
  const arrayPath = join(slurmDir, 'shards.sbatch'),
    mergePath = join(slurmDir, 'merge.sbatch');
  await writeFileAtomic(join(spec.logDir, '.keep'), '');
  await writeFileAtomic(arrayPath, arrayScript(spec));
  await writeFileAtomic(mergePath, mergeScript(spec));
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  if (values['dry-run']) {
    if (todo.length > 0) io.stdout(`sbatch --parsable --array=${arrayList(todo)} ${rel(arrayPath)}\n`);
    io.stdout(`sbatch --parsable${todo.length > 0 ? ' --dependency=afterok:<array job>' : ''} ${rel(mergePath)}\n`);
    return 0;
  }
  const arrayId = todo.length > 0 ? await sbatch(arrayPath, [`--array=${arrayList(todo)}`]) : null;
  const mergeId = await sbatch(mergePath, arrayId ? [`--dependency=afterok:${arrayId}`] : []);
  io.stdout(
    `${arrayId ? `submitted shards ${arrayList(todo)} of ${shards} as job ${arrayId}; ` : ''}merge job ${mergeId}${arrayId ? ` runs after it` : ''}; outputs: ${rel(outDir)}\n`,
  );
  return 0;
}
