/** run.json: what a run read, computed and wrote — tool, pipeline, inputs, settings, series, cache use, records, outputs, timings, warnings. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createHash } from 'node:crypto';
import type { RunContext } from './context.js';
import { seriesDescriptions } from './stages/maps-stage.js';
import { planFiles } from './stages/verify-stage.js';
import { remoteInputRecord, trafficSince } from './remote-inputs.js';
import { safeUrl } from '../fetch/http.js';

const TOOL_VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

export interface Timing {
  readonly stage: string;
  readonly seconds: number;
}

/** The zonal stage's cache use (run.json `cache`, the run summary). */
export function zonalCacheUse(ctx: RunContext): { hits: number; misses: number } {
  const z = ctx.cacheUse.zonal ?? { hits: 0, misses: 0 };
  return { hits: z.hits, misses: z.misses };
}

/** run.json's text for the run in `ctx` after its stages ran (`ctx.files` are the outputs it lists). */
export function runJson(ctx: RunContext, timings: readonly Timing[]): string {
  const { plan, harmonisation } = ctx;
  const settings = plan.zonal;
  // readable label and unit of every series (maps/units.ts), for run.json and the report
  const described = seriesDescriptions(plan);
  const maps = ctx.cacheUse.maps;
  const fetched = trafficSince(ctx.traffic0);
  const record = {
    tool: { name: 'ntl-pipeline', version: TOOL_VERSION, node: process.version },
    pipeline: { name: plan.name, origin: plan.origin, settings_hash: plan.settingsHash },
    inputs: planFiles(ctx.pinned).map((f) =>
      f.remote
        ? remoteInputRecord(f, ctx.remoteSeen.get(f.file), fetched.get(safeUrl(f.file)))
        : { id: f.id, file: relative(process.cwd(), f.file), sha256: f.sha256, size: f.size },
    ),
    zonal: { stats: settings.stats.map((s) => s.column), rule: settings.rule, nodata_as_zero: settings.nodataAsZero, lit_threshold: settings.litThreshold },
    years: plan.years,
    series: [
      ...plan.series.map((s) => ({
        name: s.name,
        sensor: s.sensor,
        ...(s.product ? { product: s.product } : {}),
        ...labelOf(described, s.name),
        periods: s.inputs.length,
      })),
      ...(plan.harmonise?.level === 'district' && harmonisation
        ? [
            {
              name: plan.harmonise.name,
              sensor: 'harmonised',
              harmonised_from: plan.harmonise.from,
              harmonised_to: plan.harmonise.to,
              ...labelOf(described, plan.harmonise.name),
              periods: plan.series.find((s) => s.name === plan.harmonise!.from)?.inputs.length ?? 0,
            },
          ]
        : []),
    ],
    cache: { ...zonalCacheUse(ctx), ...(maps ? { maps: { reused: maps.hits, rendered: maps.misses } } : {}) },
    ...(ctx.calibration.length ? { calibration: ctx.calibration } : {}),
    ...(harmonisation ? { harmonisation } : {}),
    ...(ctx.inequality ? { inequality: ctx.inequality.record } : {}),
    outputs: ctx.files.map((f) => ({
      file: f.rel,
      bytes: typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.byteLength,
      sha256: createHash('sha256').update(f.data).digest('hex'),
    })),
    timings,
    warnings: ctx.warnings,
  };
  return JSON.stringify(record, null, 2) + '\n';
}

function labelOf(list: readonly { name: string; label: string; unit: string | null }[], name: string): { label?: string; unit?: string } {
  const d = list.find((x) => x.name === name);
  return d ? { label: d.label, ...(d.unit ? { unit: d.unit } : {}) } : {};
}
