/** A PNG decoded to raw pixels, for tests that look at rendered maps and figures. */
import sharp from 'sharp';

export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

export async function decodePng(png: Uint8Array): Promise<DecodedPng> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

/** RGB of the pixel nearest (x, y). */
export function rgbAt(d: DecodedPng, x: number, y: number): [number, number, number] {
  const o = (Math.round(y) * d.width + Math.round(x)) * d.channels;
  return [d.data[o]!, d.data[o + 1]!, d.data[o + 2]!];
}
