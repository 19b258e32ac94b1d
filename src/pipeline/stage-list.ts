/**
 * The stages of a run, in order: the runner (runner.ts) loops over this list — skips a stage unless `enabled`, times
 * it, draws its progress and records its cache use. Each entry only moves data between the run context (context.ts)
 * and one stage module (stages/). Adding a stage is one entry here (and its field in RunContext, if it produces one).
 */
import { NtlError } from '../errors.js';
import { PreparedZones } from '../jobs/zonal-job.js';
import { need, type Stage } from './context.js';
import { DEFAULT_BAND_ROWS } from './shard/bands.js';
import { checkAllUnits, shardStore } from './shard/run.js';
import { periodTasks } from './shard/units.js';
import { addGap, inequalityTable, spatialOutputs } from './stages/analysis-stage.js';
import { readBoundaries } from './stages/boundaries-stage.js';
import { crosswalkPanel } from './stages/crosswalk-stage.js';
import { encodeOutputs } from './stages/encode-stage.js';
import { runEstimates } from './stages/estimate-stage.js';
import { harmonisePixels } from './stages/harmonise-pixel-stage.js';
import { harmonisePanel } from './stages/harmonise-stage.js';
import { unitHierarchy } from './stages/hierarchy-stage.js';
import { renderMaps } from './stages/maps-stage.js';
import { materialiseCalibration, needsMaterialising } from './stages/materialise-stage.js';
import { panelOf } from './stages/panel-stage.js';
import { addSaturation, wantsSaturation } from './stages/saturation-stage.js';
import { planFiles, verifyPlanInputs } from './stages/verify-stage.js';
import { withRemoteVersions } from './remote-inputs.js';
import { zonalContext, zonalPeriods } from './stages/zonal-periods.js';

const always = (): boolean => true;

export const STAGES: readonly Stage[] = [
  // every input file byte-identical to its manifest record; remote rasters: size and recorded version as the server reports them
  {
    name: 'verify',
    enabled: always,
    progress: (c) => planFiles(c.pinned).length,
    run: async (c, tick) => {
      c.remoteSeen = await verifyPlanInputs(c.pinned, tick);
      // the version each server reported becomes part of every cache key
      c.pinned = c.plan = withRemoteVersions(c.pinned, c.remoteSeen);
    },
  },
  // steps that read other rasters, the whole grid or every year write calibrated rasters; the plan reads those
  {
    name: 'calibrate',
    enabled: (plan) => needsMaterialising(plan),
    progress: (c) => c.pinned.series.reduce((n, s) => n + s.inputs.length, 0),
    run: async (c, tick) => {
      const r = await materialiseCalibration(c.pinned, { threads: c.opts.threads, onDone: tick });
      c.plan = r.plan;
      c.calibration = r.records;
      const hits = r.records.filter((x) => x.cached).length;
      return { cache: { hits, misses: r.records.length - hits } };
    },
  },
  // pixel level: fit on the calibrated rasters and add the harmonised series before zonal statistics
  {
    name: 'harmonise',
    enabled: (plan) => plan.harmonise?.level === 'pixel',
    run: async (c) => {
      const r = await harmonisePixels(c.plan, c.opts.threads);
      if (r) [c.plan, c.harmonisation] = [r.plan, r.record];
    },
  },
  {
    name: 'boundaries',
    enabled: always,
    run: async (c) => {
      c.zoneSet = await readBoundaries(c.plan);
      c.zones = new PreparedZones(c.zoneSet);
      c.warnings.push(...c.zoneSet.warnings);
    },
  },
  {
    name: 'hierarchy',
    timed: false,
    enabled: always,
    run: async (c) => {
      c.hierarchy = unitHierarchy(need(c, 'zoneSet'), c.plan.boundaries, c.warnings);
    },
  },
  // `ntl merge`: every work unit in DIR/.shards, or one error naming the missing ones
  {
    name: 'shards',
    enabled: (_plan, opts) => opts.fromShards === true,
    run: (c) =>
      checkAllUnits(
        c.plan,
        need(c, 'zones'),
        zonalContext(c.plan, need(c, 'zones'), c.opts, c.cache),
        shardStore(c.plan.outputs.dir),
        c.opts.bandRows ?? DEFAULT_BAND_ROWS,
      ),
  },
  {
    name: 'zonal',
    enabled: always,
    progress: (c) => periodTasks(c.plan).length,
    run: async (c, tick) => {
      const r = await zonalPeriods(c.plan, zonalContext(c.plan, need(c, 'zones'), c.opts, c.cache), c.opts, tick);
      c.periods = r.periods;
      for (const p of r.periods) c.warnings.push(...p.warnings);
      return { cache: { hits: r.hits, misses: r.periods.length - r.hits } };
    },
  },
  // DMSP-OLS series always get saturated_share (raw DN ≥ 63), whatever their calibration
  {
    name: 'saturation',
    enabled: (plan) => wantsSaturation(plan),
    run: async (c) => {
      c.periods = await addSaturation(need(c, 'periods'), c.pinned, need(c, 'zones'), c.cache, c.opts.threads);
    },
  },
  {
    name: 'panel',
    timed: false,
    enabled: always,
    run: async (c) => {
      c.panel = panelOf(need(c, 'zoneSet'), need(c, 'hierarchy'), need(c, 'periods'), c.plan.boundaries.nameField);
    },
  },
  {
    name: 'crosswalk',
    enabled: (plan) => plan.crosswalk !== undefined,
    run: async (c) => {
      c.panel = await crosswalkPanel(need(c, 'panel'), c.plan, c.warnings);
    },
  },
  // district level: fit on the overlap years' county pairs and add the harmonised series to the panel
  {
    name: 'harmonise',
    enabled: (plan) => plan.harmonise?.level === 'district',
    run: async (c) => {
      const r = harmonisePanel(need(c, 'panel'), c.plan, c.warnings);
      if (r) [c.panel, c.harmonisation] = [r.table, r.record];
    },
  },
  {
    name: 'gap',
    timed: false,
    enabled: (plan) => plan.gap !== undefined,
    run: async (c) => {
      c.panel = addGap(need(c, 'panel'), c.plan, c.warnings);
    },
  },
  {
    name: 'inequality',
    enabled: (plan) => plan.inequality !== undefined,
    run: async (c) => {
      c.inequality = inequalityTable(need(c, 'panel'), c.plan, c.warnings);
    },
  },
  {
    name: 'spatial',
    enabled: (plan) => plan.spatial !== undefined,
    run: async (c) => {
      c.spatial = await spatialOutputs(need(c, 'zoneSet'), c.plan, c.warnings);
    },
  },
  {
    name: 'estimate',
    enabled: (plan) => plan.estimate !== undefined,
    run: async (c) => {
      const base = c.plan.estimate!.level === 'county' ? need(c, 'panel') : (c.inequality?.table ?? null);
      if (!base) throw new NtlError(`${c.plan.origin}: prefecture-level estimation needs the inequality section`);
      c.files.push(...(await runEstimates(c.plan, base, c.spatial?.exposure ?? null, c.warnings, c.opts.threads)));
    },
  },
  {
    name: 'encode',
    enabled: always,
    run: async (c) => {
      c.files.push(
        ...encodeOutputs(c.plan, {
          panel: need(c, 'panel'),
          harmonisation: c.harmonisation,
          inequality: c.inequality?.table ?? null,
          spatial: c.spatial ?? null,
        }),
      );
    },
  },
  {
    name: 'maps',
    enabled: (plan) => plan.outputs.maps,
    progress: (c) => periodTasks(c.plan).length,
    run: async (c, tick) => {
      const m = await renderMaps(c.plan, need(c, 'zoneSet'), need(c, 'zones'), need(c, 'periods'), tick, need(c, 'panel'));
      c.files.push(...m.files);
      return { cache: { hits: m.reused, misses: m.rendered } };
    },
  },
];
