/** Small pure pieces of maps/: number text, palettes, class breaks, scanline fill and line drawing. */
import { describe, expect, it } from 'vitest';
import { classOf, formatNumber, NIGHT_STOPS, paletteLut, quantileClasses, samplePalette, SEQUENTIAL_STOPS } from '../../src/maps/index.js';
import { createCoverage, drawLine, fillRings } from '../../src/maps/draw.js';
import { escapeXml } from '../../src/maps/text.js';

describe('formatNumber', () => {
  it('is compact and locale-independent', () => {
    expect([0, 1, 0.5, 0.012345, 12.345, 999.4, 1234.5, 1279469, -4096.2, 1e-9].map(formatNumber)).toEqual([
      '0',
      '1',
      '0.5',
      '0.0123',
      '12.3',
      '999',
      '1,235',
      '1,279,469',
      '-4,096',
      '1e-9',
    ]);
  });
});

describe('palettes', () => {
  const luminance = (c: readonly number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  it('night ramp gets brighter monotonically, from black; sequential ramp darker', () => {
    const lut = paletteLut(NIGHT_STOPS);
    expect([lut[0], lut[1], lut[2]]).toEqual([0, 0, 0]);
    for (let i = 1; i < 256; i++) {
      expect(luminance([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]])).toBeGreaterThanOrEqual(luminance([lut[i * 3 - 3], lut[i * 3 - 2], lut[i * 3 - 1]]));
    }
    for (let t = 0.05; t <= 1; t += 0.05) {
      expect(luminance(samplePalette(SEQUENTIAL_STOPS, t))).toBeLessThanOrEqual(luminance(samplePalette(SEQUENTIAL_STOPS, t - 0.05)));
    }
  });
  it('escapes markup in titles', () => {
    expect(escapeXml('a<b & "c"\u0001')).toBe('a&lt;b &amp; &quot;c&quot;');
  });
});

describe('quantile classes', () => {
  it('splits ranks evenly and merges tied breaks', () => {
    const c = quantileClasses([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(c.upper).toEqual([2, 4, 6, 8, 10]);
    expect([1, 2, 2.5, 10].map((v) => classOf(c, v))).toEqual([0, 0, 1, 4]);
    expect(quantileClasses([3, 3, 3, 3, 9], 4).upper).toEqual([3, 9]);
  });
});

describe('fillRings (even-odd at pixel centres)', () => {
  it('matches a brute-force point-in-polygon test on random polygons with holes', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 20; trial++) {
      const rings: Float64Array[] = [];
      for (let r = 0; r < 2; r++) {
        const n = 3 + Math.floor(rnd() * 8);
        const pts: number[] = [];
        for (let i = 0; i < n; i++) pts.push(rnd() * 40 - 5, rnd() * 30 - 5);
        pts.push(pts[0], pts[1]);
        rings.push(Float64Array.from(pts));
      }
      const got = new Uint8Array(30 * 20);
      fillRings(rings, 30, 20, (row, c0, c1) => {
        for (let x = c0; x < c1; x++) got[row * 30 + x]++;
      });
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 30; x++) {
          const cx = x + 0.5,
            cy = y + 0.5;
          let inside = false;
          for (const ring of rings)
            for (let i = 0; i + 3 < ring.length; i += 2) {
              const [x0, y0, x1, y1] = [ring[i], ring[i + 1], ring[i + 2], ring[i + 3]];
              if (y0 <= cy !== y1 <= cy && cx < x0 + ((cy - y0) * (x1 - x0)) / (y1 - y0)) inside = !inside;
            }
          expect(got[y * 30 + x], `trial ${trial} (${x}, ${y})`).toBe(inside ? 1 : 0);
        }
    }
  });
});

describe('drawLine', () => {
  it('covers every column of a shallow line and every row of a steep one, splitting coverage', () => {
    const m = createCoverage(20, 20);
    drawLine(m, 0.5, 3.5, 19.5, 8.5);
    for (let x = 0; x < 20; x++) {
      let s = 0;
      for (let y = 0; y < 20; y++) s += m.data[y * 20 + x];
      expect(s).toBeCloseTo(1, 5);
    }
    const v = createCoverage(20, 20);
    drawLine(v, 10, 0.5, 10, 19.5); // on the boundary between columns 9 and 10
    for (let y = 0; y < 20; y++) expect([v.data[y * 20 + 9], v.data[y * 20 + 10]]).toEqual([0.5, 0.5]);
  });
});
