/** PNG files → figures with data: URIs; large maps are downscaled (sharp, deterministic) to keep the page light. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { NtlError } from '../errors.js';
import type { ReportFigure } from './types.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function pngFigure(path: string, caption: string, alt: string, maxWidth?: number): Promise<ReportFigure> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (e) {
    throw new NtlError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new NtlError(`${path} is not a PNG image; remove it or rerun the command that wrote it`);
  let width = data.readUInt32BE(16);
  let height = data.readUInt32BE(20);
  if (maxWidth !== undefined && width > maxWidth) {
    try {
      const out = await sharp(data).resize({ width: maxWidth }).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer({ resolveWithObject: true });
      data = out.data;
      ({ width, height } = out.info);
    } catch (e) {
      throw new NtlError(`${path} cannot be decoded as PNG (${(e as Error).message}); rerun the command that wrote it`);
    }
  }
  return { src: `data:image/png;base64,${data.toString('base64')}`, caption, alt, width, height };
}
