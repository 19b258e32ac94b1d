/** openRaster / readRasterInfo: header → RasterInfo + block layout, and the band streamer. */
import { NtlError } from '../errors.js';
import type { BandWindow, CellRect, PixelDtype, RasterInfo, RasterSource, ReadHint, RowBand } from './types.js';
import { FileByteSource, coalesceRanges, isRemoteRaster, type ByteSource } from './byte-source.js';
import { openRemote, type RemoteOptions } from './http-source.js';
import { readFirstIfd, TAG, tagNumber, tagNumbers, tagString, type TiffIfd } from './tiff-ifd.js';
import { SUPPORTED_CODECS, UNSUPPORTED_CODECS, type BlockFormat } from './codecs/block-decode.js';
import { isFallbackCodec, LERC_LAYER_NAMES, prepareFallback } from './codecs/fallback.js';
import { dtypeOf, typedView } from './dtype.js';
import { geoTransformFrom } from './georef.js';
import { crsFromGeoKeys, KEY, parseGeoKeys } from './geokeys.js';
import { nodataForDtype, parseNodataText } from './nodata.js';
import { BLOCK_FIELDS, decodeTask, type BlockFailure, type DecodeTask } from './decode-task.js';
import { defaultThreads, sharedPool, type DecodePool } from './pool.js';

export interface OpenRasterOptions {
  /** 1-based band to read (default 1). */
  readonly band?: number;
  /** Decode workers (default os.availableParallelism()); 0 decodes on the calling thread. */
  readonly threads?: number;
  /** Aim for bands of at least this many pixels by grouping block rows (default 2^20). */
  readonly bandPixels?: number;
  /** http(s) URLs: token, retries, timeouts, cache, what to do when the server ignores ranges (http-source.ts). */
  readonly remote?: RemoteOptions;
}

/** Where the blocks of the chosen band are in the file and how they are encoded. */
export interface BlockLayout {
  readonly blockWidth: number;
  readonly blockHeight: number;
  readonly blocksAcross: number;
  readonly blocksDown: number;
  /** Index of the chosen band's first block in offsets/counts (PlanarConfiguration 2 stores planes in turn). */
  readonly firstBlock: number;
  readonly offsets: Float64Array;
  readonly counts: Float64Array;
  readonly format: BlockFormat;
  readonly fileSize: number;
}

export interface RasterHeader {
  readonly info: RasterInfo;
  readonly layout: BlockLayout;
}

/** Open a local file, or an http(s) URL read in place with range requests (http-source.ts). */
export async function openByteSource(path: string, remote?: RemoteOptions): Promise<ByteSource> {
  return isRemoteRaster(path) ? openRemote(path, remote) : FileByteSource.open(path);
}

/** Read the header of a GeoTIFF (no pixels): a file path, or an http(s) URL (only the header bytes are fetched). */
export async function readRasterInfo(path: string, band = 1, remote?: RemoteOptions): Promise<RasterInfo> {
  const src = await openByteSource(path, remote);
  try {
    return (await readHeader(src, band)).info;
  } finally {
    await src.close();
  }
}

export async function readHeader(src: ByteSource, band: number, parsed?: TiffIfd): Promise<RasterHeader> {
  const path = src.name;
  const ifd = parsed ?? (await readFirstIfd(src));
  const width = tagNumber(ifd, TAG.ImageWidth, 0);
  const height = tagNumber(ifd, TAG.ImageLength, 0);
  if (width <= 0 || height <= 0) throw new NtlError(`${path}: TIFF has no image size (ImageWidth/ImageLength missing).`);
  const spp = tagNumber(ifd, TAG.SamplesPerPixel, 1);
  if (!Number.isInteger(band) || band < 1 || band > spp) {
    throw new NtlError(`${path} has ${spp} band${spp === 1 ? '' : 's'}; band ${band} does not exist (bands are numbered 1..${spp}).`);
  }
  const bitsAll = tagNumbers(ifd, TAG.BitsPerSample) ?? new Float64Array([1]);
  const bits = bitsAll[Math.min(band - 1, bitsAll.length - 1)];
  const sampleFormat = tagNumbers(ifd, TAG.SampleFormat)?.[0] ?? 1;
  const dtype = dtypeOf(sampleFormat, bits);
  if (!dtype || Array.from(bitsAll).some((b) => b !== bits)) {
    throw new NtlError(
      `${path} stores ${bits}-bit ${sampleFormat === 3 ? 'float' : sampleFormat === 2 ? 'signed' : 'unsigned'} samples, which are not supported ` +
        '(supported: 8/16/32-bit integers, 32/64-bit floats, all bands the same type). Convert it, e.g. gdal_translate -ot Float32 in.tif out.tif.',
    );
  }
  const compression = tagNumber(ifd, TAG.Compression, 1);
  const reencode = `Re-encode it: gdal_translate -co COMPRESS=DEFLATE -co TILED=YES "${path}" out.tif`;
  if (SUPPORTED_CODECS[compression] === undefined) {
    const name = UNSUPPORTED_CODECS[compression] ?? `code ${compression}`;
    const why = compression === 50001 ? ' (geotiff.js decodes WebP only in a browser, with createImageBitmap and a canvas)' : '';
    throw new NtlError(`${path} is compressed with ${name} (TIFF compression ${compression}), which this tool does not decode${why}. ${reencode}`);
  }
  const fallback = isFallbackCodec(compression);
  if (compression === 7 && tagNumber(ifd, TAG.Photometric, 1) === 6) {
    throw new NtlError(
      `${path} is compressed with YCbCr JPEG (TIFF compression 7, photometric YCbCr), which this tool does not decode: ` +
        `its colour conversion and chroma upsampling would not match GDAL's. ${reencode}`,
    );
  }
  const lercLayer = compression === 34887 ? (tagNumbers(ifd, TAG.LercParameters)?.[1] ?? 0) : 0;
  if (LERC_LAYER_NAMES[lercLayer] === undefined) {
    throw new NtlError(
      `${path} is compressed with LERC plus an unknown second layer (LercParameters compression ${lercLayer}), which this tool does not decode. ${reencode}`,
    );
  }
  if (compression === 7 && bits !== 8) {
    throw new NtlError(`${path} is compressed with ${bits}-bit JPEG (TIFF compression 7), which this tool does not decode (only 8-bit JPEG). ${reencode}`);
  }
  const predictor = fallback ? 1 : tagNumber(ifd, TAG.Predictor, 1); // libtiff applies no predictor to JPEG or LERC
  const isFloat = dtype === 'float32' || dtype === 'float64';
  if (compression !== 1 && (predictor < 1 || predictor > 3 || (predictor === 3 && !isFloat))) {
    throw new NtlError(
      `${path} uses TIFF predictor ${predictor} on ${dtype} data, which is invalid or unsupported. Re-encode it: gdal_translate -co COMPRESS=DEFLATE "${path}" out.tif`,
    );
  }
  const planar = tagNumber(ifd, TAG.PlanarConfiguration, 1);
  const tiled = ifd.tags.has(TAG.TileWidth);
  const blockWidth = tiled ? tagNumber(ifd, TAG.TileWidth, 0) : width;
  const blockHeight = tiled ? tagNumber(ifd, TAG.TileLength, 0) : Math.min(tagNumber(ifd, TAG.RowsPerStrip, height), height);
  const offsets = tagNumbers(ifd, tiled ? TAG.TileOffsets : TAG.StripOffsets);
  const counts = tagNumbers(ifd, tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
  if (blockWidth <= 0 || blockHeight <= 0 || !offsets || !counts) {
    throw new NtlError(`${path}: TIFF block layout is missing (no ${tiled ? 'tile' : 'strip'} offsets/sizes); the file is corrupt. Write it again.`);
  }
  checkLayout(path, { width, height, spp, blockWidth, blockHeight, bytesPerSample: bits / 8, interleaved: planar === 2 ? 1 : spp, tiled });
  const blocksAcross = Math.ceil(width / blockWidth);
  const blocksDown = Math.ceil(height / blockHeight);
  const perPlane = blocksAcross * blocksDown;
  const planes = planar === 2 ? spp : 1;
  if (offsets.length < perPlane * planes || counts.length < perPlane * planes) {
    throw new NtlError(
      `${path}: TIFF lists ${offsets.length} ${tiled ? 'tiles' : 'strips'} but its size needs ${perPlane * planes}; the file is corrupt. Write it again.`,
    );
  }
  for (let i = 0; i < perPlane * planes; i++) {
    const o = offsets[i],
      c = counts[i];
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(c) || o < 0 || c < 0) {
      throw new NtlError(
        `${path}: TIFF ${tiled ? 'tile' : 'strip'} ${i} has an invalid offset or byte count (${o}, ${c}); the file is corrupt. Write it again.`,
      );
    }
  }
  const format: BlockFormat = {
    compression,
    predictor: compression === 1 ? 1 : predictor,
    bytesPerSample: bits / 8,
    littleEndian: ifd.littleEndian,
    interleaved: planar === 2 ? 1 : spp,
    sampleIndex: planar === 2 ? 0 : band - 1,
    ...fallbackFields(ifd, compression),
  };

  if (compression === 7) {
    try {
      await prepareFallback(format); // the JPEG decoder parses the shared tables: corrupt ones fail here, once
    } catch (e) {
      throw new NtlError(`${path}: corrupt JPEG data (${(e as Error).message}). The file is damaged; fetch or write it again.`);
    }
  }

  const georef = {
    tiepoints: tagNumbers(ifd, TAG.ModelTiepoint),
    pixelScale: tagNumbers(ifd, TAG.ModelPixelScale),
    transformation: tagNumbers(ifd, TAG.ModelTransformation),
  };
  geoTransformFrom({ ...georef, pixelIsPoint: false }, path); // "no georeferencing" before any CRS complaint
  const { crs, pixelIsPoint } = readCrs(ifd, path);
  const gt = geoTransformFrom({ ...georef, pixelIsPoint }, path);
  if (crs === null && gt.join() === '0,1,0,0,0,1') {
    // GDAL's "no geotransform" default, written out by some tools: pixel coordinates, not a map grid
    throw new NtlError(
      `${path} has no georeferencing (its only transform is the identity pixel grid, origin 0,0 and pixel size 1, with no CRS), ` +
        'so its pixels cannot be placed on a map. Assign the grid with gdal_translate -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326, ' +
        'or use the original georeferenced file.',
    );
  }

  const nodataText = tagString(ifd, TAG.GdalNodata);
  const nodata = nodataForDtype(parseNodataText(nodataText), dtype);
  const description = bandDescription(tagString(ifd, TAG.GdalMetadata), band);
  const info: RasterInfo = {
    path,
    width,
    height,
    bandCount: spp,
    band,
    dtype,
    geoTransform: gt,
    crs,
    nodata,
    blockWidth,
    blockHeight,
    tiled,
    compression: codecName(format),
    bigTiff: ifd.bigTiff,
    ...(sampleFormat === 2 && bits === 8 ? { signedByte: true } : {}),
    ...(nodataText !== undefined ? { nodataText: nodataText.replace(/\0+$/, '') } : {}),
    ...(description !== undefined ? { description } : {}),
  };
  const layout: BlockLayout = {
    blockWidth,
    blockHeight,
    blocksAcross,
    blocksDown,
    firstBlock: planar === 2 ? (band - 1) * perPlane : 0,
    offsets,
    counts,
    format,
    fileSize: ifd.fileSize,
  };
  return { info, layout };
}

/** What geotiff.js's JPEG and LERC decoders need from the IFD (plain data: crosses to the workers). */
function fallbackFields(ifd: TiffIfd, compression: number): Pick<BlockFormat, 'jpegTables' | 'lercAddCompression'> {
  if (compression === 7) {
    const t = tagNumbers(ifd, TAG.JPEGTables);
    return t && t.length > 0 ? { jpegTables: Uint8Array.from(t) } : {};
  }
  if (compression === 34887) return { lercAddCompression: tagNumbers(ifd, TAG.LercParameters)?.[1] ?? 0 }; // checked above
  return {};
}

/** RasterInfo.compression: the codec's name, LERC with its second layer as GDAL names it (lerc_deflate, lerc_zstd). */
function codecName(f: BlockFormat): string {
  if (f.compression === 34887) return LERC_LAYER_NAMES[f.lercAddCompression ?? 0] ?? `lerc (layer ${f.lercAddCompression})`;
  return SUPPORTED_CODECS[f.compression];
}

/** GDAL's band description: `<Item name="DESCRIPTION" sample="band−1" role="description">text</Item>` in GDAL_METADATA. */
export function bandDescription(xml: string | undefined, band: number): string | undefined {
  if (!xml) return undefined;
  for (const m of xml.matchAll(/<Item\b([^>]*)>([^<]*)<\/Item>/g)) {
    const attrs = m[1]!;
    if (!/\bname="DESCRIPTION"/.test(attrs) || !/\brole="description"/.test(attrs)) continue;
    const sample = /\bsample="(\d+)"/.exec(attrs);
    if (!sample || Number(sample[1]) !== band - 1) continue;
    const text = m[2]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&')
      .trim();
    return text === '' ? undefined : text;
  }
  return undefined;
}

/** Largest buffer one decoded block, or one row band of blocks, may need (GDAL files need a few MB). */
export const MAX_BLOCK_BYTES = 2 ** 30;

/**
 * Sizes from the header must be sane before anything is allocated from them: whole positive numbers, and
 * one block (and one row of blocks) small enough to decode — a corrupt tag must give an error, not a 40 GB
 * allocation.
 */
function checkLayout(
  path: string,
  l: { width: number; height: number; spp: number; blockWidth: number; blockHeight: number; bytesPerSample: number; interleaved: number; tiled: boolean },
): void {
  const whole = (v: number) => Number.isInteger(v) && v > 0 && v <= 2 ** 31;
  if (!whole(l.width) || !whole(l.height) || !whole(l.spp) || l.spp > 65535) {
    throw new NtlError(`${path}: TIFF image size ${l.width} × ${l.height} × ${l.spp} band(s) is invalid; the file is corrupt. Write it again.`);
  }
  if (!whole(l.blockWidth) || !whole(l.blockHeight)) {
    throw new NtlError(`${path}: TIFF ${l.tiled ? 'tile' : 'strip'} size ${l.blockWidth} × ${l.blockHeight} is invalid; the file is corrupt. Write it again.`);
  }
  const block = l.blockWidth * l.blockHeight * l.bytesPerSample * l.interleaved;
  const rowBand = l.blockHeight * l.width * l.bytesPerSample;
  if (block > MAX_BLOCK_BYTES || rowBand > MAX_BLOCK_BYTES) {
    throw new NtlError(
      `${path}: one ${l.tiled ? 'tile' : 'strip'} (${l.blockWidth} × ${l.blockHeight} pixels, ${l.interleaved} sample(s)) or one row of them needs ${Math.max(block, rowBand)} bytes, ` +
        `more than the ${MAX_BLOCK_BYTES}-byte limit — a corrupt header, or a layout too large to stream. Re-tile it: gdal_translate -co TILED=YES -co COMPRESS=DEFLATE in.tif out.tif`,
    );
  }
}

function readCrs(ifd: TiffIfd, path: string) {
  const dir = tagNumbers(ifd, TAG.GeoKeyDirectory);
  if (!dir || dir.length < 4) return { crs: null, pixelIsPoint: false };
  const keys = parseGeoKeys(dir, tagNumbers(ifd, TAG.GeoDoubleParams), tagString(ifd, TAG.GeoAsciiParams));
  return { crs: crsFromGeoKeys(keys, path), pixelIsPoint: keys.get(KEY.GTRasterType) === 2 };
}

interface BandPlan {
  readonly row0: number;
  readonly rows: number;
  readonly blockRow0: number;
  readonly blockRow1: number;
}

/** Row bands of whole block rows (k block rows each), clipped to the window rows. */
export function planBands(layout: BlockLayout, rowStart: number, rowEnd: number, winWidth: number, bandPixels: number): BandPlan[] {
  const bh = layout.blockHeight;
  const k = Math.max(1, Math.floor(bandPixels / (bh * Math.max(1, winWidth))));
  const plans: BandPlan[] = [];
  const first = Math.floor(rowStart / bh);
  const last = Math.ceil(rowEnd / bh);
  for (let br = first; br < last; br += k) {
    const br1 = Math.min(br + k, last);
    const row0 = Math.max(br * bh, rowStart);
    const row1 = Math.min(br1 * bh, rowEnd);
    plans.push({ row0, rows: row1 - row0, blockRow0: br, blockRow1: br1 });
  }
  return plans;
}

function checkWindow(w: BandWindow | undefined, info: RasterInfo) {
  const rowStart = w?.rowStart ?? 0,
    rowEnd = w?.rowEnd ?? info.height;
  const colStart = w?.colStart ?? 0,
    colEnd = w?.colEnd ?? info.width;
  const ok = (a: number, b: number, n: number) => Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b <= n;
  if (!ok(rowStart, rowEnd, info.height) || !ok(colStart, colEnd, info.width)) {
    throw new NtlError(
      `window rows ${rowStart}..${rowEnd}, cols ${colStart}..${colEnd} is outside ${info.path} ` +
        `(${info.height} rows × ${info.width} cols; windows are integer half-open ranges within the raster).`,
    );
  }
  return { rowStart, rowEnd, colStart, colEnd };
}

class GeoTiffSource implements RasterSource {
  private closed = false;
  private readonly pool: DecodePool | null;

  constructor(
    readonly info: RasterInfo,
    private readonly layout: BlockLayout,
    private readonly src: ByteSource,
    private readonly threads: number,
    private readonly bandPixels: number,
    /** Close the byte source (sources of one file's bands share it, so the last close closes it). */
    private readonly closeHandle: () => Promise<void> = () => src.close(),
  ) {
    this.pool = threads > 0 ? sharedPool() : null;
    this.pool?.acquire(threads);
  }

  async *bands(window?: BandWindow, hint?: ReadHint): AsyncIterable<RowBand> {
    const w = checkWindow(window, this.info);
    const width = w.colEnd - w.colStart;
    if (width === 0 || w.rowEnd === w.rowStart) return;
    const plans = planBands(this.layout, w.rowStart, w.rowEnd, width, this.bandPixels);
    // Only the blocks some hinted cell rectangle touches are read and decoded (the rest hold stale values): a
    // remote source fetches less, and a local world grid — mostly empty between the zones — decodes less.
    const cells = hint?.cells;
    // With reuseBuffers, a band's buffer is free again once the consumer has asked for the band after it (at
    // most three are live: the one consumed, the one prefetched, the one being handed back).
    const spare: ArrayBuffer[] = [];
    const start = (i: number) => {
      const p = this.decodeBand(plans[i], w.colStart, width, cells, hint?.reuseBuffers ? spare : null);
      p.catch(() => {}); // if the consumer stops early, a failed prefetch must not become an unhandled rejection
      return p;
    };
    // Prefetch: band i+1 decodes while the consumer works on band i; never more than two in flight.
    let next: Promise<RowBand> | null = start(0);
    let previous: RowBand | null = null;
    for (let i = 0; i < plans.length; i++) {
      const band: RowBand = await next!;
      if (previous && hint?.reuseBuffers) spare.push(previous.data.buffer as ArrayBuffer);
      next = i + 1 < plans.length ? start(i + 1) : null;
      yield band;
      previous = band;
    }
  }

  private async decodeBand(plan: BandPlan, col0: number, width: number, cells: readonly CellRect[] | undefined, spare: ArrayBuffer[] | null): Promise<RowBand> {
    if (this.closed) throw new NtlError(`${this.info.path} was closed while its bands were still being read.`);
    const L = this.layout;
    const { info } = this;
    const bc0 = Math.floor(col0 / L.blockWidth);
    const bc1 = Math.ceil((col0 + width) / L.blockWidth);
    type B = { idx: number; off: number; len: number; row0: number; col0: number; rows: number; pos: number };
    const blocks: B[] = [];
    const bandRects = cells?.filter(
      (c) => c.row0 < plan.blockRow1 * L.blockHeight && c.row1 > plan.blockRow0 * L.blockHeight && c.row0 < c.row1 && c.col0 < c.col1,
    );
    for (let br = plan.blockRow0; br < plan.blockRow1; br++) {
      const wanted = wantedBlockColumns(bandRects, br * L.blockHeight, (br + 1) * L.blockHeight, L.blockWidth, bc0, bc1);
      for (let bc = bc0; bc < bc1; bc++) {
        const idx = L.firstBlock + br * L.blocksAcross + bc;
        const off = L.offsets[idx],
          len = L.counts[idx];
        const rows = info.tiled ? L.blockHeight : Math.min(L.blockHeight, info.height - br * L.blockHeight);
        const r0 = br * L.blockHeight,
          c0 = bc * L.blockWidth;
        if (wanted && wanted[bc - bc0] !== 1) continue; // no hinted cell in it: neither read nor decoded
        const b: B = { idx, off, len: off === 0 ? 0 : len, row0: r0, col0: c0, rows, pos: 0 };
        if (b.len > 0 && off + len > L.fileSize) {
          throw new NtlError(
            `${info.path} is truncated: ${this.blockName(b.row0, b.col0)} needs bytes ${off}..${off + len} but the file ends at byte ${L.fileSize}. ` +
              (this.src.remote
                ? 'The remote file is incomplete or not the file its header describes; check the URL, or download it with `ntl fetch` and check it.'
                : 'The download or export is incomplete; fetch or write the file again.'),
          );
        }
        blocks.push(b);
      }
    }
    // Read the compressed bytes in as few ranges as possible (blocks of a row are usually contiguous).
    const present = blocks.filter((b) => b.len > 0);
    const { runs, runOf } = coalesceRanges(
      present.map((b) => ({ offset: b.off, length: b.len })),
      this.src.coalesce.gap,
      this.src.coalesce.maxRun,
    );
    const runPos: number[] = [];
    let total = 0;
    for (const r of runs) {
      runPos.push(total);
      total += r.length;
    }
    present.forEach((b, i) => {
      const r = runOf[i]!;
      b.pos = runPos[r]! + (b.off - runs[r]!.offset);
    });
    const compBytes = new Uint8Array(total);
    await Promise.all(
      runs.map(async (r, i) => {
        const bytes = await this.src.read(r.offset, r.length, `blocks at byte ${r.offset}`);
        compBytes.set(bytes, runPos[i]);
      }),
    );
    const bps = L.format.bytesPerSample;
    const bytes = plan.rows * width * bps;
    let band = spare?.pop();
    if (!band || band.byteLength !== bytes) band = new ArrayBuffer(bytes);
    const fill = info.nodata ?? 0;
    const bandEnd = plan.row0 + plan.rows;
    // A task covers a rectangle of whole blocks (a group of block columns, or of block rows for strips).
    const task = (list: B[], rect: Rect, out?: ArrayBuffer): DecodeTask => {
      const size = list.reduce((t, b) => t + b.len, 0);
      const comp = new Uint8Array(size);
      const arr = new Float64Array(list.length * BLOCK_FIELDS);
      let pos = 0;
      list.forEach((b, i) => {
        comp.set(compBytes.subarray(b.pos, b.pos + b.len), pos);
        arr.set([pos, b.len, b.row0, b.col0, b.rows, b.idx], i * BLOCK_FIELDS);
        pos += b.len;
      });
      return {
        comp: comp.buffer,
        out,
        fmt: L.format,
        dtype: info.dtype,
        blockWidth: L.blockWidth,
        bandRow0: rect.row0,
        bandRows: rect.rows,
        winCol0: rect.col0,
        winWidth: rect.width,
        sparseFill: fill,
        blocks: arr,
      };
    };
    let failures: (BlockFailure | null)[];
    if (blocks.length === 0) {
      failures = []; // no hinted cell in these rows
    } else if (!this.pool) {
      failures = [(await decodeTask(task(blocks, { row0: plan.row0, rows: plan.rows, col0, width }, band))).failure];
    } else {
      const groups = groupBlocks(blocks, this.threads * 2, bc1 - bc0 > 1 ? 'col0' : 'row0');
      const results = await Promise.all(
        groups.map(async (g) => {
          const r0 = Math.max(g[0].row0, plan.row0),
            r1 = Math.min(g[g.length - 1].row0 + g[g.length - 1].rows, bandEnd);
          const c0 = Math.max(Math.min(...g.map((b) => b.col0)), col0);
          const c1 = Math.min(Math.max(...g.map((b) => b.col0)) + L.blockWidth, col0 + width);
          const rect = { row0: r0, rows: r1 - r0, col0: c0, width: c1 - c0 };
          const res = await this.pool!.run(task(g, rect));
          if (!res.failure) copyRect(res.out, rect, band, plan.row0, col0, width, bps);
          return res.failure;
        }),
      );
      failures = results;
    }
    const f = failures.find((x) => x !== null);
    if (f) {
      throw new NtlError(
        `corrupt ${info.compression === 'none' ? 'uncompressed' : info.compression.toUpperCase()} data in ${this.blockName(f.row0, f.col0)} of ${info.path} (${f.detail}). ` +
          'The file is damaged; fetch or write it again (gdalinfo -checksum shows which blocks fail).',
      );
    }
    return { row0: plan.row0, rows: plan.rows, col0, width, data: typedView(info.dtype, band) };
  }

  private blockName(row0: number, col0: number): string {
    const L = this.layout;
    const r = row0 / L.blockHeight,
      c = col0 / L.blockWidth;
    return this.info.tiled ? `tile (${r},${c})` : `strip ${r}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool?.release();
    await this.closeHandle();
  }
}

/** Which block columns in [bc0, bc1) some rectangle meeting rows [r0, r1) touches (null: no hint, all). */
function wantedBlockColumns(rects: readonly CellRect[] | undefined, r0: number, r1: number, blockWidth: number, bc0: number, bc1: number): Uint8Array | null {
  if (!rects) return null;
  const wanted = new Uint8Array(bc1 - bc0);
  for (const c of rects) {
    if (c.row0 >= r1 || c.row1 <= r0) continue;
    const from = Math.max(Math.floor(c.col0 / blockWidth), bc0),
      to = Math.min(Math.ceil(c.col1 / blockWidth), bc1);
    for (let bc = from; bc < to; bc++) wanted[bc - bc0] = 1;
  }
  return wanted;
}

interface Rect {
  readonly row0: number;
  readonly rows: number;
  readonly col0: number;
  readonly width: number;
}

/** Copy a task's rectangle into the band buffer (one set() per row, or one in all when widths match). */
function copyRect(src: ArrayBuffer, rect: Rect, band: ArrayBuffer, bandRow0: number, bandCol0: number, bandWidth: number, bps: number): void {
  const s = new Uint8Array(src),
    d = new Uint8Array(band);
  const rowBytes = rect.width * bps;
  const dstRowBytes = bandWidth * bps;
  const dst0 = (rect.row0 - bandRow0) * dstRowBytes + (rect.col0 - bandCol0) * bps;
  if (rect.width === bandWidth) {
    d.set(s.subarray(0, rect.rows * rowBytes), dst0);
    return;
  }
  for (let r = 0; r < rect.rows; r++) d.set(s.subarray(r * rowBytes, (r + 1) * rowBytes), dst0 + r * dstRowBytes);
}

/**
 * Group blocks into at most n groups of about equal compressed size, each a contiguous run of block
 * columns (key 'col0', several tiles across) or block rows (key 'row0', strips), so each group's output
 * is a rectangle.
 */
function groupBlocks<T extends { len: number; row0: number; col0: number }>(blocks: T[], n: number, key: 'row0' | 'col0'): T[][] {
  const byKey = new Map<number, T[]>();
  for (const b of blocks) {
    const k = b[key];
    const list = byKey.get(k);
    if (list) list.push(b);
    else byKey.set(k, [b]);
  }
  const lines = [...byKey.keys()].sort((a, b) => a - b).map((k) => byKey.get(k)!);
  if (lines.length <= 1 || n <= 1) return [lines.flat()];
  const weight = (l: T[]) => l.reduce((s, b) => s + b.len + 1, 0);
  const total = lines.reduce((s, l) => s + weight(l), 0);
  const per = total / Math.min(n, lines.length);
  const groups: T[][] = [];
  let cur: T[] = [];
  let acc = 0;
  for (const l of lines) {
    cur.push(...l);
    acc += weight(l);
    if (acc >= per * (groups.length + 1) && groups.length < n - 1) {
      groups.push(cur);
      cur = [];
    }
  }
  if (cur.length) groups.push(cur);
  // keep row-major block order inside a group so row0 of first/last block bounds the rows
  for (const g of groups) g.sort((a, b) => a.row0 - b.row0 || a.col0 - b.col0);
  return groups;
}

/**
 * Open band `opts.band` of a GeoTIFF for streaming: a file path, or an http(s) URL read in place with range
 * requests (only the header and the blocks the caller's windows need are fetched; see http-source.ts).
 */
export async function openRaster(path: string, opts: OpenRasterOptions = {}): Promise<RasterSource> {
  const src = await openByteSource(path, opts.remote);
  try {
    const { info, layout } = await readHeader(src, opts.band ?? 1);
    const threads = opts.threads ?? defaultThreads();
    return new GeoTiffSource(info, layout, src, Math.max(0, Math.floor(threads)), opts.bandPixels ?? 1 << 20);
  } catch (e) {
    await src.close();
    throw e;
  }
}

/**
 * Every band of a multi-band file (or the listed 1-based bands), as one source per band sharing one file handle,
 * to be read in lock-step (same block layout, so the same row bands). Each source aims at bands of about
 * 2^22 / (number of bands) pixels, so all bands together hold about as much as one single-band source.
 * For band-interleaved (planar) files each band decodes only its own blocks; for pixel-interleaved files
 * every band decodes the shared blocks again.
 */
export async function openRasterBands(
  path: string,
  opts: { readonly bands?: readonly number[]; readonly threads?: number; readonly remote?: RemoteOptions } = {},
): Promise<RasterSource[]> {
  const src = await openByteSource(path, opts.remote);
  const sources: RasterSource[] = [];
  let open = Infinity;
  try {
    const ifd = await readFirstIfd(src);
    const first = await readHeader(src, 1, ifd);
    const list = opts.bands ?? Array.from({ length: first.info.bandCount }, (_, i) => i + 1);
    const threads = Math.max(0, Math.floor(opts.threads ?? defaultThreads()));
    const bandPixels = Math.max(1 << 14, Math.floor((1 << 22) / Math.max(1, list.length)));
    open = list.length;
    const closeHandle = async () => {
      if (--open === 0) await src.close();
    };
    for (const b of list) {
      const { info, layout } = b === 1 ? first : await readHeader(src, b, ifd);
      sources.push(new GeoTiffSource(info, layout, src, threads, bandPixels, closeHandle));
    }
    return sources;
  } catch (e) {
    open = Infinity; // the handle is closed here, not by the sources
    for (const s of sources) await s.close();
    await src.close();
    throw e;
  }
}

export type { PixelDtype };
