/**
 * The pipeline runner: the one module that knows the stage order.
 *   verify inputs → read boundaries → hierarchy → zonal per (series, period) [cached, p-limit] →
 *   panel assembly (→ crosswalk) → outputs (panel formats, wide, maps) → publish + run.json
 * Stages exchange plain data; every file is published atomically as a set (commit-outputs.ts).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { NtlError } from '../errors.js';
import { PreparedZones } from '../jobs/zonal-job.js';
import { encodePanel } from '../output/panel-writers.js';
import { longToWide } from '../output/wide.js';
import type { Table } from '../output/table.js';
import { assemblePanel, unitsFromHierarchy } from '../panel/assemble.js';
import { applyCrosswalk, loadCrosswalk, type PanelRecord } from '../panel/crosswalk.js';
import { buildHierarchy, unitsFromZones } from '../panel/hierarchy.js';
import { readZones } from '../vector/index.js';
import type { ZoneSet } from '../vector/types.js';
import { ResultCache } from './cache.js';
import { commitOutputs, removeStaleStaging, type OutputFile } from './commit-outputs.js';
import type { PanelPlan } from './plan.js';
import { stageProgress, type ProgressSink } from './progress.js';
import { zonalCacheKey, zonalForInput, type ZonalStageContext } from './stages/zonal-stage.js';
import { bandsFor, periodTasks, type PeriodTask } from './shard-units.js';
import { DEFAULT_BAND_ROWS } from './shard-bands.js';
import { allUnits, checkAllUnits, computeUnits, filePartials, missingUnits, shardStore } from './shard-run.js';
import { assignShards, type ShardId } from './shard-assign.js';
import type { WorkUnit } from './shard-units.js';
import { verifyPlanInputs, planFiles } from './verify-inputs.js';
import { observeRemoteInputs, remoteInputRecord, trafficSince, withRemoteVersions } from './remote-inputs.js';
import { remoteTraffic } from '../raster/http-source.js';
import { safeUrl } from '../fetch/http.js';
import { renderMaps, seriesDescriptions } from './stages/maps-stage.js';
import { addGap, inequalityTable, spatialOutputs } from './stages/analysis-stage.js';
import { runEstimates } from './stages/estimate-stage.js';
import { harmonisePanel } from './stages/harmonise-stage.js';
import { selectUnits } from './stages/units-stage.js';
import { materialiseCalibration, needsMaterialising } from './stages/materialise-stage.js';
import { harmonisePixels } from './stages/harmonise-pixel-stage.js';
import { addSaturation, wantsSaturation } from './stages/saturation-stage.js';

export interface RunOptions {
  readonly progress?: ProgressSink | null;
  readonly threads?: number;
  /** Rows per work unit (row band) of a raster; part of every cache and shard key (default DEFAULT_BAND_ROWS). */
  readonly bandRows?: number;
  /** `ntl merge`: take every unit's partial from DIR/.shards (all must be there) instead of computing it. */
  readonly fromShards?: boolean;
}

export interface RunSummary {
  readonly outDir: string;
  readonly files: readonly string[];
  readonly warnings: readonly string[];
  readonly cache: { readonly hits: number; readonly misses: number };
  readonly panel: Table;
}

const TOOL_VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

export async function runPlan(verifiedPlan: PanelPlan, opts: RunOptions = {}): Promise<RunSummary> {
  const sink = opts.progress ?? null;
  const timings: { stage: string; seconds: number }[] = [];
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    timings.push({ stage, seconds: Math.round(performance.now() - t0) / 1000 });
    return out;
  };
  const warnings: string[] = [...verifiedPlan.warnings];
  const outDir = verifiedPlan.outputs.dir;
  await removeStaleStaging(outDir);

  const traffic0 = remoteTraffic();
  const remoteSeen = await timed('verify', async () => {
    const files = planFiles(verifiedPlan);
    const p = stageProgress(sink, 'verify', files.length);
    const seen = await verifyPlanInputs(verifiedPlan, () => p.tick());
    p.done();
    return seen;
  });
  // remote rasters: the version each server reported becomes part of every cache key
  const pinnedPlan = withRemoteVersions(verifiedPlan, remoteSeen);
  // Steps that read other rasters, the whole grid or every year write calibrated rasters first; `plan` reads those.
  const calibrated = needsMaterialising(pinnedPlan)
    ? await timed('calibrate', async () => {
        const p = stageProgress(sink, 'calibrate', pinnedPlan.series.reduce((n, s) => n + s.inputs.length, 0));
        const r = await materialiseCalibration(pinnedPlan, { threads: opts.threads, onDone: () => p.tick() });
        p.done(`${r.records.filter((x) => x.cached).length} from cache`);
        return r;
      })
    : { plan: pinnedPlan, records: [] };
  // Pixel-level harmonisation fits on the calibrated rasters and adds its series before zonal statistics.
  const pixelHarmonised = pinnedPlan.harmonise?.level === 'pixel' ? await timed('harmonise', () => harmonisePixels(calibrated.plan, opts.threads)) : null;
  const plan = pixelHarmonised?.plan ?? calibrated.plan;

  const zoneSet = await timed('boundaries', () => readBoundaries(plan));
  warnings.push(...zoneSet.warnings);

  const hierarchy = buildHierarchy(
    unitsFromZones(zoneSet.zones, { name: plan.boundaries.nameField, parent: plan.boundaries.parentField, province: plan.boundaries.provinceField }),
  );
  if (hierarchy.unplaced.length > 0) {
    const list = hierarchy.unplaced.slice(0, 5).map((u) => `${u.id} (${u.reason})`).join('; ');
    warnings.push(`${hierarchy.unplaced.length} unit(s) could not be placed in the county → prefecture → province hierarchy; their parent_id/province_id are empty: ${list}${hierarchy.unplaced.length > 5 ? '; …' : ''}`);
  }

  const zones = new PreparedZones(zoneSet);
  const settings = plan.zonal;
  let hits = 0;
  const tasks = periodTasks(plan);
  const base = zonalContext(plan, zones, opts);
  const store = shardStore(outDir);
  if (opts.fromShards) await timed('shards', () => checkAllUnits(plan, zones, base, store, opts.bandRows ?? DEFAULT_BAND_ROWS));
  const zonalPeriods = await timed('zonal', async () => {
    const p = stageProgress(sink, 'zonal', tasks.length);
    const limit = pLimit(Math.max(1, plan.concurrency));
    const results = await Promise.all(
      tasks.map((t) =>
        limit(async () => {
          // One code path: every period is its row-band units merged in band order — computed here, or read
          // from the shard folder by `ntl merge` — so a single-machine run and merge(any N shards) agree bitwise.
          const ctx: ZonalStageContext = {
            ...base,
            zonalOfSource: async (source, _f, fileIndex) => {
              const { bands } = bandsFor(source.info, zones, plan, opts.bandRows ?? DEFAULT_BAND_ROWS);
              return filePartials(source, bands, { plan, zones, periodKey: periodKeyOf(t, base), fileIndex, label: `${t.series} ${t.input.year}`, store: opts.fromShards ? store : null });
            },
          };
          const r = await zonalForInput(t.series, t.input, ctx);
          if (r.cached) hits++;
          p.tick();
          return r.stats;
        }),
      ),
    );
    p.done(`${hits} from cache`);
    return results;
  });
  for (const r of zonalPeriods) warnings.push(...r.warnings);
  // DMSP-OLS series always get saturated_share (raw DN ≥ 63), whatever their calibration
  const periods = wantsSaturation(pinnedPlan) ? await timed('saturation', () => addSaturation(zonalPeriods, pinnedPlan, zones, base.cache, opts.threads)) : zonalPeriods;

  const names = new Map(zoneSet.zones.map((z) => [z.id, nameOf(z.attributes, plan.boundaries.nameField)]));
  let panel = assemblePanel(unitsFromHierarchy(hierarchy.units, names, zoneSet.zones.map((z) => z.id)), periods);
  if (plan.crosswalk) panel = await timed('crosswalk', () => harmonise(panel, plan, warnings));

  const harmonised = plan.harmonise?.level === 'district' ? await timed('harmonise', async () => harmonisePanel(panel, plan, warnings)) : null;
  if (harmonised) panel = harmonised.table;
  const harmonisation = harmonised?.record ?? pixelHarmonised?.record ?? null;

  panel = addGap(panel, plan, warnings);
  const inequalityStage = plan.inequality ? await timed('inequality', async () => inequalityTable(panel, plan, warnings)) : null;
  const inequality = inequalityStage?.table ?? null;
  const spatial = plan.spatial ? await timed('spatial', () => spatialOutputs(zoneSet, plan, warnings)) : null;

  let estimates: OutputFile[] = [];
  if (plan.estimate) {
    const base = plan.estimate.level === 'county' ? panel : inequality;
    if (!base) throw new NtlError(`${plan.origin}: prefecture-level estimation needs the inequality section`);
    estimates = await timed('estimate', () => runEstimates(plan, base, spatial?.exposure ?? null, warnings, opts.threads));
  }

  const files: OutputFile[] = [...estimates];
  if (harmonisation) files.push({ rel: 'harmonisation.json', data: JSON.stringify(harmonisation, null, 2) + '\n' });
  await timed('encode', async () => {
    if (inequality) {
      for (const format of plan.outputs.formats) files.push({ rel: `inequality.${format}`, data: encodePanel(inequality, format, { label: `${plan.name}: inequality by group and year` }) });
    }
    if (spatial) {
      files.push(...spatial.files);
      if (spatial.exposure) {
        for (const format of plan.outputs.formats) files.push({ rel: `exposure.${format}`, data: encodePanel(spatial.exposure, format, { label: `${plan.name}: exposure to treated neighbours` }) });
      }
    }
    for (const format of plan.outputs.formats) {
      files.push({ rel: `panel.${format}`, data: encodePanel(panel, format, { label: `${plan.name}: county x year night-light panel` }) });
    }
    if (plan.outputs.wide) {
      const statNames = panel.columns.slice(panel.columns.findIndex((c) => c.name === 'source') + 1).map((c) => c.name);
      const wide = longToWide(panel, { id: ['unit_id', 'source'], time: 'year', values: statNames });
      for (const format of plan.outputs.formats) files.push({ rel: `panel_wide.${format}`, data: encodePanel(wide, format, { label: `${plan.name}: wide panel` }) });
    }
  });
  let mapCounts: { reused: number; rendered: number } | null = null;
  if (plan.outputs.maps) {
    await timed('maps', async () => {
      const p = stageProgress(sink, 'maps', tasks.length);
      const m = await renderMaps(plan, zoneSet, zones, periods, () => p.tick(), panel);
      files.push(...m.files);
      mapCounts = { reused: m.reused, rendered: m.rendered };
      p.done(`${m.reused} from cache`);
    });
  }
  // readable label and unit of every series (maps/units.ts), for run.json and the report
  const described = seriesDescriptions(plan);

  const fetched = trafficSince(traffic0);
  const runJson = {
    tool: { name: 'ntl-pipeline', version: TOOL_VERSION, node: process.version },
    pipeline: { name: plan.name, origin: plan.origin, settings_hash: plan.settingsHash },
    inputs: planFiles(pinnedPlan).map((f) =>
      f.remote
        ? remoteInputRecord(f, remoteSeen.get(f.file), fetched.get(safeUrl(f.file)))
        : { id: f.id, file: relative(process.cwd(), f.file), sha256: f.sha256, size: f.size },
    ),
    zonal: { stats: settings.stats.map((s) => s.column), rule: settings.rule, nodata_as_zero: settings.nodataAsZero, lit_threshold: settings.litThreshold },
    years: plan.years,
    series: [
      ...plan.series.map((s) => ({ name: s.name, sensor: s.sensor, ...(s.product ? { product: s.product } : {}), ...labelOf(described, s.name), periods: s.inputs.length })),
      ...(plan.harmonise?.level === 'district' && harmonised ? [{ name: plan.harmonise.name, sensor: 'harmonised', harmonised_from: plan.harmonise.from, harmonised_to: plan.harmonise.to, ...labelOf(described, plan.harmonise.name), periods: plan.series.find((s) => s.name === plan.harmonise!.from)?.inputs.length ?? 0 }] : []),
    ],
    cache: { hits, misses: tasks.length - hits, ...(mapCounts ? { maps: mapCounts } : {}) },
    ...(calibrated.records.length ? { calibration: calibrated.records } : {}),
    ...(harmonisation ? { harmonisation } : {}),
    ...(inequalityStage ? { inequality: inequalityStage.record } : {}),
    outputs: files.map((f) => ({ file: f.rel, bytes: typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.byteLength, sha256: createHash('sha256').update(f.data).digest('hex') })),
    timings,
    warnings,
  };
  files.push({ rel: 'run.json', data: JSON.stringify(runJson, null, 2) + '\n' });
  const written = await commitOutputs(outDir, files);
  if (plan.outputs.report) {
    // The report reads the published folder (panel, maps, estimates, run.json); loaded on demand.
    const { writeReport } = await import('../report/index.js');
    written.push(...(await writeReport(outDir)));
  }
  return { outDir, files: written, warnings, cache: { hits, misses: tasks.length - hits }, panel };
}

function labelOf(list: readonly { name: string; label: string; unit: string | null }[], name: string): { label?: string; unit?: string } {
  const d = list.find((x) => x.name === name);
  return d ? { label: d.label, ...(d.unit ? { unit: d.unit } : {}) } : {};
}

export interface WorkPlan {
  readonly units: readonly WorkUnit[];
  /** Shard (1-based) of each unit when a shard count was given. */
  readonly shardOf: readonly number[] | null;
  /** Units without a result in DIR/.shards (only when asked). */
  readonly missing: readonly WorkUnit[] | null;
}

/**
 * `--plan`: boundaries → units with cost estimates (raster headers only; no input is hashed) — except that a plan
 * with written calibration steps or a pixel-level fit first writes (or reuses) those rasters: units are laid out on them.
 */
export async function planWork(pinnedPlan: PanelPlan, opts: Pick<RunOptions, 'threads' | 'bandRows'> & { readonly shards?: number; readonly checkStore?: boolean } = {}): Promise<WorkPlan> {
  const plan = await rasterPlan(await observeRemoteInputs(pinnedPlan), opts.threads);
  const zones = new PreparedZones(await readBoundaries(plan));
  const units = await allUnits(plan, zones, zonalContext(plan, zones, opts), opts.bandRows ?? DEFAULT_BAND_ROWS);
  const missing = opts.checkStore ? await missingUnits(units, shardStore(plan.outputs.dir)) : null;
  return { units, shardOf: opts.shards ? assignShards(units.map((u) => u.cost), opts.shards) : null, missing };
}

export interface ShardSummary {
  readonly shard: ShardId;
  readonly units: number;
  readonly computed: number;
  readonly reused: number;
  readonly totalUnits: number;
}

/**
 * `--shard i/N`: boundaries → units → this shard's units (balanced assignment) → verify the boundaries and
 * this shard's input files → compute the units not yet in DIR/.shards, each written atomically.
 */
export async function runShard(verifiedPlan: PanelPlan, shard: ShardId, opts: RunOptions = {}): Promise<ShardSummary> {
  const sink = opts.progress ?? null;
  // remote rasters: the versions their servers report are part of the unit keys, as in runPlan (and `ntl merge`)
  const pinnedPlan = await observeRemoteInputs(verifiedPlan);
  // Calibrated rasters (and a pixel-level fit) read every year's inputs: verify all of them first, then every shard
  // writes (or reuses) the same calibrated rasters — keyed by content, written by atomic rename. Otherwise only this
  // shard's own input files are verified.
  const readsAll = needsMaterialising(pinnedPlan) || pinnedPlan.harmonise?.level === 'pixel';
  if (readsAll) {
    const pv = stageProgress(sink, 'verify', planFiles(pinnedPlan).length);
    await verifyPlanInputs(pinnedPlan, () => pv.tick());
    pv.done();
  }
  const plan = await rasterPlan(pinnedPlan, opts.threads);
  const zones = new PreparedZones(await readBoundaries(plan));
  const units = await allUnits(plan, zones, zonalContext(plan, zones, opts), opts.bandRows ?? DEFAULT_BAND_ROWS);
  const shardOf = assignShards(units.map((u) => u.cost), shard.count);
  const own = units.filter((_, i) => shardOf[i] === shard.index);
  if (!readsAll) {
    const ownInputs = new Set(own.map((u) => u.input));
    const sub: PanelPlan = { ...plan, series: plan.series.map((s) => ({ ...s, inputs: s.inputs.filter((i) => ownInputs.has(i)) })) };
    const pv = stageProgress(sink, 'verify', planFiles(sub).length);
    await verifyPlanInputs(sub, () => pv.tick());
    pv.done();
  }
  const p = stageProgress(sink, `shard ${shard.index}/${shard.count}`, own.length);
  const r = await computeUnits(own, { plan, zones, threads: opts.threads, store: shardStore(plan.outputs.dir), shard: `${shard.index}/${shard.count}` }, () => p.tick());
  p.done(`${r.reused} already done`);
  return { shard, units: own.length, computed: r.computed, reused: r.reused, totalUnits: units.length };
}

/** The plan the zonal stage reads: calibrated rasters written (or reused) and the pixel-harmonised series added. */
async function rasterPlan(pinnedPlan: PanelPlan, threads?: number): Promise<PanelPlan> {
  const plan = (await materialiseCalibration(pinnedPlan, { threads })).plan;
  return (await harmonisePixels(plan, threads))?.plan ?? plan;
}

/** The zonal stage's context for a plan (shared by runs, shards and merges, so their keys agree). */
export function zonalContext(plan: PanelPlan, zones: PreparedZones, opts: Pick<RunOptions, 'threads' | 'bandRows'>): ZonalStageContext {
  return {
    zones,
    boundaries: plan.boundaries,
    settings: plan.zonal,
    cache: new ResultCache(join(plan.outputs.dir, '.cache')),
    threads: opts.threads,
    // The unit selection changes which zones a result holds, so it is part of every cache and shard key.
    keyExtra: { bandRows: opts.bandRows ?? DEFAULT_BAND_ROWS, ...(plan.boundaries.units === 'mainland' ? { units: 'mainland' } : {}) },
  };
}

export function periodKeyOf(t: PeriodTask, base: ZonalStageContext): string {
  return zonalCacheKey(t.input, base);
}

export async function readBoundaries(plan: PanelPlan): Promise<ZoneSet> {
  const b = plan.boundaries;
  const set = await readZones(b.file.file, { idField: b.idField, encoding: b.encoding, crs: b.crs });
  const missing = [b.nameField, b.parentField, b.provinceField].filter((f): f is string => f !== undefined && !set.fields.includes(f));
  if (missing.length > 0) {
    throw new NtlError(
      `${b.file.file} has no field ${missing.map((m) => `"${m}"`).join(', ')} (named in ${plan.origin}); available fields: ${set.fields.join(', ')}; fix the boundaries field names`,
    );
  }
  return selectUnits(set, b);
}

function nameOf(attrs: Readonly<Record<string, unknown>>, field: string | undefined): string | null {
  if (!field) return null;
  const v = attrs[field];
  return v === null || v === undefined ? null : String(v);
}

const MUNICIPALITY_PREFIXES = ['11', '12', '31', '50'];

/** Re-code units to the target vintage (merges add additive statistics; means are recomputed). */
async function harmonise(panel: Table, plan: PanelPlan, warnings: string[]): Promise<Table> {
  const xw = await loadCrosswalk(plan.crosswalk!.file.file, plan.crosswalk!.file.id);
  const n = panel.columns[0]!.values.length;
  const records: PanelRecord[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, string | number | null> = {};
    for (const c of panel.columns) rec[c.name] = c.values[i] ?? null;
    records.push(rec as PanelRecord);
  }
  const names = new Set(panel.columns.map((c) => c.name));
  const sumColumns = ['count', 'sum', 'lit_count', 'nodata_count', 'area_km2', 'cell_area_sum_km2', 'weighted_sum'].filter((c) => names.has(c));
  const meanColumns = names.has('mean') && names.has('sum') && names.has('count') ? [{ column: 'mean', sum: 'sum', count: 'count' }] : [];
  const result = applyCrosswalk(records, xw, { targetVintage: plan.crosswalk!.targetVintage, sumColumns, meanColumns, keyColumns: ['source', ...(names.has('month') ? ['month'] : [])], sourceVintage: plan.crosswalk!.sourceVintage });
  warnings.push(...result.warnings);
  // Re-coded units take their prefecture and province from the new code (GB/T 2260 structure).
  const original = new Set(records.map((r) => r.unit_id));
  const knownParents = new Set(records.map((r) => r.parent_id).filter((p): p is string => typeof p === 'string'));
  const parentOf = (code: string): { parent: string | null; province: string } => {
    const province = `${code.slice(0, 2)}0000`;
    if (knownParents.has(province) && MUNICIPALITY_PREFIXES.includes(code.slice(0, 2))) return { parent: province, province };
    if (code.slice(2, 4) === '90') return { parent: code, province };
    const pref = `${code.slice(0, 4)}00`;
    return { parent: knownParents.has(pref) ? pref : null, province };
  };
  const unplaced = new Set<string>();
  const rows: Record<string, string | number | null>[] = result.records.map((r) => {
    if (original.has(r.unit_id)) return { ...r };
    const { parent, province } = parentOf(r.unit_id);
    if (parent === null) unplaced.add(r.unit_id);
    return { ...r, parent_id: parent, province_id: province };
  });
  if (unplaced.size > 0) warnings.push(`crosswalk: new code(s) ${[...unplaced].slice(0, 5).join(', ')} have no known prefecture in the panel; parent_id left empty`);
  const key = (r: Record<string, string | number | null>) => [String(r.unit_id), Number(r.year), Number(r.month ?? 0), String(r.source)] as const;
  rows.sort((a, b) => {
    const [ua, ya, ma, sa] = key(a);
    const [ub, yb, mb, sb] = key(b);
    return (ua < ub ? -1 : ua > ub ? 1 : 0) || ya - yb || ma - mb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
  return {
    columns: panel.columns.map((c) =>
      c.type === 'string'
        ? { ...c, values: rows.map((r) => (r[c.name] as string | null) ?? null) }
        : { ...c, values: rows.map((r) => (r[c.name] as number | null) ?? null) },
    ),
  };
}
