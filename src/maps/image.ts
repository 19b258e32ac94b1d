/** A plain RGBA pixel buffer (row 0 at the top) and the few pixel operations the maps need. */
import type { Rgb } from './palette.js';

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width·height·4 bytes, row-major, straight (non-premultiplied) alpha. */
  readonly data: Uint8Array;
}

export function createImage(width: number, height: number, fill: Rgb): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = fill[0];
    data[i + 1] = fill[1];
    data[i + 2] = fill[2];
    data[i + 3] = 255;
  }
  return { width, height, data };
}

export function setPixel(img: RgbaImage, x: number, y: number, c: Rgb): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = (y * img.width + x) * 4;
  img.data[o] = c[0];
  img.data[o + 1] = c[1];
  img.data[o + 2] = c[2];
  img.data[o + 3] = 255;
}

export function fillRect(img: RgbaImage, x: number, y: number, w: number, h: number, c: Rgb): void {
  for (let j = Math.max(0, y); j < Math.min(img.height, y + h); j++) {
    for (let i = Math.max(0, x); i < Math.min(img.width, x + w); i++) setPixel(img, i, j, c);
  }
}

/** Diagonal hatch pattern (the "missing value" fill); phase comes from absolute coordinates so areas line up. */
export function hatchColour(x: number, y: number, base: Rgb, line: Rgb): Rgb {
  return (x + y) % 6 < 2 ? line : base;
}

/** Outline rectangle, 1 px. */
export function strokeRect(img: RgbaImage, x: number, y: number, w: number, h: number, c: Rgb): void {
  fillRect(img, x, y, w, 1, c);
  fillRect(img, x, y + h - 1, w, 1, c);
  fillRect(img, x, y, 1, h, c);
  fillRect(img, x + w - 1, y, 1, h, c);
}

/**
 * Blend `colour` at opacity alpha·coverage into the image region starting at (left, top), for a coverage mask
 * of size cw × ch (values 0..1). Source-over on an opaque background.
 */
export function blendCoverage(img: RgbaImage, coverage: Float32Array, cw: number, ch: number, left: number, top: number, colour: Rgb, alpha: number): void {
  for (let y = 0; y < ch; y++) {
    const iy = y + top;
    if (iy < 0 || iy >= img.height) continue;
    for (let x = 0; x < cw; x++) {
      const a = coverage[y * cw + x] * alpha;
      if (a <= 0) continue;
      const ix = x + left;
      if (ix < 0 || ix >= img.width) continue;
      const o = (iy * img.width + ix) * 4;
      for (let k = 0; k < 3; k++) img.data[o + k] = Math.round(img.data[o + k] * (1 - a) + colour[k] * a);
    }
  }
}
