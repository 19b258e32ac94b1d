/** `ntl slurm`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

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
