/** Pixel dtypes: TIFF (SampleFormat, BitsPerSample) → our dtype, and typed-array views. */
import type { PixelArray, PixelDtype } from './types.js';

export const BYTES: Record<PixelDtype, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
};

/**
 * SampleFormat 1 = unsigned, 2 = signed, 3 = float. Signed 8-bit is read as uint8, as GDAL 3.6 does
 * (it exposes PIXELTYPE=SIGNEDBYTE instead); see RasterInfo.signedByte. Returns null when unsupported.
 */
export function dtypeOf(sampleFormat: number, bits: number): PixelDtype | null {
  if (sampleFormat === 3) return bits === 32 ? 'float32' : bits === 64 ? 'float64' : null;
  const signed = sampleFormat === 2;
  switch (bits) {
    case 8:
      return 'uint8';
    case 16:
      return signed ? 'int16' : 'uint16';
    case 32:
      return signed ? 'int32' : 'uint32';
    default:
      return null;
  }
}

export function typedView(dtype: PixelDtype, buf: ArrayBufferLike, byteOffset = 0, length?: number): PixelArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(buf, byteOffset, length);
    case 'int8':
      return new Int8Array(buf, byteOffset, length);
    case 'uint16':
      return new Uint16Array(buf, byteOffset, length);
    case 'int16':
      return new Int16Array(buf, byteOffset, length);
    case 'uint32':
      return new Uint32Array(buf, byteOffset, length);
    case 'int32':
      return new Int32Array(buf, byteOffset, length);
    case 'float32':
      return new Float32Array(buf, byteOffset, length);
    case 'float64':
      return new Float64Array(buf, byteOffset, length);
  }
}
