/** Unit checks: EPSG table vs GDAL/PROJ, GDAL_NODATA spellings, codec corner cases, worker lifetime. */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { epsgEntry, nodataForDtype, parseNodataText } from '../../src/raster/index.js';
import { lzwDecode } from '../../src/raster/codecs/lzw.js';
import { packbitsDecode } from '../../src/raster/codecs/packbits.js';
import { undoFloatingPoint, undoHorizontal } from '../../src/raster/codecs/predictor.js';
import { tempDir } from '../helpers/tmp.js';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'raster', 'manifest.json'), 'utf8')) as {
  epsg: Record<string, { proj4: string; geographic: boolean; name: string }>;
};

describe('EPSG table spells proj4 exactly as GDAL/PROJ does', () => {
  for (const [code, want] of Object.entries(manifest.epsg)) {
    it(`EPSG:${code} ${want.name}`, () => {
      const got = epsgEntry(Number(code));
      expect(got).not.toBeNull();
      expect(got!.proj4).toBe(want.proj4);
      expect(got!.geographic).toBe(want.geographic);
      expect(got!.name).toBe(want.name);
    });
  }
  it('unknown codes give null', () => {
    expect(epsgEntry(2154)).toBeNull();
    expect(epsgEntry(32661)).toBeNull();
  });
});

describe('GDAL_NODATA text', () => {
  const cases: [string | undefined, string, number | null][] = [
    ['0', 'uint8', 0],
    ['0\0', 'uint8', 0],
    [' -9999 \0\0', 'int16', -9999],
    ['-128', 'uint8', null], // unrepresentable in a byte band (GDAL masks nothing)
    ['-128', 'int16', -128],
    ['256', 'uint8', null],
    ['1.5', 'uint8', null],
    ['4294967295', 'uint32', 4294967295],
    ['-1.7e+308', 'float64', -1.7e308],
    ['-1.797693134862316e+308', 'float64', -Number.MAX_VALUE],
    ['-1.79769313486232e+308', 'float64', -Number.MAX_VALUE],
    ['-3.4e38', 'float32', Math.fround(-3.4e38)],
    ['-3.4028234663852886e+38', 'float32', -3.4028234663852886e38],
    ['-1.7e308', 'float32', null], // outside float32: no pixel can hold it
    ['-inf', 'float32', -Infinity],
    ['abc', 'float32', null],
    ['', 'float64', null],
    [undefined, 'float64', null],
  ];
  for (const [text, dtype, want] of cases) {
    it(`${JSON.stringify(text)} on ${dtype} → ${want}`, () => {
      expect(nodataForDtype(parseNodataText(text), dtype as 'uint8')).toBe(want);
    });
  }
  it('nan means NaN on float bands, nothing on integer bands', () => {
    expect(nodataForDtype(parseNodataText('nan'), 'float32')).toBeNaN();
    expect(nodataForDtype(parseNodataText('NaN\0'), 'float64')).toBeNaN();
    expect(nodataForDtype(parseNodataText('nan'), 'int16')).toBeNull();
  });
});

describe('codecs', () => {
  /** Minimal TIFF LZW encoder (MSB-first, early change) to build test streams, incl. the KwKwK case. */
  function lzwEncode(data: Uint8Array): Uint8Array {
    const out: number[] = [];
    let acc = 0,
      nacc = 0,
      nbits = 9;
    const put = (code: number) => {
      acc = (acc << nbits) | code;
      nacc += nbits;
      while (nacc >= 8) {
        out.push((acc >>> (nacc - 8)) & 0xff);
        nacc -= 8;
      }
      acc &= (1 << nacc) - 1;
    };
    let dict = new Map<string, number>();
    let next = 258;
    put(256);
    let w = '';
    for (const byte of data) {
      const wc = w + ',' + byte;
      if (w !== '' && dict.has(wc)) {
        w = wc;
        continue;
      }
      if (w === '') {
        w = ',' + byte;
        continue;
      }
      const parts = w.split(',').slice(1);
      put(parts.length === 1 ? Number(parts[0]) : dict.get(w)!);
      dict.set(wc, next++);
      if (next + 1 > 1 << nbits && nbits < 12) nbits++;
      if (next === 4093) {
        put(256);
        dict = new Map();
        next = 258;
        nbits = 9;
      }
      w = ',' + byte;
    }
    const parts = w.split(',').slice(1);
    put(parts.length === 1 ? Number(parts[0]) : dict.get(w)!);
    put(257);
    if (nacc > 0) out.push((acc << (8 - nacc)) & 0xff);
    return Uint8Array.from(out);
  }
  it('LZW decodes runs (KwKwK), table resets and width changes', () => {
    const data = new Uint8Array(20000);
    for (let i = 0; i < data.length; i++) data[i] = i < 3000 ? 7 : (i * 2654435761) >>> 27; // a long run, then noise
    const dst = new Uint8Array(data.length);
    expect(lzwDecode(lzwEncode(data), dst)).toBe(data.length);
    expect(Buffer.compare(dst, data)).toBe(0);
  });
  it('PackBits: literal, repeat, no-op', () => {
    const src = Uint8Array.from([2, 1, 2, 3, 0xfd, 9, 128, 0, 4]);
    const dst = new Uint8Array(8);
    expect(packbitsDecode(src, dst)).toBe(8);
    expect([...dst]).toEqual([1, 2, 3, 9, 9, 9, 9, 4]);
  });
  it('horizontal predictor wraps modulo the sample width, per channel', () => {
    const a = new Uint16Array([65535, 2, 1, 1]); // two channels: [65535, 1] and [2, 1]
    undoHorizontal(new Uint8Array(a.buffer), 2, 4, 2);
    expect([...a]).toEqual([65535, 2, 0, 3]);
  });
  it('floating-point predictor restores float32 values', () => {
    const vals = new Float32Array([1.5, -2.25, 1e-30, 3.4e38]);
    const le = new Uint8Array(vals.buffer.slice(0));
    // encode as TIFF does: byte planes MSB first, then byte differences
    const n = vals.length,
      enc = new Uint8Array(16);
    for (let k = 0; k < n; k++) for (let p = 0; p < 4; p++) enc[p * n + k] = le[k * 4 + (3 - p)];
    for (let i = enc.length - 1; i > 0; i--) enc[i] = (enc[i] - enc[i - 1]) & 0xff;
    undoFloatingPoint(enc, 4, n, 1);
    expect([...new Float32Array(enc.buffer)]).toEqual([...vals]);
  });
});

describe('worker lifetime', () => {
  it('a script that forgets close() still exits', () => {
    const dir = tempDir('raster');
    const script = join(dir, 'forget.mts');
    const src = join(import.meta.dirname, '..', '..', 'src', 'raster', 'index.ts');
    const tif = join(import.meta.dirname, '..', 'fixtures', 'raster', 'uint16_lzw_tile_p2.tif');
    writeFileSync(
      script,
      `import { openRaster } from ${JSON.stringify(src)};
const s = await openRaster(${JSON.stringify(tif)}, { threads: 2 });
let n = 0;
for await (const b of s.bands()) n += b.data.length;
console.log('read', n);\n`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000, cwd: join(import.meta.dirname, '..', '..') });
    expect(r.signal, 'killed by the timeout: something kept the process alive').toBeNull();
    expect(r.stdout.trim()).toBe('read 851');
    expect(r.status).toBe(0);
  });
});
