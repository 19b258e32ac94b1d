/**
 * Streamed Pareto (pareto-stream.ts) against the whole-grid reference (paretoAdjust): identical float32 bytes for
 * DN ranking and proxy ranking with many ties, any band height; NaN proxy on a pixel ≥ L refuses (caller falls
 * back); `ntl calibrate --pareto [--pareto-rank]` (streamed) writes the reference's pixels on the Hunan demo.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCalibrateChain } from '../../src/calibrate/chain.js';
import { paretoStream, type ParetoRows } from '../../src/calibrate/pareto-stream.js';
import { BLUHM_KRAUSE, paretoAdjust, type ParetoParams } from '../../src/calibrate/saturation.js';
import { readWhole } from '../../src/calibrate/whole.js';
import { seamCorrect, SEAM_DEFAULTS } from '../../src/calibrate/seam.js';
import { calibrateCommand } from '../../src/cli/calibrate-command.js';
import { writeGeoTiff } from '../../src/raster/write-geotiff.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('pareto-stream');
const DMSP = 'data/demo/dmsp_like/DMSP-like2018_hunan.tif';
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function rows(img: Float32Array, rank: Float32Array | null, w: number, band: number): () => AsyncIterable<ParetoRows> {
  return async function* () {
    for (let r = 0; r * w < img.length; r += band) {
      const n = Math.min(band, img.length / w - r);
      yield { data: img.slice(r * w, (r + n) * w), ...(rank ? { rank: rank.slice(r * w, (r + n) * w) } : {}), rows: n };
    }
  };
}

async function streamed(img: Float32Array, rank: Float32Array | null, w: number, band: number, p: ParetoParams): Promise<Float32Array | null> {
  const out = new Float32Array(img.length);
  let at = 0;
  const ok = await paretoStream(rows(img, rank, w, band), p, rank !== null, async (r, n) => {
    out.set(r, at);
    at += n * w;
  });
  if (!ok) return null;
  expect(at).toBe(img.length);
  return out;
}

describe('Pareto streamed in two passes equals the whole-grid paretoAdjust bit for bit', () => {
  let s = 99;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const W = 31,
    H = 29;
  const img = Float32Array.from({ length: W * H }, () => (rnd() < 0.05 ? NaN : rnd() < 0.4 ? 63 : Math.round(rnd() * 70 * 4) / 4));
  const proxy = Float32Array.from({ length: W * H }, () => (rnd() < 0.3 ? 500 : Math.round(rnd() * 40) * 25.5));

  for (const [name, p] of [
    ['Bluhm–Krause defaults', BLUHM_KRAUSE],
    ['L 30, α 1.1', { alpha: 1.1, lower: 30, upper: 900 }],
  ] as const) {
    it(`${name}: DN ranking and proxy ranking, band heights 1, 4, 29`, async () => {
      const refDn = Float32Array.from(paretoAdjust(img, p));
      const refPx = Float32Array.from(paretoAdjust(img, p, proxy));
      expect(bytes(refDn).equals(bytes(img))).toBe(false);
      expect(bytes(refPx).equals(bytes(refDn))).toBe(false); // the proxy changes the ranks
      for (const band of [1, 4, 29]) {
        expect(bytes((await streamed(img, null, W, band, p))!).equals(bytes(refDn))).toBe(true);
        expect(bytes((await streamed(img, proxy, W, band, p))!).equals(bytes(refPx))).toBe(true);
      }
    });
  }

  it('one pixel ≥ L, none, and −0 / 0 proxy keys in one tie group', async () => {
    const one = Float32Array.from([1, 60, 2, NaN]);
    expect(bytes((await streamed(one, null, 2, 1, BLUHM_KRAUSE))!).equals(bytes(Float32Array.from(paretoAdjust(one))))).toBe(true);
    const none = Float32Array.from([1, 2, 3, 4]);
    expect(bytes((await streamed(none, null, 2, 2, BLUHM_KRAUSE))!).equals(bytes(none))).toBe(true);
    const z = Float32Array.from([60, 60, 61, 70]),
      zr = Float32Array.from([-0, 0, 0, 1]);
    expect(bytes((await streamed(z, zr, 2, 1, BLUHM_KRAUSE))!).equals(bytes(Float32Array.from(paretoAdjust(z, BLUHM_KRAUSE, zr))))).toBe(true);
  });

  it('a NaN proxy on a pixel ≥ L refuses to stream (the whole-grid sort order is then undefined)', async () => {
    const r = Float32Array.from(proxy);
    r[img.findIndex((v) => v >= 55)] = NaN;
    expect(await streamed(img, r, W, 5, BLUHM_KRAUSE)).toBeNull();
  });

  it('ntl calibrate --pareto (DN-ranked, and ranked by a proxy with no-data) writes the whole-grid result', async () => {
    const raw = await readWhole(DMSP);
    const { width, height, nodata } = raw.info;
    const chain = buildCalibrateChain([{ step: 'intercalibrate', satellite: 'F12', year: 1999 }], 't');
    const win = Float32Array.from(chain.applyWindowSteps({ data: raw.data as never, rows: height, width, row0: 0, col0: 0 }, { nodata }));
    expect(win.some((v) => v >= 55)).toBe(true);
    // proxy: a uint16 raster with ties and no-data (65535) only where the image is below L
    const proxy16 = Uint16Array.from(raw.data, (_, i) => ((win[i] as number) >= 55 ? 100 + ((i * 7) % 13) : i % 5 === 0 ? 65535 : i % 300));
    const rankPath = join(tmp, 'rank.tif');
    await writeGeoTiff(rankPath, { width, height, dtype: 'uint16', geoTransform: raw.info.geoTransform, crs: raw.info.crs, nodata: 65535 }, proxy16);
    const rankF = Float32Array.from(proxy16, (v) => (v === 65535 ? NaN : v));
    // and one with no-data on a pixel ≥ L: the command falls back to the whole grid, same result
    const gap = Uint16Array.from(proxy16);
    gap[win.findIndex((v) => v >= 55)] = 65535;
    const gapPath = join(tmp, 'rank-gap.tif');
    await writeGeoTiff(gapPath, { width, height, dtype: 'uint16', geoTransform: raw.info.geoTransform, crs: raw.info.crs, nodata: 65535 }, gap);
    const gapF = Float32Array.from(gap, (v) => (v === 65535 ? NaN : v));
    for (const extra of [[], ['--pareto-rank', rankPath], ['--pareto-rank', gapPath]]) {
      const out = join(tmp, `p${extra.length}${extra[1] === gapPath ? 'gap' : ''}.tif`);
      const err: string[] = [];
      const code = await calibrateCommand(
        ['intercalibrate', '--pareto', ...extra, '--input', DMSP, '--satellite', 'F12', '--year', '1999', '--out', out, '--threads', '0'],
        { stdout: () => undefined, stderr: (t: string) => void err.push(t) },
      );
      expect(code, err.join('')).toBe(0);
      const ref = Float32Array.from(paretoAdjust(win, BLUHM_KRAUSE, extra.length ? (extra[1] === gapPath ? gapF : rankF) : undefined));
      expect(bytes((await readWhole(out)).data).equals(bytes(ref))).toBe(true);
    }
  });

  it('SEAM then Pareto (both streamed through a temporary file) equals seamCorrect → paretoAdjust on the whole grid, and leaves no temporary file', async () => {
    const raw = await readWhole(DMSP);
    const { width, height, nodata } = raw.info;
    const chain = buildCalibrateChain([{ step: 'intercalibrate', satellite: 'F12', year: 1999 }], 't');
    const win = Float32Array.from(chain.applyWindowSteps({ data: raw.data as never, rows: height, width, row0: 0, col0: 0 }, { nodata }));
    const seamed = seamCorrect(win, width, height, { ...SEAM_DEFAULTS, window: 5 }).image;
    const proxy = Float32Array.from(seamed, (v, i) => (v >= 40 ? 100 + ((i * 7) % 13) : i % 300));
    const rankPath = join(tmp, 'seam-rank.tif');
    await writeGeoTiff(rankPath, { width, height, dtype: 'float32', geoTransform: raw.info.geoTransform, crs: raw.info.crs, nodata: NaN }, proxy);
    const params = { ...BLUHM_KRAUSE, lower: 40 };
    for (const extra of [[], ['--pareto-rank', rankPath]]) {
      const dir = mkdtempSync(join(tmp, 'sp-'));
      const out = join(dir, 'out.tif');
      const err: string[] = [];
      const code = await calibrateCommand(
        [
          'intercalibrate',
          '--seam',
          '--seam-window',
          '5',
          '--pareto',
          '--pareto-lower',
          '40',
          ...extra,
          '--input',
          DMSP,
          '--satellite',
          'F12',
          '--year',
          '1999',
          '--out',
          out,
          '--threads',
          '0',
        ],
        { stdout: () => undefined, stderr: (t: string) => void err.push(t) },
      );
      expect(code, err.join('')).toBe(0);
      const ref = Float32Array.from(paretoAdjust(seamed, params, extra.length ? proxy : undefined));
      expect(ref.some((v, i) => v !== seamed[i])).toBe(true);
      expect(bytes((await readWhole(out)).data).equals(bytes(ref))).toBe(true);
      expect(readdirSync(dir)).toEqual(['out.tif']);
    }
  });
});
