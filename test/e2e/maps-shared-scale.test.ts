/**
 * Honest maps (issue 14, part 6): readable titles and units; one colour scale for every period of a series, so
 * two years with very different levels get different colours (PNG pixels read back with sharp); and maps cached
 * under DIR/.cache/maps, so a rerun draws nothing and rewrites the same bytes.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  choroplethTitle,
  classColours,
  describeHarmonised,
  describeSeries,
  describeStat,
  distinctLabels,
  LogHistogram,
  NIGHT_STOPS,
  planChoropleth,
  planRasterMap,
  pooledClasses,
  pooledScaleTop,
  rasterMapHistogram,
  rasterTitle,
  renderChoropleth,
  renderRasterMap,
  samplePalette,
  SEQUENTIAL_STOPS,
  sharedScaleNote,
  toPixel,
  RADIANCE_UNIT,
} from '../../src/maps/index.js';
import type { BandWindow, RasterInfo, RasterSource, RowBand } from '../../src/raster/index.js';
import { readZones, type Zone } from '../../src/vector/index.js';
import { parseCsv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { decodePng, rgbAt, type DecodedPng } from '../helpers/png.js';

describe('units and readable titles', () => {
  it('derives label and unit from sensor, product and calibration', () => {
    const viirsLike = describeSeries({ name: 'viirs_like', sensor: 'harmonized', product: 'chen2021-npp-viirs-like-8bit' });
    expect(viirsLike).toEqual({ name: 'viirs_like', label: 'VIIRS-like', unit: 'DN' });
    expect(describeSeries({ name: 'x', sensor: 'harmonized', product: 'chen2021-npp-viirs-like' }).unit).toBe(RADIANCE_UNIT);
    const dmspLike = describeSeries({ name: 'dmsp_like', sensor: 'harmonized', product: 'wu2021-dmsp-like' });
    expect(dmspLike).toMatchObject({ label: 'DMSP-like', unit: 'DN' });
    expect(describeSeries({ name: 'ols', sensor: 'dmsp-ols', product: 'stable_lights', steps: ['intercalibrate'] })).toMatchObject({
      label: 'DMSP-OLS',
      unit: 'DN',
    });
    expect(describeSeries({ name: 'vnl', sensor: 'viirs-vnl' })).toMatchObject({ label: 'VIIRS (VNL)', unit: 'nW·cm⁻²·sr⁻¹' });
    expect(describeSeries({ name: 'vnl', sensor: 'viirs-vnl', steps: ['viirs_denoise', 'dmsp_like'] })).toMatchObject({
      label: 'VIIRS (VNL) in DMSP-like scale',
      unit: 'DN',
    });
    expect(describeSeries({ name: 'mine', sensor: 'other' })).toEqual({ name: 'mine', label: 'mine', unit: null });
    expect(describeHarmonised('dmsp_scale', viirsLike, dmspLike)).toEqual({ name: 'dmsp_scale', label: 'VIIRS-like in DMSP-like scale', unit: 'DN' });
    expect(distinctLabels([viirsLike, { ...viirsLike, name: 'v2' }]).map((d) => d.label)).toEqual(['VIIRS-like (viirs_like)', 'VIIRS-like (v2)']);
  });

  it('names the statistic with its unit; a gap is a ratio to the reference of the year', () => {
    const viirs = { name: 'viirs_like', label: 'VIIRS-like', unit: 'DN' };
    expect(choroplethTitle(viirs, '2022', describeStat('sum', 'DN'))).toBe('VIIRS-like, 2022: county sum of DN');
    expect(rasterTitle(viirs, '2022')).toBe('VIIRS-like, 2022: DN per cell');
    expect(describeStat('mean', RADIANCE_UNIT).legend).toBe('county mean (nW·cm⁻²·sr⁻¹)');
    expect(describeStat('mean_gap', 'DN')).toEqual({ phrase: 'gap = mean / median of all units in the year', legend: 'gap (mean / median of the year)' });
    expect(describeStat('mean_gap', 'DN', 'p90').phrase).toBe('gap = mean / 90th percentile of all units in the year');
    expect(describeStat('lit_share', 'DN').phrase).toBe('share of cells lit');
    expect(describeStat('quantile_0.9', 'DN').phrase).toBe('county 0.9 quantile of DN');
    expect(sharedScaleNote(['2012', '2013', '2022'])).toBe('same scale for 2012–2022');
  });
});

const square = (id: string, x0: number, y0: number, x1: number, y1: number): Zone => ({
  id,
  attributes: {},
  parts: [[Float64Array.of(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)]],
});

describe('choropleths of one series share one scale', () => {
  // four counties; the late year is 100× the early one: per-year quantiles would colour both years alike
  const zones = ['a', 'b', 'c', 'd'].map((id, i) => square(id, i * 100, 0, i * 100 + 100, 100));
  const early = new Map<string, number | null>([
    ['a', 1],
    ['b', 2],
    ['c', 3],
    ['d', 4],
  ]);
  const late = new Map<string, number | null>([
    ['a', 100],
    ['b', 200],
    ['c', 300],
    ['d', 400],
  ]);
  const centre = (plan: ReturnType<typeof planChoropleth>, i: number) => {
    const [x, y] = toPixel(plan.view, i * 100 + 50, 50);
    return [plan.left + x, plan.top + y] as const;
  };

  it('per-year classes hide the growth; pooled classes show it', async () => {
    const opts = { maxSize: 300, classes: 4 };
    const colourOf = async (values: Map<string, number | null>, extra = {}) => {
      const plan = planChoropleth(zones, values, { ...opts, ...extra });
      const img = await decodePng(await renderChoropleth(zones, values, { ...opts, ...extra }));
      return zones.map((_, i) => rgbAt(img, ...centre(plan, i)).join());
    };
    // the old behaviour: each year its own quantiles → identical pictures
    expect(await colourOf(early)).toEqual(await colourOf(late));
    const breaks = pooledClasses([early.values(), late.values()], 4)!;
    expect(breaks.upper).toEqual([2, 4, 200, 400]);
    const ramp = classColours(SEQUENTIAL_STOPS, 4).map((c) => c.join());
    const e = await colourOf(early, { breaks, scaleNote: 'same scale for 2012–2022' });
    const l = await colourOf(late, { breaks, scaleNote: 'same scale for 2012–2022' });
    expect(e).toEqual([ramp[0], ramp[0], ramp[1], ramp[1]]);
    expect(l).toEqual([ramp[2], ramp[2], ramp[3], ramp[3]]);
    for (let i = 0; i < 4; i++) expect(e[i]).not.toBe(l[i]);
  });
});

/** In-memory raster: 40 × 30 cells of 10 m, constant value `v` with a 2× brighter block. */
function constantSource(v: number): RasterSource {
  const info: RasterInfo = {
    path: `const-${v}.tif`,
    width: 40,
    height: 30,
    bandCount: 1,
    band: 1,
    dtype: 'float32',
    geoTransform: [1000, 10, 0, 5000, 0, -10],
    crs: null,
    nodata: -9999,
    blockWidth: 40,
    blockHeight: 30,
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
      const data = new Float32Array((r1 - r0) * (c1 - c0));
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) data[(r - r0) * (c1 - c0) + c - c0] = r < 10 && c < 10 ? 2 * v : v;
      yield { row0: r0, rows: r1 - r0, col0: c0, width: c1 - c0, data };
    },
    async close() {},
  };
}

describe('raster maps of one series share one ramp', () => {
  const whole = square('all', 1000, 4700, 1400, 5000);
  it('a dim and a bright year differ on the shared ramp; the pooled histogram survives its cache form', async () => {
    const dim = constantSource(1),
      bright = constantSource(50);
    const hists = [await rasterMapHistogram(dim, [whole]), await rasterMapHistogram(bright, [whole])];
    expect(hists[0]!.total).toBe(1200);
    const again = hists.map((h) => LogHistogram.fromJSON(JSON.parse(JSON.stringify(h.toJSON()))));
    const top = pooledScaleTop(hists, 99.9);
    expect(pooledScaleTop(again, 99.9)).toBe(top);
    expect(top).toBeGreaterThanOrEqual(99);
    const opts = { maxSize: 400, outlineAlpha: 0 };
    const plan = planRasterMap(dim.info, [whole], opts);
    const at = (img: DecodedPng) => rgbAt(img, plan.left + 300, plan.top + 200); // the constant part
    // own scale per map: the brightest block is the top colour in both years, whatever their levels
    const own = [await decodePng(await renderRasterMap(dim, [whole], opts)), await decodePng(await renderRasterMap(bright, [whole], opts))];
    const block = (img: DecodedPng) => rgbAt(img, plan.left + 50, plan.top + 50);
    expect(block(own[0]!)).toEqual([...samplePalette(NIGHT_STOPS, 1)]);
    expect(block(own[1]!)).toEqual([...samplePalette(NIGHT_STOPS, 1)]);
    // shared scale: the dim year is darker, both at the colour of their value on the one ramp
    const shared = [
      await decodePng(await renderRasterMap(dim, [whole], { ...opts, scaleTop: top, scaleNote: 'same scale' })),
      await decodePng(await renderRasterMap(bright, [whole], { ...opts, scaleTop: top, scaleNote: 'same scale' })),
    ];
    const expected = (v: number) => [...samplePalette(NIGHT_STOPS, Math.round((Math.log1p(v) / Math.log1p(top)) * 255) / 255)];
    expect(at(shared[0]!)).toEqual(expected(1));
    expect(at(shared[1]!)).toEqual(expected(50));
    expect(at(shared[0]!)).not.toEqual(at(shared[1]!));
    expect(block(shared[0]!)).not.toEqual(block(shared[1]!));
  });
});

describe('pipeline maps: shared scale, units in the legend, cached', () => {
  const tmp = tempDir('maps-shared');
  const root = join(tmp, 'project');
  cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
  cpSync('data-manifests/demo.yaml', join(root, 'data-manifests/demo.yaml'));
  const pipeline = join(root, 'pipelines/maps.yaml');
  mkdirSync(join(root, 'pipelines'), { recursive: true });
  writeFileSync(
    pipeline,
    [
      'pipeline: 1',
      'name: maps-shared',
      'manifests: [../data-manifests/demo.yaml]',
      'boundaries:',
      '  entry: hunan-counties',
      'series:',
      '  - name: viirs_like',
      '    select: { sensor: harmonized, product: chen2021-npp-viirs-like-8bit }',
      'years: { from: 2012, to: 2022, step: 10 }',
      'zonal:',
      '  stats: [sum]',
      '  rule: exact',
      '  nodata_as_zero: true',
      'outputs:',
      '  dir: ../out/maps',
      '  formats: [csv]',
      '  maps: true',
      '  map_stat: sum',
      'concurrency: 1',
      '',
    ].join('\n'),
  );
  const out = join(root, 'out/maps');
  const files = ['viirs_like_2012_sum.png', 'viirs_like_2022_sum.png', 'viirs_like_2012_raster.png', 'viirs_like_2022_raster.png'];

  it('colours a county by its value on the pooled 2012–2022 classes; a rerun draws nothing and rewrites the same bytes', async () => {
    const r = await runCli(['run', pipeline, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.cache.maps).toEqual({ reused: 0, rendered: 4 });
    expect(run.series).toEqual([
      { name: 'viirs_like', sensor: 'harmonized', product: 'chen2021-npp-viirs-like-8bit', label: 'VIIRS-like', unit: 'DN', periods: 2 },
    ]);

    // the expected colours, from the published panel: pooled quantile classes of both years' county sums
    const { header, rows } = parseCsv(readFileSync(join(out, 'panel.csv'), 'utf8'));
    const sum = header.indexOf('sum'),
      year = header.indexOf('year');
    const byYear = (y: number) => new Map(rows.filter((row) => Number(row[year]) === y).map((row) => [row[0]!, Number(row[sum])]));
    const v12 = byYear(2012),
      v22 = byYear(2022);
    const breaks = pooledClasses([v12.values(), v22.values()], 7)!;
    const zones = (await readZones('data/demo/hunan_counties.geojson', { idField: 'Code_County' })).zones;
    const plan = planChoropleth(zones, v12, { maxSize: 1200, geographic: true, title: 'x', breaks });
    const ramp = classColours(SEQUENTIAL_STOPS, breaks.upper.length);
    const classOfValue = (v: number) => breaks.upper.findIndex((u) => v <= u);
    const county = { id: '431222', x: 110.455, y: 28.218 }; // deep inside 沅陵县
    const [x, y] = toPixel(plan.view, county.x, county.y);
    const img12 = await decodePng(readFileSync(join(out, 'maps', files[0]!)));
    const img22 = await decodePng(readFileSync(join(out, 'maps', files[1]!)));
    const c12 = classOfValue(v12.get(county.id)!),
      c22 = classOfValue(v22.get(county.id)!);
    expect(c22).toBeGreaterThan(c12);
    expect(rgbAt(img12, plan.left + x, plan.top + y)).toEqual([...ramp[c12]!]);
    expect(rgbAt(img22, plan.left + x, plan.top + y)).toEqual([...ramp[c22]!]);
    // over the whole map, 2022 is darker (higher classes) than 2012
    const meanClass = (img: DecodedPng) => {
      const index = new Map(ramp.map((c, i) => [c.join(), i]));
      let s = 0,
        n = 0;
      for (let yy = plan.top; yy < plan.top + plan.view.height; yy += 3)
        for (let xx = 0; xx < plan.view.width; xx += 3) {
          const k = index.get(rgbAt(img, xx, yy).join());
          if (k !== undefined) {
            s += k;
            n++;
          }
        }
      return s / n;
    };
    expect(meanClass(img22)).toBeGreaterThan(meanClass(img12) + 2);

    const before = files.map((f) => readFileSync(join(out, 'maps', f)));
    const again = await runCli(['run', pipeline, '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).cache.maps).toEqual({ reused: 4, rendered: 0 });
    files.forEach((f, i) => expect(readFileSync(join(out, 'maps', f)).equals(before[i]!), f).toBe(true));
  }, 60_000);

  it('maps the gap column (map_stat: sum_gap) from the panel on pooled classes; a gap without gap: is refused', async () => {
    const gapPipeline = join(root, 'pipelines/gap.yaml');
    writeFileSync(
      gapPipeline,
      readFileSync(pipeline, 'utf8').replace('map_stat: sum', 'map_stat: sum_gap').replace('dir: ../out/maps', 'dir: ../out/gap') +
        'gap: { value: sum, ref: median }\n',
    );
    const r = await runCli(['run', gapPipeline, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const gapOut = join(root, 'out/gap');
    const { header, rows } = parseCsv(readFileSync(join(gapOut, 'panel.csv'), 'utf8'));
    const gap = header.indexOf('sum_gap'),
      year = header.indexOf('year');
    const byYear = (y: number) => new Map(rows.filter((row) => Number(row[year]) === y).map((row) => [row[0]!, Number(row[gap])]));
    const breaks = pooledClasses([byYear(2012).values(), byYear(2022).values()], 7)!;
    const zones = (await readZones('data/demo/hunan_counties.geojson', { idField: 'Code_County' })).zones;
    const plan = planChoropleth(zones, byYear(2022), { maxSize: 1200, geographic: true, title: 'x', breaks });
    const [x, y] = toPixel(plan.view, 110.455, 28.218); // deep inside 沅陵县
    const img = await decodePng(readFileSync(join(gapOut, 'maps/viirs_like_2022_sum_gap.png')));
    const ramp = classColours(SEQUENTIAL_STOPS, breaks.upper.length);
    expect(rgbAt(img, plan.left + x, plan.top + y)).toEqual([...ramp[breaks.upper.findIndex((u) => byYear(2022).get('431222')! <= u)]!]);
    writeFileSync(gapPipeline, readFileSync(pipeline, 'utf8').replace('map_stat: sum', 'map_stat: sum_gap'));
    const bad = await runCli(['run', gapPipeline, '--quiet']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/map_stat 'sum_gap' is a gap column, but the pipeline has no gap: section/);
  }, 60_000);
});
