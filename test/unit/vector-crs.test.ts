import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { crsFromPrj, crsFromUserString, sameCrs, WGS84 } from '../../src/geo/index.js';

// `gdalsrsinfo -o FMT CODE` output, saved by scripts/fixtures/make-vector-fixtures.py.
const SRS = JSON.parse(readFileSync('test/fixtures/vector/crs-wkt.json', 'utf8')) as Record<string, Record<string, string>>;
const gdal = (fmt: string, code: string): string => {
  const v = SRS[code]?.[fmt];
  if (v === undefined) throw new Error(`no ${fmt} for ${code} in crs-wkt.json; rerun the fixture script`);
  return v;
};

describe('crsFromPrj / crsFromUserString / sameCrs', () => {
  it('ESRI WGS84 .prj (as in mapchina) is EPSG:4326', () => {
    const c = crsFromPrj(
      'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    );
    expect(c).toEqual(WGS84);
  });

  it('well-known codes from ESRI, OGC WKT1 and WKT2 (gdalsrsinfo output) get their EPSG code', () => {
    for (const code of [4326, 4490, 3857, 32649, 32750]) {
      for (const fmt of ['wkt_esri', 'wkt1', 'wkt2']) {
        const c = crsFromPrj(gdal(fmt, `EPSG:${code}`));
        expect([code, fmt, c.epsg]).toEqual([code, fmt, code]);
        expect(c.geographic).toBe(code === 4326 || code === 4490);
      }
    }
  });

  it("other CRSs go through proj4 and are the same CRS as GDAL's proj4 string", () => {
    for (const code of ['EPSG:4545', 'ESRI:102025', 'EPSG:2383', 'EPSG:3395', 'EPSG:4214']) {
      const ref = crsFromUserString(gdal('proj4', code));
      for (const fmt of ['wkt_esri', 'wkt1', 'wkt2']) {
        const c = crsFromPrj(gdal(fmt, code));
        expect([code, fmt, sameCrs(c, ref)]).toEqual([code, fmt, true]);
      }
    }
  });

  it('user strings: EPSG codes, URNs, CRS84, proj4, WKT', () => {
    expect(crsFromUserString('EPSG:4326')).toBe(WGS84);
    expect(crsFromUserString('epsg:32649').epsg).toBe(32649);
    expect(crsFromUserString('urn:ogc:def:crs:OGC:1.3:CRS84')).toBe(WGS84);
    expect(crsFromUserString('+proj=longlat +datum=WGS84 +no_defs')).toBe(WGS84);
    expect(crsFromUserString(gdal('wkt1', 'EPSG:4490')).epsg).toBe(4490);
    expect(crsFromUserString('EPSG:4547').proj4).toBe(gdal('proj4', 'EPSG:4547'));
    expect(crsFromUserString('EPSG:4502').proj4).toBe(gdal('proj4', 'EPSG:4502'));
    expect(crsFromUserString('EPSG:4513').proj4).toBe(gdal('proj4', 'EPSG:4513'));
    expect(() => crsFromUserString('EPSG:2154')).toThrow(/EPSG:2154.*not one of the built-in codes.*gdalsrsinfo -o proj4 EPSG:2154/);
    expect(() => crsFromUserString('wgs84 please')).toThrow(NtlError);
  });

  it('sameCrs compares meaning, not text', () => {
    const utm = crsFromUserString('EPSG:32649');
    expect(sameCrs(utm, crsFromUserString('+proj=tmerc +lat_0=0 +lon_0=111 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84 +units=m'))).toBe(true);
    expect(sameCrs(utm, crsFromUserString('EPSG:32650'))).toBe(false);
    expect(sameCrs(crsFromUserString('EPSG:4490'), WGS84)).toBe(false); // GRS80 vs WGS84 ellipsoid
    const aea = '+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m';
    expect(sameCrs(crsFromUserString(aea), crsFromPrj(gdal('wkt_esri', aea)))).toBe(true);
    expect(sameCrs(crsFromUserString(aea), crsFromUserString(aea.replace('lat_2=47', 'lat_2=45')))).toBe(false);
    expect(sameCrs(crsFromUserString(aea), crsFromUserString(`${aea.replace('+units=m', '')} +units=km`))).toBe(false);
  });

  it('unparseable .prj names the file and suggests --zones-crs', () => {
    expect(() => crsFromPrj('LOCAL_CS["x"', 'zones.prj')).toThrow(/cannot read the coordinate system in zones\.prj.*--zones-crs/);
    expect(() => crsFromPrj('   ', 'zones.prj')).toThrow(/zones\.prj: it is empty/);
  });
});
