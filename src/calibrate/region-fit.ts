/**
 * Fits over user polygons, with the files read here (region.ts holds the arithmetic):
 *  fitIntercalibrationOverRegion — own inter-calibration coefficients, the reference regressed on the target over an
 *    invariant region (the record `ntl calibrate fit-intercalibration` writes; usable as `intercalibrate: coefficients:`);
 *  capFromCorePolygons — the VIIRS outlier cap from city-core polygons (`ntl calibrate denoise --cap-cores`);
 *  percentileOfPositive — the VIIRS cap at a percentile of the positive pixels (`--cap-percentile`).
 */
import { NtlError } from '../errors.js';
import type { CrsDef } from '../geo/crs.js';
import { openRaster } from '../raster/index.js';
import { readZones, reprojectZones } from '../vector/index.js';
import { checkSameGrid } from './align.js';
import { capFromCores, fitIntercalibration, regionMask, type RegionRule } from './region.js';
import { readWhole } from './whole.js';

export const REGION_RULES: readonly RegionRule[] = ['coverage', 'centre'];

/** Polygons → a mask on the raster's grid (reprojected to its CRS first). */
export async function polygonMask(
  path: string,
  idField: string,
  info: Parameters<typeof regionMask>[1] & { crs: CrsDef | null },
  rule: RegionRule,
): Promise<Uint8Array> {
  let zones = await readZones(path, { idField });
  if (info.crs) zones = reprojectZones(zones, info.crs);
  return regionMask(
    zones.zones.map((z) => z.parts),
    info,
    rule,
  );
}

export interface RegionFitOptions {
  /** The reference image (e.g. F12 1999): the scale the coefficients map onto. */
  readonly reference: string;
  /** The image to calibrate (same grid). */
  readonly target: string;
  /** Invariant-region polygons and their id field. */
  readonly region: string;
  readonly regionId: string;
  readonly rule?: RegionRule;
  readonly minDn?: number;
  readonly maxDn?: number;
}

/** The JSON record of an invariant-region fit (key order is the file's). */
export interface RegionFitRecord {
  readonly model: string;
  readonly coefficients: { readonly c0: number; readonly c1: number; readonly c2: number };
  readonly r2: number;
  readonly n: number;
  readonly reference: string;
  readonly target: string;
  readonly region: string;
  readonly region_rule: RegionRule;
  readonly min_dn: number | null;
  readonly max_dn: number | null;
}

export async function fitIntercalibrationOverRegion(o: RegionFitOptions, threads?: number): Promise<RegionFitRecord> {
  const rule = o.rule ?? 'coverage';
  const ref = await readWhole(o.reference, threads),
    tgt = await readWhole(o.target, threads);
  checkSameGrid(ref.info, tgt.info, '--input');
  const mask = await polygonMask(o.region, o.regionId, ref.info, rule);
  const fit = fitIntercalibration(ref.data, tgt.data, mask, {
    refNodata: ref.info.nodata,
    targetNodata: tgt.info.nodata,
    ...(o.minDn !== undefined ? { minDn: o.minDn } : {}),
    ...(o.maxDn !== undefined ? { maxDn: o.maxDn } : {}),
  });
  return {
    model: 'DN_ref = c0 + c1*DN + c2*DN^2 (reference regressed on target)',
    coefficients: { c0: fit.c0, c1: fit.c1, c2: fit.c2 },
    r2: fit.r2,
    n: fit.n,
    reference: o.reference,
    target: o.target,
    region: o.region,
    region_rule: rule,
    min_dn: o.minDn ?? null,
    max_dn: o.maxDn ?? null,
  };
}

/** The VIIRS cap: the maximum valid value of `raster` inside the core polygons. */
export async function capFromCorePolygons(
  raster: string,
  cores: string,
  idField: string,
  rule: RegionRule = 'coverage',
  threads?: number,
): Promise<{ cap: number; cells: number }> {
  const v = await readWhole(raster, threads);
  const mask = await polygonMask(cores, idField, v.info, rule);
  return capFromCores(v.data, mask, v.info.nodata);
}

/** The p-th percentile (linear interpolation) of the positive valid values: one streaming pass over a histogram
 *  of float32 bit patterns would be exact; for simplicity we collect the positive values (VIIRS lit pixels are few). */
export async function percentileOfPositive(path: string, p: number, threads?: number): Promise<number> {
  const src = await openRaster(path, { threads });
  const vals: number[] = [];
  try {
    for await (const b of src.bands()) {
      for (let i = 0; i < b.data.length; i++) {
        const v = b.data[i] as number;
        if (v > 0 && v !== src.info.nodata) vals.push(v);
      }
    }
  } finally {
    await src.close();
  }
  if (vals.length === 0) throw new NtlError(`${path}: no positive pixels, so --cap-percentile has nothing to rank; use --cap <radiance>`);
  const s = Float64Array.from(vals).sort();
  const h = (s.length - 1) * (p / 100);
  const lo = Math.floor(h);
  return (s[lo] as number) + (h - lo) * ((s[Math.ceil(h)] as number) - (s[lo] as number));
}
