/**
 * A small "own province" that is not the demo, for `ntl init` / `ntl manifest add --glob` tests: three
 * 6 × 4 GeoTIFFs (EPSG:4326, 0.5° cells from 100°E 30°N, uint8, written by the project's own writer) named
 * lights_2015.tif … lights_2017.tif, and a GeoJSON of three units with non-ASCII names whose edges follow
 * cell edges (two rectangles, one triangle), so every statistic can be computed by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WGS84 } from '../../src/geo/crs.js';
import { writeGeoTiff } from '../../src/raster/write-geotiff.js';

export const OWN_YEARS = [2015, 2016, 2017] as const;
export const OWN_WIDTH = 6;
export const OWN_HEIGHT = 4;
export const ZONES_FILE = 'Grenzen_Zürich_边界.geojson';

/** Cell value of a year: row r (0 = north), column c. */
export function ownValue(year: number, r: number, c: number): number {
  return (year - 2014) * 10 + r * OWN_WIDTH + c + 1;
}

/** Units: id → name and the covered cells [row, col, coverage fraction]. */
export const OWN_UNITS: Record<string, { name: string; cells: [number, number, number][] }> = {
  // x 100–101, y 29–30: columns 0–1, rows 0–1
  A1: {
    name: 'Zürich-Süd',
    cells: [
      [0, 0, 1],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 1],
    ],
  },
  // x 101–103, y 28–29: columns 2–5, rows 2–3
  B2: { name: 'Åre/Öland', cells: [2, 3].flatMap((r) => [2, 3, 4, 5].map((c): [number, number, number] => [r, c, 1])) },
  // triangle (101,29) (102,29) (101,30): cell (1,2) whole, (0,2) and (1,3) half, (0,3) none
  C3: {
    name: '北京 São Tomé',
    cells: [
      [1, 2, 1],
      [0, 2, 0.5],
      [1, 3, 0.5],
    ],
  },
};

/** count, sum, mean of a unit in a year, by hand. */
export function ownStats(id: string, year: number): { count: number; sum: number; mean: number } {
  let count = 0,
    sum = 0;
  for (const [r, c, f] of OWN_UNITS[id]!.cells) {
    count += f;
    sum += f * ownValue(year, r, c);
  }
  return { count, sum, mean: sum / count };
}

/** Writes `<dir>/rasters/lights_<year>.tif` and `<dir>/gis/<ZONES_FILE>`. */
export async function writeOwnData(dir: string, years: readonly number[] = OWN_YEARS): Promise<void> {
  mkdirSync(join(dir, 'rasters'), { recursive: true });
  mkdirSync(join(dir, 'gis'), { recursive: true });
  for (const year of years) {
    const values = new Uint8Array(OWN_WIDTH * OWN_HEIGHT);
    for (let r = 0; r < OWN_HEIGHT; r++) for (let c = 0; c < OWN_WIDTH; c++) values[r * OWN_WIDTH + c] = ownValue(year, r, c);
    await writeGeoTiff(
      join(dir, 'rasters', `lights_${year}.tif`),
      { width: OWN_WIDTH, height: OWN_HEIGHT, dtype: 'uint8', geoTransform: [100, 0.5, 0, 30, 0, -0.5], crs: WGS84, nodata: null },
      values,
    );
  }
  const rect = (x0: number, y0: number, x1: number, y1: number): number[][] => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  const rings: Record<string, number[][]> = {
    A1: rect(100, 29, 101, 30),
    B2: rect(101, 28, 103, 29),
    C3: [
      [101, 29],
      [102, 29],
      [101, 30],
      [101, 29],
    ],
  };
  const geojson = {
    type: 'FeatureCollection',
    features: Object.entries(OWN_UNITS).map(([code, u]) => ({
      type: 'Feature',
      properties: { code, Name_Unit: u.name, pop: 1000 },
      geometry: { type: 'Polygon', coordinates: [rings[code]] },
    })),
  };
  writeFileSync(join(dir, 'gis', ZONES_FILE), JSON.stringify(geojson, null, 1));
}
