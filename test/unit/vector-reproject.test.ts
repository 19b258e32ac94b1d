import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { crsFromUserString, WGS84 } from '../../src/geo/index.js';
import { readZones, reprojectZones, signedArea2 } from '../../src/vector/index.js';
import type { Zone, ZoneSet } from '../../src/vector/types.js';

const FX = 'test/fixtures/vector';
const ALBERS = '+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m';

function byId(set: ZoneSet): Map<string, Zone> {
  return new Map(set.zones.map((z) => [z.id, z]));
}

function single(ring: number[]): ZoneSet {
  return {
    path: 'synthetic',
    idField: 'id',
    fields: ['id'],
    crs: WGS84,
    warnings: [],
    zones: [{ id: 'sq', attributes: { id: 'sq' }, parts: [[Float64Array.from(ring)]] }],
  };
}

describe('reprojectZones', () => {
  it('matches ogr2ogr -t_srs (wu2021 Albers) vertex for vertex without densification', async () => {
    const src = await readZones(`${FX}/changsha.geojson`, { idField: 'Code_County' });
    const ours = reprojectZones(src, crsFromUserString(ALBERS), { maxSegmentDeg: Infinity });
    // ogr2ogr's output has no crs member: the CRS comes from --zones-crs, as a user would pass it.
    const gdal = await readZones(`${FX}/changsha-albers.geojson`, { idField: 'Code_County', crs: ALBERS });
    const g = byId(gdal);
    let worst = 0;
    let n = 0;
    for (const z of ours.zones) {
      const o = g.get(z.id) as Zone;
      expect(z.parts.length).toBe(o.parts.length);
      z.parts.forEach((p, i) =>
        p.forEach((r, k) => {
          const q = o.parts[i]?.[k] as Float64Array;
          expect(r.length).toBe(q.length);
          for (let j = 0; j < r.length; j++) worst = Math.max(worst, Math.abs((r[j] as number) - (q[j] as number)));
          n += r.length / 2;
        }),
      );
    }
    expect(n).toBeGreaterThan(800);
    expect(worst).toBeLessThan(1e-4); // metres; ogr2ogr wrote 10 decimals
  });

  it('densifies by default (0.01°) and keeps the original vertices, in order', async () => {
    const src = await readZones(`${FX}/changsha.geojson`, { idField: 'Code_County' });
    const target = crsFromUserString(ALBERS);
    const plain = reprojectZones(src, target, { maxSegmentDeg: Infinity });
    const dense = reprojectZones(src, target);
    let extra = 0;
    for (const [i, z] of dense.zones.entries()) {
      z.parts.forEach((p, pi) =>
        p.forEach((r, k) => {
          const orig = plain.zones[i]?.parts[pi]?.[k] as Float64Array;
          extra += (r.length - orig.length) / 2;
          // orig is a subsequence of r
          let j = 0;
          for (let t = 0; t < r.length && j < orig.length; t += 2) if (r[t] === orig[j] && r[t + 1] === orig[j + 1]) j += 2;
          expect(j).toBe(orig.length);
        }),
      );
    }
    expect(extra).toBeGreaterThan(0);
  });

  it('a densified 2°×2° lon/lat square has the exact ellipsoidal area of the graticule cell in Albers', () => {
    const sq = single([110, 28, 112, 28, 112, 30, 110, 30, 110, 28]);
    const out = reprojectZones(sq, crsFromUserString(ALBERS));
    const r = out.zones[0]?.parts[0]?.[0] as Float64Array;
    expect(r.length / 2).toBe(801); // 4 sides × 200 segments + closing point
    // Area of the cell between two parallels and meridians on WGS84 (authalic-latitude closed form).
    const a = 6378137,
      f = 1 / 298.257223563,
      es = f * (2 - f),
      e = Math.sqrt(es);
    const q = (phi: number): number => {
      const s = Math.sin(phi);
      return (1 - es) * (s / (1 - es * s * s) - Math.log((1 - e * s) / (1 + e * s)) / (2 * e));
    };
    const exact = ((a * a) / 2) * ((2 * Math.PI) / 180) * (q((30 * Math.PI) / 180) - q((28 * Math.PI) / 180));
    const planar = signedArea2(r) / 2;
    expect(Math.abs(planar - exact) / exact).toBeLessThan(2e-7);
    // Without densification the parallels become chords and the area is visibly off.
    const coarse = reprojectZones(sq, crsFromUserString(ALBERS), { maxSegmentDeg: Infinity });
    const chord = signedArea2(coarse.zones[0]?.parts[0]?.[0] as Float64Array) / 2;
    expect(Math.abs(chord - exact) / exact).toBeGreaterThan(1e-5);
  });

  it('keeps outer rings CCW and holes CW when the target CRS mirrors the plane', async () => {
    // A projection that mirrors x (registered through proj4's public projection registry, test only).
    proj4.Proj.projections.add(
      {
        names: ['ntl_mirror_test'],
        init() {},
        forward(p: { x: number; y: number }) {
          return { x: -p.x * 1e5, y: p.y * 1e5 };
        },
        inverse(p: { x: number; y: number }) {
          return { x: -p.x / 1e5, y: p.y / 1e5 };
        },
      } as never,
      0,
    );
    const src = await readZones(`${FX}/holes.shp`, { idField: 'id' });
    const out = reprojectZones(src, crsFromUserString('+proj=ntl_mirror_test +ellps=WGS84'), { maxSegmentDeg: Infinity });
    const a = byId(out).get('A') as Zone;
    const outer = a.parts[0]?.[0] as Float64Array;
    expect(Math.max(...Array.from(outer).filter((_, i) => i % 2 === 0))).toBeLessThanOrEqual(0); // really mirrored
    expect(signedArea2(outer)).toBeGreaterThan(0);
    expect(signedArea2(a.parts[0]?.[1] as Float64Array)).toBeLessThan(0);
  });

  it('returns the input unchanged when the CRS is the same (even written differently)', async () => {
    const src = await readZones(`${FX}/changsha.geojson`, { idField: 'Code_County' });
    expect(reprojectZones(src, WGS84)).toBe(src);
    expect(reprojectZones(src, crsFromUserString('+proj=longlat +ellps=WGS84 +towgs84=0,0,0 +no_defs'))).toBe(src);
  });
});
