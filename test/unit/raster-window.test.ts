/** Windowed streaming: crops, block alignment, and that only blocks touching the window are decoded. */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRaster, planBands, shutdownDecodePool, type BandWindow, type RowBand } from '../../src/raster/index.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'raster');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as {
  fixtures: { file: string; bands: string[]; width: number; height: number }[];
};
const expectedOf = (file: string) => {
  const f = manifest.fixtures.find((x) => x.file === file)!;
  const buf = readFileSync(join(DIR, f.bands[0]));
  return { ...f, pixels: new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) };
};

async function collect(file: string, window: BandWindow, opts: { threads?: number; bandPixels?: number } = {}) {
  const src = await openRaster(join(DIR, file), opts);
  const bands: RowBand[] = [];
  try {
    for await (const b of src.bands(window)) bands.push({ ...b, data: b.data.slice() });
  } finally {
    await src.close();
  }
  return { bands, info: src.info };
}

afterAll(() => shutdownDecodePool());

// int16 fixtures, 37 × 23: tiled 16 × 16, and striped with 5 rows per strip
const CASES = ['int16_deflate_tile_p2.tif', 'int16_lzw_strip_p2.tif', 'int16_none_tile_p1.tif'];
const WINDOWS: BandWindow[] = [
  {},
  { colStart: 16, colEnd: 32 }, // exactly the middle tile column
  { colStart: 3, colEnd: 20 }, // straddles tile columns
  { rowStart: 7, rowEnd: 19 }, // row subset, not block aligned
  { rowStart: 16, rowEnd: 23, colStart: 32, colEnd: 37 }, // bottom-right partial tile only
  { rowStart: 22, rowEnd: 23, colStart: 36, colEnd: 37 }, // last pixel
  { rowStart: 5, rowEnd: 6, colStart: 0, colEnd: 37 }, // a single row
];

describe('windows return exactly the GDAL pixels of the crop', () => {
  for (const file of CASES) {
    for (const w of WINDOWS) {
      for (const opts of [{ threads: 0, bandPixels: 1 }, { threads: 2, bandPixels: 1 }, { threads: 2 }]) {
        it(`${file} ${JSON.stringify(w)} ${JSON.stringify(opts)}`, async () => {
          const exp = expectedOf(file);
          const { bands, info } = await collect(file, w, opts);
          const r0 = w.rowStart ?? 0,
            r1 = w.rowEnd ?? exp.height,
            c0 = w.colStart ?? 0,
            c1 = w.colEnd ?? exp.width;
          let row = r0;
          for (const b of bands) {
            expect(b.row0).toBe(row);
            expect([b.col0, b.width]).toEqual([c0, c1 - c0]);
            expect(b.data.length).toBe(b.rows * b.width);
            // block alignment: a band ends on a block boundary or at the window's end
            const end = b.row0 + b.rows;
            expect(end === r1 || end % info.blockHeight === 0).toBe(true);
            if (b !== bands[0]) expect(b.row0 % info.blockHeight).toBe(0);
            if (opts.bandPixels === 1) expect(Math.floor((end - 1) / info.blockHeight)).toBe(Math.floor(b.row0 / info.blockHeight));
            for (let r = 0; r < b.rows; r++) {
              const got = Array.from(b.data.subarray(r * b.width, (r + 1) * b.width));
              const want = Array.from(exp.pixels.subarray((b.row0 + r) * exp.width + c0, (b.row0 + r) * exp.width + c1));
              expect(got, `row ${b.row0 + r}`).toEqual(want);
            }
            row = end;
          }
          expect(row).toBe(r1);
        });
      }
    }
  }
});

describe('band planning', () => {
  const layout = { blockHeight: 128 } as Parameters<typeof planBands>[0];
  it('one tile row per band for wide rasters, several for narrow ones, clipped to the window', () => {
    expect(planBands(layout, 0, 300, 13713, 1 << 20)).toEqual([
      { row0: 0, rows: 128, blockRow0: 0, blockRow1: 1 },
      { row0: 128, rows: 128, blockRow0: 1, blockRow1: 2 },
      { row0: 256, rows: 44, blockRow0: 2, blockRow1: 3 },
    ]);
    expect(planBands(layout, 100, 1000, 1000, 1 << 20)).toEqual([{ row0: 100, rows: 900, blockRow0: 0, blockRow1: 8 }]);
  });
});

describe('only blocks touching the window are decoded', () => {
  // corrupt_deflate.tif has garbage in tile (1,1) = rows 16..31, cols 16..31
  const file = join(DIR, 'bad', 'corrupt_deflate.tif');
  it('a window that avoids the corrupt tile reads fine', async () => {
    for (const w of [
      { colStart: 0, colEnd: 16 },
      { rowStart: 0, rowEnd: 16 },
      { colStart: 32, colEnd: 37 },
    ]) {
      const src = await openRaster(file, { threads: 2 });
      let n = 0;
      for await (const b of src.bands(w)) n += b.data.length;
      await src.close();
      expect(n).toBeGreaterThan(0);
    }
  });
  it('a window touching it fails naming the tile', async () => {
    const src = await openRaster(file, { threads: 2 });
    const read = async () => {
      for await (const _ of src.bands({ colStart: 31, colEnd: 33 })) void _;
    };
    await expect(read()).rejects.toThrow(/corrupt DEFLATE data in tile \(1,1\)/);
    await src.close();
  });
});

describe('window validation', () => {
  it('rejects windows outside the raster with a clear message', async () => {
    const src = await openRaster(join(DIR, 'int16_deflate_tile_p2.tif'));
    const read = async (w: BandWindow) => {
      for await (const _ of src.bands(w)) void _;
    };
    await expect(read({ rowStart: 0, rowEnd: 24 })).rejects.toThrow(/outside .*int16_deflate_tile_p2\.tif \(23 rows × 37 cols/);
    await expect(read({ colStart: 5, colEnd: 2 })).rejects.toThrow(/window rows 0\.\.23, cols 5\.\.2/);
    await src.close();
  });
});

describe("hinted cells and reused buffers (the zonal engine's ReadHint)", () => {
  for (const threads of [0, 2]) {
    it(`tiles: hinted cells are exact, other tiles are not decoded (threads ${threads})`, async () => {
      const file = 'int16_deflate_tile_p2.tif';
      const exp = expectedOf(file);
      // rows 0–15 need columns 3–5 only (tile column 0); later rows need 20–22 and 33–36 (tile columns 1 and 2)
      const cells = [
        { row0: 0, row1: 16, col0: 3, col1: 5 },
        { row0: 16, row1: 23, col0: 20, col1: 22 },
        { row0: 16, row1: 23, col0: 33, col1: 36 },
      ];
      const src = await openRaster(join(DIR, file), { threads, bandPixels: 1 });
      const seen: number[][] = [];
      try {
        for await (const b of src.bands(undefined, { cells, reuseBuffers: true })) {
          for (let r = 0; r < b.rows; r++) {
            const cols = b.row0 + r < 16 ? [3, 4] : [20, 21, 33, 34, 35];
            for (const c of cols) expect(b.data[r * b.width + c - b.col0], `row ${b.row0 + r} col ${c}`).toBe(exp.pixels[(b.row0 + r) * exp.width + c]);
            // a tile no hinted cell touches is left undecoded (zero-filled in a fresh buffer)
            if (b.row0 === 0) seen.push([b.data[r * b.width + 20]!, b.data[r * b.width + 36]!]);
          }
        }
      } finally {
        await src.close();
      }
      expect(seen.length).toBe(16);
      expect(seen.flat().every((v) => v === 0)).toBe(true);
      expect(exp.pixels.slice(0, 16 * exp.width).some((v, i) => i % exp.width >= 16 && v !== 0)).toBe(true);
    });
  }
});
