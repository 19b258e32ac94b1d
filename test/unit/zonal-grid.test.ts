import { describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import { cellAreaKm2, cellBounds, gridFromTransform, windowForBBox } from '../../src/zonal/grid.js';

const expectNtl = (f: () => unknown, msg: RegExp) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(isNtlError(err)).toBe(true);
  expect((err as Error).message).toMatch(msg);
};

describe('grid', () => {
  it('builds a north-up grid and rejects rotated, south-up or degenerate transforms', () => {
    expect(gridFromTransform([73.5, 0.25, 0, 53.5, 0, -0.5], 10, 20)).toEqual({ xmin: 73.5, ymax: 53.5, dx: 0.25, dy: 0.5, nx: 10, ny: 20 });
    expectNtl(() => gridFromTransform([0, 1, 0.2, 0, 0, -1], 5, 5, 'a.tif'), /a\.tif: the raster is rotated.*gdalwarp/);
    expectNtl(() => gridFromTransform([0, 1, 0, 0, 0, 1], 5, 5, 'b.tif'), /north-up/);
    expectNtl(() => gridFromTransform([0, 0, 0, 0, 0, -1], 5, 5), /pixel width/);
    expectNtl(() => gridFromTransform([NaN, 1, 0, 0, 0, -1], 5, 5), /non-finite/);
  });

  it('cell edges come from the origin, and bbox windows do not pull in neighbours across exact edges', () => {
    const g = gridFromTransform([100, 0.1, 0, 40, 0, -0.1], 300, 200);
    const b = cellBounds(g, 7, 123);
    expect(b.xmin).toBe(100 + 123 * 0.1);
    expect(b.ymax).toBe(40 - 7 * 0.1);
    expect(windowForBBox(g, { xmin: 100, ymin: 39, xmax: 101, ymax: 40 })).toEqual({ row0: 0, row1: 10, col0: 0, col1: 10 });
    expect(windowForBBox(g, { xmin: 100.05, ymin: 39.05, xmax: 100.95, ymax: 39.95 })).toEqual({ row0: 0, row1: 10, col0: 0, col1: 10 });
    expect(windowForBBox(g, { xmin: 50, ymin: 10, xmax: 60, ymax: 20 })).toEqual({ row0: 200, row1: 200, col0: 0, col1: 0 });
  });

  it('spherical cell area: 15″ cells are 0.215 km² at the equator and 0.165 km² at 40°N (methods.md §1)', () => {
    const d = 1 / 240;
    const eq = gridFromTransform([0, d, 0, d, 0, -d], 1, 1);
    const n40 = gridFromTransform([0, d, 0, 40 + d / 2, 0, -d], 1, 1);
    expect(cellAreaKm2(eq, 0, true)).toBeCloseTo(0.215, 3);
    expect(cellAreaKm2(n40, 0, true)).toBeCloseTo(0.165, 3);
    // Independent form: the lat band's share of the sphere, 2πR²|Δ sin φ| · (Δλ / 360°) (its own
    // sine difference cancels to ~2e-12 relative on a 15″ cell, hence the tolerance).
    const R = 6378137,
      phi = (x: number) => (x * Math.PI) / 180;
    const band = (2 * Math.PI * R * R * Math.abs(Math.sin(phi(40 + d / 2)) - Math.sin(phi(40 - d / 2))) * (d / 360)) / 1e6;
    expect(Math.abs(cellAreaKm2(n40, 0, true) - band) / band).toBeLessThan(1e-11);
    expect(cellAreaKm2(gridFromTransform([500000, 500, 0, 0, 0, -400], 1, 1), 0, false)).toBe(0.2);
  });
});
