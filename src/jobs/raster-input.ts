/**
 * What `--raster` (and a raster entry) names: one GeoTIFF, or one or more NASA Black Marble HDF5 tiles of one
 * date that are read as one mosaic. The list syntax is comma-separated items, each a path or a glob
 * (`*`, `?`, `[…]`, `**`; src/manifest/glob.ts), e.g. `tiles/VNP46A4.A2022001.h29v0[56].*.h5` or
 * `a.h5,b.h5`. A path that exists as given is taken whole (a comma inside a file name still works).
 */
import { existsSync } from 'node:fs';
import { NtlError } from '../errors.js';
import { expandGlob, hasGlobChars } from '../manifest/glob.js';
import { openRaster, type RemoteOptions } from '../raster/index.js';
import { isRemoteRaster } from '../raster/byte-source.js';
import type { RasterSource } from '../raster/types.js';
import { isHdf5Name, openBlackMarble, type BlackMarbleOptions } from '../raster/blackmarble/index.js';

export interface RasterInputOptions {
  readonly band?: number;
  readonly threads?: number;
  /** Black Marble layer / snow / quality (only for .h5 inputs). */
  readonly blackmarble?: BlackMarbleOptions;
  /** For messages: the flag or key that named the rasters (default --raster). */
  readonly what?: string;
  /** An http(s) GeoTIFF: how it is read in place (token, retries, --download-if-no-range). */
  readonly remote?: RemoteOptions;
}

/** Expand a --raster value into files (globs sorted by path; order of the list kept). */
export async function expandRasterList(spec: string, what = '--raster'): Promise<string[]> {
  // a URL is one GeoTIFF read in place: never split or globbed (its query may hold commas, '?' and '*')
  if (existsSync(spec) || isRemoteRaster(spec)) return [spec];
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new NtlError(`${what} is empty; name a GeoTIFF or Black Marble .h5 tiles`);
  const files: string[] = [];
  for (const item of items) {
    if (!hasGlobChars(item)) {
      files.push(item);
      continue;
    }
    const g = await expandGlob(item);
    if (g.files.length === 0) {
      throw new NtlError(
        `${what}: the pattern ${item} matches no file${g.baseExists ? ` in ${g.base}` : ` (the folder ${g.base} does not exist)`}; quote the pattern so the shell does not expand it, and check the folder`,
      );
    }
    files.push(...g.files);
  }
  return files;
}

/** Is this a Black Marble input (every file .h5)? Mixed lists are refused. */
export function isBlackMarbleList(files: readonly string[], what = '--raster'): boolean {
  const h5 = files.filter(isHdf5Name);
  if (h5.length === 0) {
    if (files.length > 1) {
      throw new NtlError(
        `${what} names ${files.length} files (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}); several files are read as one raster only for Black Marble .h5 tiles of one date — run once per GeoTIFF`,
      );
    }
    return false;
  }
  if (h5.length !== files.length) {
    const other = files.find((f) => !isHdf5Name(f))!;
    throw new NtlError(`${what} mixes Black Marble .h5 tiles with ${other}; a mosaic is made of .h5 tiles of one date only`);
  }
  return true;
}

/** Open what --raster names: a GeoTIFF (openRaster) or a Black Marble mosaic. */
export async function openRasterInput(files: readonly string[], opts: RasterInputOptions = {}): Promise<RasterSource> {
  const what = opts.what ?? '--raster';
  if (isBlackMarbleList(files, what)) {
    if (opts.band !== undefined && opts.band !== 1) {
      throw new NtlError(`Black Marble tiles hold one layer per raster; choose it with the layer option (--bm-layer), not a band (${opts.band})`);
    }
    return openBlackMarble(files, opts.blackmarble ?? {});
  }
  if (opts.blackmarble && Object.values(opts.blackmarble).some((v) => v !== undefined)) {
    throw new NtlError(`the Black Marble options (layer, snow, quality) apply to .h5 tiles only, but ${files[0]} is not one`);
  }
  return openRaster(files[0]!, { band: opts.band, threads: opts.threads, remote: opts.remote });
}
