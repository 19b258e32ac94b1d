/**
 * Real-raster pairs for the weighting-raster golden (scripts/golden/weights-terra.R reads them, and
 * test/e2e/zonal-weights-golden.test.ts writes them again, bitwise the same, into a temporary folder):
 *
 * (The 2013 clip's origin lies a fraction of a cell off the 2022 clip's; its cells are placed on the 2022 grid by
 * index, so the weights are real values on grids related to the value grid exactly as described.)
 *
 *   coarser3   values: VIIRS-like 2022 Hunan (0.0045°, uint8, no-data 0), as shipped;
 *              weights: VIIRS-like 2013 summed over 3 × 3 cells, grid shifted one value cell west and north,
 *              float32, every weight cell with (7I + 3J) mod 11 = 0 set to no-data (−1)  → default weight 0.5
 *   finer3     values: VIIRS-like 2022 averaged over 3 × 3 cells (valid cells only; none valid → no-data −9999), float32;
 *              weights: VIIRS-like 2013 on the 2022 grid (uint8, no-data 0 = dark)       → default weight 0
 *   ratio2_5   values: VIIRS-like 2022 as shipped;
 *              weights: VIIRS-like 2013 summed by exact area overlap onto 2.5 × 2.5-cell weight cells, grid shifted
 *              half a value cell west and north (a pair exactextract refuses: non-integer ratio), float32
 *
 * Written with the project's own GeoTIFF writer (deflate, tiled 256).
 */
import { join } from 'node:path';
import { openRaster, writeGeoTiff } from '../../src/raster/index.js';
import type { GeoTransform, RasterInfo } from '../../src/raster/types.js';

export const WEIGHT_COUNTIES = ['430102', '430202', '430408', '431122', '431322'] as const;

export interface WeightCase {
  readonly name: 'coarser3' | 'finer3' | 'ratio2_5';
  readonly values: string;
  readonly weights: string;
  readonly defaultWeight: number | null;
}

async function readAll(path: string): Promise<{ info: RasterInfo; data: Float64Array }> {
  const src = await openRaster(path, { threads: 0 });
  try {
    const { width, height } = src.info;
    const data = new Float64Array(width * height);
    for await (const b of src.bands()) for (let i = 0; i < b.data.length; i++) data[b.row0 * width + i] = b.data[i]!;
    return { info: src.info, data };
  } finally {
    await src.close();
  }
}

/** 1-D overlap lengths: weight cell k spans [off + k·f, off + (k+1)·f] in value-cell units; value cell c spans [c, c+1]. */
function overlaps(n: number, f: number, off: number, nv: number): { c: number; len: number }[][] {
  const out: { c: number; len: number }[][] = [];
  for (let k = 0; k < n; k++) {
    const a = off + k * f,
      b = off + (k + 1) * f;
    const row: { c: number; len: number }[] = [];
    for (let c = Math.max(0, Math.floor(a)); c < Math.min(nv, Math.ceil(b)); c++) {
      const len = Math.min(b, c + 1) - Math.max(a, c);
      if (len > 0) row.push({ c, len });
    }
    out.push(row);
  }
  return out;
}

/** Sum of `data` (no-data 0 counts as 0) over weight cells of f × f value cells, origin `off` value cells from the value origin. */
function aggregateSum(data: Float64Array, nx: number, ny: number, f: number, off: number, wnx: number, wny: number): Float32Array {
  const ox = overlaps(wnx, f, off, nx),
    oy = overlaps(wny, f, off, ny);
  const out = new Float32Array(wnx * wny);
  for (let I = 0; I < wny; I++) {
    for (let J = 0; J < wnx; J++) {
      let s = 0;
      for (const y of oy[I]!) for (const x of ox[J]!) s += data[y.c * nx + x.c]! * y.len * x.len;
      out[I * wnx + J] = s;
    }
  }
  return out;
}

export async function writeWeightRasters(dataDir: string, outDir: string): Promise<WeightCase[]> {
  const v2022 = join(dataDir, 'viirs_like', '2022_8bit_hunan.tif');
  const v2013 = join(dataDir, 'viirs_like', '2013_8bit_hunan.tif');
  const a = await readAll(v2022),
    b = await readAll(v2013);
  const { width: nx, height: ny, geoTransform: gt, crs } = a.info;
  // The 2013 clip's origin is a fraction of a cell off the 2022 one; its cells are laid on the 2022 grid by index.
  if (b.info.width !== nx || b.info.height !== ny) throw new Error('the 2013 and 2022 clips must have the same size');
  const d = gt[1];
  const at = (dx: number, dy: number, cell: number): GeoTransform => [gt[0] + dx * d, cell, 0, gt[3] + dy * d, 0, -cell];

  // coarser3: 3 × 3 sums, shifted one cell west and north; a lattice of no-data cells.
  const c3nx = Math.ceil((nx + 1) / 3),
    c3ny = Math.ceil((ny + 1) / 3);
  const w3 = aggregateSum(b.data, nx, ny, 3, -1, c3nx, c3ny);
  for (let I = 0; I < c3ny; I++) for (let J = 0; J < c3nx; J++) if ((7 * I + 3 * J) % 11 === 0) w3[I * c3nx + J] = -1;
  const w3Path = join(outDir, 'weights_coarser3.tif');
  await writeGeoTiff(w3Path, { width: c3nx, height: c3ny, dtype: 'float32', geoTransform: at(-1, 1, 3 * d), crs, nodata: -1, predictor: 3 }, w3);

  // finer3: values averaged over 3 × 3 cells (valid cells only).
  const f3nx = Math.floor(nx / 3),
    f3ny = Math.floor(ny / 3);
  const v3 = new Float32Array(f3nx * f3ny);
  for (let I = 0; I < f3ny; I++) {
    for (let J = 0; J < f3nx; J++) {
      let s = 0,
        n = 0;
      for (let r = 3 * I; r < 3 * I + 3; r++)
        for (let c = 3 * J; c < 3 * J + 3; c++) {
          const x = a.data[r * nx + c]!;
          if (x !== 0) {
            s += x;
            n++;
          }
        }
      v3[I * f3nx + J] = n > 0 ? s / n : -9999;
    }
  }
  const v3Path = join(outDir, 'values_finer3.tif');
  await writeGeoTiff(v3Path, { width: f3nx, height: f3ny, dtype: 'float32', geoTransform: at(0, 0, 3 * d), crs, nodata: -9999, predictor: 3 }, v3);
  const wf3Path = join(outDir, 'weights_finer3.tif');
  await writeGeoTiff(wf3Path, { width: nx, height: ny, dtype: 'uint8', geoTransform: gt, crs, nodata: 0 }, b.data);

  // ratio2_5: exact-overlap sums onto 2.5-cell weight cells, shifted half a cell west and north.
  const r5nx = Math.ceil((nx + 0.5) / 2.5),
    r5ny = Math.ceil((ny + 0.5) / 2.5);
  const w25 = aggregateSum(b.data, nx, ny, 2.5, -0.5, r5nx, r5ny);
  const w25Path = join(outDir, 'weights_ratio2_5.tif');
  await writeGeoTiff(w25Path, { width: r5nx, height: r5ny, dtype: 'float32', geoTransform: at(-0.5, 0.5, 2.5 * d), crs, nodata: null, predictor: 3 }, w25);

  return [
    { name: 'coarser3', values: v2022, weights: w3Path, defaultWeight: 0.5 },
    { name: 'finer3', values: v3Path, weights: wf3Path, defaultWeight: 0 },
    { name: 'ratio2_5', values: v2022, weights: w25Path, defaultWeight: null },
  ];
}
