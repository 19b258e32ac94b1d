/**
 * The pipeline runner: lock the output folder, run the stages of stage-list.ts in order over one context
 * (context.ts) — timing, progress and cache counts are handled here, in the loop — then publish every file,
 * run.json and the report included, atomically as one set (commit-outputs.ts). README.md lists the stages.
 */
import { join } from 'node:path';
import type { Table } from '../output/table.js';
import { withFolderLock } from '../output/folder-lock.js';
import { assertOutputsAreNotInputs, type GuardInput } from '../safety/outputs.js';
import { ResultCache } from './cache.js';
import { commitOutputs, removeStaleStaging } from './commit-outputs.js';
import { need, type RunContext, type RunOptions } from './context.js';
import type { PanelPlan } from './plan/types.js';
import { stageProgress } from './progress.js';
import { stageReport } from './report-stage.js';
import { runJson, zonalCacheUse, type Timing } from './run-json.js';
import { STAGES } from './stage-list.js';
import { planFiles } from './stages/verify-stage.js';
import { remoteTraffic } from '../raster/http-source.js';

export type { RunOptions } from './context.js';

export interface RunSummary {
  readonly outDir: string;
  readonly files: readonly string[];
  readonly warnings: readonly string[];
  readonly cache: { readonly hits: number; readonly misses: number };
  readonly panel: Table;
}

/**
 * Run a plan into its output folder: the folder is locked for the whole run (a second run into it fails at
 * once, naming this one), and every output — report included — is published as one staged set.
 */
export async function runPlan(pinnedPlan: PanelPlan, opts: RunOptions = {}): Promise<RunSummary> {
  const outDir = pinnedPlan.outputs.dir;
  // Fail fast on the outputs every run writes; the whole set is checked again before it is staged.
  assertOutputsAreNotInputs(
    commandName(opts),
    [{ flag: 'the output folder', path: outDir, folderFiles: [...pinnedPlan.outputs.formats.map((f) => `panel.${f}`), 'run.json'] }],
    guardInputs(pinnedPlan),
  );
  const lockWarnings: string[] = [];
  // A run that fails before writing anything leaves no empty output folder behind (withFolderLock removes it).
  return withFolderLock(outDir, { command: opts.command, outFlag: opts.outFlag ?? '--out', warn: (m) => lockWarnings.push(m) }, async () => {
    await removeStaleStaging(outDir);
    const summary = await runLocked(pinnedPlan, opts);
    return { ...summary, warnings: [...lockWarnings, ...summary.warnings] };
  });
}

async function runLocked(pinned: PanelPlan, opts: RunOptions): Promise<RunSummary> {
  const outDir = pinned.outputs.dir;
  const ctx: RunContext = {
    pinned,
    opts,
    cache: new ResultCache(join(outDir, '.cache')),
    warnings: [...pinned.warnings],
    files: [],
    cacheUse: {},
    traffic0: remoteTraffic(),
    remoteSeen: new Map(),
    plan: pinned,
    calibration: [],
    harmonisation: null,
  };
  const timings: Timing[] = [];
  for (const stage of STAGES) {
    if (!stage.enabled(pinned, opts)) continue;
    const t0 = performance.now();
    const bar = stage.progress ? stageProgress(opts.progress ?? null, stage.name, stage.progress(ctx)) : null;
    const outcome = await stage.run(ctx, () => bar?.tick());
    if (outcome?.cache) ctx.cacheUse[stage.name] = outcome.cache;
    bar?.done(outcome?.cache ? `${outcome.cache.hits} from cache` : undefined);
    if (stage.timed !== false) timings.push({ stage: stage.name, seconds: Math.round(performance.now() - t0) / 1000 });
  }
  const files = [...ctx.files, { rel: 'run.json', data: runJson(ctx, timings) }];
  const command = commandName(opts);
  const inputs = guardInputs(pinned);
  assertOutputsAreNotInputs(command, [{ flag: 'the output folder', path: outDir, folderFiles: files.map((f) => f.rel) }], inputs);
  // The report (and its tables) is built from the staged files and published in the same set: a run killed while
  // publishing never leaves an old report beside new results.
  const written = await commitOutputs(outDir, files, {
    stageMore: ctx.plan.outputs.report
      ? async (staging) => {
          const report = await stageReport(outDir, staging);
          assertOutputsAreNotInputs(command, [{ flag: 'the output folder', path: outDir, folderFiles: report.map((f) => f.rel) }], inputs);
          return report;
        }
      : undefined,
  });
  return { outDir, files: written, warnings: ctx.warnings, cache: zonalCacheUse(ctx), panel: need(ctx, 'panel') };
}

/** The command name for messages: "run" from "ntl run x.yaml". */
function commandName(opts: RunOptions): string {
  return /^ntl\s+(\S+)/.exec(opts.command ?? '')?.[1] ?? 'run';
}

/** The plan's input files, named for the output guard. */
function guardInputs(plan: PanelPlan): GuardInput[] {
  return planFiles(plan)
    .filter((f) => !f.remote)
    .map((f) => ({ flag: `entry ${f.id}`, path: f.file }));
}
