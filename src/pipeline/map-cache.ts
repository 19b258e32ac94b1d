/**
 * Rendered maps cached under DIR/.cache/maps/<key>.png, like the zonal results (cache.ts): the key is the sha256
 * of everything that decides the pixels (input checksums, the statistic's values, the series-wide breaks or ramp
 * top, titles and legend text, rendering settings, MAP_RENDERER_VERSION), so a rerun with nothing changed reads
 * the PNG back instead of drawing it. The full key is the file name; files are written atomically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/atomic.js';

/** Bump when the map renderer's pixels change (palette, layout, text), to invalidate cached maps. */
export const MAP_RENDERER_VERSION = 2;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class MapCache {
  /** Maps read back / drawn by this instance (for run.json and the tests). */
  reused = 0;
  rendered = 0;

  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `${key}.png`);
  }

  /** The cached PNG for `key`, or `render()`'s, stored for next time. */
  async getOrRender(key: string, render: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = await readFile(this.path(key)).catch(() => null);
    if (hit && hit.length > 8 && hit.subarray(0, 8).equals(PNG_SIGNATURE)) {
      this.reused++;
      return new Uint8Array(hit.buffer, hit.byteOffset, hit.byteLength);
    }
    const png = await render();
    this.rendered++;
    await writeFileAtomic(this.path(key), png);
    return png;
  }
}
