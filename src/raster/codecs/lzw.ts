/**
 * TIFF LZW decoder (MSB-first codes, 9..12 bits, "early change" as libtiff writes it).
 *
 * Hand-written because geotiff.js's decoder allocates an array per code (~25 MB/s here). The trick: every
 * dictionary string has already been written to the output once, so an entry is just (start, length) into
 * `dst`; a new entry is the previous string plus one byte, which is exactly the output span starting at the
 * previous string. No per-code allocation, strings are copied out of `dst` itself.
 */

export class CorruptDataError extends Error {}

const MAX_CODES = 4096;
const CLEAR = 256;
const EOI = 257;
// One table per thread; the decoder is synchronous so it is never re-entered.
const tabStart = new Int32Array(MAX_CODES);
const tabLen = new Int32Array(MAX_CODES);

/** Decode `src` into `dst` (sized to the expected block bytes). Returns the number of bytes written. */
export function lzwDecode(src: Uint8Array, dst: Uint8Array): number {
  const n = src.length;
  const cap = dst.length;
  let ip = 0;
  let bitBuf = 0;
  let bitCnt = 0;
  let nbits = 9;
  let next = 258;
  let pos = 0;
  let prevStart = -1;
  let prevLen = 0;
  if (n >= 2 && src[0] === 0 && (src[1] & 1) === 1) {
    throw new CorruptDataError('old-style (pre-1990 LSB-first) LZW is not supported');
  }
  while (pos < cap) {
    while (bitCnt < nbits) {
      if (ip >= n) return pos; // ran out of input: caller checks the byte count
      bitBuf = ((bitBuf & 0xffffff) << 8) | src[ip++];
      bitCnt += 8;
    }
    bitCnt -= nbits;
    const code = (bitBuf >>> bitCnt) & ((1 << nbits) - 1);
    if (code === EOI) break;
    if (code === CLEAR) {
      nbits = 9;
      next = 258;
      prevStart = -1;
      continue;
    }
    if (prevStart < 0) {
      if (code > 255) throw new CorruptDataError(`code ${code} right after a clear code`);
      dst[pos] = code;
      prevStart = pos;
      prevLen = 1;
      pos++;
      continue;
    }
    let len: number;
    if (code < 256) {
      dst[pos] = code;
      len = 1;
    } else if (code < next) {
      const s = tabStart[code];
      len = tabLen[code];
      if (pos + len > cap) len = cap - pos;
      if (len > 24) dst.copyWithin(pos, s, s + len);
      else for (let k = 0; k < len; k++) dst[pos + k] = dst[s + k];
    } else if (code === next) {
      // KwKwK: previous string plus its own first byte
      len = prevLen + 1;
      if (pos + len > cap) len = cap - pos;
      for (let k = 0; k < len; k++) dst[pos + k] = dst[prevStart + k];
      if (len === prevLen + 1) dst[pos + prevLen] = dst[prevStart];
    } else {
      throw new CorruptDataError(`code ${code} beyond the dictionary (next free ${next})`);
    }
    if (next < MAX_CODES) {
      // previous string + first byte of this one == the output span starting at prevStart
      tabStart[next] = prevStart;
      tabLen[next] = prevLen + 1;
      next++;
      if (next >= (1 << nbits) - 1 && nbits < 12) nbits++;
    }
    prevStart = pos;
    prevLen = len;
    pos += len;
  }
  return pos;
}
