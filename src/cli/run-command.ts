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
import { commandHelp, HELP_FLAG, parseCommandFlags, type FlagTable } from './flags.js';
import type { CommandIo } from './zonal-command.js';
import { printRunSummary, progressSink } from './run-output.js';
import { formatWorkPlan } from '../pipeline/shard/plan-format.js';

export const RUN_FLAGS = {
  'data-dir': {
    type: 'string',
    arg: '<dir>',
    default: "each such manifest's data_dir",
    help: 'where the input files of manifests that declare `data_dir:` are (e.g. data/downloads/china for data-manifests/china.yaml); a folder you name is trusted (no NTL_ALLOW_OUTSIDE_PATHS needed). Entries marked shipped: true and manifests without data_dir (demo.yaml) are unaffected. Fill it with `ntl fetch <manifest> --for <pipeline.yaml> --data-dir DIR`',
  },
  out: { type: 'string', arg: '<dir>', default: "the pipeline's outputs.dir, relative to the pipeline file", help: 'output folder' },
  threads: { type: 'string', arg: '<n>', default: 'all cores', help: 'decoder threads per raster (never changes a result)' },
  'band-rows': {
    type: 'string',
    arg: '<R>',
    default: '8192, whole blocks',
    help: 'rows per work unit of a raster; must be the same for every shard, the merge and a single-machine run that should match them',
  },
  plan: { type: 'boolean', group: 'Scale-out', help: 'list the units (series × period × row band) with covered cells and compressed bytes read' },
  shards: { type: 'string', arg: '<N>', group: 'Scale-out', help: "with --plan: also show the shard of each unit and each shard's total cost" },
  shard: {
    type: 'string',
    arg: '<i/N>',
    group: 'Scale-out',
    help: 'run shard i (1..N) only, into DIR/.shards (then: ntl merge); the assignment is deterministic and balanced by cost',
  },
  quiet: { type: 'boolean', help: 'no progress output' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const RUN_HELP = commandHelp(
  `ntl run — run a pipeline (pipelines/*.yaml): verify inputs, zonal statistics per year, panel outputs

Usage:
  ntl run <pipeline.yaml> [--data-dir DIR] [--out DIR] [--threads n] [--quiet]
  ntl run <pipeline.yaml> --plan [--shards N]        print the work units and their estimated cost
  ntl run <pipeline.yaml> --shard i/N                 compute only shard i of N into DIR/.shards (then: ntl merge)`,
  RUN_FLAGS,
  `Outputs: panel.{csv,parquet,dta} (and panel_wide.* when outputs.wide), maps/*.png (outputs.maps), run.json.
A rerun reuses cached per-year results under DIR/.cache and recomputes only what changed.
One command at a time writes an output folder: a second run (or merge, panel, report) into the same folder fails at
once naming the holder (DIR/.ntl-lock); a lock left by a killed run is reclaimed with a warning. Outputs are staged
and published as one set (report.html and tables/ included), and never over an input file.
Raster entries with \`access: remote\` are read in place over HTTP (only the blocks the boundaries touch);
their size and any recorded etag / last_modified are checked first (data-manifests/README.md).
`,
);

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
