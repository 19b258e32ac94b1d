/**
 * Streamed SEAM (seam-stream.ts) against the whole-grid reference (seamCorrect): output bytes and fit statistics
 * identical for every strip height (1 row, not dividing the height, larger than the raster), band height, window,
 * block size, smoothing and renormalisation; on the Hunan demo raster via the real reader; and `ntl calibrate
 * intercalibrate --seam` (which streams) writes the reference's pixels.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCalibrateChain } from '../../src/calibrate/chain.js';
import { seamCorrect, SEAM_DEFAULTS, type SeamParams, type SeamResult } from '../../src/calibrate/seam.js';
import { seamStream, type RowStream } from '../../src/calibrate/seam-stream.js';
import { readWhole } from '../../src/calibrate/whole.js';
import { calibrateCommand } from '../../src/cli/calibrate-command.js';
import { openRaster } from '../../src/raster/index.js';
import { tempDir } from '../helpers/tmp.js';

/** Tests that run several commands or whole pipelines take 20–35 s on two busy cores: at least three times that. */
const LONG = 120_000;

const tmp = tempDir('seam-stream');
const DMSP = 'data/demo/dmsp_like/DMSP-like2018_hunan.tif';

/** Deterministic DMSP-like scene: bright cores with blooming halos, dark background, some no-data, some 63s. */
function scene(w: number, h: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const img = new Float32Array(w * h);
  const cores = Array.from({ length: Math.max(2, Math.round((w * h) / 150)) }, () => ({ x: rnd() * w, y: rnd() * h, a: 20 + rnd() * 50, r: 1 + rnd() * 4 }));
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let v = 0;
      for (const k of cores) v += k.a * Math.exp(-((c - k.x) ** 2 + (r - k.y) ** 2) / (2 * k.r * k.r));
      const dn = Math.min(63, Math.round(v + (rnd() - 0.5) * 2));
      img[r * w + c] = dn < 3 ? 0 : dn;
      if (rnd() < 0.01) img[r * w + c] = NaN;
    }
  }
  return img;
}

/** The raster as row bands of `band` rows (last one shorter), copied into one reused buffer like the CLI does. */
const bandsOf = (img: Float32Array, w: number, h: number, band: number): RowStream =>
  async function* () {
    const buf = new Float32Array(band * w);
    for (let r = 0; r < h; r += band) {
      const n = Math.min(band, h - r);
      buf.set(img.subarray(r * w, (r + n) * w));
      yield { data: buf.subarray(0, n * w), rows: n };
    }
  };

async function streamed(open: RowStream, w: number, h: number, p: SeamParams, strip: number) {
  const out = new Float32Array(w * h);
  let row = 0;
  const res = await seamStream(
    open,
    w,
    h,
    p,
    async (rows, n) => {
      expect(rows.length).toBe(n * w);
      out.set(rows, row * w);
      row += n;
    },
    strip,
  );
  expect(row).toBe(h);
  return { out, res };
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectSame(ref: SeamResult, got: Awaited<ReturnType<typeof streamed>>): void {
  expect(bytes(got.out).equals(bytes(ref.image))).toBe(true);
  expect(got.res.global).toEqual(ref.global);
  expect(got.res.blocks).toEqual(ref.blocks);
  expect([got.res.plpCount, got.res.totalIn, got.res.totalOut]).toEqual([ref.plpCount, ref.totalIn, ref.totalOut]);
}

describe('SEAM streamed in strips equals the whole-grid SEAM bit for bit', () => {
  const W = 53,
    H = 47;
  const img = scene(W, H, 7);
  const cases: [string, SeamParams][] = [
    ['defaults (global fit, window 7)', SEAM_DEFAULTS],
    ['window 3', { ...SEAM_DEFAULTS, window: 3 }],
    ['window 9, blocks of 13, few PLPs needed', { ...SEAM_DEFAULTS, window: 9, region: 13, minPlp: 5 }],
    ['blocks of 20 falling back to the global fit', { ...SEAM_DEFAULTS, region: 20, minPlp: 1000 }],
    ['no smoothing', { ...SEAM_DEFAULTS, smooth: false }],
    ['renormalise, blocks of 16', { ...SEAM_DEFAULTS, region: 16, minPlp: 10, renormalise: true }],
  ];
  for (const [name, p] of cases) {
    it(name, async () => {
      const ref = seamCorrect(Float32Array.from(img), W, H, p);
      expect(ref.plpCount).toBeGreaterThan(20);
      expect(Array.from(ref.image).some((v, i) => v !== img[i] && v === v)).toBe(true); // something was corrected
      for (const strip of [1, 2, 5, 13, 16, 46, 47, 100]) {
        for (const band of [1, 8, 47]) expectSame(ref, await streamed(bandsOf(img, W, H, band), W, H, p, strip));
      }
    });
  }

  it('a raster of one row and one column, and all dark', async () => {
    for (const [w, h] of [
      [40, 1],
      [1, 30],
      [9, 9],
    ] as const) {
      const a = scene(w, h, 3);
      for (const strip of [1, 4]) expectSame(seamCorrect(Float32Array.from(a), w, h), await streamed(bandsOf(a, w, h, 3), w, h, SEAM_DEFAULTS, strip));
    }
    const dark = new Float32Array(100);
    expectSame(seamCorrect(dark, 10, 10), await streamed(bandsOf(dark, 10, 10, 4), 10, 10, SEAM_DEFAULTS, 3));
  });

  it('the comparison can fail: SEAM on a strip alone (no halo, its own fit) differs from the reference', async () => {
    // sanity of the test itself: a strip-local SEAM (no halo) differs from the reference
    const ref = seamCorrect(Float32Array.from(img), W, H, SEAM_DEFAULTS);
    const top = img.subarray(0, 20 * W);
    const local = seamCorrect(Float32Array.from(top), W, 20, { ...SEAM_DEFAULTS });
    expect(bytes(local.image).equals(bytes(ref.image.subarray(0, 20 * W)))).toBe(false);
  });

  it(
    'the Hunan DMSP-like demo raster through the real reader, several strip heights',
    async () => {
      const whole = await readWhole(DMSP);
      const { width: w, height: h, nodata } = whole.info;
      const img = Float32Array.from(whole.data, (v) => (nodata !== null && v === nodata ? NaN : v));
      const open: RowStream = async function* () {
        const src = await openRaster(DMSP, { threads: 0 });
        try {
          for await (const b of src.bands()) yield { data: Float32Array.from(b.data, (v) => (nodata !== null && v === nodata ? NaN : v)), rows: b.rows };
        } finally {
          await src.close();
        }
      };
      for (const p of [SEAM_DEFAULTS, { ...SEAM_DEFAULTS, region: 50, minPlp: 30, renormalise: true }]) {
        const ref = seamCorrect(Float32Array.from(img), w, h, p);
        expect(ref.plpCount).toBeGreaterThan(100);
        for (const strip of [7, 64, 256, h - 1]) expectSame(ref, await streamed(open, w, h, p, strip));
      }
    },
    LONG,
  );

  it('ntl calibrate intercalibrate --seam (streamed) writes the whole-grid result', async () => {
    for (const extra of [[], ['--seam-region', '40', '--seam-renormalise']]) {
      const out = join(tmp, `seam${extra.length}.tif`);
      const err: string[] = [];
      const code = await calibrateCommand(
        ['intercalibrate', '--input', DMSP, '--satellite', 'F16', '--year', '2008', '--seam', ...extra, '--out', out, '--threads', '0'],
        { stdout: () => undefined, stderr: (t: string) => void err.push(t) },
      );
      expect(code).toBe(0);
      const raw = await readWhole(DMSP);
      const chain = buildCalibrateChain([{ step: 'intercalibrate', satellite: 'F16', year: 2008 }], 't');
      const win = chain.applyWindowSteps(
        { data: raw.data as never, rows: raw.info.height, width: raw.info.width, row0: 0, col0: 0 },
        { nodata: raw.info.nodata },
      );
      const ref = seamCorrect(Float32Array.from(win), raw.info.width, raw.info.height, {
        ...SEAM_DEFAULTS,
        ...(extra.length ? { region: 40, renormalise: true } : {}),
      });
      expect(err.join('')).toContain(`SEAM: ${ref.plpCount} pseudo-light pixels`);
      expect(err.join('')).toContain(`total ${ref.totalIn.toPrecision(8)} → ${ref.totalOut.toPrecision(8)}`);
      const got = await readWhole(out);
      expect(bytes(got.data).equals(bytes(ref.image))).toBe(true);
    }
  });
});
