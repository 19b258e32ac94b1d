/**
 * The NASA Black Marble VNP46A3 (monthly) / VNP46A4 (annual) HDF5 layout, as far as public sources document
 * it (docs/reach.md, "NASA Black Marble", lists them): the World Bank's blackmarblepy and blackmarbler readers and the
 * Black Marble User Guide v1.2, Table 9, which both cite.
 *
 * - Layers live in `HDFEOS/GRIDS/VIIRS_Grid_DNB_2d/Data Fields/`, with 1-D `lat` and `lon` datasets of cell
 *   centres beside them.
 * - Composites: `<Angle>_Composite_Snow_<Free|Covered>` with Angle = AllAngle | NearNadir | OffNadir; each has
 *   `_Num` (observations), `_Std` (standard deviation) and `_Quality` (mandatory quality flag) layers.
 * - Radiance and `_Std`: uint16, scale factor 0.1 → nW·cm⁻²·sr⁻¹, fill 65535. `_Num`: uint16, fill 65535.
 *   `_Quality`: uint8, fill 255; 0 = good (more than 3 observations), 1 = poor (3 or fewer), 2 = gap-filled
 *   from historical data, 255 = no retrieval.
 * - Tiles: 10° × 10° of a plain latitude/longitude grid (EPSG:4326), h00–h35 (west → east from 180°W), v00–v17 (north →
 *   south from 90°N), 2400 × 2400 cells of 15″. The file's own `WestBoundingCoord`, `EastBoundingCoord`,
 *   `NorthBoundingCoord`, `SouthBoundingCoord` global attributes (or the lat/lon datasets) place it.
 * - File names: `VNP46A4.A2022001.h29v06.001.2023011214401.h5` — product, AYYYYDDD (first day of the
 *   period), tile, collection, production time.
 */
import { NtlError } from '../../errors.js';

export const DATA_FIELDS = 'HDFEOS/GRIDS/VIIRS_Grid_DNB_2d/Data Fields';
/** The daily products' grid (VNP46A1/A2, collection 5000): another layout, not read here. */
export const DAILY_DATA_FIELDS = 'HDFEOS/GRIDS/VNP_Grid_DNB/Data Fields';

export const TILE_DEGREES = 10;
export const TILE_CELLS = 2400;

export const ANGLES = ['AllAngle', 'NearNadir', 'OffNadir'] as const;
export type Angle = (typeof ANGLES)[number];
export const SNOW = ['free', 'covered', 'all'] as const;
export type Snow = (typeof SNOW)[number];
export type Statistic = '' | '_Num' | '_Std' | '_Quality';

/** Layer read when none is named: blackmarblepy's and blackmarbler's default for VNP46A3/A4. */
export const DEFAULT_LAYER = 'NearNadir_Composite_Snow_Free';

/** Quality flag values (the `_Quality` layers of VNP46A3/A4). */
export const QUALITY = { good: 0, poor: 1, gapFilled: 2, fill: 255 } as const;
/** Named --bm-quality levels → the flag values kept. */
export const QUALITY_LEVELS: Readonly<Record<string, readonly number[]>> = {
  any: [QUALITY.good, QUALITY.poor, QUALITY.gapFilled],
  observed: [QUALITY.good, QUALITY.poor],
  good: [QUALITY.good],
};

/** Documented fill and scale of the composite layers, used only when a file lacks the attributes. */
export function documentedEncoding(stat: Statistic): { fill: number; scale: number } {
  if (stat === '_Quality') return { fill: QUALITY.fill, scale: 1 };
  if (stat === '_Num') return { fill: 65535, scale: 1 };
  return { fill: 65535, scale: 0.1 };
}

/** What a --bm-layer / `layer:` value asks for. */
export type LayerChoice =
  | { readonly kind: 'composite'; readonly angle: Angle; readonly snow: Snow; readonly stat: Statistic }
  | { readonly kind: 'other'; readonly name: string };

const COMPOSITE = /^(AllAngle|NearNadir|OffNadir)(?:_Composite(?:_Snow_(Free|Covered))?)?(_Num|_Std|_Quality)?$/i;

/**
 * Parse the layer name: a full composite name (`NearNadir_Composite_Snow_Free_Num`), a short one (`NearNadir`,
 * `AllAngle_Std`) whose snow condition comes from `snow` (default free), or any other dataset of the grid
 * (read as it is: fill and scale from its attributes, no quality or snow options).
 */
export function parseLayer(layer: string | undefined, snow: Snow | undefined, quality: string | undefined): LayerChoice {
  // No layer named: NearNadir in the snow condition asked for (DEFAULT_LAYER when none is).
  const name = (layer ?? 'NearNadir').trim();
  const m = COMPOSITE.exec(name);
  if (!m) {
    if (snow !== undefined || quality !== undefined) {
      throw new NtlError(
        `Black Marble layer "${name}" is not one of the composite layers (<AllAngle|NearNadir|OffNadir>_Composite_Snow_<Free|Covered>[_Num|_Std|_Quality]), ` +
          'so the snow and quality options do not apply to it; leave them out, or name a composite layer',
      );
    }
    return { kind: 'other', name };
  }
  const angle = ANGLES.find((a) => a.toLowerCase() === m[1]!.toLowerCase())!;
  const stat = (m[3] ? `_${m[3].slice(1, 2).toUpperCase()}${m[3].slice(2).toLowerCase()}` : '') as Statistic;
  const named: Snow | undefined = m[2] ? (m[2].toLowerCase() === 'free' ? 'free' : 'covered') : undefined;
  if (named && snow && named !== snow) {
    throw new NtlError(
      `Black Marble layer "${name}" is the snow-${named} composite but the snow option says ${snow}; give one of the two (e.g. layer ${angle} with snow ${snow})`,
    );
  }
  if (stat === '_Quality' && quality !== undefined) {
    throw new NtlError(`Black Marble layer "${name}" is a quality-flag layer itself; the quality option does not apply to it`);
  }
  return { kind: 'composite', angle, snow: named ?? snow ?? 'free', stat };
}

export function compositeName(angle: Angle, snow: 'free' | 'covered', stat: Statistic): string {
  return `${angle}_Composite_Snow_${snow === 'free' ? 'Free' : 'Covered'}${stat}`;
}

/** --bm-quality / `quality:` → the set of kept flag values. Names any (default) | observed | good, or a list like 0,1. */
export function parseQuality(q: string | readonly number[] | undefined): readonly number[] {
  if (q === undefined) return QUALITY_LEVELS.any!;
  if (Array.isArray(q)) return checkFlags(q as readonly number[], JSON.stringify(q));
  const text = String(q).trim().toLowerCase();
  const named = QUALITY_LEVELS[text];
  if (named) return named;
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > 0 && parts.every((p) => /^\d+$/.test(p))) return checkFlags(parts.map(Number), text);
  throw new NtlError(
    `Black Marble quality "${q}" is not understood; use any (flags 0, 1, 2: every retrieval, the default), observed (0, 1: no gap-filled cells), ` +
      'good (0: more than 3 observations), or a list of the flag values to keep, e.g. 0,2',
  );
}

function checkFlags(flags: readonly number[], text: string): readonly number[] {
  const bad = flags.filter((f) => !Number.isInteger(f) || f < 0 || f > 254);
  if (bad.length > 0 || flags.length === 0) {
    throw new NtlError(
      `Black Marble quality ${text}: flag values to keep are whole numbers 0–254 (0 good, 1 poor, 2 gap-filled; 255 is the fill value and never kept)`,
    );
  }
  return [...new Set(flags)].sort((a, b) => a - b);
}

export interface NameParts {
  readonly product: string;
  readonly year: number;
  readonly doy: number;
  /** "A2022001" */
  readonly date: string;
  readonly h?: number;
  readonly v?: number;
}

const NAME = /^(V[NJ][P12]46A[1-4])\.A(\d{4})(\d{3})(?:\.h(\d{2})v(\d{2}))?(?:\.|$)/i;

/** Product, period and tile from a LAADS file name; undefined when the name is not of that form. */
export function parseTileName(fileName: string): NameParts | undefined {
  const m = NAME.exec(fileName);
  if (!m) return undefined;
  const year = Number(m[2]),
    doy = Number(m[3]);
  return {
    product: m[1]!.toUpperCase(),
    year,
    doy,
    date: `A${m[2]}${m[3]}`,
    ...(m[4] !== undefined ? { h: Number(m[4]), v: Number(m[5]) } : {}),
  };
}

export function tileId(h: number, v: number): string {
  return `h${String(h).padStart(2, '0')}v${String(v).padStart(2, '0')}`;
}

/** Bounds of tile hXXvYY on the 10° grid. */
export function tileBounds(h: number, v: number): { west: number; east: number; north: number; south: number } {
  const west = -180 + TILE_DEGREES * h,
    north = 90 - TILE_DEGREES * v;
  return { west, east: west + TILE_DEGREES, north, south: north - TILE_DEGREES };
}

/** Month 1–12 of day-of-year `doy` in `year` (VNP46A3 files are named by the first day of their month). */
export function monthOfDoy(year: number, doy: number): number {
  const d = new Date(Date.UTC(year, 0, doy));
  return d.getUTCMonth() + 1;
}
