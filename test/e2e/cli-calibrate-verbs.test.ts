/**
 * `ntl calibrate <verb>` through the CLI (main, in-process) on small synthetic rasters: every verb's --help, one
 * success checked against the per-pixel rule, one bad input (one-line error, nothing written); then every usage
 * form of the flag-style command of earlier releases: it still runs, warns once naming the verb form, and writes the
 * same bytes as that verb form.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compositeValue, continuitySeries } from '../../src/calibrate/composite.js';
import { predict } from '../../src/calibrate/harmonise.js';
import { intercalibrateValue } from '../../src/calibrate/intercalibrate.js';
import { paretoAdjust, BLUHM_KRAUSE, vanuiValue } from '../../src/calibrate/saturation.js';
import { loadTable, lookupCoefficients } from '../../src/calibrate/tables.js';
import { readWhole } from '../../src/calibrate/whole.js';
import { CALIBRATE_VERBS } from '../../src/cli/calibrate-command.js';
import { shellLine, translateLegacy } from '../../src/cli/calibrate/legacy.js';
import { allFlags } from '../../src/cli/calibrate/verb.js';
import type { CrsDef } from '../../src/geo/crs.js';
import { writeGeoTiff } from '../../src/raster/write-geotiff.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('calverbs');
const WGS84: CrsDef = { proj4: '+proj=longlat +datum=WGS84 +no_defs', epsg: 4326, geographic: true, label: 'EPSG:4326' };
const W = 64,
  H = 48;
const GT = [110, 0.01, 0, 30, 0, -0.01] as const;
const f = (name: string) => join(tmp, name);

/** A DMSP-like DN image: four lit towns (saturated at 63 in their cores) fading into dark (0), no-data 255 in a corner. */
const dnPattern = (shift: number, gain: number) =>
  Uint8Array.from({ length: W * H }, (_, i) => {
    const r = Math.floor(i / W),
      c = i % W;
    let s = 0;
    for (const [tr, tc] of [
      [12, 10],
      [34, 30],
      [18, 50],
      [38, 8],
    ] as const)
      s += Math.exp(-((r - tr - shift) ** 2 + (c - tc) ** 2) / 30);
    const v = Math.round(gain * s + ((r * 7 + c * 13) % 3));
    return v < 4 ? 0 : Math.min(v, 63);
  });
const DN = dnPattern(0, 90);
DN[0] = 255;
const DN2 = dnPattern(1, 80),
  DN3 = dnPattern(-1, 100);
const NDVI = Float32Array.from({ length: W * H }, (_, i) => ((Math.floor(i / W) + (i % W)) % 10) / 10 - 0.1);
const VIIRS = Float32Array.from({ length: W * H }, (_, i) => (((Math.floor(i / W) * 5 + (i % W) * 3) % 50) - 6) / 4);

async function cli(args: string[]) {
  return runCli(['calibrate', ...args, '--threads', '0']);
}
const values = async (path: string) => (await readWhole(path, 0)).data;
const approx = (got: number, want: number) =>
  Number.isNaN(want) ? Number.isNaN(got) : Math.abs(got - Math.fround(want)) <= 1e-5 * Math.max(1, Math.abs(want));
function expectPixels(got: Float32Array, want: (i: number) => number): void {
  let bad = 0;
  for (let i = 0; i < got.length; i++) if (!approx(got[i]!, want(i))) bad++;
  expect(bad).toBe(0);
}
/** A failed run: exit 1, one error line matching `message`, and `out` not written. */
async function refused(args: string[], message: RegExp, out?: string): Promise<void> {
  const r = await cli(args);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  if (out) expect(existsSync(out)).toBe(false);
}

beforeAll(async () => {
  const grid = { width: W, height: H, geoTransform: [...GT] as [number, number, number, number, number, number], crs: WGS84 };
  await writeGeoTiff(f('dn.tif'), { ...grid, dtype: 'uint8', nodata: 255 }, DN);
  await writeGeoTiff(f('dn2.tif'), { ...grid, dtype: 'uint8', nodata: 255 }, DN2);
  await writeGeoTiff(f('dn3.tif'), { ...grid, dtype: 'uint8', nodata: 255 }, DN3);
  await writeGeoTiff(f('ndvi.tif'), { ...grid, dtype: 'float32', nodata: NaN }, NDVI);
  await writeGeoTiff(f('viirs.tif'), { ...grid, dtype: 'float32', nodata: NaN }, VIIRS);
  // a reference that is a known quadratic of DN (no-data where DN is)
  await writeGeoTiff(
    f('ref.tif'),
    { ...grid, dtype: 'float32', nodata: 255 },
    Float32Array.from(DN, (v) => (v === 255 ? 255 : 1.5 + 0.9 * v + 0.002 * v * v)),
  );
  // a DMSP grid that the VIIRS grid nests in (2 × 2 VIIRS pixels per DMSP pixel)
  await writeGeoTiff(
    f('coarse.tif'),
    { width: W / 2, height: H / 2, geoTransform: [110, 0.02, 0, 30, 0, -0.02], crs: WGS84, dtype: 'uint8', nodata: 255 },
    Uint8Array.from({ length: (W / 2) * (H / 2) }, (_, i) => DN2[Math.floor(i / (W / 2)) * 2 * W + (i % (W / 2)) * 2]!),
  );
  // another grid (shifted): refused next to dn.tif
  await writeGeoTiff(f('shifted.tif'), { ...grid, geoTransform: [110.005, 0.01, 0, 30, 0, -0.01], dtype: 'uint8', nodata: 255 }, DN2);
  const ring = [
    [110.1, 29.9],
    [110.5, 29.9],
    [110.5, 29.6],
    [110.1, 29.6],
    [110.1, 29.9],
  ];
  writeFileSync(
    f('cores.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { name: 'core' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
    }),
  );
});

const dnAt = (a: Uint8Array, i: number) => (a[i] === 255 ? NaN : a[i]!);
const cal = (table: string, sat: string, year: number, clamp: number | null = null) => {
  const p = { coefficients: lookupCoefficients(loadTable(table), sat, year), clamp };
  return (v: number) => (Number.isNaN(v) ? NaN : intercalibrateValue(v, p));
};

describe('ntl calibrate: help', () => {
  it("--help lists every verb; each verb's --help shows its usage and every flag it takes", async () => {
    const top = await runCli(['calibrate', '--help']);
    expect(top.code).toBe(0);
    for (const v of Object.keys(CALIBRATE_VERBS)) expect(top.stdout).toMatch(new RegExp(`^  ${v} `, 'm'));
    expect(top.stdout).toMatch(/flag-style form of earlier releases/);
    for (const [name, verb] of Object.entries(CALIBRATE_VERBS)) {
      const r = await runCli(['calibrate', name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout.startsWith(`ntl calibrate ${name} — ${verb.summary}\n`)).toBe(true);
      expect(r.stdout).toContain(`  ntl calibrate ${name} ${verb.usage[0]}`);
      for (const flag of allFlags(verb)) expect(r.stdout, `${name} --${flag.name}`).toMatch(new RegExp(`^  --${flag.name}\\b`, 'm'));
    }
    expect((await runCli(['calibrate', 'help', 'seam'])).stdout).toMatch(/^ntl calibrate seam — /);
    const none = await runCli(['calibrate']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ntl: error: ntl calibrate: give a verb first: intercalibrate, composite, .*\n$/);
    const typo = await runCli(['calibrate', 'intercalibrat', '--input', 'x.tif']);
    expect(typo.stderr).toMatch(/^ntl: error: ntl calibrate: unknown verb "intercalibrat"; verbs: intercalibrate, composite, /);
  });
});

describe('ntl calibrate <verb>: one success, one bad input each', () => {
  it('intercalibrate: the table row on lit pixels, 0 stays 0, 255 is no-data; bad year, a parameter without its step', async () => {
    const out = f('ic.tif');
    const r = await cli(['intercalibrate', '--input', f('dn.tif'), '--satellite', 'F10', '--year', '1992', '--clamp', '63', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`ntl: wrote ${out} (intercalibrate)\n`);
    const g = cal('elvidge2014', 'F10', 1992, 63);
    expectPixels(await values(out), (i) => g(dnAt(DN, i)));
    await refused(
      ['intercalibrate', '--input', f('dn.tif'), '--satellite', 'F10', '--year', '2015', '--out', f('bad.tif')],
      /year 2015 is outside the DMSP-OLS V4 record.*ntl calibrate denoise/,
      f('bad.tif'),
    );
    await refused(
      ['intercalibrate', '--input', f('dn.tif'), '--satellite', 'F10', '--year', '1992', '--seam-window', '5', '--out', f('bad.tif')],
      /ntl calibrate intercalibrate: --seam-window goes with --seam, which is not given/,
      f('bad.tif'),
    );
    await refused(
      ['intercalibrate', '--input', f('dn.tif'), '--satellite', 'F10', '--year', '1992', '--table', 'elvidge2020', '--out', f('bad.tif')],
      /--table must be one of elvidge2014, elvidge2009, liu2012, wu2013, got "elvidge2020"/,
      f('bad.tif'),
    );
  });

  it('composite: both satellites inter-calibrated, Liu rule; a second image on another grid is refused', async () => {
    const out = f('comp.tif');
    const r = await cli([
      'composite',
      '--input',
      f('dn.tif'),
      '--satellite',
      'F15',
      '--year',
      '2007',
      '--table',
      'elvidge2009',
      '--with',
      f('dn2.tif'),
      '--with-satellite',
      'F16',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const a = cal('elvidge2009', 'F15', 2007),
      b = cal('elvidge2009', 'F16', 2007);
    expectPixels(await values(out), (i) => compositeValue(a(dnAt(DN, i)), b(dnAt(DN2, i)), 'liu'));
    await refused(
      [
        'composite',
        '--input',
        f('dn.tif'),
        '--satellite',
        'F15',
        '--year',
        '2007',
        '--with',
        f('shifted.tif'),
        '--with-satellite',
        'F16',
        '--out',
        f('bad.tif'),
      ],
      /shifted by/,
      f('bad.tif'),
    );
    await refused(
      [
        'composite',
        '--input',
        f('dn.tif'),
        '--satellite',
        'F15',
        '--year',
        '2007',
        '--with',
        f('dn2.tif'),
        '--rule',
        'max',
        '--with-satellite',
        'F16',
        '--out',
        f('bad.tif'),
      ],
      /--rule must be one of liu, mean, got "max"/,
      f('bad.tif'),
    );
  });

  it('fit-intercalibration: recovers a known quadratic over the region; the region id field is required', async () => {
    const out = f('coefs.json');
    const r = await cli([
      'fit-intercalibration',
      '--reference',
      f('ref.tif'),
      '--input',
      f('dn.tif'),
      '--region',
      f('cores.geojson'),
      '--region-id',
      'name',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const fit = JSON.parse(readFileSync(out, 'utf8'));
    expect(fit.coefficients.c0).toBeCloseTo(1.5, 4);
    expect(fit.coefficients.c1).toBeCloseTo(0.9, 5);
    expect(fit.coefficients.c2).toBeCloseTo(0.002, 7);
    expect(fit.region_rule).toBe('coverage');
    await refused(
      ['fit-intercalibration', '--reference', f('ref.tif'), '--input', f('dn.tif'), '--region', f('cores.geojson'), '--out', f('bad.json')],
      /ntl calibrate fit-intercalibration: --region-id is required/,
      f('bad.json'),
    );
  });

  it('denoise: negatives, background, cap (counted); two caps at once are refused', async () => {
    const out = f('dn-viirs.tif');
    const r = await cli(['denoise', '--input', f('viirs.tif'), '--threshold', '0.5', '--cap', '9', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const neg = VIIRS.filter((v) => v < 0).length,
      bg = VIIRS.filter((v) => v > 0 && v <= 0.5).length,
      capped = VIIRS.filter((v) => v > 9).length;
    expect(r.stderr).toContain(`VIIRS denoise: ${neg} negative pixels set to 0, ${bg} background pixels set to 0, ${capped} pixels capped`);
    expectPixels(await values(out), (i) => {
      const v = VIIRS[i]!;
      return v <= 0.5 ? 0 : Math.min(v, 9);
    });
    await refused(
      ['denoise', '--input', f('viirs.tif'), '--cap', '9', '--cap-percentile', '99', '--out', f('bad.tif')],
      /give one cap: --cap or --cap-percentile/,
      f('bad.tif'),
    );
    await refused(['denoise', '--input', f('viirs.tif'), '--threshold=-1', '--out', f('bad.tif')], /--threshold must be a number ≥ 0, got "-1"/, f('bad.tif'));
  });

  it('monthly: a year of the Mumbai cube equals the numpy oracle; a year it does not cover is refused', async () => {
    const out = f('m2013.tif');
    const r = await cli([
      'monthly',
      '--input',
      'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif',
      '--dates',
      'data/mumbai/band_dates.csv',
      '--year',
      '2013',
      '--coverage',
      'data/mumbai/mumbai_viirs_monthly_cloudfree_131bands.tif',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const want = JSON.parse(readFileSync('test/goldens/calibrate-oracles.json', 'utf8')).mumbai['2013'].weighted;
    let s = 0,
      n = 0;
    for (const v of await values(out))
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    expect(n).toBe(want.valid);
    expect(Math.abs(s - want.sum) / want.sum).toBeLessThan(1e-9);
    await refused(
      [
        'monthly',
        '--input',
        'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif',
        '--dates',
        'data/mumbai/band_dates.csv',
        '--year',
        '2030',
        '--out',
        f('bad.tif'),
      ],
      /lists no month of 2030/,
      f('bad.tif'),
    );
  });

  it('saturation: 1 where DN ≥ threshold, written as uint8; a threshold that is not a number is refused', async () => {
    const out = f('sat.tif');
    const r = await cli(['saturation', '--input', f('dn.tif'), '--threshold', '60', '--out-type', 'auto', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--out-type auto: uint8 \(every output is a whole number in 0…1\)/);
    const got = await readWhole(out, 0);
    expect(got.info.dtype).toBe('uint8');
    expectPixels(got.data, (i) => (DN[i] === 255 ? 255 : DN[i]! >= 60 ? 1 : 0));
    await refused(
      ['saturation', '--input', f('dn.tif'), '--threshold', 'high', '--out', f('bad.tif')],
      /--threshold must be a number, got "high"/,
      f('bad.tif'),
    );
  });

  it('vanui: (1 − NDVI)·DN/NTL_max; NTL_max must be > 0', async () => {
    const out = f('vanui.tif');
    const r = await cli(['vanui', '--input', f('dn.tif'), '--ndvi', f('ndvi.tif'), '--ntl-max', '70', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expectPixels(await values(out), (i) => vanuiValue(dnAt(DN, i), NDVI[i]!, 70));
    await refused(
      ['vanui', '--input', f('dn.tif'), '--ndvi', f('ndvi.tif'), '--ntl-max', '0', '--out', f('bad.tif')],
      /--ntl-max must be a number > 0, got "0"/,
      f('bad.tif'),
    );
    await refused(['vanui', '--input', f('dn.tif'), '--out', f('bad.tif')], /--ndvi is required/, f('bad.tif'));
  });

  it('seam: light removed, fit reported; a window below 3 is refused', async () => {
    const out = f('seam.tif');
    const r = await cli(['seam', '--input', f('dn.tif'), '--seam-window', '5', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ntl: SEAM: \d+ pseudo-light pixels, global fit DN = .*\nntl: wrote .*seam\.tif \(seam\)\n$/);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + (Number.isNaN(v) || v === 255 ? 0 : v), 0);
    expect(sum(await values(out))).toBeLessThan(sum(DN));
    await refused(
      ['seam', '--input', f('dn.tif'), '--seam-window', '2', '--out', f('bad.tif')],
      /ntl calibrate seam: --seam-window must be a whole number ≥ 3, got "2"/,
      f('bad.tif'),
    );
  });

  it('pareto: values ≥ 55 replaced by truncated-Pareto quantiles, the rest kept; a negative α is refused', async () => {
    const out = f('pareto.tif');
    const r = await cli(['pareto', '--input', f('dn.tif'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const want = paretoAdjust(
      Float32Array.from(DN, (v) => (v === 255 ? NaN : v)),
      BLUHM_KRAUSE,
    );
    expectPixels(await values(out), (i) => want[i]!);
    await refused(
      ['pareto', '--input', f('dn.tif'), '--pareto-alpha=-1', '--out', f('bad.tif')],
      /--pareto-alpha must be a number > 0, got "-1"/,
      f('bad.tif'),
    );
  });

  it('continuity: the rule per pixel over three years, one raster each; an unknown variant is refused', async () => {
    const dir = f('cont');
    const r = await cli(['continuity', `2001=${f('dn2.tif')}`, `2000=${f('dn.tif')}`, `2002=${f('dn3.tif')}`, '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['2000.tif', '2001.tif', '2002.tif']);
    const got = [await values(join(dir, '2000.tif')), await values(join(dir, '2001.tif')), await values(join(dir, '2002.tif'))];
    for (let i = 0; i < W * H; i++) {
      const want = continuitySeries([dnAt(DN, i), dnAt(DN2, i), dnAt(DN3, i)], 'sequential');
      for (let t = 0; t < 3; t++) expect(approx(got[t]![i]!, want[t]!), `${i} ${t}`).toBe(true);
    }
    await refused(
      ['continuity', '--variant', 'sideways', `2000=${f('dn.tif')}`, `2001=${f('dn2.tif')}`, `2002=${f('dn3.tif')}`, '--out', f('cont-bad')],
      /--variant must be one of sequential, original, got "sideways"/,
      f('cont-bad'),
    );
  });

  it('harmonise: district fit equals the scipy golden, --apply converts a raster; a fit flag with --apply is refused', async () => {
    const fit = f('hfit.json');
    const r = await cli([
      'harmonise',
      '--model',
      'power',
      '--pairs',
      'test/goldens/calibrate-harmonise-pairs.csv',
      '--x',
      'viirs',
      '--y',
      'dmsp',
      '--out',
      fit,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const g = JSON.parse(readFileSync('test/goldens/calibrate-harmonise.json', 'utf8')).power;
    const params = JSON.parse(readFileSync(fit, 'utf8')).params;
    expect(Math.abs(params.a - g.params[0]) / g.params[0]).toBeLessThan(1e-7);
    const out = f('like.tif');
    const a = await cli(['harmonise', '--apply', fit, '--input', f('viirs.tif'), '--out', out]);
    expect(a.code, a.stderr).toBe(0);
    expectPixels(await values(out), (i) => {
      const x = VIIRS[i]!;
      return x > 0 ? Math.min(Math.max(predict('power', params, x), 0), 63) : 0;
    });
    await refused(
      ['harmonise', '--apply', fit, '--input', f('viirs.tif'), '--sigma', '1', '--out', f('bad.tif')],
      /--sigma is for fitting a relation; --apply uses a stored fit/,
      f('bad.tif'),
    );
    await refused(
      ['harmonise', '--model', 'cubic', '--pairs', 'test/goldens/calibrate-harmonise-pairs.csv', '--x', 'viirs', '--y', 'dmsp', '--out', f('bad.json')],
      /--model must be one of loglinear, power, sigmoid, got "cubic"/,
      f('bad.json'),
    );
  });

  it('report: one row per year with totals; an argument that is not YEAR=FILE is refused', async () => {
    const base = f('rep');
    const r = await cli(['report', `2000=${f('dn.tif')}`, `2001:dmsp=${f('dn2.tif')}`, '--out', `${base}.csv`]);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(`${base}.csv`, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[2]!.split(',').slice(0, 2)).toEqual(['2001', 'dmsp']);
    expect(readFileSync(`${base}.png`).subarray(1, 4).toString()).toBe('PNG');
    await refused(
      ['report', `2000:${f('dn.tif')}`, '--out', f('rep-bad')],
      /ntl calibrate report: ".*dn\.tif" is not YEAR=FILE or YEAR:SENSOR=FILE/,
      f('rep-bad.csv'),
    );
  });
});

describe('ntl calibrate, flag-style (deprecated): every usage form still runs through its verb', () => {
  // each old usage form of `ntl calibrate --help` (0.1.0), the verb form it becomes, and the outputs to compare
  const forms: { old: string[]; verb: string[]; outs: string[] }[] = [
    {
      old: ['--input', 'dn.tif', '--satellite', 'F10', '--year', '1992', '--table', 'elvidge2014', '--clamp', '63', '--out', 'O.tif'],
      verb: ['intercalibrate', '--input', 'dn.tif', '--satellite', 'F10', '--year', '1992', '--table', 'elvidge2014', '--clamp', '63', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: [
        '--input',
        'dn.tif',
        '--satellite',
        'F14',
        '--year',
        '1999',
        '--composite',
        'dn2.tif',
        '--composite-satellite',
        'F12',
        '--composite-rule',
        'mean',
        '--out',
        'O.tif',
      ],
      verb: [
        'composite',
        '--input',
        'dn.tif',
        '--satellite',
        'F14',
        '--year',
        '1999',
        '--with',
        'dn2.tif',
        '--with-satellite',
        'F12',
        '--rule',
        'mean',
        '--out',
        'O.tif',
      ],
      outs: ['O.tif'],
    },
    {
      old: ['--viirs-denoise', '--input', 'viirs.tif', '--threshold', '0.3', '--dmsp-mask', 'dn.tif', '--cap-percentile', '99', '--out', 'O.tif'],
      verb: ['denoise', '--input', 'viirs.tif', '--threshold', '0.3', '--dmsp-mask', 'dn.tif', '--cap-percentile', '99', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--viirs-denoise', '--input', 'viirs.tif', '--cap-cores', 'cores.geojson', '--cores-id', 'name', '--region-rule', 'centre', '--out', 'O.tif'],
      verb: ['denoise', '--input', 'viirs.tif', '--cap-cores', 'cores.geojson', '--cores-id', 'name', '--region-rule', 'centre', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--monthly', 'MUMBAI', '--dates', 'data/mumbai/band_dates.csv', '--year', '2013', '--out', 'O.tif'],
      verb: ['monthly', '--input', 'MUMBAI', '--dates', 'data/mumbai/band_dates.csv', '--year', '2013', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--continuity', 'original', '2000=dn.tif', '2001=dn2.tif', '2002=dn3.tif', '--out', 'O'],
      verb: ['continuity', '--variant', 'original', '--out', 'O', '2000=dn.tif', '2001=dn2.tif', '2002=dn3.tif'],
      outs: ['O/2000.tif', 'O/2001.tif', 'O/2002.tif'],
    },
    {
      old: ['--report', '2000=dn.tif', '2001:x=dn2.tif', '--out', 'O'],
      verb: ['report', '--out', 'O', '2000=dn.tif', '2001:x=dn2.tif'],
      outs: ['O.csv', 'O.png'],
    },
    {
      old: ['--saturation-mask', '--input', 'dn.tif', '--saturation-threshold', '50', '--out-type', 'uint8', '--out', 'O.tif'],
      verb: ['saturation', '--input', 'dn.tif', '--threshold', '50', '--out-type', 'uint8', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--input', 'dn.tif', '--satellite', 'F18', '--year', '2012', '--ndvi', 'ndvi.tif', '--out', 'O.tif'],
      verb: ['intercalibrate', '--input', 'dn.tif', '--satellite', 'F18', '--year', '2012', '--ndvi', 'ndvi.tif', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--input', 'dn.tif', '--ndvi', 'ndvi.tif', '--ntl-max', '70', '--out', 'O.tif'],
      verb: ['vanui', '--input', 'dn.tif', '--ndvi', 'ndvi.tif', '--ntl-max', '70', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--input', 'dn.tif', '--satellite', 'F16', '--year', '2008', '--seam', '--seam-region', '16', '--out', 'O.tif'],
      verb: ['intercalibrate', '--input', 'dn.tif', '--satellite', 'F16', '--year', '2008', '--seam', '--seam-region', '16', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--input', 'dn.tif', '--seam', '--pareto', '--pareto-lower', '50', '--out', 'O.tif'],
      verb: ['seam', '--input', 'dn.tif', '--pareto', '--pareto-lower', '50', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--pareto', '--input', 'dn.tif', '--pareto-rank', 'dn2.tif', '--out', 'O.tif'],
      verb: ['pareto', '--input', 'dn.tif', '--pareto-rank', 'dn2.tif', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: ['--harmonise', '--model', 'loglinear', '--dmsp', 'coarse.tif', '--viirs', 'viirs.tif', '--sigma', '1', '--out', 'O.json'],
      verb: ['harmonise', '--model', 'loglinear', '--dmsp', 'coarse.tif', '--viirs', 'viirs.tif', '--sigma', '1', '--out', 'O.json'],
      outs: ['O.json'],
    },
    {
      old: ['--harmonise', '--model', 'power', '--pairs', 'PAIRS', '--x', 'viirs', '--y', 'dmsp', '--out', 'O.json'],
      verb: ['harmonise', '--model', 'power', '--pairs', 'PAIRS', '--x', 'viirs', '--y', 'dmsp', '--out', 'O.json'],
      outs: ['O.json'],
    },
    {
      old: ['--dmsp-like', 'hfit.json', '--input', 'viirs.tif', '--out', 'O.tif'],
      verb: ['harmonise', '--apply', 'hfit.json', '--input', 'viirs.tif', '--out', 'O.tif'],
      outs: ['O.tif'],
    },
    {
      old: [
        '--fit-intercalibration',
        '--reference',
        'ref.tif',
        '--input',
        'dn.tif',
        '--region',
        'cores.geojson',
        '--region-id',
        'name',
        '--min-dn',
        '3',
        '--max-dn',
        '62',
        '--out',
        'O.json',
      ],
      verb: [
        'fit-intercalibration',
        '--reference',
        'ref.tif',
        '--input',
        'dn.tif',
        '--region',
        'cores.geojson',
        '--region-id',
        'name',
        '--min-dn',
        '3',
        '--max-dn',
        '62',
        '--out',
        'O.json',
      ],
      outs: ['O.json'],
    },
  ];
  const SPECIAL: Record<string, string> = {
    MUMBAI: 'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif',
    PAIRS: 'test/goldens/calibrate-harmonise-pairs.csv',
    'data/mumbai/band_dates.csv': 'data/mumbai/band_dates.csv',
  };
  /** File names → paths in tmp (or the shipped data); O → the given output base. */
  const paths = (args: string[], o: string) =>
    args.map((a) => {
      if (SPECIAL[a]) return SPECIAL[a]!;
      if (/^O(\.|\/|$)/.test(a)) return a.replace(/^O/, o);
      const m = /^(\d{4}(?::\w+)?=)(.+)$/.exec(a);
      if (m) return m[1] + f(m[2]!);
      return /\.(tif|json|geojson)$/.test(a) ? f(a) : a;
    });

  it('translates each old form into its verb form (flags renamed, mode flags dropped)', () => {
    for (const form of forms) {
      const t = translateLegacy(form.old, CALIBRATE_VERBS);
      expect([t.verb, ...t.argv], form.old.join(' ')).toEqual(form.verb);
      expect(t.ignored).toEqual([]);
    }
  });

  it('runs each old form: one warning naming the verb form, the same stderr otherwise, the same bytes as the verb form', async () => {
    for (const [k, form] of forms.entries()) {
      const oldOut = f(`legacy-old-${k}`),
        newOut = f(`legacy-new-${k}`);
      const o = await cli(paths(form.old, oldOut));
      const n = await cli(paths(form.verb, newOut));
      expect(n.code, n.stderr).toBe(0);
      expect(o.code, o.stderr).toBe(0);
      const [warning, ...rest] = o.stderr.split('\n');
      const t = translateLegacy([...paths(form.old, oldOut), '--threads', '0'], CALIBRATE_VERBS);
      expect(warning).toBe(
        `ntl: warning: flag-style \`ntl calibrate --…\` is deprecated and will be removed in the next release; use: ntl calibrate ${t.verb} ${shellLine(t.argv)}`,
      );
      expect(rest.join('\n').split(oldOut).join('OUT')).toBe(n.stderr.split(newOut).join('OUT'));
      for (const out of form.outs) {
        const a = readFileSync(out.replace(/^O/, oldOut)),
          b = readFileSync(out.replace(/^O/, newOut));
        if (out.endsWith('.json')) expect(a.toString().split(oldOut).join('OUT')).toBe(b.toString().split(newOut).join('OUT'));
        else expect(a.equals(b), `${form.old.join(' ')}: ${out}`).toBe(true);
      }
    }
  }, 60_000);

  it('flags the old mode read without effect are left out, and named; old errors stay errors', async () => {
    const t = translateLegacy(
      ['--input', 'a.tif', '--satellite', 'F16', '--year', '2008', '--threshold', '3', '--seam-window', '5', '--composite-rule', 'mean', '--out', 'o.tif'],
      CALIBRATE_VERBS,
    );
    expect(t.verb).toBe('intercalibrate');
    expect(t.ignored).toEqual(['--threshold', '--composite-rule', '--seam-window']);
    expect(translateLegacy(['--viirs-denoise', '--input', 'v.tif', '--cap', '3', '--cap-percentile', '99', '--out', 'o.tif'], CALIBRATE_VERBS).ignored).toEqual(
      ['--cap'],
    );
    expect(translateLegacy(['--harmonise', '--pairs', 'p.csv', '--x', 'a', '--y', 'b', '--sigma', '2', '--out', 'f.json'], CALIBRATE_VERBS).ignored).toEqual([
      '--sigma',
    ]);
    expect(
      translateLegacy(['--out-nodata=-9', '--input', 'a.tif', '--satellite', 'F16', '--year', '2008', '--out-type', 'int16', '--out', 'o.tif'], CALIBRATE_VERBS)
        .argv,
    ).toContain('--out-nodata=-9');
    const out = f('ign.tif');
    const r = await cli(['--input', f('dn.tif'), '--satellite', 'F16', '--year', '2008', '--threshold', '3', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[1]).toBe('ntl: warning: --threshold had no effect in this form and is left out');
    const bad = await cli(['--input', f('dn.tif'), '--satellite', 'F19', '--year', '2008', '--out', f('bad.tif')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ntl: warning: flag-style .*\nntl: error: unknown DMSP satellite "F19"/);
    const unknown = await cli(['--input', f('dn.tif'), '--frobnicate', '--out', f('bad.tif')]);
    expect(unknown.stderr).toMatch(/^ntl: error: ntl calibrate: Unknown option '--frobnicate'/);
    expect(existsSync(f('bad.tif'))).toBe(false);
    const late = await cli(['--out', f('bad.tif'), 'seam', '--input', f('dn.tif')]);
    expect(late.stderr).toBe(`ntl: error: ntl calibrate: the verb comes first: ntl calibrate seam --out ${f('bad.tif')} --input ${f('dn.tif')} --threads 0\n`);
    const help = await runCli(['calibrate', '--input', 'x.tif', '--help']);
    expect(help.stdout).toMatch(/^ntl calibrate — /);
  });
});
