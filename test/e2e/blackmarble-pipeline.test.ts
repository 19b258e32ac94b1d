/**
 * Black Marble tiles through manifests and pipelines: `ntl manifest add --glob` records each tile (year from its
 * AYYYYDDD), the tiles of one period become one mosaic in `ntl run`, entry options (quality:, snow:, layer:) are
 * applied, and the schema refuses options that do not fit. Tiles are written at test time
 * (test/helpers/blackmarble-fixtures.ts): h29v05 raw 100 + 10·row + col, h29v06 raw 1000 + 10·row + col,
 * scale 0.1, one-degree cells; 2021 tiles hold twice the 2022 values.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, runCli } from '../helpers/cli.js';
import { grid16, grid8, writeTile } from '../helpers/blackmarble-fixtures.js';
import { yearFromName, yearMonthFromName } from '../../src/manifest/from-name.js';

const tmp = mkdtempSync(join(tmpdir(), 'ntl-bm-pipe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const home = process.cwd();
afterEach(() => process.chdir(home));

const f32 = Math.fround;
const tile = (base: number, k: number) => ({
  NearNadir_Composite_Snow_Free: { data: grid16(10, (r, c) => k * (base + 10 * r + c)) },
  NearNadir_Composite_Snow_Free_Quality: { data: grid8(10, (r, c) => (r === 9 && c === 3 ? 1 : 0)) },
});

beforeAll(async () => {
  writeFileSync(join(tmp, 'package.json'), '{}');
  for (const [year, k] of [
    [2022, 1],
    [2021, 2],
  ] as const) {
    await writeTile({ dir: join(tmp, 'tiles'), date: `A${year}001`, h: 29, v: 5, layers: tile(100, k) });
    await writeTile({ dir: join(tmp, 'tiles'), date: `A${year}001`, h: 29, v: 6, layers: tile(1000, k) });
  }
  mkdirSync(join(tmp, 'gis'));
  const sq = (x0: number, y0: number, x1: number, y1: number) => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  writeFileSync(
    join(tmp, 'gis', 'zones.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'S' }, geometry: { type: 'Polygon', coordinates: [sq(113, 29, 115, 31)] } }, // A (9,3) (9,4), B (0,3) (0,4)
      ],
    }),
  );
}, 60_000);

describe('Black Marble in manifests and pipelines', () => {
  it('takes year and month from the AYYYYDDD of a LAADS name, not from the production time', () => {
    expect(yearFromName('VNP46A4.A2022001.h29v06.001.2023011214401.h5')).toEqual({ ok: true, value: 2022 });
    expect(yearMonthFromName('VNP46A3.A2021060.h29v06.001.2021125073215.h5')).toEqual({ ok: true, value: { year: 2021, month: 3 } });
  });

  it('manifest add --glob records the tiles; ntl run mosaics each year and applies the entry options', async () => {
    process.chdir(tmp);
    const add = await runCli([
      'manifest',
      'add',
      'data-manifests/bm.yaml',
      '--glob',
      'tiles/VNP46A4.*.h5',
      '--year-from-name',
      '--sensor',
      'blackmarble-annual',
      '--licence',
      'NASA open data',
      '--citation',
      'Román et al. (2018)',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const zones = await runCli([
      'manifest',
      'add',
      'data-manifests/bm.yaml',
      '--file',
      'gis/zones.geojson',
      '--id',
      'zones',
      '--kind',
      'boundaries',
      '--id-field',
      'code',
      '--licence',
      'x',
      '--citation',
      'x',
    ]);
    expect(zones.code, zones.stderr).toBe(0);
    const manifest = readFileSync('data-manifests/bm.yaml', 'utf8');
    expect(manifest.match(/sensor: blackmarble-annual/g)).toHaveLength(4);
    expect(manifest).toMatch(/year: 2021\n {4}path: \.\.\/tiles\/VNP46A4\.A2021001\.h29v05\.001\.2023011214401\.h5/);
    mkdirSync('pipelines', { recursive: true });
    const pipeline = (extra: string) =>
      writeFileSync(
        'pipelines/bm.yaml',
        [
          'pipeline: 1',
          'name: bm',
          'manifests: [../data-manifests/bm.yaml]',
          'boundaries:',
          '  entry: zones',
          'series:',
          '  - name: bm',
          '    select: { sensor: blackmarble-annual }',
          'years: { from: 2021, to: 2022 }',
          'zonal:',
          '  stats: [count, sum]',
          'outputs:',
          '  dir: ../out/bm',
          extra,
          '',
        ].join('\n'),
      );
    pipeline('');
    const run = await runCli(['run', 'pipelines/bm.yaml', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const { header, rows } = parseCsv(readFileSync('out/bm/panel.csv', 'utf8'));
    const get = (year: string, k: string) => Number(rows.find((r) => r[header.indexOf('year')] === year)![header.indexOf(k)]);
    const sum2022 = f32(19.3) + f32(19.4) + f32(100.3) + f32(100.4);
    expect(get('2022', 'count')).toBe(4);
    expect(get('2022', 'sum')).toBeCloseTo(sum2022, 4);
    expect(get('2021', 'sum')).toBeCloseTo(f32(38.6) + f32(38.8) + f32(200.6) + f32(200.8), 4);

    // the work-unit plan (and sharded runs) read the mosaic's header, not a GeoTIFF header of the first tile
    const plan = await runCli(['run', 'pipelines/bm.yaml', '--plan', '--shards', '2']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/bm 2022 rows/);
    const shard = await runCli(['run', 'pipelines/bm.yaml', '--shard', '1/1', '--quiet']);
    expect(shard.code, shard.stderr).toBe(0);

    // quality: good on every tile entry → the poor cell A (9,3) drops out
    writeFileSync(
      'data-manifests/bm.yaml',
      readFileSync('data-manifests/bm.yaml', 'utf8').replace(/( {4}sensor: blackmarble-annual\n)/g, '$1    quality: good\n'),
    );
    const good = await runCli(['run', 'pipelines/bm.yaml', '--quiet']);
    expect(good.code, good.stderr).toBe(0);
    const g = parseCsv(readFileSync('out/bm/panel.csv', 'utf8'));
    const row22 = g.rows.find((r) => r[g.header.indexOf('year')] === '2022')!;
    expect(Number(row22[g.header.indexOf('count')])).toBe(3);
    expect(Number(row22[g.header.indexOf('sum')])).toBeCloseTo(sum2022 - f32(19.3), 4);
  });

  it('refuses Black Marble options on a GeoTIFF entry, a band on a tile, and a month on the annual sensor', async () => {
    const dir = join(tmp, 'bad');
    mkdirSync(dir, { recursive: true });
    const m = join(dir, 'm.yaml');
    const entry = (extra: string) =>
      `manifest: 1\nname: bad\nentries:\n  - id: x\n    sensor: blackmarble-annual\n    year: 2022\n    path: x${extra}\n    size: null\n    sha256: null\n`;
    writeFileSync(m, entry('.tif\n    quality: good'));
    expect((await runCli(['manifest', 'verify', m])).stderr).toMatch(/quality.*is a Black Marble option; set format: blackmarble/);
    writeFileSync(m, entry('.h5\n    band: 2'));
    expect((await runCli(['manifest', 'verify', m])).stderr).toMatch(/band.*does not apply to Black Marble tiles/);
    writeFileSync(m, entry('.h5\n    month: 3'));
    expect((await runCli(['manifest', 'verify', m])).stderr).toMatch(
      /month.*is not allowed for the annual sensor blackmarble-annual; use sensor blackmarble-monthly/,
    );
    writeFileSync(m, entry('.h5\n    snow: winter'));
    expect((await runCli(['manifest', 'verify', m])).stderr).toMatch(/snow.*must be free, covered or all/);
  });
});
