/** Shared assertions for the raster tests. */
import { expect } from 'vitest';
import proj4 from 'proj4';

/** Two proj4 definitions agree when they map the raster's corners to the same lon/lat (to ~1e-9 deg). */
export function expectSameCrs(ours: string, gdal: string, gt: number[]) {
  if (ours === gdal) return;
  const pts = [
    [gt[0], gt[3]],
    [gt[0] + 37 * gt[1], gt[3] + 23 * gt[5]],
    [gt[0] + 1e5 * gt[1], gt[3] - 1e5 * gt[1]],
  ];
  for (const p of pts) {
    const a = proj4(ours, 'EPSG:4326', p);
    const b = proj4(gdal, 'EPSG:4326', p);
    expect(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]), `${ours} vs ${gdal} at ${p}`).toBeLessThan(1e-9);
  }
}
