/**
 * The pipeline spec: one YAML file that declares a whole county × year panel run — which manifest
 * entries to read, how to summarise them per county, and what to write. Paths inside are relative
 * to the spec file. Every problem is reported with the spec file and YAML line.
 *
 * ```yaml
 * pipeline: 1
 * name: hunan-demo
 * manifests: [../data-manifests/demo.yaml]
 * boundaries: { entry: hunan-counties, id: Code_County, name: Name_County, parent: Code_Perfecture, province: Code_Province }
 * series:
 *   - { name: viirs_like, entries: [viirs-like-2012, viirs-like-2013] }
 *   - { name: dmsp_like, select: { sensor: harmonized, years: { from: 2018, to: 2021 } } }
 *   # optional per series: a weighting raster entry (e.g. a population grid) for weighted_sum / weighted_mean /
 *   # weight_sum / per_weight, and the weight of cells without one (default: none → empty weighted statistics)
 *   # - { name: viirs_pop, entries: [viirs-like-2022], weights: worldpop-2020, default_weight: 0 }
 * years: { from: 2012, to: 2022 }
 * zonal: { stats: [count, sum, mean, lit_count], rule: exact, nodata_as_zero: true, lit_threshold: 0 }
 * calibrate: []
 * outputs: { dir: out/hunan-demo, formats: [csv, parquet, dta] }
 * concurrency: 2
 * ```
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DMSP_SATELLITES, entryIdSchema, SENSORS } from '../manifest/schema.js';
import { COVERAGE_RULES, STAT_NAMES } from '../zonal/types.js';
import { ZONAL_DEFAULTS } from '../zonal/spec.js';
import { INEQUALITY_MEASURES } from '../inequality/panel.js';
import { minGroupSizeSchema } from '../inequality/group-size.js';
import { HARMONISE_FIT_FIELDS } from '../calibrate/harmonise.js';
import { attSchema, checkTransform, defaults, eventstudySchema, outcomeTransformFields, placeboSchema, psmSchema } from '../estimate/options.js';
import { readYamlSource, schemaError } from './yaml-errors.js';
import type { YamlSource } from './yaml-errors.js';

export const PIPELINE_VERSION = 1;

export const OUTPUT_FORMATS = ['csv', 'parquet', 'dta'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What to do when a series has two entries for the same year (and month), e.g. DMSP F15 and F16 in 2005. */
/** composite: the two satellites of a year are combined pixel by pixel by the `composite` calibrate step. */
export const DUPLICATE_RULES = ['error', 'prefer-newer-satellite', 'prefer-older-satellite', 'mean', 'composite'] as const;
export type DuplicateRule = (typeof DUPLICATE_RULES)[number];

const year = z.number().int('must be a whole year').min(1970, 'must be a year between 1970 and 2100').max(2100, 'must be a year between 1970 and 2100');

const yearRange = z
  .strictObject({
    from: year,
    to: year,
    /** Every `step`-th year, e.g. 10 for long differences (2002, 2012, 2022). */
    step: z.number().int().min(1, 'must be at least 1').optional(),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });

/**
 * Years: a list of years, or a range `{ from, to, step? }` (inclusive). Always parsed to a sorted
 * list. A two-year list with a gap (`[2012, 2022]`) is rejected as ambiguous: it reads like a range.
 */
export const yearsSchema = z
  .union([z.array(year).min(1, 'must list at least one year'), yearRange], {
    error: 'must be a list of years ([2012, 2013]) or a range ({ from: 2012, to: 2022 })',
  })
  .superRefine((v, ctx) => {
    if (!Array.isArray(v)) return;
    if (v.length === 2 && v[1] - v[0] > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `[${v[0]}, ${v[1]}] is ambiguous: write { from: ${v[0]}, to: ${v[1]} } for the range, or { from: ${v[0]}, to: ${v[1]}, step: ${v[1] - v[0]} } for just these two years`,
      });
    }
    for (let i = 1; i < v.length; i++) {
      if (v[i] <= v[i - 1]) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'years must be listed in increasing order, each once' });
        return;
      }
    }
  })
  .transform((v): number[] => {
    if (Array.isArray(v)) return v;
    const out: number[] = [];
    for (let y = v.from; y <= v.to; y += v.step ?? 1) out.push(y);
    return out;
  });

const text = z.string().trim().min(1, 'must not be empty');
const relativePath = text.refine((p) => !/^([/\\]|[A-Za-z]:[/\\])/.test(p), {
  message: 'must be relative to the pipeline file (absolute paths make the spec unportable)',
});

/** A statistic of `zonal.stats`: a name of the one list (src/zonal/types.ts STAT_NAMES), or quantile:q. */
const statSchema = z.string().refine(
  (s) => {
    const m = /^quantile:(.+)$/.exec(s);
    if (m) return Number.isFinite(Number(m[1])) && Number(m[1]) >= 0 && Number(m[1]) <= 1;
    return (STAT_NAMES as readonly string[]).includes(s) && s !== 'quantile';
  },
  { message: `must be one of ${STAT_NAMES.filter((s) => s !== 'quantile').join(', ')}, or quantile:q with q in [0,1]` },
);

/** Pick manifest raster entries by attributes instead of listing ids. */
const selectSchema = z.strictObject({
  /** Sensor of the entries to pick (the manifest entries' `sensor`). */
  sensor: z.enum(SENSORS, { error: `must be one of ${SENSORS.join(', ')}` }),
  /** Only these years; each listed year that is also a panel year must then have an entry. */
  years: yearsSchema.optional(),
  /** Only these DMSP satellites. */
  satellites: z
    .array(z.enum(DMSP_SATELLITES, { error: `must be one of ${DMSP_SATELLITES.join(', ')}` }))
    .min(1)
    .optional(),
  /** Only entries with this `product`. */
  product: text.optional(),
});

const seriesSchema = z
  .strictObject({
    /** Becomes the `source` value of its rows in the panel: lower-case letters, digits, underscores. */
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must start with a lower-case letter and use only a-z, 0-9 and _ (it becomes a column value)'),
    /** Expected sensor of every entry; a mismatch is an error (guards against listing the wrong file). */
    sensor: z.enum(SENSORS, { error: `must be one of ${SENSORS.join(', ')}` }).optional(),
    /** Manifest entry ids, in any order. Exactly one of `entries` / `select`. */
    entries: z.array(entryIdSchema).min(1, 'must list at least one entry').optional(),
    select: selectSchema.optional(),
    /** Two entries for the same year (and month): error (default), keep one by satellite, or average them. */
    duplicates: z.enum(DUPLICATE_RULES, { error: `must be one of ${DUPLICATE_RULES.join(', ')}` }).default('error'),
    /** panel: statistics per county (default); calibration: only read by calibrate steps (NDVI, DMSP mask, Pareto rank), no panel rows. */
    role: z.enum(['panel', 'calibration'], { error: 'must be panel or calibration' }).default('panel'),
    /**
     * Manifest raster entry (e.g. a population grid) weighting this series' statistics: weighted_sum /
     * weighted_mean weight by it instead of by cell area, and weight_sum / per_weight read it (see ntl zonal --weights).
     */
    weights: entryIdSchema.optional(),
    /** Weight of cells with no weight (no-data or outside the weighting raster); default none = such zones get empty weighted statistics. */
    default_weight: z.number().finite().optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.entries === undefined) === (s.select === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['entries'], message: 'give exactly one of `entries` (a list of manifest ids) or `select` ({ sensor, years })' });
    }
    if (s.select && s.sensor && s.select.sensor !== s.sensor) {
      ctx.addIssue({ code: 'custom', path: ['select', 'sensor'], message: `is ${s.select.sensor} but the series says sensor ${s.sensor}` });
    }
    if (s.default_weight !== undefined && s.weights === undefined) {
      ctx.addIssue({ code: 'custom', path: ['default_weight'], message: 'applies to a weighting raster; add weights: <raster entry id> to the series' });
    }
    if (s.weights !== undefined && s.role === 'calibration') {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'a series of role calibration has no statistics to weight; put weights: on a panel series' });
    }
  });

/** The unit polygons: a manifest entry of kind boundaries, and which of its attributes to read. */
const boundariesSchema = z.strictObject({
  /** Manifest entry (kind boundaries) with the county polygons. */
  entry: entryIdSchema,
  /** Attribute with the county code; default: the entry's id_field. */
  id: text.optional(),
  /** Attribute with the unit name (panel column unit_name); default: the entry's name_field. */
  name: text.optional(),
  /** Attribute with the prefecture code (4- or 6-digit). */
  parent: text.optional(),
  /** Attribute with the province code (2- or 6-digit). */
  province: text.optional(),
  /** DBF text encoding when the shapefile has no .cpg, e.g. gbk. */
  encoding: text.optional(),
  /** CRS when the file carries none, e.g. EPSG:4326. */
  crs: text.optional(),
  /**
   * mainland (default): drop Hong Kong, Macau and Taiwan units (GB/T 2260 codes 81, 82, 71) right after the
   * hierarchy, so zonal statistics, panel, national medians, inequality and estimates all use mainland units;
   * all: keep every unit of the boundary file.
   */
  units: z.enum(['mainland', 'all'], { error: 'must be mainland or all' }).default('mainland'),
});

/** Per-unit statistics of every raster: the statistics and coverage rule of `ntl zonal`. */
const zonalSchema = z
  .strictObject({
    /** Statistics, in output order. */
    stats: z.array(statSchema).min(1, 'must list at least one statistic'),
    /** exact: fractional pixel coverage; centre: pixel-centre-in-polygon. */
    rule: z.enum(COVERAGE_RULES, { error: `must be ${COVERAGE_RULES.join(' or ')}` }).default(ZONAL_DEFAULTS.rule),
    /** Count no-data pixels as 0 instead of skipping them (right for 8-bit NTL where 0 = no-data = dark). */
    nodata_as_zero: z.boolean().default(ZONAL_DEFAULTS.nodataAsZero),
    /** lit_count / lit_share count pixels with value > lit_threshold. */
    lit_threshold: z.number().default(ZONAL_DEFAULTS.litThreshold),
  })
  .superRefine((zs, ctx) => {
    const seen = new Set<string>();
    zs.stats.forEach((s, i) => {
      if (seen.has(s)) ctx.addIssue({ code: 'custom', path: ['stats', i], message: `lists ${s} twice` });
      seen.add(s);
    });
  });

/** A calibration step: `{ step: <name>, ...parameters }`; parameters are validated by the step itself. */
const calibrateStepSchema = z.looseObject({
  step: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be a step name (lower-case letters, digits, - and _)'),
});

const hierarchySchema = z.strictObject({
  /** Manifest entry (kind table, role crosswalk) mapping old county codes to new ones. */
  crosswalk: entryIdSchema.optional(),
  /** Code vintage (year) the panel is harmonised to; default: the boundaries entry's vintage. */
  target_vintage: year.optional(),
});

/** City-level inequality of a county statistic, per year and series (e.g. the Dagum G_jj INDG panel). */
const inequalitySchema = z.strictObject({
  /** A zonal statistic, e.g. mean. */
  value: statSchema,
  /** Units are grouped by their prefecture (parent_id) or province. */
  group: z.enum(['prefecture', 'province'], { error: 'must be prefecture or province' }).default('prefecture'),
  /** dagum: G_jj per group and the year's G, Gw, Gnb, Gt; gini, theil (T), theil_l (L), cv per group. */
  measures: z
    .array(z.enum(INEQUALITY_MEASURES, { error: `must be one of ${INEQUALITY_MEASURES.join(', ')}` }))
    .min(1)
    .default(['dagum', 'gini', 'theil', 'cv']),
  /**
   * Per-group measures (gini, theil, theil_l, cv, G_jj) of a group with fewer units with a value in a year are
   * empty: the inequality within one county is undefined, not 0 (same rule and default as --min-group-size).
   */
  min_group_size: minGroupSizeSchema,
});

/** County gap: value / national reference (median, mean or p90) per year and series, added to the panel. */
const gapSchema = z.strictObject({
  /** The statistic divided by the reference; the panel gets column `<value>_gap`. */
  value: statSchema,
  /** The year's reference over all units of the series: median, mean or 90th percentile. */
  ref: z.enum(['median', 'mean', 'p90'], { error: 'must be median, mean or p90' }).default('median'),
});

const seriesName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must start with a lower-case letter and use only a-z, 0-9 and _ (it becomes a column value)');

/**
 * District-level DMSP ↔ VIIRS harmonisation after panel assembly: fit `to.stat ~ f(from.stat)` on the county pairs
 * of the overlap years and emit series `name` = the prediction for every unit × year of `from` (harmonise-stage.ts).
 */
const harmoniseSchema = z
  .strictObject({
    /** Series converted (x). */
    from: seriesName,
    /** Series whose scale is the target (y). */
    to: seriesName,
    /**
     * district (default): fit on the panel's county `stat` pairs, emit that statistic; pixel: fit on the overlap
     * years' pixels (`from` area-weighted onto `to`'s grid, grids must nest), emit every statistic of `from` converted
     * pixel by pixel (harmonise-pixel-stage.ts).
     */
    level: z.enum(['district', 'pixel'], { error: 'must be district or pixel' }).default('district'),
    /** Panel statistic the relation is fitted on (district level); must be in zonal.stats. */
    stat: statSchema.optional(),
    model: HARMONISE_FIT_FIELDS.model,
    /** `source` value of the emitted series. */
    name: seriesName,
    /** Pixel level: Gaussian smoothing of the aggregated `from` values, in `to` pixels (0 = none); as `ntl calibrate harmonise --sigma`. */
    sigma: HARMONISE_FIT_FIELDS.sigma,
    /** Pixel level: fit only pixels whose `to` value is ≥ this (Li et al. 2020 advise DN > 7); as `--min-dn`. */
    min_dn: HARMONISE_FIT_FIELDS.min_dn,
    /** Pixel level: clamp converted values at this (63 for DMSP DN); null = no clamp. */
    clamp: z.number().positive().nullable().default(63),
  })
  .superRefine((h, ctx) => {
    if (h.level === 'district' && h.stat === undefined)
      ctx.addIssue({ code: 'custom', path: ['stat'], message: 'district-level harmonisation needs stat: the panel statistic to fit on (e.g. sum)' });
    if (h.level === 'pixel' && h.stat !== undefined)
      ctx.addIssue({ code: 'custom', path: ['stat'], message: 'pixel-level harmonisation fits pixels and emits every statistic; remove stat' });
    if (h.level === 'district' && (h.sigma !== 0 || h.min_dn !== 0))
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'sigma and min_dn apply to level: pixel only' });
  });

/** County adjacency from the boundaries, and exposure to treated neighbours (spillover designs). */
const spatialSchema = z.strictObject({
  /** queen: units that touch are neighbours; rook: only those sharing at least min_shared_m of border. */
  rule: z.enum(['queen', 'rook'], { error: 'must be queen or rook' }).default('queen'),
  /** Gaps and overlaps up to this many metres count as touching (default 1 m; see ntl adjacency --help). */
  snap_m: z.number().min(0, 'must be ≥ 0').default(1),
  /** Rook: shortest shared border (metres); default 10 × snap_m. */
  min_shared_m: z.number().min(0, 'must be ≥ 0').optional(),
  /** Each unit × year's exposure to treated neighbours (outputs exposure.*; needed by the spillover model). */
  exposure: z
    .strictObject({
      /**
       * Manifest entry (kind table, role treatment) listing treated units; read by src/panel/treatment.ts like the
       * treatment section (and with its exclude when it is the same entry), so exposure and estimates agree.
       */
      treated: entryIdSchema,
      /** Column with the unit code in that table. */
      unit: text,
      /** Column with each unit's first treated year; or give first_year for all. */
      time: text.optional(),
      /** One first treated year for every listed unit, instead of time. */
      first_year: year.optional(),
      /** 2 adds the second ring of neighbours. */
      order: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }).default(1),
      /** The table is a policy list in waves (see treatment.waves); on the treatment section's table it follows that. */
      waves: z.boolean().optional(),
    })
    .refine((e) => (e.time === undefined) !== (e.first_year === undefined), { message: 'give exactly one of time (a column) or first_year', path: ['time'] })
    .optional(),
});

/** The policy: which units are treated from which year (a manifest table, role treatment). */
const treatmentSchema = z.strictObject({
  /** Manifest entry (kind table, role treatment). */
  table: entryIdSchema,
  /** Column with the unit code at the estimation level (county code, or prefecture code for city-level designs). */
  unit: text,
  /** Column with the first treated year (2010, "2010" or "2010-01" → 2010). */
  time: text,
  /** Drop table rows whose column matches a regular expression, e.g. { verification: "NOT verified" }. */
  exclude: z.record(z.string(), z.string()).optional(),
  /**
   * The table is a policy list in waves: a unit named again in a later wave is treated from its earliest year (a
   * warning names those units). Without it a unit listed with two different years is an error (src/panel/treatment.ts).
   */
  waves: z.boolean().optional(),
});

const ESTIMATE_MODELS = ['did', 'eventstudy', 'placebo', 'bacon', 'att', 'spillover', 'psm'] as const;

/** Column names usable in the estimation panel (letters, digits, underscores). */
const columnName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a column name (letters, digits and _)');

/** Unit-level (or unit × year) covariates from a manifest table, joined to the estimation panel (PSM-DID). */
const covariatesSchema = z.strictObject({
  /** Manifest entry (kind table). */
  table: entryIdSchema,
  /** Column with the unit code at the estimation level. */
  unit: text,
  /** Column with the year; without it every row is a time-invariant unit covariate. */
  time: text.optional(),
  /** Numeric covariate columns (the propensity-score regressors). */
  columns: z.array(columnName).min(1, 'must list at least one covariate column'),
});

/** Estimation on the panel (county level) or on the inequality table (prefecture level). */
const estimateSchema = z
  .strictObject({
    /** county: models on the panel; prefecture: on the inequality table (needs an inequality section). */
    level: z.enum(['county', 'prefecture'], { error: 'must be county or prefecture' }),
    /**
     * Outcome column: a panel statistic or gap column (county), or an inequality column such as G_jj (prefecture);
     * or { column, transform: log | log1p | ihs | winsor, p } to estimate on a transform (recorded in every result).
     */
    outcome: z.union([
      text,
      z
        .strictObject({
          /** The outcome column. */
          column: text,
          ...outcomeTransformFields,
        })
        .superRefine(checkTransform),
    ]),
    /** Series (source) to estimate on. */
    source: text,
    /** Models to run on one estimation sample; each writes estimates/<model>.json (eventstudy and placebo also a figure). */
    models: z
      .array(z.enum(ESTIMATE_MODELS, { error: `must be one of ${ESTIMATE_MODELS.join(', ')}` }))
      .min(1)
      .default(['did', 'eventstudy']),
    /** Model options: the same schemas (defaults, limits) as the CLI flags — src/estimate/options.ts. */
    eventstudy: eventstudySchema.default(defaults.eventstudy),
    /** Randomization inference (units, both) or the fake-date test (timing). */
    placebo: placeboSchema.default(defaults.placebo),
    /** Staggered-adoption ATT: Callaway–Sant'Anna or Sun–Abraham. */
    att: attSchema.default(defaults.att),
    /** Triple-difference splits: region (east/central/west from the province code) or an estimation-panel column → did_by_<col>.json. */
    heterogeneity: z.array(columnName).default([]),
    /** Treatment intensity: a panel column; adds treat × column → did_intensity.json. */
    intensity: columnName.optional(),
    /** Cohort bins by first treated year, e.g. [2016, 2018] → stages 2016-2017, 2018+ → did_by_stage.json. */
    stages: z.array(year).min(1, 'must list at least one stage start year').optional(),
    /** Covariates for PSM-DID (`psm` in models). */
    covariates: covariatesSchema.optional(),
    /** PSM-DID matching: kernel (Epanechnikov, default bandwidth 0.06 as psmatch2) or 1:1 nearest neighbour. */
    psm: psmSchema.default(defaults.psm),
  })
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.heterogeneity.forEach((c, i) => {
      if (seen.has(c)) ctx.addIssue({ code: 'custom', path: ['heterogeneity', i], message: `lists ${c} twice` });
      if (c === 'stage')
        ctx.addIssue({ code: 'custom', path: ['heterogeneity', i], message: 'stage splits come from estimate.stages (cohort bins); remove it here' });
      seen.add(c);
    });
    e.stages?.forEach((y, i) => {
      if (i > 0 && y <= e.stages![i - 1]!) ctx.addIssue({ code: 'custom', path: ['stages', i], message: 'stage start years must increase' });
    });
    if (e.models.includes('psm') && !e.covariates) {
      ctx.addIssue({
        code: 'custom',
        path: ['models', e.models.indexOf('psm')],
        message: 'psm needs estimate.covariates ({ table: <manifest table>, unit, time?, columns: [a, b] }): matching without covariates is not defined',
      });
    }
  });

/** What the run writes, and where. */
const outputsSchema = z.strictObject({
  /** Output folder, relative to the pipeline file. */
  dir: relativePath,
  /** Panel file formats: csv (UTF-8), parquet (typed columns), dta (Stata 14+, format 118). */
  formats: z
    .array(z.enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(', ')}` }))
    .min(1)
    .default(['csv']),
  /** Also write a wide table (one column per series × year × stat). */
  wide: z.boolean().default(false),
  /** Write report.html (self-contained) with maps, panel summaries, diagnostics, tables and figures. */
  report: z.boolean().default(false),
  /** Draw one choropleth map per series and year. */
  maps: z.boolean().default(false),
  /** Statistic shown on the maps: one of zonal.stats, or `<gap.value>_gap`. Default: sum when listed, else the first. */
  map_stat: z
    .string()
    .refine((s) => statSchema.safeParse(s).success || /^.+_gap$/.test(s), {
      message: 'must be one of zonal.stats, or <value>_gap for the gap column (with gap: { value })',
    })
    .optional(),
});

export const pipelineSpecSchema = z
  .strictObject({
    /** Format version of the pipeline file. */
    pipeline: z.literal(PIPELINE_VERSION, { error: `must be ${PIPELINE_VERSION} (the pipeline format version)` }),
    /** Run name: names the output files. */
    name: entryIdSchema,
    /** Free text about the run. */
    description: z.string().optional(),
    /** Manifest files, relative to the pipeline file. Entry ids must be unique across them. */
    manifests: z.array(relativePath).min(1, 'must list at least one manifest file'),
    boundaries: boundariesSchema,
    /** One or more raster series; each becomes a `source` value in the panel. */
    series: z.array(seriesSchema).min(1, 'must list at least one series'),
    /** Panel years: a list, or { from, to, step? }. */
    years: yearsSchema,
    zonal: zonalSchema,
    /** Calibration steps (src/pipeline/stages/calibrate-stage.ts): per-window steps run while zonal statistics stream; steps needing other rasters, the whole grid or every year write calibrated rasters first (materialise-stage.ts). */
    calibrate: z.array(calibrateStepSchema).default([]),
    /** County → prefecture → province, and code harmonisation across boundary changes. */
    hierarchy: hierarchySchema.default({}),
    // optional analyses on the panel
    inequality: inequalitySchema.optional(),
    gap: gapSchema.optional(),
    /** Optional: one continuous series in another series' scale (fitted on the overlap years). */
    harmonise: harmoniseSchema.optional(),
    spatial: spatialSchema.optional(),
    treatment: treatmentSchema.optional(),
    estimate: estimateSchema.optional(),
    outputs: outputsSchema,
    /** Rasters processed at once. */
    concurrency: z.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').default(2),
  })
  .superRefine((spec, ctx) => {
    const names = new Map<string, number>();
    spec.series.forEach((s, i) => {
      const prev = names.get(s.name);
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['series', i, 'name'], message: `'${s.name}' is already used by series[${prev}]` });
      else names.set(s.name, i);
    });
    const roleOf = new Map(spec.series.map((s) => [s.name, s.role]));
    if (!spec.series.some((s) => s.role === 'panel'))
      ctx.addIssue({ code: 'custom', path: ['series'], message: 'every series has role: calibration; at least one must be a panel series' });
    const hz = spec.harmonise;
    if (hz) {
      for (const key of ['from', 'to'] as const) {
        if (roleOf.get(hz[key]) === 'calibration')
          ctx.addIssue({ code: 'custom', path: ['harmonise', key], message: `'${hz[key]}' has role: calibration (no panel rows); harmonise a panel series` });
      }
      const list = spec.series.map((s) => s.name).join(', ');
      for (const key of ['from', 'to'] as const) {
        if (!names.has(hz[key])) ctx.addIssue({ code: 'custom', path: ['harmonise', key], message: `'${hz[key]}' is not a series name (${list})` });
      }
      if (hz.from === hz.to)
        ctx.addIssue({
          code: 'custom',
          path: ['harmonise', 'to'],
          message: `is the same series as from ('${hz.from}'); harmonise converts one series to the scale of another`,
        });
      if (hz.stat !== undefined && !spec.zonal.stats.includes(hz.stat))
        ctx.addIssue({ code: 'custom', path: ['harmonise', 'stat'], message: `'${hz.stat}' is not in zonal.stats (${spec.zonal.stats.join(', ')})` });
      if (names.has(hz.name))
        ctx.addIssue({
          code: 'custom',
          path: ['harmonise', 'name'],
          message: `'${hz.name}' is already a series name (${list}); choose a new source name for the harmonised series`,
        });
    }
    for (const key of ['inequality', 'gap'] as const) {
      const v = spec[key]?.value;
      if (v !== undefined && !spec.zonal.stats.includes(v)) {
        ctx.addIssue({ code: 'custom', path: [key, 'value'], message: `'${v}' is not in zonal.stats (${spec.zonal.stats.join(', ')})` });
      }
    }
    if (spec.estimate && !spec.treatment)
      ctx.addIssue({ code: 'custom', path: ['estimate'], message: 'needs a treatment section (which units are treated from which year)' });
    if (spec.estimate?.level === 'prefecture' && !spec.inequality)
      ctx.addIssue({
        code: 'custom',
        path: ['estimate', 'level'],
        message: 'prefecture-level estimation runs on the inequality table: add an inequality section',
      });
    if (spec.estimate?.models.includes('spillover') && !spec.spatial?.exposure)
      ctx.addIssue({ code: 'custom', path: ['estimate', 'models'], message: 'spillover needs spatial.exposure (who neighbours a treated unit)' });
    if (
      spec.estimate?.intensity !== undefined &&
      spec.estimate.level === 'county' &&
      !spec.zonal.stats.includes(spec.estimate.intensity) &&
      spec.estimate.intensity !== `${spec.gap?.value}_gap`
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['estimate', 'intensity'],
        message: `'${spec.estimate.intensity}' is not a panel column: use one of zonal.stats (${spec.zonal.stats.join(', ')}); population is not in the data`,
      });
    }
    const sourceNames = [...spec.series.map((s) => s.name), ...(spec.harmonise ? [spec.harmonise.name] : [])];
    if (spec.estimate && roleOf.get(spec.estimate.source) === 'calibration')
      ctx.addIssue({ code: 'custom', path: ['estimate', 'source'], message: `'${spec.estimate.source}' has role: calibration (no panel rows)` });
    if (spec.estimate && !sourceNames.includes(spec.estimate.source))
      ctx.addIssue({ code: 'custom', path: ['estimate', 'source'], message: `'${spec.estimate.source}' is not a series name (${sourceNames.join(', ')})` });
    const mapStat = spec.outputs.map_stat;
    if (mapStat !== undefined && mapStat.endsWith('_gap') && !spec.zonal.stats.includes(mapStat)) {
      if (mapStat !== `${spec.gap?.value}_gap`)
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', 'map_stat'],
          message: spec.gap
            ? `'${mapStat}' is not the gap column of this pipeline ('${spec.gap.value}_gap')`
            : `'${mapStat}' is a gap column, but the pipeline has no gap: section (add gap: { value: ${mapStat.slice(0, -4)} })`,
        });
    } else if (mapStat !== undefined && !spec.zonal.stats.includes(mapStat)) {
      ctx.addIssue({ code: 'custom', path: ['outputs', 'map_stat'], message: `'${mapStat}' is not in zonal.stats (${spec.zonal.stats.join(', ')})` });
    }
  });

export type PipelineSpecData = z.output<typeof pipelineSpecSchema>;
export type SeriesSpec = PipelineSpecData['series'][number];
export type CalibrateStep = PipelineSpecData['calibrate'][number];

export interface SpecSource {
  /** Absolute path of the spec file; relative paths inside resolve against its folder. */
  readonly file: string;
  readonly display: string;
  /** 1-based YAML line of every node, keyed like "series[0].entries[2]". */
  readonly lines: Readonly<Record<string, number>>;
}

export interface PipelineSpec extends PipelineSpecData {
  readonly source: SpecSource;
}

export async function loadPipelineSpec(path: string): Promise<PipelineSpec> {
  return pipelineSpecFromSource(await readYamlSource(path, 'pipeline spec'));
}

export function pipelineSpecFromSource(source: YamlSource): PipelineSpec {
  const parsed = pipelineSpecSchema.safeParse(source.data);
  if (!parsed.success) throw schemaError(source, parsed.error.issues);
  return { ...parsed.data, source: { file: source.file, display: source.display, lines: source.lines } };
}

/**
 * sha256 (hex) of the canonical JSON of the parsed spec — defaults filled in, ranges expanded,
 * keys sorted — so two specs that mean the same run hash the same. Left out: the file location and
 * `concurrency`, which cannot change any result.
 */
export function pipelineHash(spec: PipelineSpecData | PipelineSpec): string {
  const { source: _source, concurrency: _concurrency, ...data } = spec as PipelineSpec;
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}
