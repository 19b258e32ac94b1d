/**
 * The zone geometry path was rewritten for speed (reused work buffers, a comparator-free sort in findDefects, one
 * copy per cleaned shapefile ring). Zones, their rings, every repair note and every defect (with the location the
 * error message shows) must stay exactly as before: checked against the previous implementation, kept verbatim in
 * test/helpers/reference/, on real boundaries (the 2,901 China counties, the Hunan demo counties, the China counties
 * from NTL_DATA_DIR when set) and on random rings full of crossings, ties, collinear overlaps, spikes and repeats.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nestRings } from '../../src/vector/nesting.js';
import { cleanRing, groupShapefileRings, newNotes, polygonFromRings } from '../../src/vector/rings.js';
import { readShp, readShpFile } from '../../src/vector/shp.js';
import type { PolygonRings } from '../../src/vector/types.js';
import { findDefects } from '../../src/vector/validity.js';
import { DATA_DIR, dataDirFile, HAS_DATA_DIR, NEEDS_DATA_DIR, repoFile } from '../helpers/data-dir.js';
import * as oldRings from '../helpers/reference/rings-v1.js';
import * as oldValidity from '../helpers/reference/validity-v1.js';
import { tempDir } from '../helpers/tmp.js';
import { cwSquare, writeShapefile } from '../helpers/write-shapefile.js';

/** Bit-exact comparison of ring lists (Object.is per coordinate, so -0 and 0 differ). */
function sameRings(a: readonly (readonly Float64Array[])[], b: readonly (readonly Float64Array[])[]): boolean {
  if (a.length !== b.length) return false;
  for (let p = 0; p < a.length; p++) {
    const ra = a[p]!,
      rb = b[p]!;
    if (ra.length !== rb.length) return false;
    for (let k = 0; k < ra.length; k++) {
      const x = ra[k]!,
        y = rb[k]!;
      if (x.length !== y.length || !x.every((v, i) => Object.is(v, y[i]))) return false;
    }
  }
  return true;
}

interface Tally {
  zones: number;
  defects: number;
  notes: number;
}

/** Every record of a shapefile through the new and the old ring grouping and defect check; returns what was seen. */
function compareShapefile(shpPath: string): Tally {
  const geometries = readShp(readFileSync(shpPath), readFileSync(shpPath.replace(/\.shp$/i, '.shx')), shpPath);
  const tally: Tally = { zones: 0, defects: 0, notes: 0 };
  geometries.forEach((rings, i) => {
    if (rings === null) return;
    const nNew = newNotes(),
      nOld = oldRings.newNotes();
    const built = groupShapefileRings(
      rings.map((r) => r.slice()),
      nNew,
      true,
    ); // as assembleZones calls it: the copies are used up
    const ref = oldRings.groupShapefileRings(rings, nOld);
    expect(nNew, `record ${i + 1}`).toEqual(nOld);
    expect(built.orphanHoles, `record ${i + 1}`).toBe(ref.orphanHoles);
    expect(sameRings(built.parts, ref.parts), `record ${i + 1}: rings differ`).toBe(true);
    const parts = nestRings(built.parts).parts;
    const partOf = parts.flatMap((r, p) => r.map(() => p));
    const d = findDefects(parts.flat(), parts.length > 1 ? partOf : undefined);
    expect(d, `record ${i + 1}`).toEqual(oldValidity.findDefects(parts.flat(), parts.length > 1 ? partOf : undefined));
    tally.zones++;
    tally.defects += d.touches + d.crossings + d.overlaps;
    tally.notes += nNew.spikes + nNew.unclosed + nNew.dropped;
  });
  return tally;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random ring on a small integer grid (many equal coordinates, collinear runs, crossings), open or closed. */
function randomRing(r: () => number, n: number, grid: number, closed: boolean): Float64Array {
  const pts: number[] = [];
  for (let i = 0; i < n; i++) {
    const repeat = i > 0 && r() < 0.1; // repeated points and spikes for cleanRing
    pts.push(repeat ? pts[pts.length - 2]! : Math.floor(r() * grid), repeat ? pts[pts.length - 1]! : Math.floor(r() * grid));
  }
  if (closed) pts.push(pts[0]!, pts[1]!);
  return Float64Array.from(pts);
}

describe('the fast zone geometry path gives exactly what the previous one gave', () => {
  it('on the 2,901 China counties (shipped): rings, repair notes and defects identical', () => {
    const t = compareShapefile(repoFile('data/china/mapchina_counties/china_counties_mapchina.shp'));
    expect(t.zones).toBe(2901);
    expect(t.notes).toBeGreaterThan(0); // the spike in 510302 is among them: the comparison saw a repair
  });

  it('on the Hunan demo counties (GeoJSON rings): cleaned polygons and defects identical', () => {
    const fc = JSON.parse(readFileSync(repoFile('data/demo/hunan_counties.geojson'), 'utf8')) as {
      features: { geometry: { type: string; coordinates: number[][][] | number[][][][] } }[];
    };
    let polygons = 0;
    for (const f of fc.features) {
      const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
      const parts: PolygonRings[] = [];
      for (const poly of polys) {
        const rings = poly.map((ring) => Float64Array.from(ring.flat()));
        const nNew = newNotes(),
          nOld = oldRings.newNotes();
        const p = polygonFromRings(rings, nNew);
        const q = oldRings.polygonFromRings(rings, nOld);
        expect(nNew).toEqual(nOld);
        expect(sameRings(p ? [p] : [], q ? [q] : [])).toBe(true);
        if (p) parts.push(p);
        polygons++;
      }
      const partOf = parts.flatMap((r, i) => r.map(() => i));
      expect(findDefects(parts.flat(), partOf)).toEqual(oldValidity.findDefects(parts.flat(), partOf));
    }
    expect(polygons).toBeGreaterThan(100);
  });

  it('on random self-crossing rings: the same cleaned rings, notes, counts and first defect location', () => {
    const r = rng(20261203);
    let crossings = 0,
      overlaps = 0,
      touches = 0,
      dropped = 0;
    for (let trial = 0; trial < 1500; trial++) {
      const nRings = 1 + Math.floor(r() * 3);
      const rings: Float64Array[] = [];
      const nNew = newNotes(),
        nOld = oldRings.newNotes();
      for (let k = 0; k < nRings; k++) {
        // sizes around the run length of the merge sort (16) and its doublings, to cover every merge step
        const raw = randomRing(r, 3 + Math.floor(r() * (trial % 5 === 0 ? 150 : 40)), 2 + Math.floor(r() * 12), r() < 0.5);
        const a = cleanRing(raw, nNew);
        const b = oldRings.cleanRing(raw, nOld);
        expect(a === null ? null : Array.from(a)).toEqual(b === null ? null : Array.from(b));
        if (a) rings.push(a);
      }
      expect(nNew).toEqual(nOld);
      dropped += nNew.dropped;
      const partOf = rings.map((_, k) => (r() < 0.5 ? 0 : k));
      for (const p of [undefined, partOf]) {
        const d = findDefects(rings, p);
        expect(d, `trial ${trial}`).toEqual(oldValidity.findDefects(rings, p));
        crossings += d.crossings;
        overlaps += d.overlaps;
        touches += d.touches;
      }
    }
    // the random rings did exercise every kind of defect and repair
    expect(Math.min(crossings, overlaps, touches, dropped)).toBeGreaterThan(0);
  });

  it.runIf(HAS_DATA_DIR)(`on the China counties in NTL_DATA_DIR (${NEEDS_DATA_DIR})`, () => {
    expect(DATA_DIR).not.toBeNull();
    expect(compareShapefile(dataDirFile('mapchina_counties/china_counties_mapchina.shp')).zones).toBe(2901);
  });
});

describe('the .shp read in chunks gives what the whole file in memory gives', () => {
  const asArrays = (g: ReturnType<typeof readShp>) => g.map((rings) => (rings === null ? null : rings.map((r) => Array.from(r))));

  it('records larger than a chunk, null shapes, and a .shx listing the records out of order', () => {
    const dir = tempDir('shp-chunks');
    // a 40,000-point ring (640 KB, more than the 256 KB chunk) between small records and a null shape
    const big: number[][] = [];
    for (let i = 0; i < 40000; i++) big.push([Math.cos((-2 * Math.PI * i) / 40000), Math.sin((-2 * Math.PI * i) / 40000)]);
    big.push(big[0]!);
    const records = [
      { rings: [cwSquare(0, 0, 1)], values: { id: 'a' } },
      { rings: [big], values: { id: 'b' } },
      { rings: null, values: { id: 'c' } },
      ...Array.from({ length: 300 }, (_, i) => ({ rings: [cwSquare(i, 5, 1), cwSquare(i + 0.25, 5.25, 0.5).reverse()], values: { id: `s${i}` } })),
    ];
    const shp = writeShapefile(join(dir, 'chunks'), records, { fields: ['id'] });
    const shxPath = shp.replace(/\.shp$/, '.shx');
    const inMemory = asArrays(readShp(readFileSync(shp), readFileSync(shxPath), shp));
    expect(inMemory[1]![0]!.length).toBe(2 * 40001);
    expect(asArrays(readShpFile(shp, readFileSync(shxPath)))).toEqual(inMemory);
    // the index in reverse order: every record jumps backwards in the file
    const shx = readFileSync(shxPath);
    const n = (shx.length - 100) / 8;
    const reversed = Buffer.concat([shx.subarray(0, 100), ...Array.from({ length: n }, (_, i) => shx.subarray(100 + 8 * (n - 1 - i), 108 + 8 * (n - 1 - i)))]);
    writeFileSync(shxPath, reversed);
    expect(asArrays(readShpFile(shp, reversed))).toEqual([...inMemory].reverse());
  });
});
