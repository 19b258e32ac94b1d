/** Whole-raster reads for the steps that need every pixel at once (SEAM, harmonisation, region fits). */
import { openRaster } from '../raster/index.js';
import type { RasterInfo } from '../raster/types.js';

export interface WholeRaster {
  readonly info: RasterInfo;
  readonly data: Float32Array;
}

/** The band as float32 (no-data values kept as they are; callers test `info.nodata`). */
export async function readWhole(path: string, threads?: number): Promise<WholeRaster> {
  const src = await openRaster(path, { threads });
  try {
    const data = new Float32Array(src.info.width * src.info.height);
    for await (const b of src.bands()) data.set(b.data, b.row0 * src.info.width);
    return { info: src.info, data };
  } finally {
    await src.close();
  }
}

/** Copy with the no-data value (and 255 when `dmsp`) turned into NaN. */
export function withNaN(r: WholeRaster, dmsp = false): Float32Array {
  const nd = r.info.nodata;
  const out = Float32Array.from(r.data);
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    if ((nd !== null && v === nd) || (dmsp && v === 255)) out[i] = NaN;
  }
  return out;
}
