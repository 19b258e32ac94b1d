/**
 * One unit of worker work: decode a list of blocks of one band and copy the part of each block that lies in
 * the window straight into the band's shared output buffer. Pure (no I/O), runs in a worker or inline.
 */
import type { PixelDtype } from './types.js';
import { CorruptDataError, decodeBlock, type BlockFormat } from './codecs/block-decode.js';
import { typedView } from './dtype.js';
import { isFallbackCodec, prepareFallback } from './codecs/fallback.js';

/** Numbers per block in DecodeTask.blocks. */
export const BLOCK_FIELDS = 6;

export interface DecodeTask {
  /** Compressed bytes of this task's blocks (transferred to the worker). */
  readonly comp: ArrayBuffer;
  /**
   * Where to write: the rectangle rows [bandRow0, +bandRows) × cols [winCol0, +winWidth), row-major. Inline
   * callers pass the band buffer; workers allocate it and transfer it back (no SharedArrayBuffer: a worker
   * isolate that never collects garbage would keep every shared band alive).
   */
  readonly out?: ArrayBuffer;
  readonly fmt: BlockFormat;
  readonly dtype: PixelDtype;
  /** Pixel width of a block: tile width, or image width for strips. */
  readonly blockWidth: number;
  readonly bandRow0: number;
  readonly bandRows: number;
  readonly winCol0: number;
  readonly winWidth: number;
  /** Value for sparse (never written) blocks: the nodata value, else 0, as GDAL does. */
  readonly sparseFill: number;
  /**
   * Per block, BLOCK_FIELDS numbers: position and length in `comp` (length 0 = sparse block), image row and
   * column of the block's top-left pixel, decoded rows in the block, block index in the file (for messages).
   */
  readonly blocks: Float64Array;
}

/** A block failed to decode; carries what the main thread needs to name it. */
export interface BlockFailure {
  readonly blockIndex: number;
  readonly row0: number;
  readonly col0: number;
  readonly detail: string;
}

export interface TaskResult {
  readonly out: ArrayBuffer;
  readonly failure: BlockFailure | null;
}

/** runDecodeTask, after loading the geotiff.js decoder a JPEG or LERC task needs (once per thread and format). */
export async function decodeTask(t: DecodeTask): Promise<TaskResult> {
  if (isFallbackCodec(t.fmt.compression)) {
    try {
      await prepareFallback(t.fmt);
    } catch (e) {
      // corrupt shared JPEG tables: the first block of the task names the failure (open.ts checks them first)
      const out = t.out ?? new ArrayBuffer(t.bandRows * t.winWidth * t.fmt.bytesPerSample);
      return { out, failure: { blockIndex: t.blocks[5], row0: t.blocks[2], col0: t.blocks[3], detail: (e as Error).message } };
    }
  }
  return runDecodeTask(t);
}

export function runDecodeTask(t: DecodeTask): TaskResult {
  const bps = t.fmt.bytesPerSample;
  const outBuf = t.out ?? new ArrayBuffer(t.bandRows * t.winWidth * bps);
  const out = new Uint8Array(outBuf);
  const bandEnd = t.bandRow0 + t.bandRows;
  const winEnd = t.winCol0 + t.winWidth;
  const outRowBytes = t.winWidth * bps;
  for (let b = 0; b < t.blocks.length; b += BLOCK_FIELDS) {
    const pos = t.blocks[b],
      len = t.blocks[b + 1];
    const row0 = t.blocks[b + 2],
      col0 = t.blocks[b + 3],
      rows = t.blocks[b + 4];
    // intersection of block and (band rows × window cols)
    const r0 = Math.max(row0, t.bandRow0),
      r1 = Math.min(row0 + rows, bandEnd);
    const c0 = Math.max(col0, t.winCol0),
      c1 = Math.min(col0 + t.blockWidth, winEnd);
    if (r0 >= r1 || c0 >= c1) continue;
    if (len === 0) {
      const view = typedView(t.dtype, outBuf);
      for (let r = r0; r < r1; r++) {
        const o = (r - t.bandRow0) * t.winWidth + (c0 - t.winCol0);
        view.fill(t.sparseFill, o, o + (c1 - c0));
      }
      continue;
    }
    let block: Uint8Array;
    try {
      block = decodeBlock(new Uint8Array(t.comp, pos, len), t.fmt, t.blockWidth, rows);
    } catch (e) {
      if (e instanceof CorruptDataError) return { out: outBuf, failure: { blockIndex: t.blocks[b + 5], row0, col0, detail: e.message } };
      throw e;
    }
    const blockRowBytes = t.blockWidth * bps;
    const spanBytes = (c1 - c0) * bps;
    for (let r = r0; r < r1; r++) {
      const src = (r - row0) * blockRowBytes + (c0 - col0) * bps;
      out.set(block.subarray(src, src + spanBytes), (r - t.bandRow0) * outRowBytes + (c0 - t.winCol0) * bps);
    }
  }
  return { out: outBuf, failure: null };
}
