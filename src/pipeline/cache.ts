/**
 * Per-(input, year) result cache under the output folder, keyed by the input checksums and every setting
 * that changes the numbers. A rerun recomputes only what changed; entries are written atomically, so a
 * killed run leaves either a whole entry or none.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/atomic.js';

/** Bump when the zonal engine's numbers change, to invalidate old caches. */
export const ZONAL_CACHE_VERSION = 2; // 2: zones re-nested by containment (holes outside their shell), empty-zone causes

export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export class ResultCache {
  constructor(private readonly dir: string) {}

  private path(kind: string, key: string): string {
    return join(this.dir, `${kind}-${key.slice(0, 32)}.json`);
  }

  async get<T>(kind: string, key: string): Promise<T | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.path(kind, key), 'utf8')) as { key: string; value: T };
      return parsed.key === key ? parsed.value : undefined;
    } catch {
      return undefined; // missing or unreadable: recompute
    }
  }

  async put<T>(kind: string, key: string, value: T): Promise<void> {
    await writeFileAtomic(this.path(kind, key), JSON.stringify({ key, value }));
  }
}
