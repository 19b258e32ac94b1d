/** `ntl slurm <pipeline.yaml> --shards N`: write and submit the shard array and a dependent merge job. */
import { resolve, join, relative } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { planWork } from '../pipeline/shard/work.js';
import { arrayList, arrayScript, mergeScript, type SlurmJobSpec } from '../slurm/scripts.js';
import { findSbatch, sbatch } from '../slurm/submit.js';
import { optionalNumber } from './args.js';
import { commandHelp, HELP_FLAG, parseCommandFlags, type FlagTable } from './flags.js';
import { loadPlanFromFlags } from './run-command.js';
import type { CommandIo } from './zonal-command.js';

export const SLURM_FLAGS = {
  shards: { type: 'string', arg: '<N>', help: 'number of array tasks (shards), required; units are balanced by estimated cost (ntl run --plan --shards N)' },
  resubmit: {
    type: 'boolean',
    help: 'submit only the shards whose units are not all in DIR/.shards (after failed or killed tasks), then the merge again; finished units are never recomputed',
  },
  partition: { type: 'string', arg: '<P>', group: 'Passed to #SBATCH', help: 'Slurm partition (#SBATCH --partition)' },
  'time-limit': {
    type: 'string',
    arg: '<T>',
    group: 'Passed to #SBATCH',
    aliases: ['time'],
    help: 'wall-time limit per task, e.g. 02:00:00 (#SBATCH --time; --time is the period column everywhere else)',
  },
  cpus: { type: 'string', arg: '<n>', group: 'Passed to #SBATCH', help: 'cores per task (#SBATCH --cpus-per-task)' },
  mem: { type: 'string', arg: '<M>', group: 'Passed to #SBATCH', help: 'memory per task, e.g. 8G (#SBATCH --mem)' },
  'band-rows': { type: 'string', arg: '<R>', default: '8192', help: 'rows per work unit; shards and merge use the same value' },
  out: { type: 'string', arg: '<dir>', default: "the pipeline's outputs.dir", help: 'output folder on a file system all nodes share' },
  threads: { type: 'string', arg: '<n>', help: "accepted as in ntl run; each task's decoder threads follow its --cpus" },
  ntl: { type: 'string', arg: '<cmd>', default: "this node's node binary and ntl script", help: 'how nodes start ntl' },
  'dry-run': { type: 'boolean', help: 'write the scripts and print the sbatch commands without submitting' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const SLURM_HELP = commandHelp(
  `ntl slurm — run a pipeline on a Slurm cluster: an array job of N shards, then a dependent merge

Usage:
  ntl slurm <pipeline.yaml> --shards N [--partition P] [--time-limit T] [--cpus n] [--mem M] [--out DIR]
            [--band-rows R] [--resubmit] [--dry-run]

Writes DIR/.slurm/shards.sbatch (one task per shard: ntl run --shard $SLURM_ARRAY_TASK_ID/N) and
DIR/.slurm/merge.sbatch (ntl merge), submits the array and the merge with --dependency=afterok:<array>.
DIR must be on a file system all nodes share. Logs: DIR/.slurm/logs/.`,
  SLURM_FLAGS,
);

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
