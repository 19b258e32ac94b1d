/**
 * GDAL_NODATA (TIFF tag 42113) text → a nodata value in the band's dtype domain, following what GDAL's
 * mask does: integer bands ignore a value outside their range (GDAL reports -128 on a Byte band but masks
 * nothing), float32 compares after rounding to float32, "nan" means NaN (consumers treat NaN as no-data
 * always). Deviations, on purpose: a fractional value on an integer band is ignored (GDAL 3.6 truncates it
 * and masks the wrong pixels), and a float64 value printed one digit past ±DBL_MAX ("-1.797693134862316e+308",
 * what some writers emit for -DBL_MAX) is read as ±DBL_MAX, not ±Infinity.
 */
import type { PixelDtype } from './types.js';

const RANGES: Partial<Record<PixelDtype, readonly [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

/** Parse the tag text; null when absent, blank or not a number. */
export function parseNodataText(text: string | undefined): number | null {
  if (text === undefined) return null;
  // trailing NULs and blanks are common (fixed-width writers, TIFF ASCII padding)
  const t = text.replace(/\0.*$/s, '').trim();
  if (t === '') return null;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const v = Number(t);
  if (Number.isNaN(v)) return null;
  if (!Number.isFinite(v) && /^[+-]?1\.797693134862\d*e\+?308$/i.test(t)) {
    return v < 0 ? -Number.MAX_VALUE : Number.MAX_VALUE;
  }
  return v;
}

/** Convert a parsed nodata value to the band's domain; null when no pixel could ever equal it. */
export function nodataForDtype(value: number | null, dtype: PixelDtype): number | null {
  if (value === null) return null;
  if (Number.isNaN(value)) return dtype === 'float32' || dtype === 'float64' ? NaN : null;
  if (dtype === 'float64') return value;
  if (dtype === 'float32') {
    const f = Math.fround(value);
    // out of float32 range: GDAL's mask treats every pixel as valid
    return Number.isFinite(f) || !Number.isFinite(value) ? f : null;
  }
  const r = RANGES[dtype]!;
  if (!Number.isInteger(value) || value < r[0] || value > r[1]) return null;
  return value;
}
