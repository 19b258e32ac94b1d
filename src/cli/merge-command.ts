/** `ntl merge <pipeline.yaml>`: check that every work unit is in DIR/.shards, then write the run's outputs. */
import { NtlError } from '../errors.js';
import { runPlan } from '../pipeline/runner.js';
import { parseCommandFlags } from './flags.js';
import { printRunSummary, progressSink } from './run-output.js';
import { loadPlanFromFlags } from './run-command.js';
import type { CommandIo } from './zonal-command.js';
import { MERGE_FLAGS, MERGE_HELP } from './specs/merge.js';

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
