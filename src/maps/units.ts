/**
 * What a map shows, in words a reader knows: a readable series label ("VIIRS-like"), the unit of its cell values
 * (DN or nW·cm⁻²·sr⁻¹), the phrase for a county statistic ("county sum of DN") and the map titles built from
 * them ("VIIRS-like, 2022: county sum of DN"). Derived from what the plan knows of a series: its sensor, its
 * manifest product, the calibration steps applied to it, and for a harmonised series the two series it joins.
 */
import { quantileLevelText } from '../zonal/spec.js';

/** Radiance of the VIIRS DNB products (VNL annual, monthly composites, the float VIIRS-like product). */
export const RADIANCE_UNIT = 'nW·cm⁻²·sr⁻¹';
/** Digital number: DMSP-OLS stable lights (0–63), DMSP-like products, the 8-bit VIIRS-like web copies. */
export const DN_UNIT = 'DN';

export interface SeriesFacts {
  /** Internal name, e.g. viirs_like. */
  readonly name: string;
  /** Manifest sensor: dmsp-ols, viirs-vnl, viirs-monthly, blackmarble-annual, blackmarble-monthly, harmonized, other. */
  readonly sensor?: string;
  /** Manifest product of the series' entries, e.g. chen2021-npp-viirs-like-8bit. */
  readonly product?: string;
  /** Calibration step names applied to the series' rasters, in order (e.g. ['viirs_denoise', 'dmsp_like']). */
  readonly steps?: readonly string[];
}

export interface SeriesDescription {
  readonly name: string;
  /** Readable label: "VIIRS-like", "DMSP-OLS", "VIIRS-like in DMSP-like scale"; the name when nothing better is known. */
  readonly label: string;
  /** Unit of the cell values; null when the sensor/product does not say (the legends then say "value"). */
  readonly unit: string | null;
}

/** Readable label and unit of the raw product, before calibration. */
function productOf(sensor: string | undefined, product: string | undefined): { label: string | null; unit: string | null } {
  const p = (product ?? '').toLowerCase();
  if (/viirs[-_ ]?like/.test(p)) return { label: 'VIIRS-like', unit: /8[-_ ]?bit/.test(p) ? DN_UNIT : RADIANCE_UNIT };
  if (/dmsp[-_ ]?like/.test(p)) return { label: 'DMSP-like', unit: DN_UNIT };
  switch (sensor) {
    case 'dmsp-ols':
      return { label: 'DMSP-OLS', unit: DN_UNIT };
    case 'viirs-vnl':
      return { label: 'VIIRS (VNL)', unit: RADIANCE_UNIT };
    case 'viirs-monthly':
      return { label: 'VIIRS monthly', unit: RADIANCE_UNIT };
    case 'blackmarble-annual':
      return { label: 'Black Marble VNP46A4', unit: RADIANCE_UNIT };
    case 'blackmarble-monthly':
      return { label: 'Black Marble VNP46A3', unit: RADIANCE_UNIT };
    default:
      return { label: null, unit: null };
  }
}

/** Label and unit of a raster series, after its calibration steps. */
export function describeSeries(s: SeriesFacts): SeriesDescription {
  const base = productOf(s.sensor, s.product);
  let label = base.label ?? s.name;
  let unit = base.unit;
  for (const step of s.steps ?? []) {
    // VIIRS radiance → DMSP-like DN (a stored or pixel-level harmonisation fit)
    if (step === 'dmsp_like') {
      label = `${label} in DMSP-like scale`;
      unit = DN_UNIT;
    }
    // VANUI = (1 − NDVI) · NTL / NTL_max: a unitless index
    if (step === 'vanui') {
      label = `${label} VANUI`;
      unit = 'index';
    }
  }
  return { name: s.name, label, unit };
}

/** A series added by district-level harmonisation: `from`'s values predicted in `to`'s scale. */
export function describeHarmonised(name: string, from: SeriesDescription, to: SeriesDescription): SeriesDescription {
  return { name, label: `${from.label} in ${to.label} scale`, unit: to.unit };
}

/** Give series with the same label their name too, so two titles never read alike. */
export function distinctLabels(list: readonly SeriesDescription[]): SeriesDescription[] {
  const count = new Map<string, number>();
  for (const d of list) count.set(d.label, (count.get(d.label) ?? 0) + 1);
  return list.map((d) => (count.get(d.label)! > 1 && d.label !== d.name ? { ...d, label: `${d.label} (${d.name})` } : d));
}

export type GapRef = 'median' | 'mean' | 'p90';

export interface StatDescription {
  /** For titles: "county sum of DN", "gap = mean / median of the year". */
  readonly phrase: string;
  /** Legend heading: "county sum (DN)", "gap (ratio)". */
  readonly legend: string;
}

const WORD: Readonly<Record<string, string>> = {
  sum: 'sum',
  mean: 'mean',
  min: 'minimum',
  max: 'maximum',
  median: 'median',
  stdev: 'standard deviation',
  variance: 'variance',
  weighted_sum: 'area-weighted sum',
  weighted_mean: 'area-weighted mean',
};

/**
 * The county statistic `column` (a zonal column such as sum, mean, lit_share, quantile_0.9, or `<value>_gap`) of
 * values in `unit`. A gap is the unit's value divided by the reference level of all units with a value that year
 * (the pipeline's gap: ref, median by default): a ratio, whatever the unit.
 */
export function describeStat(column: string, unit: string | null, gapRef: GapRef = 'median'): StatDescription {
  const of = unit ? ` of ${unit}` : '';
  const gap = /^(.+)_gap$/.exec(column);
  if (gap) {
    const ref = gapRef === 'p90' ? '90th percentile' : gapRef;
    return { phrase: `gap = ${gap[1]} / ${ref} of all units in the year`, legend: `gap (${gap[1]} / ${ref} of the year)` };
  }
  const q = quantileLevelText(column);
  if (q !== null) return { phrase: `county ${q} quantile${of}`, legend: `county ${q} quantile${unit ? ` (${unit})` : ''}` };
  switch (column) {
    case 'count':
      return { phrase: 'cells with data per county', legend: 'cells with data' };
    case 'nodata_count':
      return { phrase: 'no-data cells per county', legend: 'no-data cells' };
    case 'lit_count':
      return { phrase: 'lit cells per county', legend: 'lit cells' };
    case 'lit_share':
      return { phrase: 'share of cells lit', legend: 'share of cells lit (0–1)' };
    case 'area_km2':
      return { phrase: 'county area (km²)', legend: 'area (km²)' };
    case 'cell_area_sum_km2':
      return { phrase: 'area of cells with data (km²)', legend: 'area with data (km²)' };
    case 'variance':
      return { phrase: `county variance${of}`, legend: `county variance${unit ? ` (${unit}²)` : ''}` };
  }
  const word = WORD[column] ?? column;
  return { phrase: `county ${word}${of}`, legend: `county ${word}${unit ? ` (${unit})` : ''}` };
}

/** "VIIRS-like, 2022: county sum of DN". */
export function choroplethTitle(series: SeriesDescription, period: string, stat: StatDescription): string {
  return `${series.label}, ${period}: ${stat.phrase}`;
}

/** "VIIRS-like, 2022: DN per cell". */
export function rasterTitle(series: SeriesDescription, period: string): string {
  return `${series.label}, ${period}: ${series.unit ?? 'value'} per cell`;
}

/** "2012–2022" (or the one period). */
export function periodSpan(periods: readonly string[]): string {
  if (periods.length === 0) return '';
  const first = periods[0]!,
    last = periods[periods.length - 1]!;
  return first === last ? first : `${first}–${last}`;
}

/** The legend's statement that every map of the series uses this scale. */
export function sharedScaleNote(periods: readonly string[]): string {
  return periods.length > 1 ? `same scale for ${periodSpan(periods)}` : `scale of ${periodSpan(periods)}`;
}
