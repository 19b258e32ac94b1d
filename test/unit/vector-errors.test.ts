import { copyFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { readZones } from '../../src/vector/index.js';
import { tempDir } from '../helpers/tmp.js';

const FX = 'test/fixtures/vector';

function tmp(): string {
  return tempDir('vector-err');
}

function geojson(features: unknown[], extra: Record<string, unknown> = {}): string {
  const dir = tmp();
  writeFileSync(`${dir}/z.geojson`, JSON.stringify({ type: 'FeatureCollection', ...extra, features }));
  return `${dir}/z.geojson`;
}

const square = (x: number): unknown => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, 0],
      [x + 1, 0],
      [x + 1, 1],
      [x, 1],
      [x, 0],
    ],
  ],
});

/** The promise rejects with an NtlError whose message matches every pattern. */
async function rejectsWith(p: Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NtlError);
  const msg = (e as NtlError).message;
  for (const re of patterns) expect(msg).toMatch(re);
  return msg;
}

/** Copy a fixture shapefile's parts (by extension) into a temp dir. */
function copyShapefile(dir: string, exts: string[]): string {
  const d = tmp();
  for (const e of exts) copyFileSync(`${FX}/${dir}/changsha.${e}`, `${d}/changsha.${e}`);
  return `${d}/changsha.shp`;
}

describe('bad input gives one clear NtlError', () => {
  it('missing .prj and no --zones-crs', async () => {
    await rejectsWith(
      readZones(`${FX}/noprj/changsha.shp`, { idField: 'Code_Count' }),
      /noprj\/changsha\.shp has no \.prj: its coordinate system is unknown; pass --zones-crs EPSG:4326/,
    );
    const ok = await readZones(`${FX}/noprj/changsha.shp`, { idField: 'Code_Count', crs: 'EPSG:4326' });
    expect(ok.crs.epsg).toBe(4326);
  });

  it('missing .dbf / .shx', async () => {
    await rejectsWith(readZones(copyShapefile('utf8-cpg', ['shp', 'shx', 'prj']), { idField: 'Code_Count' }), /\.dbf file \(attribute table\) is missing/);
    await rejectsWith(readZones(copyShapefile('utf8-cpg', ['shp', 'dbf', 'prj']), { idField: 'Code_Count' }), /\.shx file \(record index\) is missing/);
  });

  it('no .cpg, no language-driver byte and text that reads plausibly in no single code page: cannot tell the encoding', async () => {
    // One record's GBK name overwritten with Latin-1 text: now neither GBK nor any other code page reads every value.
    const shp = copyShapefile('gbk-noldid', ['shp', 'shx', 'dbf', 'prj']);
    const dbf = shp.replace(/shp$/, 'dbf');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(dbf);
    const header = bytes.readUInt16LE(8);
    bytes.set(Buffer.from('Caf\xe9 Cr\xe8me ', 'latin1'), header + 1 + 5 * 80); // record 1, field Name_Count
    writeFileSync(dbf, bytes);
    await rejectsWith(readZones(shp, { idField: 'Code_Count' }), /cannot tell the text encoding of .*changsha\.dbf/, /--encoding gbk\|/);
  });

  it('unknown --encoding name', async () => {
    await rejectsWith(readZones(`${FX}/gbk-noldid/changsha.shp`, { idField: 'Code_Count', encoding: 'klingon' }), /unknown text encoding "klingon"/);
  });

  it('unknown id field lists the available fields', async () => {
    await rejectsWith(
      readZones(`${FX}/changsha.geojson`, { idField: 'adcode' }),
      /no field "adcode".*available fields: Code_County, Code_Perfecture, .*Name_County/,
    );
    await rejectsWith(readZones(`${FX}/utf8-cpg/changsha.shp`, { idField: 'Code_County' }), /available fields: Code_Count, Code_Perfe/);
  });

  it('duplicate ids are listed', async () => {
    const p = geojson([
      { type: 'Feature', properties: { id: 'a' }, geometry: square(0) },
      { type: 'Feature', properties: { id: 'b' }, geometry: square(2) },
      { type: 'Feature', properties: { id: 'a' }, geometry: square(4) },
      { type: 'Feature', properties: { id: 7 }, geometry: square(6) },
      { type: 'Feature', properties: { id: '7' }, geometry: square(8) },
    ]);
    await rejectsWith(readZones(p, { idField: 'id' }), /z\.geojson: the id field "id" has duplicate values: a, 7;/);
  });

  it('missing id values', async () => {
    const p = geojson([
      { type: 'Feature', properties: { id: 'a' }, geometry: square(0) },
      { type: 'Feature', properties: { id: null }, geometry: square(2) },
    ]);
    await rejectsWith(readZones(p, { idField: 'id' }), /1 feature\(s\) have no value in the id field "id" \(feature 2\)/);
  });

  it('empty FeatureCollection', async () => {
    await rejectsWith(readZones(geojson([]), { idField: 'id' }), /has no features/);
  });

  it('bare geometry (no properties) is refused', async () => {
    const d = tmp();
    writeFileSync(`${d}/g.geojson`, JSON.stringify(square(0)));
    await rejectsWith(readZones(`${d}/g.geojson`, { idField: 'id' }), /bare Polygon geometry with no properties.*wrap it in a Feature/);
  });

  it('non-polygon geometry: GeoJSON lines and a points shapefile', async () => {
    const p = geojson([
      {
        type: 'Feature',
        properties: { id: 'l' },
        geometry: {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        },
      },
    ]);
    await rejectsWith(readZones(p, { idField: 'id' }), /feature 1 has LineString geometry, but zones must be Polygon or MultiPolygon/);
    await rejectsWith(readZones(`${FX}/points.shp`, { idField: 'id' }), /holds Point geometry, but zones must be polygons/);
  });

  it('a bow-tie cannot be repaired: the offending ids are listed with makevalid advice', async () => {
    const p = geojson([
      { type: 'Feature', properties: { id: 'ok' }, geometry: square(10) },
      {
        type: 'Feature',
        properties: { id: 'bow' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [2, 2],
              [2, 0],
              [0, 2],
              [0, 0],
            ],
          ],
        },
      },
      {
        type: 'Feature',
        properties: { id: 'holecross' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [4, 0],
              [4, 4],
              [0, 4],
              [0, 0],
            ],
            [
              [3, 1],
              [5, 1],
              [5, 2],
              [3, 2],
              [3, 1],
            ],
          ],
        },
      },
    ]);
    await rejectsWith(
      readZones(p, { idField: 'id' }),
      /2 zone\(s\) have self-intersecting boundaries/,
      /bow near \(1\.000000, 1\.000000\)/,
      /holecross/,
      /ogr2ogr -makevalid/,
    );
  });

  it('null and empty geometries: kept without parts, named once as "no geometry", not as an error', async () => {
    const p = geojson([
      { type: 'Feature', properties: { id: 'ok' }, geometry: square(0) },
      { type: 'Feature', properties: { id: 'null' }, geometry: null },
      { type: 'Feature', properties: { id: 'empty' }, geometry: { type: 'MultiPolygon', coordinates: [] } },
    ]);
    const set = await readZones(p, { idField: 'id' });
    expect(set.zones.map((z) => z.parts.length)).toEqual([1, 0, 0]);
    expect(set.warnings).toEqual([`${p}: 2 zone(s) have no geometry (null shape): null, empty; they are kept with empty statistics`]);
  });

  it('a ring touching itself at a point is kept with a warning (area is well defined)', async () => {
    const p = geojson([
      {
        type: 'Feature',
        properties: { id: 't' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [2, 0],
              [2, 2],
              [1, 0],
              [0, 2],
              [0, 0],
            ],
          ],
        },
      },
    ]);
    const set = await readZones(p, { idField: 'id' });
    expect(set.warnings.join('\n')).toMatch(/touch themselves at a point .*: t/);
  });

  it('nonexistent file, unsupported type, broken JSON, unreadable .prj, unreadable crs member', async () => {
    await rejectsWith(readZones('/nonexistent/zones.shp', { idField: 'id' }), /zones file \/nonexistent\/zones\.shp does not exist/);
    const d = tmp();
    writeFileSync(`${d}/z.kml`, '<kml/>');
    await rejectsWith(readZones(`${d}/z.kml`, { idField: 'id' }), /unsupported type "\.kml"; use a Shapefile/);
    writeFileSync(`${d}/b.geojson`, '{"type": "FeatureCollection", "features": [');
    await rejectsWith(readZones(`${d}/b.geojson`, { idField: 'id' }), /b\.geojson is not valid JSON/);
    const shp = copyShapefile('utf8-cpg', ['shp', 'shx', 'dbf', 'cpg']);
    writeFileSync(shp.replace(/shp$/, 'prj'), 'LOCAL_CS nonsense');
    await rejectsWith(readZones(shp, { idField: 'Code_Count' }), /cannot read the coordinate system in .*changsha\.prj.*--zones-crs/);
    const g = geojson([{ type: 'Feature', properties: { id: 'a' }, geometry: square(0) }], { crs: { type: 'name', properties: { name: 'foo' } } });
    await rejectsWith(readZones(g, { idField: 'id' }), /cannot read its "crs" member/);
  });
});

describe('GeoJSON crs member', () => {
  it('legacy EPSG names and CRS84 are honoured, absent means EPSG:4326', async () => {
    const f = [{ type: 'Feature', properties: { id: 'a' }, geometry: square(0) }];
    for (const name of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326']) {
      const set = await readZones(geojson(f, { crs: { type: 'name', properties: { name } } }), { idField: 'id' });
      expect(set.crs.epsg).toBe(4326);
    }
    const utm = await readZones(geojson(f, { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32649' } } }), { idField: 'id' });
    expect(utm.crs.epsg).toBe(32649);
    expect(utm.crs.geographic).toBe(false);
    expect((await readZones(geojson(f), { idField: 'id' })).crs.epsg).toBe(4326);
  });
});
