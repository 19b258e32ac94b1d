import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { centreCoverage, coverageFractions, CoverageScratch, CoverageSpans, exactCoverageSpans } from '../../src/zonal/coverage.js';
import { preparePolygon } from '../../src/zonal/prepare.js';
import type { CellWindow, Grid } from '../../src/zonal/grid.js';
import type { PolygonRings } from '../../src/vector/types.js';

interface GoldenCase {
  name: string;
  grid: Grid;
  window: CellWindow;
  parts: number[][][][];
  area: number;
  cells: [number, number, number][];
}

const load = (f: string): GoldenCase[] => JSON.parse(readFileSync(new URL(`../goldens/${f}`, import.meta.url), 'utf8'));
const goldens = [...load('coverage-synthetic.json'), ...load('coverage-hunan-430302.json'), ...load('coverage-hunan-431103.json')];

const toParts = (parts: number[][][][]): PolygonRings[] => parts.map((rings) => rings.map((r) => Float64Array.from(r.flat())));

function expected(gc: GoldenCase): Float64Array {
  const { row0, row1, col0, col1 } = gc.window;
  const nc = col1 - col0;
  const e = new Float64Array((row1 - row0) * nc);
  for (const [r, c, f] of gc.cells) e[(r - row0) * nc + (c - col0)] = f;
  return e;
}

/** Shoelace area of the parts in map units (outer minus holes). */
function shoelace(parts: PolygonRings[]): number {
  let a = 0;
  for (const rings of parts) {
    rings.forEach((r, i) => {
      let s = 0;
      for (let k = 0; k + 3 < r.length; k += 2) s += r[k] * r[k + 3] - r[k + 2] * r[k + 1];
      a += (i === 0 ? 1 : -1) * Math.abs(s / 2);
    });
  }
  return a;
}

describe('exact coverage vs shapely per-cell intersection (test/goldens)', () => {
  for (const gc of goldens) {
    it(`${gc.name}: every cell within 1e-9`, () => {
      const got = coverageFractions(toParts(gc.parts), gc.grid, gc.window);
      const want = expected(gc);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst).toBeLessThanOrEqual(1e-9);
      for (const v of got) expect(v >= 0 && v <= 1).toBe(true);
    });
  }
});

describe('coverage properties', () => {
  // Cases whose polygon lies wholly inside the grid and whose window is its whole bbox.
  const fullBBoxCases = goldens.filter((gc) => {
    const xs = gc.parts.flat(2).map((p) => p[0]),
      ys = gc.parts.flat(2).map((p) => p[1]);
    const g = gc.grid;
    return (
      !gc.name.startsWith('window') &&
      Math.min(...xs) >= g.xmin &&
      Math.max(...xs) <= g.xmin + g.nx * g.dx &&
      Math.max(...ys) <= g.ymax &&
      Math.min(...ys) >= g.ymax - g.ny * g.dy
    );
  });

  it('Σ coverage × cell area equals the shoelace area (1e-9 relative)', () => {
    for (const gc of fullBBoxCases) {
      const parts = toParts(gc.parts);
      const cov = coverageFractions(parts, gc.grid, gc.window);
      let s = 0;
      for (const v of cov) s += v;
      const a = shoelace(parts);
      expect(Math.abs(s * gc.grid.dx * gc.grid.dy - a) / a, gc.name).toBeLessThanOrEqual(1e-9);
    }
  });

  it('a row or column sub-window reproduces the full-window fractions (rows bitwise)', () => {
    for (const gc of fullBBoxCases) {
      const parts = toParts(gc.parts);
      const w = gc.window;
      const full = coverageFractions(parts, gc.grid, w);
      const nc = w.col1 - w.col0;
      for (let r = w.row0; r < w.row1; r++) {
        const one = coverageFractions(parts, gc.grid, { ...w, row0: r, row1: r + 1 });
        expect(Array.from(one)).toEqual(Array.from(full.subarray((r - w.row0) * nc, (r - w.row0 + 1) * nc)));
      }
      const cm = Math.floor((w.col0 + w.col1) / 2);
      const right = coverageFractions(parts, gc.grid, { ...w, col0: cm });
      const nr = w.col1 - cm;
      for (let r = 0; r < w.row1 - w.row0; r++) {
        for (let c = 0; c < nr; c++) {
          expect(Math.abs(right[r * nr + c] - full[r * nc + (c + cm - w.col0)])).toBeLessThanOrEqual(1e-13);
        }
      }
    }
  });

  it('the run-length form used by the engine equals the dense fractions bitwise (full and sub-windows)', () => {
    const spans = new CoverageSpans();
    const scratch = new CoverageScratch();
    for (const gc of goldens) {
      const parts = toParts(gc.parts);
      const p = preparePolygon(parts, gc.grid);
      const w0 = gc.window;
      const windows = [w0, { ...w0, row0: w0.row0 + 1, col0: w0.col0 + 2 }, { ...w0, row1: w0.row0 + 1 }, { ...w0, col1: Math.max(w0.col0 + 1, w0.col1 - 3) }];
      for (const w of windows) {
        if (w.row0 >= w.row1 || w.col0 >= w.col1) continue;
        const dense = coverageFractions(parts, gc.grid, w);
        exactCoverageSpans(p, w, spans, scratch);
        const nc = w.col1 - w.col0;
        const fromSpans = new Float64Array(dense.length);
        for (let rr = 0; rr < w.row1 - w.row0; rr++) {
          let last = -Infinity;
          for (let e = spans.rowStart[rr]; e < spans.rowStart[rr + 1]; e++) {
            expect(spans.from[e]).toBeGreaterThanOrEqual(Math.max(last, w.col0));
            expect(spans.to[e]).toBeLessThanOrEqual(w.col1);
            last = spans.to[e];
            for (let c = spans.from[e]; c < spans.to[e]; c++) fromSpans[rr * nc + c - w.col0] = spans.c[e];
          }
        }
        expect(Array.from(fromSpans), gc.name).toEqual(Array.from(dense));
      }
    }
  });

  it('random stars with holes on random grids: area conserved, fractions in [0,1], sub-windows consistent', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
    for (let t = 0; t < 200; t++) {
      const g: Grid = { xmin: -50 + rnd() * 100, ymax: -20 + rnd() * 80, dx: 0.01 + rnd(), dy: 0.01 + rnd(), nx: 40, ny: 40 };
      const cx = g.xmin + g.dx * (10 + rnd() * 20),
        cy = g.ymax - g.dy * (10 + rnd() * 20);
      const rmax = Math.min(g.dx, g.dy) * (0.3 + rnd() * 9.5);
      const n = 3 + Math.floor(rnd() * 40);
      const outer: number[] = [],
        hole: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n,
          r = rmax * (0.5 + 0.5 * rnd());
        outer.push(cx + r * Math.cos(a), cy + r * Math.sin(a));
        // hole: clockwise, within 0.2·rmax < the outer ring's smallest inner radius (0.5·rmax·cos 60°)
        const ah = -a,
          rh = rmax * 0.2 * (0.5 + 0.5 * rnd());
        hole.push(cx + rh * Math.cos(ah), cy + rh * Math.sin(ah));
      }
      outer.push(outer[0], outer[1]);
      hole.push(hole[0], hole[1]);
      const parts: PolygonRings[] = [[Float64Array.from(outer), ...(t % 2 === 0 ? [Float64Array.from(hole)] : [])]];
      const w = { row0: 0, row1: 40, col0: 0, col1: 40 };
      const cov = coverageFractions(parts, g, w);
      let sum = 0;
      for (const v of cov) {
        expect(v >= 0 && v <= 1).toBe(true);
        sum += v;
      }
      const area = shoelace(parts);
      expect(Math.abs(sum * g.dx * g.dy - area) / area, `case ${t}`).toBeLessThanOrEqual(1e-9);
      const sub = { row0: 5 + (t % 7), row1: 33, col0: 3 + (t % 11), col1: 37 };
      const part = coverageFractions(parts, g, sub);
      const nc = sub.col1 - sub.col0;
      for (let r = sub.row0; r < sub.row1; r++) {
        for (let c = sub.col0; c < sub.col1; c++) {
          expect(Math.abs(part[(r - sub.row0) * nc + c - sub.col0] - cov[r * 40 + c])).toBeLessThanOrEqual(1e-12);
        }
      }
    }
  });

  it('a polygon far larger than the window costs only the window and covers it fully', () => {
    const g: Grid = { xmin: 0, ymax: 10, dx: 1, dy: 1, nx: 10, ny: 10 };
    const huge = Float64Array.from([-1e9, -1e9, 1e9, -1e9, 1e9, 1e9, -1e9, 1e9, -1e9, -1e9]);
    const cov = coverageFractions([[huge]], g, { row0: 2, row1: 6, col0: 3, col1: 9 });
    expect(Array.from(cov)).toEqual(new Array(24).fill(1));
  });

  it('cells wholly inside are exactly 1 and wholly outside exactly 0', () => {
    const g: Grid = { xmin: 0, ymax: 20, dx: 1, dy: 1, nx: 20, ny: 20 };
    const ring = Float64Array.from([2.5, 2.5, 17.5, 2.5, 17.5, 17.5, 2.5, 17.5, 2.5, 2.5]);
    const cov = coverageFractions([[ring]], g, { row0: 0, row1: 20, col0: 0, col1: 20 });
    for (let r = 0; r < 20; r++) {
      for (let c = 0; c < 20; c++) {
        const v = cov[r * 20 + c];
        if (r >= 3 && r <= 16 && c >= 3 && c <= 16) expect(v).toBe(1);
        else if (r < 2 || r > 17 || c < 2 || c > 17) expect(v).toBe(0);
      }
    }
  });

  it('ring orientation does not matter: a reversed outer ring gives the same fractions', () => {
    const gc = goldens.find((g) => g.name === 'triangle')!;
    const parts = toParts(gc.parts);
    const rev = parts.map((rings) =>
      rings.map((r) => {
        const o = new Float64Array(r.length);
        for (let i = 0; i < r.length; i += 2) {
          o[i] = r[r.length - 2 - i];
          o[i + 1] = r[r.length - 1 - i];
        }
        return o;
      }),
    );
    const a = coverageFractions(rev, gc.grid, gc.window),
      b = coverageFractions(parts, gc.grid, gc.window);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-14);
  });
});

/**
 * Naive even-odd point-in-polygon over all rings, one cell at a time, in grid units (u = column,
 * v = row) so that centres lying exactly on an edge round the same way as in the kernel.
 */
function naiveInside(parts: PolygonRings[], g: Grid, uc: number, vc: number): boolean {
  let inside = false;
  for (const rings of parts) {
    for (const r of rings) {
      for (let k = 0; k + 3 < r.length; k += 2) {
        const u0 = (r[k] - g.xmin) / g.dx,
          v0 = (g.ymax - r[k + 1]) / g.dy;
        const u1 = (r[k + 2] - g.xmin) / g.dx,
          v1 = (g.ymax - r[k + 3]) / g.dy;
        if (v0 === v1) continue;
        // Half-open: an edge counts when min v <= vc < max v, and a crossing at or left of the centre flips.
        if (!(vc >= Math.min(v0, v1) && vc < Math.max(v0, v1))) continue;
        const uX = u0 + (vc - v0) * ((u1 - u0) / (v1 - v0));
        if (uX <= uc) inside = !inside;
      }
    }
  }
  return inside;
}

describe('centre rule', () => {
  it('matches a naive point-in-polygon at every cell centre', () => {
    for (const gc of goldens) {
      const parts = toParts(gc.parts);
      const w = gc.window;
      const cov = centreCoverage(parts, gc.grid, w);
      const nc = w.col1 - w.col0;
      let mismatches = 0;
      for (let r = w.row0; r < w.row1; r++) {
        for (let c = w.col0; c < w.col1; c++) {
          const want = naiveInside(parts, gc.grid, c + 0.5, r + 0.5) ? 1 : 0;
          if (cov[(r - w.row0) * nc + (c - w.col0)] !== want) mismatches++;
        }
      }
      expect(mismatches, gc.name).toBe(0);
    }
  });

  it('two polygons sharing an edge through cell centres claim each centre exactly once', () => {
    const g: Grid = { xmin: 0, ymax: 10, dx: 1, dy: 1, nx: 10, ny: 10 };
    const w = { row0: 0, row1: 10, col0: 0, col1: 10 };
    const a = Float64Array.from([0.5, 0.5, 4.5, 0.5, 4.5, 5.5, 0.5, 5.5, 0.5, 0.5]);
    const b = Float64Array.from([4.5, 0.5, 9.5, 0.5, 9.5, 5.5, 4.5, 5.5, 4.5, 0.5]);
    const c = Float64Array.from([0.5, 5.5, 9.5, 5.5, 9.5, 9.5, 0.5, 9.5, 0.5, 5.5]);
    const ca = centreCoverage([[a]], g, w),
      cb = centreCoverage([[b]], g, w),
      cc = centreCoverage([[c]], g, w);
    for (let i = 0; i < 100; i++) {
      const r = Math.floor(i / 10),
        col = i % 10;
      const inHull = r >= 1 && r <= 9 && col >= 1 && col <= 9 ? 1 : 0; // centres strictly inside or on the outer rim
      expect(ca[i] + cb[i] + cc[i]).toBeLessThanOrEqual(1);
      if (r >= 1 && r <= 8 && col >= 1 && col <= 8) expect(ca[i] + cb[i] + cc[i]).toBe(inHull);
    }
  });
});
