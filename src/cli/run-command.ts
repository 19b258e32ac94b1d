/** `ntl run <pipeline.yaml>`: regenerate a panel from a declarative pipeline (whole, one shard, or its plan). */
import { resolve } from 'node:path';
import { NtlError } from '../errors.js';
import { loadPipelineSpec } from '../pipeline/spec.js';
import { loadResolvedPipeline } from '../pipeline/resolve.js';
import { planFromResolved } from '../pipeline/plan/build.js';
import type { PanelPlan } from '../pipeline/plan/types.js';
import { runPlan } from '../pipeline/runner.js';
import { planWork, runShard } from '../pipeline/shard/work.js';
import { parseShard } from '../pipeline/shard/assign.js';
import { dataDirFlag, optionalNumber, type FlagValues } from './args.js';
import { parseCommandFlags } from './flags.js';
import type { CommandIo } from './zonal-command.js';
import { printRunSummary, progressSink } from './run-output.js';
import { formatWorkPlan } from '../pipeline/shard/plan-format.js';
import { RUN_FLAGS, RUN_HELP } from './specs/run.js';

/** Flags every scale-out command shares: pipeline → plan with --out applied, --threads, --band-rows. */
export async function loadPlanFromFlags(
  command: string,
  values: FlagValues,
  positionals: readonly string[],
): Promise<{ plan: PanelPlan; threads?: number; bandRows?: number }> {
  if (positionals.length !== 1) throw new NtlError(`ntl ${command}: give exactly one pipeline file, e.g. \`ntl ${command} pipelines/hunan-demo.yaml\``);
  const threads = optionalNumber(command, values, 'threads', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const bandRows = optionalNumber(command, values, 'band-rows', (n) => Number.isInteger(n) && n >= 1, 'a whole number of rows ≥ 1');
  const dataDir = dataDirFlag(command, values);
  const spec = await loadPipelineSpec(positionals[0]!);
  const plan = planFromResolved(await loadResolvedPipeline(spec, { dataDir }));
  const withOut = typeof values.out === 'string' ? { ...plan, outputs: { ...plan.outputs, dir: resolve(values.out) } } : plan;
  return { plan: withOut, threads, bandRows };
}

export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('run', argv, RUN_FLAGS, io);
  if (values.help) {
    io.stdout(RUN_HELP);
    return 0;
  }
  if (values.plan && typeof values.shard === 'string') throw new NtlError('ntl run: --plan and --shard exclude each other; --plan only prints the units');
  if (typeof values.shards === 'string' && !values.plan)
    throw new NtlError('ntl run: --shards N goes with --plan (to run one shard: --shard i/N; to submit all: ntl slurm --shards N)');
  const shard = typeof values.shard === 'string' ? parseShard(values.shard) : null;
  const shards = optionalNumber('run', values, 'shards', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const { plan, threads, bandRows } = await loadPlanFromFlags('run', values, positionals);
  const progress = values.quiet ? null : progressSink(io);
  if (values.plan) {
    io.stdout(formatWorkPlan(await planWork(plan, { threads, bandRows, shards })));
    return 0;
  }
  if (shard) {
    const r = await runShard(plan, shard, { threads, bandRows, progress });
    io.stdout(
      `shard ${r.shard.index}/${r.shard.count}: ${r.units} of ${r.totalUnits} units (${r.computed} computed, ${r.reused} already done) in ${plan.outputs.dir}/.shards\n`,
    );
    return 0;
  }
  const summary = await runPlan(plan, { threads, bandRows, progress, command: `ntl run ${positionals[0]}` });
  printRunSummary(summary, io);
  return 0;
}
