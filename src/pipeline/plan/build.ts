/** Plan building: a resolved pipeline (resolve.ts) → the runner's PanelPlan (types.ts). */
import type { ResolvedPipeline } from '../resolve.js';
import { parseStats, zonalSettings } from '../../zonal/index.js';
import { calibrationForInput, continuityOf, seriesReadBy, type AuxLookup } from '../stages/calibrate-stage.js';
import { NtlError } from '../../errors.js';
import type { OutcomeTransform } from '../../estimate/options.js';
import type { PanelPlan, PinnedFile, PlannedInput, PlannedSeries } from './types.js';
import { rasterFormatOf } from '../../manifest/schema.js';

export function planFromResolved(r: ResolvedPipeline): PanelPlan {
  const pin = (f: { entry: { id: string }; file: string; sha256: string; size: number; remote?: PinnedFile['remote'] }): PinnedFile => ({
    id: f.entry.id,
    file: f.file,
    sha256: f.sha256,
    size: f.size,
    ...(f.remote ? { remote: f.remote } : {}),
  });
  const b = r.boundaries;
  return {
    name: r.name,
    origin: r.spec.source.display,
    settingsHash: r.specHash,
    years: r.years,
    boundaries: {
      file: pin(b),
      companions: b.companions.map((c) => ({ id: `${b.entry.id}:${c.file.split('.').pop()}`, file: c.file, sha256: c.sha256, size: c.size })),
      idField: b.idField,
      nameField: b.nameField,
      parentField: b.parentField,
      provinceField: b.provinceField,
      encoding: b.encoding,
      crs: b.crs,
      units: b.units,
    },
    series: plannedSeries(r, pin),
    zonal: zonalSettings({ stats: r.zonal.stats, rule: r.zonal.rule, nodataAsZero: r.zonal.nodata_as_zero, litThreshold: r.zonal.lit_threshold }, 'zonal.rule'),
    crosswalk: r.hierarchy.crosswalk
      ? {
          file: pin(r.hierarchy.crosswalk),
          targetVintage: r.hierarchy.targetVintage ?? r.boundaries.vintage ?? r.years[r.years.length - 1]!,
          sourceVintage: r.boundaries.vintage,
        }
      : undefined,
    calibrate: r.calibrate,
    inequality: r.spec.inequality,
    gap: r.spec.gap,
    harmonise: plannedHarmonise(r.spec.harmonise),
    spatial: r.spec.spatial
      ? {
          rule: r.spec.spatial.rule,
          snapM: r.spec.spatial.snap_m,
          minSharedM: r.spec.spatial.min_shared_m,
          exposure:
            r.spec.spatial.exposure && r.exposureTable
              ? {
                  file: pin(r.exposureTable),
                  unit: r.spec.spatial.exposure.unit,
                  time: r.spec.spatial.exposure.time,
                  firstYear: r.spec.spatial.exposure.first_year,
                  order: r.spec.spatial.exposure.order,
                  waves: r.spec.spatial.exposure.waves,
                }
              : undefined,
        }
      : undefined,
    treatment:
      r.spec.treatment && r.treatmentTable
        ? {
            file: pin(r.treatmentTable),
            unit: r.spec.treatment.unit,
            time: r.spec.treatment.time,
            exclude: r.spec.treatment.exclude ?? {},
            waves: r.spec.treatment.waves,
          }
        : undefined,
    estimate: r.spec.estimate
      ? {
          ...r.spec.estimate,
          ...outcomeOf(r.spec.estimate.outcome),
          covariates: r.spec.estimate.covariates && r.covariatesTable ? { ...r.spec.estimate.covariates, file: pin(r.covariatesTable) } : undefined,
        }
      : undefined,
    specLines: r.spec.source.lines,
    outputs: { ...r.outputs },
    concurrency: r.concurrency,
    warnings: [...r.warnings, ...unreadCalibrationSeries(r)],
  };
}

/** `outcome: mean` or `outcome: { column: mean, transform: log1p }` → the column and the transform. */
function outcomeOf(o: string | { column: string; transform: OutcomeTransform['transform']; p?: number }): { outcome: string; transform?: OutcomeTransform } {
  if (typeof o === 'string') return { outcome: o };
  return { outcome: o.column, transform: o.transform === 'none' ? undefined : { transform: o.transform, p: o.p } };
}

/** Series of role calibration that no calibrate step reads (dmsp_mask, ndvi, rank_by): resolved and verified for nothing. */
function unreadCalibrationSeries(r: ResolvedPipeline): string[] {
  const read = seriesReadBy(r.calibrate);
  return r.series
    .filter((s) => s.role === 'calibration' && !read.has(s.name))
    .map((s) => `series ${s.name} has role: calibration but no calibrate step reads it (dmsp_mask:, ndvi: or rank_by:); it is not used`);
}

/** Panel series with each period's concrete calibration; series of role calibration are read only as aux rasters. */
function plannedSeries(
  r: ResolvedPipeline,
  pin: (f: { entry: { id: string }; file: string; sha256: string; size: number; remote?: PinnedFile['remote'] }) => PinnedFile,
): PlannedSeries[] {
  const where = r.spec.source.display;
  const rawOf = (e: ResolvedPipeline['series'][number]['inputs'][number]['entries'][number]): PinnedFile => {
    const p: PinnedFile = { ...pin(e), band: e.entry.band, satellite: e.entry.satellite, year: e.entry.year };
    if (rasterFormatOf(e.entry) !== 'blackmarble') return p;
    const { layer, quality, snow } = e.entry;
    return { ...p, blackmarble: { tiles: [{ id: p.id, file: p.file, sha256: p.sha256, size: p.size }], layer, quality, snow } };
  };
  /** One PinnedFile for a Black Marble period: the first tile, carrying every tile of the mosaic. */
  const mosaic = (files: readonly PinnedFile[]): PinnedFile => ({
    ...files[0]!,
    blackmarble: { ...files[0]!.blackmarble!, tiles: files.flatMap((f) => f.blackmarble!.tiles) },
  });
  const lookup: AuxLookup = (name, year, month) => {
    const s = r.series.find((x) => x.name === name);
    if (!s) return `'${name}' is not a series of this pipeline (${r.series.map((x) => x.name).join(', ')})`;
    const hit = s.inputs.find((i) => i.year === year && (i.month === undefined || month === undefined || i.month === month));
    if (!hit)
      return `series ${name} has no raster for ${year}${month ? `-${String(month).padStart(2, '0')}` : ''} (it covers ${[...new Set(s.inputs.map((i) => i.year))].join(', ')})`;
    if (hit.entries.length > 1)
      return `series ${name} has ${hit.entries.length} rasters for ${year}; a calibration input needs one per year (duplicates: prefer-newer-satellite)`;
    return rawOf(hit.entries[0]!);
  };
  // a step limited to a series that is not a panel series would silently do nothing: refuse it
  const panelNames = r.series.filter((s) => s.role === 'panel').map((s) => s.name);
  r.calibrate.forEach((step, i) => {
    const only = (step as Record<string, unknown>).series;
    if (only !== undefined && !panelNames.includes(only as string)) {
      const role = r.series.find((s) => s.name === only)?.role;
      throw new NtlError(
        `${where}: calibrate entry ${i + 1} (step ${step.step}): series ${JSON.stringify(only)} ${role === 'calibration' ? 'has role: calibration (it is only read by other steps, never calibrated itself)' : 'is not a series of this pipeline'}; panel series: ${panelNames.join(', ')}`,
      );
    }
  });
  return r.series
    .filter((s) => s.role === 'panel')
    .map((s) => {
      const continuity = continuityOf(r.calibrate, s.name, s.monthly, where);
      const products = [...new Set(s.inputs.flatMap((i) => i.entries.map((e) => e.entry.product)))];
      const weights = s.weights ? { file: { ...pin(s.weights.file), band: s.weights.file.entry.band }, defaultWeight: s.weights.defaultWeight } : undefined;
      const raw = (e: Parameters<typeof rawOf>[0]) => ({ ...rawOf(e), ...(weights ? { weights } : {}) });
      return {
        name: s.name,
        sensor: s.sensor,
        ...(products.length === 1 && products[0] !== undefined ? { product: products[0] } : {}),
        ...(continuity ? { continuity } : {}),
        inputs: s.inputs.map((i): PlannedInput => {
          const files = i.combine === 'mosaic' ? [mosaic(i.entries.map(raw))] : i.entries.map(raw);
          if (i.combine === 'mean') {
            return {
              year: i.year,
              month: i.month,
              combine: 'mean',
              files: files.map((f) =>
                withCalibration(f, calibrationForInput(r.calibrate, s.name, { year: i.year, month: i.month, files: [f] }, lookup, where)),
              ),
            };
          }
          const cal = calibrationForInput(r.calibrate, s.name, { year: i.year, month: i.month, files }, lookup, where);
          return { year: i.year, month: i.month, combine: 'single', files: [withCalibration(files[0]!, cal)] };
        }),
      };
    });
}

function withCalibration(f: PinnedFile, cal: { steps: Record<string, unknown>[]; aux: Record<string, PinnedFile> }): PinnedFile {
  return { ...f, calibrate: cal.steps, ...(Object.keys(cal.aux).length ? { aux: cal.aux } : {}) };
}

function plannedHarmonise(h: ResolvedPipeline['spec']['harmonise']): PanelPlan['harmonise'] {
  if (!h) return undefined;
  const base = { from: h.from, to: h.to, model: h.model, name: h.name };
  if (h.level === 'pixel') return { ...base, level: 'pixel', sigma: h.sigma, minDn: h.min_dn, clamp: h.clamp };
  return { ...base, level: 'district', stat: h.stat!, column: parseStats(h.stat!)[0]!.column };
}
