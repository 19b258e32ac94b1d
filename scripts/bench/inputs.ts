/**
 * Inputs of the China-scale benchmarks. The county boundaries are committed (data/china/mapchina_counties); the
 * whole-China rasters are not: give a path, or set NTL_DATA_DIR to the folder that
 * `npx ntl fetch data-manifests/china.yaml --data-dir DIR` fills.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The 2,901 mapchina counties (shapefile, id field county_cd), committed with the repository. */
export const CHINA_COUNTIES = join(ROOT, 'data/china/mapchina_counties/china_counties_mapchina.shp');

/** Chen et al. 2022 VIIRS-like, whole China (13,713 × 11,072 byte, LZW tiles), inside NTL_DATA_DIR. */
export const CHEN_2022 = 'chen2021_npp_viirs_like_china_8bit/full_china/2022_8bit.tif';

/**
 * `given` if set, else `rel` under NTL_DATA_DIR; exits with a usage message when neither names an existing file.
 * `usage` is the script's command line, e.g. `npx tsx scripts/bench/decode.ts [path] [threads]`.
 */
export function benchRaster(given: string | undefined, rel: string, usage: string): string {
  const dataDir = process.env.NTL_DATA_DIR?.trim();
  const path = given ?? (dataDir ? join(dataDir, rel) : undefined);
  if (path && existsSync(path)) return path;
  console.error(`${path ? `bench: ${path} not found.\n` : ''}usage: ${usage}
  The raster is the path given, else $NTL_DATA_DIR/${rel} (NTL_DATA_DIR ${dataDir ? `is ${dataDir}` : 'is not set'}).
  The whole-China rasters are not in the repository; fetch them with
    npx ntl fetch data-manifests/china.yaml --data-dir DIR
  and run with NTL_DATA_DIR=DIR.`);
  process.exit(2);
}
