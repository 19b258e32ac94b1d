/** `ntl run <pipeline.yaml>`: regenerate a panel from a declarative pipeline. */
import { resolve } from 'node:path';
import { NtlError } from '../errors.js';
import { loadPipelineSpec } from '../pipeline/spec.js';
import { loadResolvedPipeline } from '../pipeline/resolve.js';
import { planFromResolved } from '../pipeline/plan.js';
import { runPlan } from '../pipeline/runner.js';
import { optionalNumber, parseFlags } from './args.js';
import type { CommandIo } from './zonal-command.js';
import { printRunSummary, progressSink } from './run-output.js';

export const RUN_HELP = `ntl run — run a pipeline (pipelines/*.yaml): verify inputs, zonal statistics per year, panel outputs

Usage:
  ntl run <pipeline.yaml> [--out DIR] [--threads n] [--quiet]

Options:
  --out DIR      output folder (default: the pipeline's outputs.dir, relative to the pipeline file)
  --threads n    decoder threads per raster (default: all cores)
  --quiet        no progress output
Outputs: panel.{csv,parquet,dta} (and panel_wide.* when outputs.wide), maps/*.png (outputs.maps), run.json.
A rerun reuses cached per-year results under DIR/.cache and recomputes only what changed.
`;

const FLAGS = {
  out: { type: 'string' },
  threads: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('run', argv, FLAGS);
  if (values.help) {
    io.stdout(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new NtlError('ntl run: give exactly one pipeline file, e.g. `ntl run pipelines/hunan-demo.yaml`');
  const threads = optionalNumber('run', values, 'threads', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const spec = await loadPipelineSpec(positionals[0]!);
  const plan = planFromResolved(await loadResolvedPipeline(spec));
  const withOut = typeof values.out === 'string' ? { ...plan, outputs: { ...plan.outputs, dir: resolve(values.out) } } : plan;
  const summary = await runPlan(withOut, { threads, progress: values.quiet ? null : progressSink(io) });
  printRunSummary(summary, io);
  return 0;
}
