/**
 * Raster quick-look maps: real Hunan VIIRS-like clip + counties (decodes, size, determinism, bright city vs dark
 * countryside, no-data colour, text drawn) and a synthetic raster whose pixels and outlines are known exactly
 * (orientation, registration of outlines, nodataAsZero). Rendered PNGs land in a temp folder removed afterwards;
 * set NTL_MAPS_TEST_OUT to a folder to keep them for viewing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import {
  NIGHT_STOPS,
  planRasterMap,
  RASTER_LEGEND_HEIGHT,
  RASTER_MAP_COLOURS,
  RASTER_TITLE_HEIGHT,
  renderRasterMap,
  samplePalette,
  toPixel,
} from '../../src/maps/index.js';
import { openRaster, shutdownDecodePool, type RasterInfo, type RasterSource, type RowBand, type BandWindow } from '../../src/raster/index.js';
import { readZones, reprojectZones, type Zone } from '../../src/vector/index.js';
import { tempDir } from '../helpers/tmp.js';
import { decodePng, rgbAt } from '../helpers/png.js';

const OUT = process.env.NTL_MAPS_TEST_OUT ?? tempDir('maps-raster');
const VIIRS = 'data/demo/viirs_like/2022_8bit_hunan.tif';

const lum = (c: readonly number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];

/** Ray-casting point-in-zone, independent of the map code. */
function inZone(z: Zone, x: number, y: number): boolean {
  let c = false;
  for (const p of z.parts)
    for (const r of p) {
      for (let i = 0; i + 3 < r.length; i += 2) {
        const x0 = r[i],
          y0 = r[i + 1],
          x1 = r[i + 2],
          y1 = r[i + 3];
        if (y0 > y !== y1 > y && x < x0 + ((y - y0) * (x1 - x0)) / (y1 - y0)) c = !c;
      }
    }
  return c;
}

let zones: readonly Zone[];
let source: RasterSource;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  zones = (await readZones('data/demo/hunan_counties.geojson', { idField: 'Code_County' })).zones;
  source = await openRaster(VIIRS, { threads: 0 });
});
afterAll(async () => {
  await source.close();
  shutdownDecodePool();
});

// points checked independently: the first lies in 芙蓉区 (Changsha centre), the second deep inside rural 沅陵县,
// where every VIIRS-like cell within ±15 cells is no-data (found by scanning the clip)
const CITY = { id: '430102', x: 112.99, y: 28.19 };
const RURAL = { id: '431222', x: 110.455, y: 28.218 };

describe('renderRasterMap on the Hunan 2022 VIIRS-like clip', () => {
  it('decodes with the planned size, keeps the ground aspect, is byte-identical across runs', async () => {
    const opts = { maxSize: 800, title: 'Hunan 2022 VIIRS-like (湖南)', legendLabel: 'DN' };
    const a = await renderRasterMap(source, zones, opts);
    writeFileSync(`${OUT}/hunan-viirs-2022.png`, a);
    const meta = await sharp(a).metadata();
    expect(meta.format).toBe('png');
    const plan = planRasterMap(source.info, zones, opts);
    // Hunan is taller than wide once longitude is scaled by cos(27.4°): the height is the long side
    expect(plan.view.height).toBe(800);
    const expectW = Math.round((800 * (114.254898 - 108.786094) * Math.cos((27.384 * Math.PI) / 180)) / (30.128203 - 24.640218));
    expect(Math.abs(plan.view.width - expectW)).toBeLessThanOrEqual(3);
    expect([meta.width, meta.height]).toEqual([plan.view.width, RASTER_TITLE_HEIGHT + 800 + RASTER_LEGEND_HEIGHT]);
    const b = await renderRasterMap(source, zones, opts);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  });

  it('puts Changsha bright and rural Yuanling dark at the right places; no-data gets the no-data colour', async () => {
    expect(inZone(zones.find((z) => z.id === CITY.id)!, CITY.x, CITY.y)).toBe(true);
    expect(inZone(zones.find((z) => z.id === RURAL.id)!, RURAL.x, RURAL.y)).toBe(true);
    const opts = { maxSize: 800 };
    const plan = planRasterMap(source.info, zones, opts);
    const img = await decodePng(await renderRasterMap(source, zones, opts));
    const at = (p: { x: number; y: number }) => {
      const [x, y] = toPixel(plan.view, p.x, p.y);
      // sanity: pixel position from the extent alone (north-up, x scaled by cos φ), independent of the view math
      const gx = ((p.x - 108.786094) / (114.254898 - 108.786094)) * plan.view.width;
      expect(Math.abs(x - gx)).toBeLessThan(plan.view.width * 0.02);
      const gy = ((30.128203 - p.y) / (30.128203 - 24.640218)) * plan.view.height;
      expect(Math.abs(y - gy)).toBeLessThan(plan.view.height * 0.02);
      return [plan.left + x, plan.top + y] as const;
    };
    const [cx, cy] = at(CITY),
      [rx, ry] = at(RURAL);
    const meanLum = (x0: number, y0: number) => {
      let s = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) s += lum(rgbAt(img, x0 + dx, y0 + dy));
      return s / 25;
    };
    expect(meanLum(cx, cy)).toBeGreaterThan(150);
    expect(meanLum(cx, cy)).toBeGreaterThan(meanLum(rx, ry) + 100);
    // the rural interior is all no-data: exactly the no-data colour (outlines are ≥ 10 px away)
    for (let d = -2; d <= 2; d++) expect(rgbAt(img, rx + d, ry - d)).toEqual([...RASTER_MAP_COLOURS.nodata]);

    // with nodataAsZero the same pixels are value 0 → the bottom of the ramp (black)
    const zero = await decodePng(await renderRasterMap(source, zones, { ...opts, nodataAsZero: true }));
    expect(rgbAt(zero, rx, ry)).toEqual([...samplePalette(NIGHT_STOPS, 0)]);
  });

  it('actually draws the title and legend text (SVG overlay renders)', async () => {
    const withText = await decodePng(await renderRasterMap(source, zones, { maxSize: 400, title: 'Hunan NTL 2022' }));
    const frame = RASTER_MAP_COLOURS.frame;
    const countNonFrame = (y0: number, y1: number, x0: number, x1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          const c = rgbAt(withText, x, y);
          if (Math.abs(c[0] - frame[0]) + Math.abs(c[1] - frame[1]) + Math.abs(c[2] - frame[2]) > 60) n++;
        }
      return n;
    };
    expect(countNonFrame(4, RASTER_TITLE_HEIGHT - 4, 8, 150)).toBeGreaterThan(100); // title glyphs
    const legendTop = RASTER_TITLE_HEIGHT + 400;
    expect(countNonFrame(legendTop + 28, legendTop + 40, 8, 300)).toBeGreaterThan(30); // tick labels under the bar
    expect(countNonFrame(legendTop + 44, legendTop + 56, 8, 300)).toBeGreaterThan(30); // scale note
  });

  it('renders a projected (Albers) raster with reprojected zones, without aspect scaling', async () => {
    const dmsp = await openRaster('data/demo/dmsp_like/DMSP-like2020_hunan.tif', { threads: 0 });
    try {
      const set = await readZones('data/demo/hunan_counties.geojson', { idField: 'Code_County' });
      const projected = reprojectZones(set, dmsp.info.crs!).zones;
      const opts = { maxSize: 600, title: 'DMSP-like 2020 (Albers)' };
      const plan = planRasterMap(dmsp.info, projected, opts);
      expect(plan.geographic).toBe(false);
      const w = plan.window;
      // square 1 km cells: the map keeps the window's cell aspect
      expect(plan.view.width / plan.view.height).toBeCloseTo((w.col1 - w.col0) / (w.row1 - w.row0), 2);
      const png = await renderRasterMap(dmsp, projected, opts);
      writeFileSync(`${OUT}/hunan-dmsp-2020.png`, png);
      expect((await sharp(png).metadata()).height).toBe(plan.height);
    } finally {
      await dmsp.close();
    }
  });

  it('rejects empty zones, zones outside the raster and bad options with NtlError', async () => {
    await expect(renderRasterMap(source, [])).rejects.toThrow(NtlError);
    await expect(renderRasterMap(source, [{ id: 'x', attributes: {}, parts: [] }])).rejects.toThrow(/no zone polygons/);
    const far: Zone = { id: 'far', attributes: {}, parts: [[Float64Array.of(0, 0, 1, 0, 1, 1, 0, 1, 0, 0)]] };
    await expect(renderRasterMap(source, [far])).rejects.toThrow(/do not overlap the raster/);
    await expect(renderRasterMap(source, zones, { maxSize: 5 })).rejects.toThrow(NtlError);
    await expect(renderRasterMap(source, zones, { percentile: 0 })).rejects.toThrow(NtlError);
  });
});

/** In-memory raster: 40 × 30 cells of 10 m, origin (1000, 5000), blocks of 8 rows. */
function syntheticSource(values: Float32Array, nodata: number): RasterSource {
  const info: RasterInfo = {
    path: 'synthetic.tif',
    width: 40,
    height: 30,
    bandCount: 1,
    band: 1,
    dtype: 'float32',
    geoTransform: [1000, 10, 0, 5000, 0, -10],
    crs: null,
    nodata,
    blockWidth: 40,
    blockHeight: 8,
    tiled: false,
    compression: 'none',
    bigTiff: false,
  };
  return {
    info,
    async *bands(w: BandWindow = {}): AsyncIterable<RowBand> {
      const r0 = w.rowStart ?? 0,
        r1 = w.rowEnd ?? 30,
        c0 = w.colStart ?? 0,
        c1 = w.colEnd ?? 40;
      for (let r = r0; r < r1; r = Math.min(r1, (Math.floor(r / 8) + 1) * 8)) {
        const rows = Math.min(r1, (Math.floor(r / 8) + 1) * 8) - r;
        const data = new Float32Array(rows * (c1 - c0));
        for (let i = 0; i < rows; i++) data.set(values.subarray((r + i) * 40 + c0, (r + i) * 40 + c1), i * (c1 - c0));
        yield { row0: r, rows, col0: c0, width: c1 - c0, data };
      }
    },
    async close() {},
  };
}

const rect = (id: string, x0: number, y0: number, x1: number, y1: number): Zone => ({
  id,
  attributes: {},
  parts: [[Float64Array.of(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)]],
});

describe('renderRasterMap on a synthetic raster (exact pixels)', () => {
  // value 1 everywhere; a bright block (100) at rows 5–9, cols 4–11 (north-west); no-data at rows 20–29, cols 30–39
  const values = new Float32Array(40 * 30).fill(1);
  for (let r = 5; r < 10; r++) for (let c = 4; c < 12; c++) values[r * 40 + c] = 100;
  for (let r = 20; r < 30; r++) for (let c = 30; c < 40; c++) values[r * 40 + c] = -9999;
  values[0] = NaN; // NaN is always no-data
  const src = syntheticSource(values, -9999);
  const whole = rect('all', 1000, 4700, 1400, 5000);
  const block = rect('block', 1040, 4900, 1120, 4950); // exactly the bright cells' edges

  it('is north-up with 10 px per cell, colours values and no-data as specified', async () => {
    const plan = planRasterMap(src.info, [whole], { maxSize: 400 });
    expect([plan.view.width, plan.view.height]).toEqual([400, 300]);
    const img = await decodePng(await renderRasterMap(src, [whole], { maxSize: 400, outlineAlpha: 0 }));
    const T = plan.top,
      L = plan.left;
    const top = samplePalette(NIGHT_STOPS, 1);
    expect(rgbAt(img, L + 45, T + 55)).toEqual([...top]); // bright block, top-left
    expect(rgbAt(img, L + 115, T + 95)).toEqual([...top]);
    expect(rgbAt(img, L + 125, T + 55)).not.toEqual([...top]); // just east of the block
    expect(rgbAt(img, L + 45, T + 105)).not.toEqual([...top]); // just south of the block
    const one = samplePalette(NIGHT_STOPS, Math.round((Math.log1p(1) / Math.log1p(100)) * 255) / 255);
    expect(rgbAt(img, L + 200, T + 150)).toEqual([...one]);
    expect(rgbAt(img, L + 350, T + 250)).toEqual([...RASTER_MAP_COLOURS.nodata]);
    expect(rgbAt(img, L + 5, T + 5)).toEqual([...RASTER_MAP_COLOURS.nodata]); // the NaN cell
    const zero = await decodePng(await renderRasterMap(src, [whole], { maxSize: 400, outlineAlpha: 0, nodataAsZero: true }));
    expect(rgbAt(zero, L + 350, T + 250)).toEqual([...samplePalette(NIGHT_STOPS, 0)]);
  });

  it('registers outlines on the cell edges they follow', async () => {
    const zs = [whole, block];
    const plan = planRasterMap(src.info, zs, { maxSize: 400 });
    const T = plan.top,
      L = plan.left;
    const bare = await decodePng(await renderRasterMap(src, zs, { maxSize: 400, outlineAlpha: 0 }));
    const lined = await decodePng(await renderRasterMap(src, zs, { maxSize: 400, outlineAlpha: 1 }));
    writeFileSync(`${OUT}/synthetic-outlines.png`, await renderRasterMap(src, zs, { maxSize: 400, outlineAlpha: 1 }));
    const changed = (x: number, y: number) => rgbAt(bare, L + x, T + y).some((v, k) => v !== rgbAt(lined, L + x, T + y)[k]);
    // the block's west edge is x = 40 px, its north edge y = 50 px: the 1-px line straddles pixels 39|40 and 49|50
    expect(changed(39, 75) && changed(40, 75)).toBe(true);
    expect(changed(37, 75) || changed(42, 75)).toBe(false);
    expect(changed(80, 49) && changed(80, 50)).toBe(true);
    expect(changed(80, 47) || changed(80, 52)).toBe(false);
    expect(changed(119, 75) && changed(120, 75)).toBe(true); // east edge x = 120
    expect(changed(80, 99) && changed(80, 100)).toBe(true); // south edge y = 100
    expect(changed(200, 200)).toBe(false);
  });
});
