/**
 * Issue 15, "no silently wrong output", as a user meets it (`ntl zonal` / `ntl panel` in-process): inputs that
 * cannot overlap, null geometry, unusable georeferencing and DBF encodings. Every refusal is one `ntl: error:`
 * line with exit ≠ 0, names the cause, creates no output file and leaves the inputs untouched; every accepted
 * case gives the right rows plus one warning.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { WGS84 } from '../../src/geo/crs.js';
import { crsFromEpsg } from '../../src/geo/parse-crs.js';
import { writeGeoTiff } from '../../src/raster/write-geotiff.js';
import { parseCsv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { cwSquare, writeShapefile } from '../helpers/write-shapefile.js';

const tmp = tempDir('input-classes');
const IN = join(tmp, 'in'); // inputs live here (checked untouched); outputs go to tmp/out-*
mkdirSync(IN);

const square = (x: number, y: number, s: number): number[][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const swap = (ring: number[][]): number[][] => ring.map(([x, y]) => [y!, x!]);

function geojson(name: string, features: { id: string; ring: number[][] | null }[], crsName?: string): string {
  const path = join(IN, name);
  writeFileSync(
    path,
    JSON.stringify({
      type: 'FeatureCollection',
      ...(crsName ? { crs: { type: 'name', properties: { name: crsName } } } : {}),
      features: features.map((f) => ({ type: 'Feature', properties: { code: f.id }, geometry: f.ring ? { type: 'Polygon', coordinates: [f.ring] } : null })),
    }),
  );
  return path;
}

/** 100 × 100 uint8 cells of 0.01° over x 112–113, y 28–29 (values 1–200), labelled `crs`; or over other numbers. */
async function raster(
  name: string,
  opts: { crs?: ReturnType<typeof crsFromEpsg>; gt?: [number, number, number, number, number, number]; fill?: number; nodata?: number | null } = {},
): Promise<string> {
  const path = join(IN, name);
  const values = new Uint8Array(100 * 100);
  for (let i = 0; i < values.length; i++) values[i] = opts.fill ?? 1 + (i % 200);
  await writeGeoTiff(
    path,
    { width: 100, height: 100, dtype: 'uint8', geoTransform: opts.gt ?? [112, 0.01, 0, 29, 0, -0.01], crs: opts.crs ?? WGS84, nodata: opts.nodata ?? null },
    values,
  );
  return path;
}

function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(IN)) if (statSync(join(IN, f)).isFile()) out.set(f, readFileSync(join(IN, f)).toString('base64'));
  return out;
}

let outSeq = 0;
async function refused(args: string[], ...messages: RegExp[]): Promise<string> {
  const before = snapshot();
  const out = join(tmp, `out-${++outSeq}.csv`);
  const r = await runCli([...args, '--out', out]);
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^ntl: error: /);
  for (const m of messages) expect(lines[0]).toMatch(m);
  expect(existsSync(out)).toBe(false);
  expect(snapshot()).toEqual(before);
  return lines[0]!;
}

const GOOD = square(112.2, 28.2, 0.3);

describe('inputs that cannot overlap: an error with both extents in one CRS and the likely cause', () => {
  it('zones elsewhere, x/y swapped, a degree raster labelled EPSG:3857, a metre raster labelled EPSG:4326, degree zones labelled UTM', async () => {
    const ok = await raster('lonlat.tif');
    const mislabelled = await raster('labelled-3857.tif', { crs: crsFromEpsg(3857) });
    const metres = await raster('metres-labelled-4326.tif', { gt: [12467782, 1113, 0, 3375646, 0, -1113] });
    const cases: [string, string[], RegExp[]][] = [
      [
        'elsewhere',
        ['--raster', ok, '--zones', geojson('elsewhere.geojson', [{ id: 'a', ring: square(10, 50, 0.5) }])],
        [
          /no zone of .*elsewhere\.geojson touches the raster .*lonlat\.tif/,
          /the raster covers x 112\.0000 to 113\.0000, y 28\.0000 to 29\.0000 and the zones x 10\.0000 to 10\.5000, y 50\.0000 to 50\.5000, both in EPSG:4326/,
          /the zones are elsewhere/,
          /--allow-empty/,
        ],
      ],
      [
        'swapped',
        ['--raster', ok, '--zones', geojson('swapped.geojson', [{ id: 'a', ring: swap(GOOD) }])],
        [/x and y look exchanged/, /latitude and longitude written in the wrong order/],
      ],
      [
        '3857 label on degrees',
        ['--raster', mislabelled, '--zones', geojson('good1.geojson', [{ id: 'a', ring: GOOD }])],
        [
          /labelled-3857\.tif/,
          /both in EPSG:3857/,
          /coordinates look like degrees .* but it is labelled EPSG:3857/,
          /read as EPSG:4326 it would cover the zones/,
          /gdal_edit\.py -a_srs EPSG:4326/,
        ],
      ],
      [
        '4326 label on metres',
        ['--raster', metres, '--zones', geojson('good2.geojson', [{ id: 'a', ring: GOOD }])],
        [/labelled EPSG:4326 .*\(degrees\) but its coordinates .* cannot be degrees/, /gdal_edit\.py -a_srs/],
      ],
      [
        'UTM label on degree zones',
        ['--raster', ok, '--zones', geojson('utm.geojson', [{ id: 'a', ring: GOOD }], 'EPSG:32649')],
        [/the zones' coordinates look like degrees .* but their CRS is EPSG:32649/, /--zones-crs EPSG:4326/],
      ],
    ];
    for (const [, args, messages] of cases) await refused(['zonal', ...args, '--id', 'code'], ...messages);
  });

  it('--allow-empty keeps the old behaviour: empty rows and a warning', async () => {
    const ok = await raster('lonlat2.tif');
    const r = await runCli([
      'zonal',
      '--raster',
      ok,
      '--zones',
      geojson('far.geojson', [{ id: 'far', ring: square(10, 50, 0.5) }]),
      '--id',
      'code',
      '--stats',
      'count,sum',
      '--allow-empty',
    ]);
    expect(r.code).toBe(0);
    expect(parseCsv(r.stdout).rows).toEqual([['far', '', '']]);
    expect(r.stderr).toMatch(/warning: 1 zone lies outside the raster .*ids far/);
  });

  it('zones on the raster but only on no-data cells: an error pointing at --nodata-as-zero', async () => {
    const dark = await raster('dark.tif', { fill: 0, nodata: 0 });
    await refused(
      ['zonal', '--raster', dark, '--zones', geojson('good3.geojson', [{ id: 'a', ring: GOOD }]), '--id', 'code'],
      /covers only no-data cells \(0 or NaN\)/,
      /--nodata-as-zero/,
      /--allow-empty/,
    );
    const r = await runCli(['zonal', '--raster', dark, '--zones', join(IN, 'good3.geojson'), '--id', 'code', '--nodata-as-zero', '--stats', 'count,sum']);
    expect(r.code).toBe(0);
    expect(Number(parseCsv(r.stdout).rows[0]![1])).toBeCloseTo(900, 6);
  });

  it('ntl panel: a year whose raster has the wrong CRS label stops the run, naming series, year and file', async () => {
    const y1 = await raster('panel-2015.tif');
    const y2 = await raster('panel-2016.tif', { crs: crsFromEpsg(3857) });
    const zones = geojson('panel-zones.geojson', [
      { id: 'a', ring: GOOD },
      { id: 'b', ring: square(112.6, 28.6, 0.2) },
    ]);
    const outDir = join(tmp, 'panel-out');
    const args = ['panel', '--zones', zones, '--id', 'code', '--raster', `2015=${y1}`, '--raster', `2016=${y2}`, '--out', outDir, '--quiet'];
    const before = snapshot();
    const r = await runCli(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ntl: error: series ntl, year 2016, file .*panel-2016\.tif: no zone of .*panel-zones\.geojson touches the raster/);
    expect(r.stderr).toMatch(/labelled EPSG:3857/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(outDir, 'panel.csv'))).toBe(false);
    expect(snapshot()).toEqual(before);
    const allowed = await runCli([...args, '--allow-empty']);
    expect(allowed.code, allowed.stderr).toBe(0);
    const panel = parseCsv(readFileSync(join(outDir, 'panel.csv'), 'utf8'));
    const sumAt = panel.header.indexOf('sum');
    const yearAt = panel.header.indexOf('year');
    expect(panel.rows.filter((row) => row[yearAt] === '2016').map((row) => row[sumAt])).toEqual(['', '']);
    expect(panel.rows.filter((row) => row[yearAt] === '2015').every((row) => Number(row[sumAt]) > 0)).toBe(true);
  });
});

describe('null geometry is named as such, not as "outside the raster"', () => {
  it('GeoJSON geometry: null and a shapefile null shape: empty row and one warning naming the zone; all null: an error', async () => {
    const ok = await raster('nulls.tif');
    const gj = geojson('nulls.geojson', [
      { id: 'a', ring: GOOD },
      { id: 'nothing', ring: null },
    ]);
    const shp = writeShapefile(
      join(IN, 'nulls'),
      [
        { rings: [cwSquare(112.2, 28.2, 0.3)], values: { code: 'a' } },
        { rings: null, values: { code: 'nothing' } },
      ],
      { fields: ['code'] },
    );
    for (const zones of [gj, shp]) {
      const r = await runCli(['zonal', '--raster', ok, '--zones', zones, '--id', 'code', '--stats', 'count,sum,area_km2']);
      expect(r.code, r.stderr).toBe(0);
      const rows = parseCsv(r.stdout).rows;
      expect(rows[1]).toEqual(['nothing', '', '', '']);
      expect(Number(rows[0]![1])).toBeCloseTo(900, 6);
      expect(r.stderr).toMatch(/warning: .*1 zone\(s\) have no geometry \(null shape\): nothing; they are kept with empty statistics/);
      expect(r.stderr).not.toMatch(/outside the raster/);
    }
    await refused(
      [
        'zonal',
        '--raster',
        ok,
        '--zones',
        geojson('allnull.geojson', [
          { id: 'x', ring: null },
          { id: 'y', ring: null },
        ]),
        '--id',
        'code',
      ],
      /none of the 2 zones in .*allnull\.geojson has a geometry \(all null shapes\)/,
    );
  });
});

describe('unusable georeferencing says what to do', () => {
  it('pixel size 0', async () => {
    const path = await raster('zero-pixel.tif');
    // ModelPixelScaleTag (33550) holds three doubles; set the x scale to 0 (TIFF little-endian, tag in the first IFD).
    const bytes = readFileSync(path);
    const ifd = bytes.readUInt32LE(4);
    const n = bytes.readUInt16LE(ifd);
    for (let k = 0; k < n; k++) {
      const e = ifd + 2 + 12 * k;
      if (bytes.readUInt16LE(e) === 33550) bytes.writeDoubleLE(0, bytes.readUInt32LE(e + 8));
    }
    writeFileSync(path, bytes);
    await refused(
      ['zonal', '--raster', path, '--zones', geojson('good4.geojson', [{ id: 'a', ring: GOOD }]), '--id', 'code'],
      /zero-pixel\.tif has no usable georeferencing: its geotransform \[112, 0, 0, 29, 0, -0\.01\] has a pixel size of 0/,
      /gdal_edit\.py -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326/,
      /gdal_translate -a_ullr/,
    );
  });
});

describe('DBF encodings through ntl zonal', () => {
  it('CP1252 without .cpg: read as Windows-1252 with one warning; one ambiguous value: an error asking for --encoding', async () => {
    const ok = await raster('enc.tif');
    const cities = ['Zürich', 'São Paulo', 'Köln', 'Besançon', 'Ålesund'];
    const shp = writeShapefile(
      join(IN, 'cities'),
      cities.map((name, i) => ({
        rings: [cwSquare(112.1 + 0.15 * i, 28.2, 0.1)],
        values: { code: `c${i}`, name: iconv.encode(name, 'cp1252') },
      })),
      { fields: ['code', 'name'] },
    );
    const r = await runCli(['zonal', '--raster', ok, '--zones', shp, '--id', 'name', '--stats', 'count']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseCsv(r.stdout).rows.map((row) => row[0])).toEqual(cities);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: .*cities\.dbf does not say its text encoding .*read it as Windows-1252/);
    const one = writeShapefile(join(IN, 'one'), [{ rings: [cwSquare(112.2, 28.2, 0.1)], values: { code: 'c', name: iconv.encode('Ö', 'cp1252') } }], {
      fields: ['code', 'name'],
    });
    // (zonal judges only the id field's text: the ambiguous value must be the id)
    await refused(['zonal', '--raster', ok, '--zones', one, '--id', 'name'], /cannot tell the text encoding of .*one\.dbf/, /--encoding cp1252\|cp1251/);
    const codes = await runCli(['zonal', '--raster', ok, '--zones', one, '--id', 'code', '--stats', 'count']);
    expect(codes.code, codes.stderr).toBe(0); // the names are not read, so their encoding does not matter
    expect(codes.stderr).toBe('');
  });
});
