import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crsFromUserString, densify, geodesicAreaKm2, WGS84 } from '../../src/geo/index.js';
import { readZones, reprojectZones } from '../../src/vector/index.js';
import { repoFile } from '../helpers/data-dir.js';

const readGolden = (path: string) =>
  new Map(
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',') as [string, string])
      .map(([id, a]) => [id, Number(a)] as const),
  );
// terra::expanse (GeographicLib geodesic area on WGS84) over the Hunan counties of the mapchina shapefile;
// produced by scripts/golden/vector-area-hunan.R.
const golden = readGolden('test/goldens/vector-area-hunan.csv');
// sf::st_area with s2 off (lwgeom → GeographicLib's C library) over all 2,901 counties;
// produced by scripts/golden/geodesic-area.R.
const goldenChina = readGolden('test/goldens/geodesic-area-china.csv');
const CHINA = repoFile('data/china/mapchina_counties/china_counties_mapchina.shp');

async function hunan() {
  const all = await readZones(CHINA, { idField: 'county_cd' });
  return { ...all, zones: all.zones.filter((z) => golden.has(z.id)) };
}

describe('geodesicAreaKm2', () => {
  // Both oracles run GeographicLib's algorithm, as we do (its JavaScript port): agreement to round-off
  // (measured: 7e-13 relative against terra, 1.2e-11 against sf/lwgeom). The authalic-sphere approximation used
  // before was off by up to 1.4e-7 (Hunan) and 2.1e-6 (652823, long straight edges in Xinjiang).
  it('matches terra::expanse for the 122 Hunan counties within 1e-10 relative', async () => {
    const set = await hunan();
    expect(set.zones).toHaveLength(122);
    let worst = 0;
    for (const z of set.zones) {
      const g = golden.get(z.id) as number;
      worst = Math.max(worst, Math.abs(geodesicAreaKm2(z.parts, set.crs) - g) / g);
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('matches sf::st_area (s2 off: lwgeom, GeographicLib) for all 2,901 China counties within 1e-10 relative', async () => {
    const set = await readZones(CHINA, { idField: 'county_cd' });
    expect(set.zones).toHaveLength(2901);
    expect(goldenChina.size).toBe(2901);
    let worst = 0;
    for (const z of set.zones) {
      const g = goldenChina.get(z.id) as number;
      worst = Math.max(worst, Math.abs(geodesicAreaKm2(z.parts, set.crs) - g) / g);
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('small squares agree with GeographicLib to 1e-9 (edge-path differences vanish as edges shrink)', () => {
    // terra::expanse of lon/lat squares at 112E 28N (Rscript, GeographicLib): side 0.01° and 0.1°.
    const sq = (s: number) => [[Float64Array.from([112, 28, 112 + s, 28, 112 + s, 28 + s, 112, 28 + s, 112, 28])]];
    expect(geodesicAreaKm2(sq(0.01), WGS84) / 1.0899912921524049 - 1).toBeLessThan(1e-9);
    expect(Math.abs(geodesicAreaKm2(sq(0.1), WGS84) / 108.95451512687683 - 1)).toBeLessThan(1e-9);
  });

  it("GeographicLib's published Planimeter values (its test suite), either orientation, closed or not", () => {
    // [lat, lon] points and m² from geodesictest.js "Planimeter0" (pole-encircling ring, diamond, octant).
    const cases: [number[][], number][] = [
      [
        [
          [89, 0],
          [89, 90],
          [89, 180],
          [89, 270],
        ],
        24952305678,
      ],
      [
        [
          [0, -1],
          [-1, 0],
          [0, 1],
          [1, 0],
        ],
        24619419146,
      ],
      [
        [
          [90, 0],
          [0, 0],
          [0, 90],
        ],
        63758202715511,
      ],
    ];
    for (const [pts, m2] of cases) {
      const ring = pts.flatMap(([lat, lon]) => [lon!, lat!]);
      const closed = [...ring, ring[0]!, ring[1]!];
      const reversed = pts.toReversed().flatMap(([lat, lon]) => [lon!, lat!]);
      for (const r of [ring, closed, reversed]) {
        expect(Math.abs(geodesicAreaKm2([[Float64Array.from(r)]], WGS84) * 1e6 - m2)).toBeLessThan(1);
      }
    }
  });

  it('holes are subtracted and multipolygon parts added', () => {
    const outer = Float64Array.from([112, 28, 113, 28, 113, 29, 112, 29, 112, 28]);
    const hole = Float64Array.from([112.2, 28.2, 112.2, 28.4, 112.4, 28.4, 112.4, 28.2, 112.2, 28.2]);
    const island = Float64Array.from([115, 28, 115.2, 28, 115.2, 28.2, 115, 28.2, 115, 28]);
    const a = (p: Float64Array[][]) => geodesicAreaKm2(p, WGS84);
    expect(a([[outer, hole], [island]])).toBeCloseTo(a([[outer]]) - a([[hole]]) + a([[island]]), 9);
    expect(a([])).toBe(0);
  });

  it('projected zones: planar area in an equal-area CRS, geodesic via lon/lat otherwise', async () => {
    const set = await hunan();
    const albers = reprojectZones(set, crsFromUserString('+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m'));
    const utm = reprojectZones(set, crsFromUserString('EPSG:32649'));
    // Reprojection densifies along straight lon/lat lines (0.01°), while the lon/lat area takes edges as
    // geodesics; for the same polygon, compare with the lon/lat polygon densified the same way.
    let worst = 0;
    for (let i = 0; i < set.zones.length; i += 7) {
      const lonlat = (set.zones[i]?.parts ?? []).map((p) => p.map((r) => densify(r, 0.01)));
      const ref = geodesicAreaKm2(lonlat, WGS84);
      worst = Math.max(worst, Math.abs(geodesicAreaKm2(albers.zones[i]?.parts ?? [], albers.crs) / ref - 1));
      worst = Math.max(worst, Math.abs(geodesicAreaKm2(utm.zones[i]?.parts ?? [], utm.crs) / ref - 1));
    }
    expect(worst).toBeLessThan(1e-7);
  });
});
