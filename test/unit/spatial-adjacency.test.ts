/**
 * Contiguity (src/spatial/adjacency.ts) on hand-made layouts whose answers follow from the geometry, and on the
 * Hunan and all-China counties against spdep::poly2nb (scripts/golden/adjacency-spdep.R → test/goldens/adjacency-*.csv).
 */
import { readFileSync } from 'node:fs';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../../src/geo/parse-crs.js';
import { WGS84, type CrsDef } from '../../src/geo/crs.js';
import { adjacency, compareIds, type AdjacencyResult } from '../../src/spatial/adjacency.js';
import { withinDistance } from '../../src/spatial/capsule.js';
import { vincentyInverse } from '../../src/spatial/metric.js';
import { readZones } from '../../src/vector/index.js';
import type { Zone, ZoneSet } from '../../src/vector/types.js';

const UTM50 = crsFromEpsg(32650);
type Pt = [number, number];

function ring(points: Pt[]): Float64Array {
  const closed = [...points, points[0]!];
  return Float64Array.from(closed.flat());
}
const rect = (x0: number, y0: number, x1: number, y1: number): Pt[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const hole = (x0: number, y0: number, x1: number, y1: number): Pt[] => rect(x0, y0, x1, y1).reverse();

function zones(crs: CrsDef, list: [string, Pt[][][]][]): ZoneSet {
  const zs: Zone[] = list.map(([id, parts]) => ({ id, attributes: { id }, parts: parts.map((rings) => rings.map(ring)) }));
  return { path: 'test', idField: 'id', fields: ['id'], crs, zones: zs, warnings: [] };
}
const pairKeys = (r: AdjacencyResult) => r.pairs.map((p) => `${p.a}-${p.b}`);
const shared = (r: AdjacencyResult, a: string, b: string) => r.pairs.find((p) => p.a === a && p.b === b)?.sharedM;

describe('hand-made layouts (projected, metres)', () => {
  // Origin inside UTM zone 50 so the coordinates are plausible metres.
  const X = 500000,
    Y = 3000000;
  const sq = (i: number, j: number, s = 1000): Pt[][] => [rect(X + i * s, Y + j * s, X + (i + 1) * s, Y + (j + 1) * s)];

  it('2×2 checkerboard: queen has the two diagonal point contacts, rook does not', () => {
    const set = zones(UTM50, [
      ['a', [sq(0, 0)]],
      ['b', [sq(1, 0)]],
      ['c', [sq(0, 1)]],
      ['d', [sq(1, 1)]],
    ]);
    const q = adjacency(set, { rule: 'queen' });
    const r = adjacency(set, { rule: 'rook' });
    expect(pairKeys(q)).toEqual(['a-b', 'a-c', 'a-d', 'b-c', 'b-d', 'c-d']);
    expect(pairKeys(r)).toEqual(['a-b', 'a-c', 'b-d', 'c-d']);
    // A point contact "shares" the boundary within the snap of the corner: 1 m on each of the two edges.
    expect(shared(q, 'a', 'd')).toBeCloseTo(2, 9);
    // A straight 1 km border plus the 1 m of each end edge that comes within the 1 m snap of the other's corner.
    expect(shared(q, 'a', 'b')).toBeCloseTo(1002, 9);
    expect(q.components).toBe(1);
    expect(q.islands).toEqual([]);
  });

  it('a shared edge digitised with different vertices is one rook border of the full length', () => {
    const a: Pt[] = rect(X, Y, X + 1000, Y + 1000);
    const b: Pt[] = [
      [X + 1000, Y],
      [X + 2000, Y],
      [X + 2000, Y + 1000],
      [X + 1000, Y + 1000],
      [X + 1000, Y + 700],
      [X + 1000, Y + 300.5],
    ];
    const r = adjacency(
      zones(UTM50, [
        ['a', [[a]]],
        ['b', [[b]]],
      ]),
      { rule: 'rook' },
    );
    expect(pairKeys(r)).toEqual(['a-b']);
    expect(shared(r, 'a', 'b')).toBeCloseTo(1002, 9);
  });

  it('two separate touching points are queen but not rook', () => {
    const a = rect(X, Y, X + 1000, Y + 1000);
    // A "roof" over a: touches a's two top corners only.
    const b: Pt[] = [
      [X, Y + 1000],
      [X + 500, Y + 1200],
      [X + 1000, Y + 1000],
      [X + 1000, Y + 2000],
      [X, Y + 2000],
    ];
    const set = zones(UTM50, [
      ['a', [[a]]],
      ['b', [[b]]],
    ]);
    expect(pairKeys(adjacency(set, { rule: 'queen' }))).toEqual(['a-b']);
    const rook = adjacency(set, { rule: 'rook' });
    expect(pairKeys(rook)).toEqual([]);
    expect(rook.islands).toEqual(['a', 'b']);
    expect(rook.components).toBe(2);
    // Per contact: 1 m of a's side edge + 1/sin(atan(0.4)) m of its top edge (the roof rises at slope 0.4)
    // on a's side, 1 m + 1/sin(atan 0.4) m on b's: 2 × (1 + 2.6926…) = 7.385 m < the 10 m rook minimum.
    const q = adjacency(set, { rule: 'queen' });
    expect(shared(q, 'a', 'b')).toBeCloseTo(2 * (1 + 1 / Math.sin(Math.atan(0.4))), 9);
  });

  it('a 50 m gap: no contact at the default 1 m snap, neighbours at 60 m', () => {
    const set = zones(UTM50, [
      ['a', [[rect(X, Y, X + 1000, Y + 1000)]]],
      ['b', [[rect(X + 1050, Y, X + 2050, Y + 1000)]]],
    ]);
    expect(adjacency(set).pairs).toEqual([]);
    expect(adjacency(set, { snapM: 49.9 }).pairs).toEqual([]);
    const r = adjacency(set, { snapM: 60, rule: 'rook' });
    expect(pairKeys(r)).toEqual(['a-b']);
    // The facing 1 km edges, plus 10 m at each end (points of the end edges within 60 m of the other's corner).
    expect(shared(r, 'a', 'b')).toBeCloseTo(1020, 9);
  });

  it("an enclave filling another unit's hole is its neighbour; one behind a gap is found by containment", () => {
    const outer = rect(X, Y, X + 3000, Y + 3000);
    const set = zones(UTM50, [
      ['ring', [[outer, hole(X + 1000, Y + 1000, X + 2000, Y + 2000)]]],
      ['inner', [[rect(X + 1000, Y + 1000, X + 2000, Y + 2000)]]],
      ['far', [[rect(X + 10000, Y, X + 11000, Y + 1000)]]],
    ]);
    const r = adjacency(set, { rule: 'rook' });
    expect(pairKeys(r)).toEqual(['inner-ring']);
    expect(shared(r, 'inner', 'ring')).toBeCloseTo(4000, 9);
    expect(r.islands).toEqual(['far']);
    expect(r.components).toBe(2);

    const gap = zones(UTM50, [
      ['ring', [[outer, hole(X + 1000, Y + 1000, X + 2000, Y + 2000)]]],
      ['inner', [[rect(X + 1100, Y + 1100, X + 1900, Y + 1900)]]],
    ]);
    const g = adjacency(gap, { rule: 'rook' });
    expect(g.pairs).toEqual([{ a: 'inner', b: 'ring', sharedM: 0 }]);
    expect(g.enclosed).toHaveLength(1);
    expect(g.islands).toEqual([]);
  });

  it('no units, or units without geometry only: islands, no pairs (the R-tree is never built empty)', () => {
    const none = adjacency(zones(UTM50, []));
    expect([none.pairs, none.islands, none.components]).toEqual([[], [], 0]);
    const empty = adjacency(
      zones(UTM50, [
        ['a', []],
        ['b', []],
      ]),
    );
    expect([empty.pairs, empty.islands]).toEqual([[], ['a', 'b']]);
    expect(empty.warnings.join(' ')).toMatch(/2 unit\(s\) without geometry/);
  });

  it('a multipolygon unit with an island part is a neighbour of what each part touches', () => {
    const set = zones(UTM50, [
      ['m', [sq(0, 0), sq(5, 0)]],
      ['x', [sq(-1, 0)]],
      ['y', [sq(6, 0)]],
    ]);
    const r = adjacency(set, { rule: 'rook' });
    expect(pairKeys(r)).toEqual(['m-x', 'm-y']);
    expect(r.components).toBe(1);
  });
});

describe('lon/lat input: the snap and the lengths are in metres', () => {
  // The same two 1 km squares with a 50 m gap, in UTM 50N and taken to lon/lat (straight edges stay within
  // millimetres of straight over 1 km).
  const X = 500000,
    Y = 3300000;
  const toLL = proj4(UTM50.proj4, WGS84.proj4);
  const ll = (pts: Pt[]): Pt[] => pts.map((p) => toLL.forward(p) as Pt);
  const a = rect(X, Y, X + 1000, Y + 1000),
    b = rect(X + 1050, Y, X + 2050, Y + 1000);
  const set = zones(WGS84, [
    ['a', [[ll(a)]]],
    ['b', [[ll(b)]]],
  ]);

  it('50 m gap: apart at 45 m, neighbours at 55 m, the same as in UTM', () => {
    expect(adjacency(set, { snapM: 45 }).pairs).toEqual([]);
    const r = adjacency(set, { snapM: 55, rule: 'rook' });
    expect(pairKeys(r)).toEqual(['a-b']);
    const utm = adjacency(
      zones(UTM50, [
        ['a', [[a]]],
        ['b', [[b]]],
      ]),
      { snapM: 55, rule: 'rook' },
    );
    // Geodesic vs UTM grid length: the UTM scale factor at 117°E (central meridian), 0.9996, is the difference.
    expect(shared(r, 'a', 'b')! * 0.9996).toBeCloseTo(shared(utm, 'a', 'b')!, 1);
  });

  it('Vincenty inverse reproduces the published Flinders Peak – Buninyong geodesic (54,972.271 m)', () => {
    const dms = (d: number, m: number, s: number) => Math.sign(d) * (Math.abs(d) + m / 60 + s / 3600);
    const a = 6378137,
      f = 1 / 298.257223563;
    const d = vincentyInverse(a, f * (2 - f), dms(-37, 57, 3.7203), dms(144, 25, 29.5244), dms(-37, 39, 10.1561), dms(143, 55, 35.3839));
    expect(d).toBeCloseTo(54972.271, 3);
  });
});

describe('geometry kernels', () => {
  it('withinDistance: the part of a segment within d of another is the exact capsule interval', () => {
    const iv = { lo: 0, hi: 0 };
    // (0,0)→(10,0) against a vertical segment x=5, y∈[1,3], d=2: |x−5| ≤ √(4−1) → u ∈ [0.5−√3/10, 0.5+√3/10].
    expect(withinDistance(10, 0, 5, 1, 5, 3, 2, iv)).toBe(true);
    expect(iv.lo).toBeCloseTo(0.5 - Math.sqrt(3) / 10, 14);
    expect(iv.hi).toBeCloseTo(0.5 + Math.sqrt(3) / 10, 14);
    // Parallel at distance 1, overlapping x∈[4,20]: u from (4−1)/10 (the end disk) to 1.
    expect(withinDistance(10, 0, 4, 1, 20, 1, 1, iv)).toBe(true);
    expect([iv.lo, iv.hi]).toEqual([0.4, 1]);
    expect(withinDistance(10, 0, 4, 1.5, 20, 1.5, 1, iv)).toBe(false);
  });
});

/*
 * Differences from spdep, pair by pair. Hunan: none. All of China (the committed data/china shapefile against
 * test/goldens/adjacency-china-*.csv, tested below): rook identical (8,172 pairs), queen has one extra pair,
 * 320117 (Nanjing Gaochun) – 340521 (Dangtu): a point contact with a 3–5 mm gap, wider than spdep's default snap
 * (1.5e-8° ≈ 1.7 mm) and closed on purpose by our 1 m snap; spdep with snap 1e-4° finds it too.
 */
describe('Hunan counties vs spdep::poly2nb (default snap 1.5e-8°)', () => {
  const golden = (name: string) =>
    readFileSync(`test/goldens/adjacency-hunan-${name}.csv`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.replace(',', '-'));
  it('queen and rook pairs agree exactly (322 / 317 pairs), one component, no island', async () => {
    const set = await readZones('data/demo/hunan_counties.geojson', { idField: 'Code_County' });
    const q = adjacency(set, { rule: 'queen' });
    const r = adjacency(set, { rule: 'rook' });
    expect(pairKeys(q)).toEqual(golden('queen'));
    expect(pairKeys(r)).toEqual(golden('rook'));
    // spdep with snap 1e-4° (~10 m) finds the same pairs: the Hunan borders share their vertices.
    expect(golden('queen-snap1e-4')).toEqual(golden('queen'));
    expect(q.pairs).toHaveLength(322);
    expect(q.islands).toEqual([]);
    expect(q.components).toBe(1);
    // The 5 queen-only pairs are point contacts: ≤ 4 m of "shared" border at the 1 m snap; the shortest true
    // border is 916 m.
    const rookSet = new Set(pairKeys(r));
    const pointOnly = q.pairs.filter((p) => !rookSet.has(`${p.a}-${p.b}`));
    expect(pointOnly).toHaveLength(5);
    for (const p of pointOnly) expect(p.sharedM).toBeLessThan(4);
    expect(Math.min(...r.pairs.map((p) => p.sharedM))).toBeGreaterThan(900);
  });
});

describe('All of China (2,901 mapchina counties, data/china) vs spdep::poly2nb', () => {
  const golden = (name: string) =>
    readFileSync(`test/goldens/adjacency-china-${name}.csv`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.replace(',', '-'));
  it('rook identical; queen = spdep (default snap) + the 320117–340521 point contact = spdep with snap 1e-4°', async () => {
    const set = await readZones('data/china/mapchina_counties/china_counties_mapchina.shp', { idField: 'county_cd' });
    expect(set.zones).toHaveLength(2901);
    const q = adjacency(set, { rule: 'queen' });
    const r = adjacency(set, { rule: 'rook' });
    expect(pairKeys(r)).toEqual(golden('rook'));
    expect(r.pairs).toHaveLength(8172);
    const spdep = new Set(golden('queen'));
    const extra = q.pairs.filter((p) => !spdep.has(`${p.a}-${p.b}`));
    expect(extra.map((p) => `${p.a}-${p.b}`)).toEqual(['320117-340521']);
    expect(extra[0]!.sharedM).toBeLessThan(4); // a point contact, not a border
    expect(pairKeys(q).filter((k) => spdep.has(k))).toHaveLength(spdep.size); // nothing spdep finds is missing
    expect(pairKeys(q)).toEqual(golden('queen-snap1e-4'));
    // islands: the counties in no spdep pair (offshore island counties, and 710116 for Taiwan)
    const paired = new Set(golden('queen-snap1e-4').flatMap((k) => k.split('-')));
    expect(q.islands).toEqual(
      set.zones
        .map((z) => z.id)
        .filter((id) => !paired.has(id))
        .sort(compareIds),
    );
    expect(q.islands).toHaveLength(11);
  });
});
