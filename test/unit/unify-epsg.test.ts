/** One EPSG table: a code that a GeoTIFF may carry is also accepted by --zones-crs, with the same definition. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crsFromUserString } from '../../src/geo/index.js';
import { epsgCrs, epsgEntry } from '../../src/geo/epsg.js';
import { openRaster, epsgEntry as rasterEpsgEntry } from '../../src/raster/index.js';
import { writeGeoTiff } from '../../src/raster/write-geotiff.js';
import { runCli, parseCsv } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('epsg');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EPSG: one table, one lookup', () => {
  it('the raster path and the user path read the same table', () => {
    expect(rasterEpsgEntry).toBe(epsgEntry);
    for (const code of [4326, 4490, 4269, 4258, 3857, 32601, 32650, 32760, 4491, 4502, 4513, 4554]) {
      const user = crsFromUserString(`EPSG:${code}`);
      expect([code, user.proj4, user.geographic, user.epsg]).toEqual([code, epsgEntry(code)!.proj4, epsgEntry(code)!.geographic, code]);
      if (code !== 4326) expect(user).toEqual(epsgCrs(code));
    }
  });

  it('EPSG:4269 (NAD83): a GeoTIFF in it opens, and --zones-crs EPSG:4269 is accepted (both paths)', async () => {
    const nad83 = crsFromUserString('EPSG:4269');
    expect(nad83).toMatchObject({ epsg: 4269, geographic: true, proj4: '+proj=longlat +datum=NAD83 +no_defs' });
    const tif = join(dir, 'nad83.tif');
    // A 2 × 2° grid of ones over Changsha (lon 112–114, lat 27–29).
    await writeGeoTiff(
      tif,
      { width: 200, height: 200, dtype: 'float32', geoTransform: [112, 0.01, 0, 29, 0, -0.01], crs: nad83, nodata: null },
      new Float32Array(40000).fill(1),
    );
    const src = await openRaster(tif);
    try {
      expect(src.info.crs).toEqual(nad83);
    } finally {
      await src.close();
    }
    const r = await runCli([
      'zonal',
      '--raster',
      tif,
      '--zones',
      'test/fixtures/vector/noprj/changsha.shp',
      '--id',
      'Code_Count',
      '--zones-crs',
      'EPSG:4269',
      '--stats',
      'count',
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const csv = parseCsv(r.stdout);
    expect(csv.header).toEqual(['Code_Count', 'count']);
    expect(csv.rows.length).toBeGreaterThan(0);
    expect(csv.rows.every((row) => Number(row[1]) > 0)).toBe(true);
  });

  it('a code outside the table is refused on both paths with the same list of built-in codes', () => {
    expect(() => crsFromUserString('EPSG:2154')).toThrow(/4269, 4258/);
    expect(epsgEntry(2154)).toBeNull();
  });
});
