import { describe, expect, it } from 'vitest';
import { readZones } from '../../src/vector/index.js';
import { signedArea2 } from '../../src/vector/rings.js';
import type { Zone, ZoneSet } from '../../src/vector/types.js';
import { repoFile } from '../helpers/data-dir.js';
import { tempDir } from '../helpers/tmp.js';

const FX = 'test/fixtures/vector';
const CHINA = repoFile('data/china/mapchina_counties/china_counties_mapchina.shp');

// Names as in the mapchina GeoJSON (UTF-8 source of the fixtures).
const CHANGSHA_NAMES: Record<string, string> = {
  '430102': '芙蓉区',
  '430103': '天心区',
  '430104': '岳麓区',
  '430105': '开福区',
  '430111': '雨花区',
  '430112': '望城区',
  '430121': '长沙县',
  '430181': '浏阳市',
  '430182': '宁乡市',
};

function byId(set: ZoneSet): Map<string, Zone> {
  return new Map(set.zones.map((z) => [z.id, z]));
}

describe('DBF text encodings', () => {
  const cases: [string, string | undefined][] = [
    ['utf8-cpg', undefined],
    ['gbk-cpg', undefined], // .cpg says CP936
    ['gbk-nocpg', undefined], // no .cpg, language driver byte 0x4D
    ['gbk-noldid', undefined], // no .cpg, no LDID: detected from the text
    ['gbk-noldid', 'gbk'], // --encoding
  ];
  for (const [dir, encoding] of cases) {
    it(`${dir}${encoding ? ` --encoding ${encoding}` : ''} decodes 长沙市 county names`, async () => {
      const set = await readZones(`${FX}/${dir}/changsha.shp`, { idField: 'Code_Count', encoding });
      expect(set.zones).toHaveLength(9);
      for (const z of set.zones) {
        expect(z.attributes.Name_Count).toBe(CHANGSHA_NAMES[z.id]);
        expect(z.attributes.Name_Perfe).toBe('长沙市');
        expect(z.attributes.Name_Provi).toBe('湖南省');
      }
    });
  }

  it('--encoding utf-8 on a GBK file is refused as a wrong encoding, naming field and record', async () => {
    await expect(readZones(`${FX}/gbk-noldid/changsha.shp`, { idField: 'Code_Count', encoding: 'utf-8' })).rejects.toThrow(
      /wrong encoding\?.*|Name_Provi.*record 1/,
    );
    await expect(readZones(`${FX}/gbk-noldid/changsha.shp`, { idField: 'Code_Count', encoding: 'utf-8' })).rejects.toThrow(
      /field "Name_Provi" \(record 1: .*wrong encoding\?/,
    );
  });

  it('real data: the full China shapefile (UTF-8 .cpg) reads its names', async () => {
    const set = await readZones(CHINA, { idField: 'county_cd' });
    expect(set.zones).toHaveLength(2901);
    const z = byId(set);
    expect(z.get('110101')?.attributes.county_nm).toBe('东城区');
    expect(z.get('430102')?.attributes.county_nm).toBe('芙蓉区');
    expect(z.get('110101')?.attributes.pref_nm).toBeNull(); // NA in R → blank DBF text → null
    expect(z.get('110101')?.attributes.pop2010).toBe(919253);
    // Counts from GDAL/OGR over the same file: 3,296 polygons, 102 holes, 387,581 vertices, minus the
    // 4 points of the 510302 spike.
    let polygons = 0,
      holes = 0,
      vertices = 0;
    for (const zone of set.zones)
      for (const p of zone.parts) {
        polygons++;
        holes += p.length - 1;
        for (const r of p) vertices += r.length / 2;
      }
    expect([polygons, holes, vertices]).toEqual([3296, 102, 387581 - 4]);
    // shapely (is_valid) flags only 510302 in this file; we repair it and warn about it alone.
    expect(set.warnings).toHaveLength(1);
    expect(set.warnings[0]).toMatch(/spike.*510302$/);
  });
});

describe('GeoJSON and Shapefile give the same zones', () => {
  it('ids, names and coordinates agree (1e-9) for the 长沙市 counties', async () => {
    const g = await readZones(`${FX}/changsha.geojson`, { idField: 'Code_County' });
    const s = await readZones(`${FX}/gbk-cpg/changsha.shp`, { idField: 'Code_Count' });
    expect(g.crs.epsg).toBe(4326);
    expect(s.crs.epsg).toBe(4326);
    expect(g.zones.map((z) => z.id).sort()).toEqual(s.zones.map((z) => z.id).sort());
    const sz = byId(s);
    for (const zg of g.zones) {
      const zs = sz.get(zg.id) as Zone;
      expect(zs.attributes.Name_Count).toBe(zg.attributes.Name_County);
      expect(zs.attributes.Area).toBe(zg.attributes.Area);
      expect(zs.attributes.Pop_2017).toBe(zg.attributes.Pop_2017);
      expect(zs.parts.length).toBe(zg.parts.length);
      zg.parts.forEach((p, i) => {
        expect(zs.parts[i]?.length).toBe(p.length);
        p.forEach((r, k) => {
          const other = zs.parts[i]?.[k] as Float64Array;
          expect(other.length).toBe(r.length);
          let worst = 0;
          for (let j = 0; j < r.length; j++) worst = Math.max(worst, Math.abs((r[j] as number) - (other[j] as number)));
          expect(worst).toBeLessThan(1e-9);
        });
      });
    }
  });
});

describe('geometry', () => {
  it('groups shapefile rings into polygons with holes, orients outer CCW / holes CW, keeps null geometry', async () => {
    const set = await readZones(`${FX}/holes.shp`, { idField: 'id' });
    const z = byId(set);
    const shape = (id: string): number[][] => (z.get(id) as Zone).parts.map((p) => p.map((r) => signedArea2(r) / 2));
    expect(shape('A')).toEqual([[100, -4]]);
    expect(shape('B')).toEqual([[100], [25]]);
    // island (16) inside the hole (-64) of the 100 square: two polygons, the island its own part
    expect(shape('C').sort((a, b) => (b[0] as number) - (a[0] as number))).toEqual([[100, -64], [16]]);
    expect(shape('D')).toEqual([]);
    expect(shape('E')).toEqual([[100, -4, -4]]);
    for (const zone of set.zones)
      for (const p of zone.parts)
        for (const r of p) {
          expect(r[0]).toBe(r[r.length - 2]);
          expect(r[1]).toBe(r[r.length - 1]);
        }
    expect(set.warnings).toEqual(['test/fixtures/vector/holes.shp: 1 zone(s) have no geometry (null shape): D; they are kept with empty statistics']);
  });

  it('repairs the zero-width spike of 510302 自流井区 (shapely: Ring Self-intersection) without error', async () => {
    const set = await readZones(`${FX}/spike510302.shp`, { idField: 'county_cd' });
    const zone = set.zones[0] as Zone;
    expect(zone.attributes.county_nm).toBe('自流井区');
    const ring = zone.parts[0]?.[0] as Float64Array;
    // 32 points in the file; the 4-point spike 104.794978,29.3429073 → 104.7971158,29.3425953 → … goes.
    expect(ring.length / 2).toBe(28);
    expect(Array.from(ring).some((v) => v === 104.7971158)).toBe(false);
    // Area unchanged by removing a zero-width spike: shapely's area of the original polygon.
    expect(signedArea2(ring) / 2).toBeCloseTo(0.014641241946790479, 15);
    expect(set.warnings.join('\n')).toMatch(/spike.*510302/);
  });

  it('closes unclosed rings, drops repeated points and degenerate rings, with warnings', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir('vector');
    const fc = {
      type: 'FeatureCollection',
      features: [
        // unclosed, clockwise, with a repeated point
        {
          type: 'Feature',
          properties: { id: 'u' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [0, 1],
                [0, 1],
                [1, 1],
                [1, 0],
              ],
            ],
          },
        },
        // a real square plus a zero-area sliver polygon
        {
          type: 'Feature',
          properties: { id: 'd' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 1],
                  [0, 0],
                ],
              ],
              [
                [
                  [5, 5],
                  [6, 6],
                  [7, 7],
                  [5, 5],
                ],
              ],
            ],
          },
        },
        // only degenerate rings
        {
          type: 'Feature',
          properties: { id: 'e' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 1],
                [0, 0],
              ],
            ],
          },
        },
      ],
    };
    writeFileSync(`${dir}/x.geojson`, JSON.stringify(fc));
    const set = await readZones(`${dir}/x.geojson`, { idField: 'id' });
    const z = byId(set);
    expect(Array.from(z.get('u')?.parts[0]?.[0] as Float64Array)).toEqual([0, 0, 1, 0, 1, 1, 0, 1, 0, 0]);
    expect(z.get('d')?.parts).toHaveLength(1);
    expect(z.get('e')?.parts).toHaveLength(0);
    const w = set.warnings.join('\n');
    expect(w).toMatch(/closed unclosed ring\(s\) in 1 zone\(s\): u/);
    expect(w).toMatch(/dropped degenerate ring\(s\).* 2 zone\(s\): d, e/);
    expect(w).toMatch(/no polygon left.* 1 zone\(s\): e/);
  });
});
