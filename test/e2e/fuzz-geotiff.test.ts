/**
 * The GeoTIFF reader under fuzzing (scripts/fuzz/geotiff-fuzz.ts): a bounded, seeded run in CI where every
 * mutated file must end in a result or one NtlError (no hang, crash, or runaway allocation), plus the
 * concrete bugs the fuzzer found, pinned as regressions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { layoutOf, runFuzz } from '../../scripts/fuzz/geotiff-fuzz.js';
import { isNtlError } from '../../src/errors.js';
import { openRaster } from '../../src/raster/index.js';
import { decodeBlock } from '../../src/raster/codecs/block-decode.js';
import { CorruptDataError } from '../../src/raster/codecs/lzw.js';
import { tempDir } from '../helpers/tmp.js';

const ITERATIONS = 200;

describe('GeoTIFF fuzzing', () => {
  it(`${ITERATIONS} seeded mutations: every case is a result or one NtlError within 5 s`, async () => {
    const lines: string[] = [];
    const r = await runFuzz({ iterations: ITERATIONS, seed: 20240601, timeoutMs: 5000, maxMb: 1536, log: (l) => lines.push(l) });
    console.log(
      `geotiff fuzz: ${ITERATIONS} iterations: ${Object.entries(r.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    expect(r.cases).toHaveLength(ITERATIONS);
    expect(lines).toEqual([]);
    expect(r.failures).toEqual([]);
    // the mutations must actually reach the error paths and the decode paths
    expect(r.counts['ntl-error']).toBeGreaterThan(ITERATIONS / 4);
    expect(r.counts.ok).toBeGreaterThan(0);
  }, 120_000);
});

const tmp = tempDir('fuzz-reg');
const SEED = 'test/fixtures/raster/uint8_none_strip_p1.tif';

/** Patch one 32-bit / 16-bit field of the first IFD entry with `tag`. */
function patched(tag: number, field: 'count' | 'value', v: number, seed = SEED): string {
  const b = Buffer.from(readFileSync(seed));
  const L = layoutOf(b)!;
  const e = L.entries.find((x) => x.tag === tag)!;
  const at = field === 'count' ? e.at + 4 : e.valueAt;
  if (field === 'value' && e.type === 3) L.le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at);
  else L.le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at);
  const file = join(tmp, `${tag}-${field}-${v}.tif`);
  writeFileSync(file, b);
  return file;
}

async function readAll(file: string): Promise<unknown> {
  try {
    const src = await openRaster(file, { threads: 0 });
    for await (const _ of src.bands()) void _;
    await src.close();
    return 'ok';
  } catch (e) {
    return e;
  }
}

describe('bugs the fuzzer found (fixed in src/raster)', () => {
  it('a tag count past the end of the file is an NtlError, not a RangeError / 4 GB allocation', async () => {
    for (const tag of [273, 279, 33922]) {
      const e = await readAll(patched(tag, 'count', 0x7fffffff));
      expect(isNtlError(e), String(e)).toBe(true);
      expect((e as Error).message).toMatch(new RegExp(`TIFF tag ${tag} declares 2147483647 values at byte \\d+, past the end of the file`));
    }
  });

  it('an IFD entry count running past the end of the file is an NtlError', async () => {
    const b = Buffer.from(readFileSync(SEED));
    const L = layoutOf(b)!;
    L.le ? b.writeUInt16LE(0xffff, L.ifd) : b.writeUInt16BE(0xffff, L.ifd);
    const file = join(tmp, 'ifd-count.tif');
    writeFileSync(file, b);
    expect(((await readAll(file)) as Error).message).toMatch(/image directory lists 65535 entries, which run past the end of the file/);
  });

  it('absurd tile sizes are refused before allocating (was: 4 GB allocation, process abort)', async () => {
    const file = patched(322, 'value', 0xffff, 'test/fixtures/raster/float64_zstd_tile_p3.tif');
    const b = Buffer.from(readFileSync(file));
    const L = layoutOf(b)!;
    const e = L.entries.find((x) => x.tag === 323)!;
    L.le ? b.writeUInt16LE(0xffff, e.valueAt) : b.writeUInt16BE(0xffff, e.valueAt);
    writeFileSync(file, b);
    const err = await readAll(file);
    expect(isNtlError(err), String(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /one tile \(65535 × 65535 pixels, 1 sample\(s\)\) or one row of them needs \d+ bytes, more than the 1073741824-byte limit/,
    );
    expect(((await readAll(patched(256, 'value', 0))) as Error).message).toMatch(/no image size|image size .* is invalid/);
  });

  it("corrupt JPEGTables (read by geotiff.js's JPEG decoder) are an NtlError when opening, inline or in workers", async () => {
    const file = patched(347, 'count', 7, 'test/fixtures/raster/uint8_jpeg_strip_p1.tif');
    const e = await readAll(file);
    expect(isNtlError(e), String(e)).toBe(true);
    expect((e as Error).message).toContain(`${file}: corrupt JPEG data (JPEGTables tag: `);
  });

  it('a JPEG or LERC block whose header claims another size is corrupt data, checked before decoding', async () => {
    for (const [seed, what] of [
      ['uint8_jpeg_tile_q90_p1.tif', /JPEG frame is \d+ × \d+ pixels/],
      ['uint32_lerc_tile_p1.tif', /LERC header says \d+ × \d+ × 1/],
    ] as const) {
      const b = Buffer.from(readFileSync(join('test/fixtures/raster', seed)));
      const L = layoutOf(b)!;
      const u32 = (at: number) => (L.le ? b.readUInt32LE(at) : b.readUInt32BE(at));
      const first = u32(u32(L.entries.find((x) => x.tag === 324)!.valueAt)); // TileOffsets (6 tiles: stored out of line)[0]
      if (seed.includes('jpeg')) {
        const sof = b.indexOf(Buffer.from([0xff, 0xc0]), first);
        b.writeUInt16BE(0xffff, sof + 5); // frame height
      } else {
        b.writeInt32LE(0x7fffffff, first + 14 + 4); // Lerc2 v3+: magic, version, checksum, rows, cols → cols
      }
      const file = join(tmp, `size-${seed}`);
      writeFileSync(file, b);
      const e = await readAll(file);
      expect(isNtlError(e), String(e)).toBe(true);
      expect((e as Error).message).toMatch(what);
    }
  });

  it('a deflate block that inflates far beyond its size is corrupt data, not a huge buffer', () => {
    const bomb = deflateSync(Buffer.alloc(50_000_000));
    const fmt = { compression: 8, predictor: 1, bytesPerSample: 1, littleEndian: true, interleaved: 1, sampleIndex: 0 };
    expect(() => decodeBlock(bomb, fmt, 256, 256)).toThrow(CorruptDataError);
  });
});
