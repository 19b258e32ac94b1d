/** `ntl merge <pipeline.yaml>`: check that every work unit is in DIR/.shards, then write the run's outputs. */
import { NtlError } from '../errors.js';
import { runPlan } from '../pipeline/runner.js';
import { commandHelp, HELP_FLAG, parseCommandFlags, type FlagTable } from './flags.js';
import { printRunSummary, progressSink } from './run-output.js';
import { loadPlanFromFlags } from './run-command.js';
import type { CommandIo } from './zonal-command.js';

export const MERGE_FLAGS = {
  out: { type: 'string', arg: '<dir>', default: "the pipeline's outputs.dir", help: 'output folder the shards wrote to' },
  'band-rows': { type: 'string', arg: '<R>', default: '8192', help: 'the value the shards used' },
  threads: { type: 'string', arg: '<n>', default: 'all cores', help: 'decoder threads for the maps (never changes a result)' },
  quiet: { type: 'boolean', help: 'no progress output' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const MERGE_HELP = commandHelp(
  `ntl merge — combine the shards of a pipeline (ntl run --shard i/N) into the run's outputs

Usage:
  ntl merge <pipeline.yaml> [--out DIR] [--band-rows R] [--threads n] [--quiet]

Checks that every work unit (series × period × row band) has exactly one result in DIR/.shards — an error names
the missing ones — then merges the partial statistics in band order and writes the same files, byte for byte,
that \`ntl run <pipeline.yaml>\` writes on one machine (panel, wide, inequality, spatial, estimates, maps, run.json).`,
  MERGE_FLAGS,
);

export async function mergeCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('merge', argv, MERGE_FLAGS, io);
  if (values.help) {
    io.stdout(MERGE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new NtlError('ntl merge: give exactly one pipeline file, e.g. `ntl merge pipelines/hunan-demo.yaml`');
  const { plan, threads, bandRows } = await loadPlanFromFlags('merge', values, positionals);
  const summary = await runPlan(plan, {
    threads,
    bandRows,
    fromShards: true,
    progress: values.quiet ? null : progressSink(io),
    command: `ntl merge ${positionals[0]}`,
  });
  printRunSummary(summary, io);
  return 0;
}
