/**
 * Vector rasterisation into plain buffers: anti-aliased polylines into a coverage mask, and even-odd scanline
 * polygon fill. Inputs are interleaved pixel-space coordinates (see view.ts: pixel centres at i + 0.5).
 */

/** A per-pixel line coverage mask in [0, 1]; shared borders drawn twice do not get darker (max, not sum). */
export interface CoverageMask {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function createCoverage(width: number, height: number): CoverageMask {
  return { width, height, data: new Float32Array(width * height) };
}

function plot(m: CoverageMask, x: number, y: number, c: number): void {
  if (x < 0 || y < 0 || x >= m.width || y >= m.height || c <= 0) return;
  const o = y * m.width + x;
  if (c > m.data[o]) m.data[o] = c;
}

/**
 * Wu-style anti-aliased 1-px line: step along the major axis at every pixel centre the segment spans and split
 * coverage between the two pixels straddling it on the minor axis. Consecutive segments of a ring share
 * endpoints, so a ring of many sub-pixel segments still draws without gaps.
 */
export function drawLine(m: CoverageMask, ax: number, ay: number, bx: number, by: number): void {
  // shift so integer coordinates are pixel centres
  let x0 = ax - 0.5,
    y0 = ay - 0.5,
    x1 = bx - 0.5,
    y1 = by - 0.5;
  const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
  if (steep) [x0, y0, x1, y1] = [y0, x0, y1, x1];
  if (x0 > x1) [x0, y0, x1, y1] = [x1, y1, x0, y0];
  const dx = x1 - x0;
  const grad = dx === 0 ? 0 : (y1 - y0) / dx;
  const lim = steep ? m.height : m.width;
  const start = Math.max(Math.ceil(x0), 0),
    end = Math.min(Math.floor(x1), lim - 1);
  for (let x = start; x <= end; x++) {
    const y = y0 + grad * (x - x0);
    const yi = Math.floor(y);
    const f = y - yi;
    if (steep) {
      plot(m, yi, x, 1 - f);
      plot(m, yi + 1, x, f);
    } else {
      plot(m, x, yi, 1 - f);
      plot(m, x, yi + 1, f);
    }
  }
  // a segment shorter than a pixel that spans no centre still marks its pixel (keeps tiny islands visible)
  if (start > end && Math.floor(x1) < Math.ceil(x0)) {
    const px = Math.round((ax + bx) / 2 - 0.5),
      py = Math.round((ay + by) / 2 - 0.5);
    plot(m, px, py, 0.5);
  }
}

export function drawRing(m: CoverageMask, ring: Float64Array): void {
  for (let i = 0; i + 3 < ring.length; i += 2) drawLine(m, ring[i], ring[i + 1], ring[i + 2], ring[i + 3]);
}

/**
 * Even-odd fill of a set of rings (outer rings and holes of all parts together) sampled at pixel centres:
 * pixel (i, j) is inside when its centre (i + 0.5, j + 0.5) is. Calls `span(row, colStart, colEnd)` for each
 * inside run [colStart, colEnd), clipped to the image.
 */
export function fillRings(rings: readonly Float64Array[], width: number, height: number, span: (row: number, c0: number, c1: number) => void): void {
  let ymin = Infinity,
    ymax = -Infinity,
    nEdges = 0;
  for (const r of rings) {
    for (let i = 1; i < r.length; i += 2) {
      if (r[i] < ymin) ymin = r[i];
      if (r[i] > ymax) ymax = r[i];
    }
    nEdges += r.length / 2 - 1;
  }
  if (nEdges <= 0) return;
  // edge list, then for each row only edges whose y-range covers the row centre (sorted by top for early exit)
  const ex0 = new Float64Array(nEdges),
    ey0 = new Float64Array(nEdges),
    ex1 = new Float64Array(nEdges),
    ey1 = new Float64Array(nEdges);
  let n = 0;
  for (const r of rings) {
    for (let i = 0; i + 3 < r.length; i += 2) {
      const ya = r[i + 1],
        yb = r[i + 3];
      if (ya === yb) continue; // horizontal edges never cross a row centre under the half-open rule
      const up = ya < yb;
      ex0[n] = up ? r[i] : r[i + 2];
      ey0[n] = up ? ya : yb;
      ex1[n] = up ? r[i + 2] : r[i];
      ey1[n] = up ? yb : ya;
      n++;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ey0[a] - ey0[b] || a - b);
  const jStart = Math.max(0, Math.ceil(ymin - 0.5)),
    jEnd = Math.min(height - 1, Math.floor(ymax - 0.5));
  const xs: number[] = [];
  let active: number[] = [];
  let next = 0;
  for (let j = jStart; j <= jEnd; j++) {
    const yc = j + 0.5;
    while (next < n && ey0[order[next]] <= yc) active.push(order[next++]);
    active = active.filter((e) => ey1[e] > yc);
    xs.length = 0;
    for (const e of active) {
      // half-open [top, bottom): a vertex exactly on the row centre counts once
      xs.push(ex0[e] + ((yc - ey0[e]) * (ex1[e] - ex0[e])) / (ey1[e] - ey0[e]));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(xs[k] - 0.5));
      const c1 = Math.min(width, Math.ceil(xs[k + 1] - 0.5));
      if (c1 > c0) span(j, c0, c1);
    }
  }
}
