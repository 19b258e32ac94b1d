/**
 * Where tests find real data.
 *
 * - Small real files are committed: `data/demo/` (Hunan clips), `data/mumbai/`, `data/china/` (the 2,901 mapchina
 *   counties) and `test/fixtures/real/` (each with its PROVENANCE.md). `repoFile` resolves them from the clone, so
 *   tests that read them always run.
 * - The whole-China rasters (1.8–4 MB each) are not shipped. Tests that need them read them from the folder named
 *   by the environment variable NTL_DATA_DIR, laid out as `ntl fetch data-manifests/china.yaml --data-dir DIR`
 *   writes it (e.g. `chen2021_npp_viirs_like_china_8bit/full_china/2022_8bit.tif`). NTL_DATA_DIR unset: those
 *   tests are reported as skipped (`describe.runIf(HAS_DATA_DIR)`, the title says why). NTL_DATA_DIR set but a
 *   file missing: the test fails and names the missing files and how to get them. See test/README.md.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/helpers/data-dir.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** A committed file, by its path from the repository root. */
export function repoFile(rel: string): string {
  const p = join(REPO_ROOT, rel);
  if (!existsSync(p)) throw new Error(`committed test data missing: ${rel} (expected at ${p}); restore it with \`git checkout -- ${rel}\``);
  return p;
}

/** NTL_DATA_DIR as given (resolved against the working directory), or null when unset or empty. */
export const DATA_DIR: string | null = process.env.NTL_DATA_DIR?.trim() ? resolve(process.env.NTL_DATA_DIR.trim()) : null;

/** Whether the tests that need the whole-China rasters run (use with describe.runIf / it.runIf). */
export const HAS_DATA_DIR = DATA_DIR !== null;

/** Put this in the title of every describe/it that is gated on HAS_DATA_DIR, so a skip says why. */
export const NEEDS_DATA_DIR = 'needs NTL_DATA_DIR (whole-China rasters; see test/README.md)';

/** How to fill NTL_DATA_DIR; part of every missing-file message. */
export const FETCH_HINT =
  'get them with `npx ntl fetch data-manifests/china.yaml --data-dir $NTL_DATA_DIR`, or unset NTL_DATA_DIR to skip the tests that need them';

/**
 * Files under NTL_DATA_DIR (paths relative to it, in the layout of data-manifests/china.yaml). Throws one error
 * naming every missing file; call it inside the test so that a missing file fails that test.
 */
export function dataDirFiles(rels: readonly string[]): string[] {
  if (DATA_DIR === null) throw new Error('NTL_DATA_DIR is not set; gate this test with describe.runIf(HAS_DATA_DIR) and NEEDS_DATA_DIR in its title');
  const paths = rels.map((r) => join(DATA_DIR!, r));
  const missing = rels.filter((_, i) => !existsSync(paths[i]!));
  if (missing.length > 0) {
    throw new Error(`NTL_DATA_DIR=${DATA_DIR} lacks ${missing.length} file(s) these tests need: ${missing.join(', ')}; ${FETCH_HINT}`);
  }
  return paths;
}

/** One file under NTL_DATA_DIR; see dataDirFiles. */
export function dataDirFile(rel: string): string {
  return dataDirFiles([rel])[0]!;
}
