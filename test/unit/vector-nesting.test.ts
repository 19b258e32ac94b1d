/**
 * Rings that do not nest as given (issue 15: a hole outside its shell changed area_km2 while count and sum
 * ignored it). Every case is read once by containment (src/vector/nesting.ts), and count, sum, mean, lit_share and
 * area_km2 must all describe that one polygon: checked against an independent computation — shoelace areas of the
 * expected rings and a cell-centre even-odd test over a synthetic raster whose cells are 1 km squares, with every
 * ring on cell edges (so coverage is exactly 0 or 1) in an equal-area CRS (so area_km2 is the planar area).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { crsFromUserString } from '../../src/geo/parse-crs.js';
import { PreparedZones, zonalOnSource } from '../../src/jobs/zonal-job.js';
import { readZones } from '../../src/vector/index.js';
import { pointInRing } from '../../src/vector/rings.js';
import { parseStats } from '../../src/zonal/index.js';
import { memoryRaster } from '../helpers/memory-raster.js';
import { tempDir } from '../helpers/tmp.js';
import { writeShapefile } from '../helpers/write-shapefile.js';

const CEA = '+proj=cea +lon_0=0 +lat_ts=0 +datum=WGS84 +units=m +no_defs';
const KM = 1000;
const NX = 20,
  NY = 12; // x 0–20 km, y 0–12 km
const value = (r: number, c: number): number => (r + 2 * c) % 4; // zeros included, for lit_share
const dir = tempDir('nesting');

type Sq = [number, number, number, number]; // x0, y0, x1, y1 in km
/** A closed ring (GeoJSON positions in metres), counter-clockwise unless `cw`. */
const ring = ([x0, y0, x1, y1]: Sq, cw = false): number[][] => {
  const r = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ].map(([x, y]) => [x! * KM, y! * KM]);
  return cw ? r.reverse() : r;
};

interface Case {
  readonly name: string;
  /** GeoJSON geometry (Polygon / MultiPolygon rings as given). */
  readonly geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
  /** The polygon it must be read as: outer squares and hole squares (km). */
  readonly outers: Sq[];
  readonly holes: Sq[];
  /** Fragment of the warning (null: no warning). */
  readonly warning: RegExp | null;
}

const S: Sq = [1, 1, 9, 9]; // 64 km²
const cases: Case[] = [
  {
    name: 'hole inside its shell (valid, untouched)',
    geometry: { type: 'Polygon', coordinates: [ring(S), ring([3, 3, 5, 5])] },
    outers: [S],
    holes: [[3, 3, 5, 5]],
    warning: null,
  },
  {
    name: 'hole outside its shell → a separate polygon',
    geometry: { type: 'Polygon', coordinates: [ring(S), ring([12, 2, 15, 5])] },
    outers: [S, [12, 2, 15, 5]],
    holes: [],
    warning: /a hole ring outside its outer ring became a separate polygon/,
  },
  {
    name: 'hole inside another part → moved to that part',
    geometry: { type: 'MultiPolygon', coordinates: [[ring(S), ring([13, 3, 15, 5])], [ring([12, 2, 18, 8])]] },
    outers: [S, [12, 2, 18, 8]],
    holes: [[13, 3, 15, 5]],
    warning: /a hole ring inside another part was moved to that part/,
  },
  {
    name: 'hole inside another hole → an island',
    geometry: { type: 'Polygon', coordinates: [ring(S), ring([2, 2, 8, 8]), ring([4, 4, 6, 6])] },
    outers: [S, [4, 4, 6, 6]],
    holes: [[2, 2, 8, 8]],
    warning: /a hole ring inside another hole became a separate polygon \(an island\)/,
  },
  {
    name: 'hole enclosing its own shell → the rings swap roles',
    geometry: { type: 'Polygon', coordinates: [ring([4, 4, 6, 6]), ring(S)] },
    outers: [S],
    holes: [[4, 4, 6, 6]],
    warning: /a hole ring enclosing its own outer ring became the outer ring/,
  },
  {
    name: 'a part inside another part → a hole of it',
    geometry: { type: 'MultiPolygon', coordinates: [[ring(S)], [ring([3, 3, 5, 5])]] },
    outers: [S],
    holes: [[3, 3, 5, 5]],
    warning: /a polygon part inside another part became a hole of it/,
  },
  {
    name: 'an island in a hole of another part (valid, untouched)',
    geometry: { type: 'MultiPolygon', coordinates: [[ring(S), ring([2, 2, 8, 8])], [ring([4, 4, 6, 6])]] },
    outers: [S, [4, 4, 6, 6]],
    holes: [[2, 2, 8, 8]],
    warning: null,
  },
  {
    name: 'two parts sharing an edge (valid, untouched)',
    geometry: { type: 'MultiPolygon', coordinates: [[ring(S)], [ring([9, 1, 12, 9])]] },
    outers: [S, [9, 1, 12, 9]],
    holes: [],
    warning: null,
  },
];

/** Independent numbers for the expected polygon: area by shoelace, cells by their centre (even-odd over all rings). */
function expected(c: Case): { count: number; sum: number; lit: number; area: number } {
  const shoelace = ([x0, y0, x1, y1]: Sq): number => {
    const pts = [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ];
    let s = 0;
    for (let i = 0; i < 4; i++) s += pts[i]![0]! * pts[(i + 1) % 4]![1]! - pts[(i + 1) % 4]![0]! * pts[i]![1]!;
    return Math.abs(s) / 2;
  };
  const area = c.outers.reduce((a, q) => a + shoelace(q), 0) - c.holes.reduce((a, q) => a + shoelace(q), 0);
  const rings = [...c.outers, ...c.holes].map((q) => Float64Array.from(ring(q).flat()));
  let count = 0,
    sum = 0,
    lit = 0;
  for (let r = 0; r < NY; r++) {
    for (let col = 0; col < NX; col++) {
      const x = (col + 0.5) * KM,
        y = (NY - r - 0.5) * KM;
      const inside = rings.filter((g) => pointInRing(x, y, g)).length % 2 === 1;
      if (!inside) continue;
      count++;
      sum += value(r, col);
      if (value(r, col) > 0) lit++;
    }
  }
  return { count, sum, lit, area };
}

async function statsOf(path: string): Promise<{ values: (number | null)[]; warnings: string[] }> {
  const crs = crsFromUserString(CEA);
  const set = await readZones(path, { idField: 'id', crs: CEA });
  const data = new Float64Array(NX * NY);
  for (let r = 0; r < NY; r++) for (let col = 0; col < NX; col++) data[r * NX + col] = value(r, col);
  const src = memoryRaster({ width: NX, height: NY, geoTransform: [0, KM, 0, NY * KM, 0, -KM], data, crs });
  const res = await zonalOnSource(src, new PreparedZones(set), {
    stats: parseStats('count,sum,mean,lit_share,area_km2,cell_area_sum_km2'),
    rule: 'exact',
    nodataAsZero: false,
    litThreshold: 0,
  });
  return { values: [...res.rows[0]!.values], warnings: [...set.warnings, ...res.warnings] };
}

describe("a zone's rings are read once, and every statistic uses that reading", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const path = join(dir, `${c.name.replace(/\W+/g, '_')}.geojson`);
      writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'z1' }, geometry: c.geometry }] }));
      const { values, warnings } = await statsOf(path);
      const [count, sum, mean, litShare, area, cellArea] = values as number[];
      const want = expected(c);
      expect(area).toBeCloseTo(want.area, 9);
      expect(count).toBeCloseTo(want.count, 9);
      expect(count).toBeCloseTo(area!, 9); // 1 km² cells: coverage and polygon area agree
      expect(cellArea).toBeCloseTo(area!, 9);
      expect(sum).toBeCloseTo(want.sum, 9);
      expect(mean).toBeCloseTo(want.sum / want.count, 12);
      expect(litShare).toBeCloseTo(want.lit / want.count, 12);
      if (c.warning === null) expect(warnings).toEqual([]);
      else {
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/1 zone\(s\) have rings that do not nest as given; re-read by containment/);
        expect(warnings[0]).toMatch(new RegExp(`: z1 \\(${c.warning.source}`));
      }
    });
  }

  it('shapefile rings: a counter-clockwise ring inside a clockwise hole-less ring, and one inside a hole, read by containment', async () => {
    // Shapefile orientation: clockwise = outer, counter-clockwise = hole. Ring 2 is a hole of S, ring 3 (CCW, a "hole")
    // lies inside ring 2: an island in the lake, as GDAL's even-odd organisation reads it.
    const shp = writeShapefile(
      join(dir, 'nested'),
      [
        {
          rings: [ring(S, true), ring([2, 2, 8, 8]), ring([4, 4, 6, 6])],
          values: { id: 'z1' },
        },
      ],
      { fields: ['id'], prj: null },
    );
    const { values, warnings } = await statsOf(shp);
    const want = expected({ name: '', geometry: { type: 'Polygon', coordinates: [] }, outers: [S, [4, 4, 6, 6]], holes: [[2, 2, 8, 8]], warning: null });
    expect(values[0]).toBeCloseTo(want.count, 9);
    expect(values[4]).toBeCloseTo(want.area, 9);
    expect(warnings.join('\n')).toMatch(/z1 \(a hole ring inside another hole became a separate polygon/);
  });

  it('a shapefile written with reversed orientation (outer counter-clockwise, hole clockwise) reads as outer minus hole', async () => {
    const shp = writeShapefile(join(dir, 'reversed'), [{ rings: [ring(S), ring([3, 3, 5, 5], true)], values: { id: 'z1' } }], { fields: ['id'], prj: null });
    const { values, warnings } = await statsOf(shp);
    const want = expected({ name: '', geometry: { type: 'Polygon', coordinates: [] }, outers: [S], holes: [[3, 3, 5, 5]], warning: null });
    expect(values[0]).toBeCloseTo(want.count, 9);
    expect(values[1]).toBeCloseTo(want.sum, 9);
    expect(values[4]).toBeCloseTo(want.area, 9);
    expect(warnings.join('\n')).toMatch(/z1 \(a polygon part inside another part became a hole of it\)/);
  });

  const refused: [string, unknown, RegExp][] = [
    ['a hole crossing its shell', { type: 'Polygon', coordinates: [ring(S), ring([7, 3, 11, 5])] }, /self-intersecting boundaries.*z1 near \(/],
    ['two parts overlapping partly', { type: 'MultiPolygon', coordinates: [[ring(S)], [ring([5, 5, 12, 11])]] }, /self-intersecting boundaries.*z1 near \(/],
    ['the same part twice', { type: 'MultiPolygon', coordinates: [[ring(S)], [ring(S)]] }, /z1 near \(1000\.000000, 1000\.000000\) \(a ring given twice\)/],
  ];
  for (const [name, geometry, message] of refused) {
    it(`refused: ${name}`, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '_')}.geojson`);
      writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'z1' }, geometry }] }));
      const e = await readZones(path, { idField: 'id', crs: CEA }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(NtlError);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).toMatch(/ogr2ogr -makevalid/);
    });
  }
});
