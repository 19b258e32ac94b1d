/** `ntl merge <pipeline.yaml>`: check that every work unit is in DIR/.shards, then write the run's outputs. */
import { NtlError } from '../errors.js';
import { runPlan } from '../pipeline/runner.js';
import { parseFlags } from './args.js';
import { printRunSummary, progressSink } from './run-output.js';
import { loadPlanFromFlags } from './run-command.js';
import type { CommandIo } from './zonal-command.js';

export const MERGE_HELP = `ntl merge — combine the shards of a pipeline (ntl run --shard i/N) into the run's outputs

Usage:
  ntl merge <pipeline.yaml> [--out DIR] [--band-rows R] [--threads n] [--quiet]

Checks that every work unit (series × period × row band) has exactly one result in DIR/.shards — an error names
the missing ones — then merges the partial statistics in band order and writes the same files, byte for byte,
that \`ntl run <pipeline.yaml>\` writes on one machine (panel, wide, inequality, spatial, estimates, maps, run.json).

Options:
  --out DIR        output folder the shards wrote to (default: the pipeline's outputs.dir)
  --band-rows R    the value the shards used (default 8192)
  --threads n      decoder threads for the maps (default: all cores)
  --quiet          no progress output
`;

export const FLAGS = {
  out: { type: 'string' },
  threads: { type: 'string' },
  'band-rows': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

export async function mergeCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('merge', argv, FLAGS);
  if (values.help) {
    io.stdout(MERGE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new NtlError('ntl merge: give exactly one pipeline file, e.g. `ntl merge pipelines/hunan-demo.yaml`');
  const { plan, threads, bandRows } = await loadPlanFromFlags('merge', values, positionals);
  const summary = await runPlan(plan, { threads, bandRows, fromShards: true, progress: values.quiet ? null : progressSink(io), command: `ntl merge ${positionals[0]}` });
  printRunSummary(summary, io);
  return 0;
}
