/**
 * `ntl calibrate` end to end for the saturation flag (and its zonal equivalence), VANUI grid checks, SEAM,
 * harmonisation (pixel level on a synthetic nested pair with a known sigmoid; district level on the scipy
 * pairs), applying a stored fit, invariant-region and city-core fits on the Hunan demo data, encoding flags.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateCommand } from '../../src/cli/calibrate-command.js';
import { zonalCommand } from '../../src/cli/zonal-command.js';
import { writeGeoTiff } from '../../src/raster/write-geotiff.js';
import { readWhole } from '../../src/calibrate/whole.js';
import type { CrsDef } from '../../src/geo/crs.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cal-steps');
const DMSP = 'data/demo/dmsp_like/DMSP-like2018_hunan.tif';
const ZONES = 'data/demo/hunan_counties.geojson';
const WGS84: CrsDef = { proj4: '+proj=longlat +datum=WGS84 +no_defs', epsg: 4326, geographic: true, label: 'EPSG:4326' };
const run = async (args: string[]) => {
  const err: string[] = [],
    out: string[] = [];
  const code = await calibrateCommand([...args, '--threads', '0'], { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) });
  return { code, err: err.join('') };
};
const csvCol = (text: string, col: string) => {
  const [head, ...rows] = text.trim().split('\n');
  const k = head!.split(',').indexOf(col);
  return rows.map((r) => r.split(',')[k]!);
};

describe('ntl calibrate: saturation, VANUI, SEAM', () => {
  it('saturation mask: counts DN ≥ 63; its zonal mean equals zonal lit_share at 62.5 on the raw DN', async () => {
    const out = join(tmp, 'sat.tif');
    expect((await run(['saturation', '--input', DMSP, '--out-type', 'uint8', '--out', out])).code).toBe(0);
    const raw = await readWhole(DMSP),
      mask = await readWhole(out);
    let sat = 0,
      flagged = 0;
    raw.data.forEach((v) => {
      if (v >= 63 && v !== raw.info.nodata) sat++;
    });
    mask.data.forEach((v) => {
      if (v === 1) flagged++;
    });
    expect(flagged).toBe(sat);
    expect(sat).toBeGreaterThan(100);
    const z = async (args: string[]) => {
      const buf: string[] = [];
      await zonalCommand([...args, '--zones', ZONES, '--id', 'Code_County', '--threads', '1', '--out', '-'], {
        stdout: (t: string) => void buf.push(t),
        stderr: () => undefined,
      });
      return buf.join('');
    };
    const a = csvCol(await z(['--raster', DMSP, '--stats', 'lit_share', '--lit-threshold', '62.5']), 'lit_share').map(Number);
    const b = csvCol(await z(['--raster', out, '--stats', 'mean']), 'mean').map(Number);
    expect(a.length).toBe(122);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-12));
    expect(a.some((v) => v > 0)).toBe(true);
  });

  it('VANUI refuses an NDVI raster on another grid, naming both files', async () => {
    const ndvi = join(tmp, 'ndvi.tif');
    await writeGeoTiff(
      ndvi,
      { width: 10, height: 10, dtype: 'float32', geoTransform: [108, 0.01, 0, 30, 0, -0.01], crs: WGS84, nodata: NaN },
      new Float32Array(100).fill(0.3),
    );
    const r = run(['vanui', '--input', DMSP, '--ndvi', ndvi, '--out', join(tmp, 'v.tif')]);
    await expect(r).rejects.toThrow(/ndvi.*grids differ in size|differ in size/);
    expect(existsSync(join(tmp, 'v.tif'))).toBe(false);
  });

  it('VANUI on the same grid: (1 − NDVI)·DN/63', async () => {
    const raw = await readWhole(DMSP);
    const ndvi = join(tmp, 'ndvi-same.tif');
    await writeGeoTiff(
      ndvi,
      { width: raw.info.width, height: raw.info.height, dtype: 'float32', geoTransform: raw.info.geoTransform, crs: raw.info.crs, nodata: NaN },
      new Float32Array(raw.data.length).fill(0.25),
    );
    const out = join(tmp, 'vanui.tif');
    expect((await run(['vanui', '--input', DMSP, '--ndvi', ndvi, '--out', out])).code).toBe(0);
    const v = await readWhole(out);
    const i = raw.data.findIndex((x) => x === 63);
    expect(v.data[i]).toBeCloseTo(0.75, 6);
  });

  it('SEAM on a real raster: lit area and total fall, no-data kept, fit reported', async () => {
    const out = join(tmp, 'seam.tif');
    const r = await run(['intercalibrate', '--input', DMSP, '--satellite', 'F16', '--year', '2008', '--seam', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/SEAM: \d+ pseudo-light pixels, global fit DN = .* \+ .*·R \(R² /);
    const before = await readWhole(DMSP),
      after = await readWhole(out);
    const lit = (a: Float32Array) => a.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    expect(lit(after.data)).toBeLessThan(lit(before.data));
  });
});

describe('ntl calibrate: Pareto top-code', () => {
  it('values ≥ 55 become truncated-Pareto quantiles of their rank; below stay; a rank raster orders them', async () => {
    const raw = await readWhole(DMSP);
    const out = join(tmp, 'pareto.tif');
    const r = await run(['intercalibrate', '--pareto', '--input', DMSP, '--satellite', 'F12', '--year', '1999', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Pareto-adjusted, not Bluhm–Krause/);
    const v = await readWhole(out);
    let top = 0,
      max = 0,
      kept = true;
    raw.data.forEach((x, i) => {
      if (x === raw.info.nodata) return;
      const y = v.data[i]!;
      if (x >= 55) {
        top++;
        max = Math.max(max, y);
        expect(y).toBeGreaterThanOrEqual(55);
      } else if (y !== x) kept = false;
    });
    expect(kept).toBe(true); // F12 1999 is the identity row: below L nothing changes
    expect(top).toBeGreaterThan(100);
    expect(max).toBeLessThanOrEqual(2000);
    // rank by a proxy that reverses the order within the top: the brightest DN gets the lowest quantile
    const proxy = new Float32Array(raw.data.length);
    raw.data.forEach((x, i) => {
      proxy[i] = -x;
    });
    const rankPath = join(tmp, 'rank.tif');
    await writeGeoTiff(
      rankPath,
      { width: raw.info.width, height: raw.info.height, dtype: 'float32', geoTransform: raw.info.geoTransform, crs: raw.info.crs, nodata: NaN },
      proxy,
    );
    const out2 = join(tmp, 'pareto2.tif');
    expect(
      (await run(['intercalibrate', '--pareto', '--pareto-rank', rankPath, '--input', DMSP, '--satellite', 'F12', '--year', '1999', '--out', out2])).code,
    ).toBe(0);
    const w = await readWhole(out2);
    const i63 = raw.data.findIndex((x) => x === 63),
      i55 = raw.data.findIndex((x) => x === 55);
    expect(w.data[i63]!).toBeLessThan(w.data[i55]!);
  });
});

describe('ntl calibrate: harmonisation', () => {
  it('pixel level recovers a known sigmoid through area-weighted aggregation of a nested finer grid', async () => {
    const W = 60,
      H = 50; // coarse (DMSP) grid, 0.01°; fine (VIIRS) 0.005°
    const fine = new Float32Array(4 * W * H);
    for (let r = 0; r < 2 * H; r++) for (let c = 0; c < 2 * W; c++) fine[r * 2 * W + c] = Math.exp(((r * 7 + c * 13) % 97) / 15 - 2);
    const viirs = join(tmp, 'viirs.tif'),
      dmsp = join(tmp, 'dmsp.tif');
    await writeGeoTiff(viirs, { width: 2 * W, height: 2 * H, dtype: 'float32', geoTransform: [110, 0.005, 0, 30, 0, -0.005], crs: WGS84, nodata: NaN }, fine);
    // expected coarse values: area-weighted means (row areas ∝ sin-difference of latitudes)
    const area = (r: number) => Math.sin(((30 - 0.005 * r) * Math.PI) / 180) - Math.sin(((30 - 0.005 * (r + 1)) * Math.PI) / 180);
    const dn = new Float32Array(W * H);
    const truth = { a: 2, b: 58, c: 1.4, d: 1.1 };
    for (let R = 0; R < H; R++)
      for (let C = 0; C < W; C++) {
        let s = 0,
          w = 0;
        for (let dr = 0; dr < 2; dr++)
          for (let dc = 0; dc < 2; dc++) {
            const r = 2 * R + dr,
              c = 2 * C + dc;
            s += area(r) * fine[r * 2 * W + c]!;
            w += area(r);
          }
        const x = Math.fround(s / w);
        dn[R * W + C] = truth.a + truth.b / (1 + Math.exp(-truth.c * (Math.log(x) - truth.d)));
      }
    await writeGeoTiff(dmsp, { width: W, height: H, dtype: 'float64', geoTransform: [110, 0.01, 0, 30, 0, -0.01], crs: WGS84, nodata: -1 }, dn);
    const fitPath = join(tmp, 'fit.json');
    const r = await run(['harmonise', '--model', 'sigmoid', '--dmsp', dmsp, '--viirs', viirs, '--out', fitPath]);
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(fitPath, 'utf8'));
    expect(fit.n).toBe(W * H);
    expect(fit.level).toBe('pixel');
    for (const k of ['a', 'b', 'c', 'd'] as const) expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(1e-4 * Math.abs(truth[k]));
    expect(fit.r2).toBeGreaterThan(0.999999);
    // apply the stored fit to the (coarse) VIIRS: DMSP-like DN
    const agg = join(tmp, 'viirs-coarse.tif');
    await writeGeoTiff(
      agg,
      { width: 3, height: 1, dtype: 'float32', geoTransform: [110, 0.01, 0, 30, 0, -0.01], crs: WGS84, nodata: NaN },
      Float32Array.from([0, Math.exp(1.1), NaN]),
    );
    const like = join(tmp, 'like.tif');
    expect((await run(['harmonise', '--apply', fitPath, '--input', agg, '--out', like])).code).toBe(0);
    const v = await readWhole(like);
    expect(v.data[0]).toBe(0);
    expect(v.data[1]).toBeCloseTo(2 + 58 / 2, 3);
    expect(Number.isNaN(v.data[2]!)).toBe(true);
    // a non-nested VIIRS grid is refused
    await writeGeoTiff(
      join(tmp, 'odd.tif'),
      { width: 10, height: 10, dtype: 'float32', geoTransform: [110.003, 0.007, 0, 30, 0, -0.007], crs: WGS84, nodata: NaN },
      new Float32Array(100).fill(1),
    );
    await expect(run(['harmonise', '--dmsp', dmsp, '--viirs', join(tmp, 'odd.tif'), '--out', join(tmp, 'bad.json')])).rejects.toThrow(
      /do not nest.*gdalwarp -r average/,
    );
  });

  it('district level equals the scipy golden (power)', async () => {
    const fitPath = join(tmp, 'pfit.json');
    expect(
      (await run(['harmonise', '--model', 'power', '--pairs', 'test/goldens/calibrate-harmonise-pairs.csv', '--x', 'viirs', '--y', 'dmsp', '--out', fitPath]))
        .code,
    ).toBe(0);
    const fit = JSON.parse(readFileSync(fitPath, 'utf8'));
    const g = JSON.parse(readFileSync('test/goldens/calibrate-harmonise.json', 'utf8')).power;
    expect(Math.abs(fit.params.a - g.params[0]) / g.params[0]).toBeLessThan(1e-7);
    expect(Math.abs(fit.params.b - g.params[1]) / g.params[1]).toBeLessThan(1e-7);
    expect(fit.n).toBe(600);
    await expect(run(['harmonise', '--model', 'cubic', '--pairs', 'x.csv', '--x', 'a', '--y', 'b', '--out', fitPath])).rejects.toThrow(
      /--model must be one of loglinear, power, sigmoid/,
    );
  });
});

describe('ntl calibrate: fits over polygons', () => {
  it('invariant-region fit recovers a known quadratic; cap from city cores is the maximum inside', async () => {
    const raw = await readWhole(DMSP);
    // reference = a known quadratic of the target on every valid cell → exact recovery over any region
    const ref = new Float32Array(raw.data.length);
    raw.data.forEach((v, i) => {
      ref[i] = v === raw.info.nodata ? 255 : 1.5 + 0.9 * v + 0.002 * v * v;
    });
    const refPath = join(tmp, 'ref.tif');
    await writeGeoTiff(
      refPath,
      { width: raw.info.width, height: raw.info.height, dtype: 'float32', geoTransform: raw.info.geoTransform, crs: raw.info.crs, nodata: 255 },
      ref,
    );
    const coefs = join(tmp, 'coefs.json');
    const r = await run(['fit-intercalibration', '--reference', refPath, '--input', DMSP, '--region', ZONES, '--region-id', 'Code_County', '--out', coefs]);
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(coefs, 'utf8'));
    expect(fit.coefficients.c0).toBeCloseTo(1.5, 4);
    expect(fit.coefficients.c1).toBeCloseTo(0.9, 5);
    expect(fit.coefficients.c2).toBeCloseTo(0.002, 7);
    expect(fit.r2).toBeGreaterThan(0.999999);
    expect(fit.n).toBeGreaterThan(1000);
    const c = await run(['denoise', '--input', DMSP, '--cap-cores', ZONES, '--cores-id', 'Code_County', '--out', join(tmp, 'capped.tif')]);
    expect(c.err).toMatch(/VIIRS cap 63 = maximum over \d+ cells inside/);
  });
});

describe('ntl calibrate: encoding flags', () => {
  it('--out-type auto: uint8 for the saturation mask, float32 for a fractional calibration', async () => {
    const a = join(tmp, 'auto-sat.tif'),
      b = join(tmp, 'auto-cal.tif');
    const r1 = await run(['saturation', '--input', DMSP, '--out-type', 'auto', '--out', a]);
    expect(r1.err).toMatch(/--out-type auto: uint8 \(every output is a whole number in 0…1\)/);
    const r2 = await run(['intercalibrate', '--input', DMSP, '--satellite', 'F10', '--year', '1992', '--out-type', 'auto', '--out', b]);
    expect(r2.err).toMatch(/--out-type auto: float32 \(outputs are not all whole numbers\)/);
    const x = await readWhole(a),
      ref = await readWhole(join(tmp, 'sat.tif'));
    expect(x.info.dtype).toBe('uint8');
    expect(x.info.nodata).toBe(255);
    expect(Buffer.from(x.data.buffer).equals(Buffer.from(ref.data.buffer))).toBe(true);
    expect((await readWhole(b)).info.dtype).toBe('float32');
  });
  it('--zlib-level / --predictor change the bytes, not the values', async () => {
    const a = join(tmp, 'l1.tif'),
      b = join(tmp, 'l9p3.tif');
    expect((await run(['intercalibrate', '--input', DMSP, '--satellite', 'F10', '--year', '1992', '--out', a])).code).toBe(0);
    expect(
      (await run(['intercalibrate', '--input', DMSP, '--satellite', 'F10', '--year', '1992', '--zlib-level', '9', '--predictor', '3', '--out', b])).code,
    ).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
    const x = await readWhole(a),
      y = await readWhole(b);
    expect(Buffer.from(x.data.buffer).equals(Buffer.from(y.data.buffer))).toBe(true);
    await expect(
      run([
        'intercalibrate',
        '--input',
        DMSP,
        '--satellite',
        'F10',
        '--year',
        '1992',
        '--predictor',
        '3',
        '--out-type',
        'uint8',
        '--out',
        join(tmp, 'bad.tif'),
      ]),
    ).rejects.toThrow(/predictor 3 is for float data/);
  });
});
writeFileSync(join(tmp, '.keep'), '');
