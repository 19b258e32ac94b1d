/**
 * Where a raster's bytes come from. The TIFF parser (tiff-ifd.ts) and the block reader (open.ts) read only
 * through a ByteSource: a local file (this module: exactly the FileHandle reads the reader always did) or an
 * HTTP(S) URL read with range requests (http-source.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { NtlError } from '../errors.js';

export interface ByteSource {
  /** How messages name the raster: the path as given, or the URL without credentials or query. */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /**
   * true when every read costs a network round trip: the block reader then fetches only the blocks the
   * caller's cells need (BandWindow.cells) and coalesces ranges by `coalesce` below.
   */
  readonly remote: boolean;
  /** Block ranges closer than `gap` bytes are read as one range, up to `maxRun` bytes per range. */
  readonly coalesce: { readonly gap: number; readonly maxRun: number };
  /**
   * Exactly `length` bytes from `offset`; `what` names them in errors ("the image directory", "blocks at byte
   * 956"). `meta`: header or tag data (a remote source reads ahead, as the next metadata read is usually near).
   */
  read(offset: number, length: number, what: string, meta?: boolean): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A local file read through a node FileHandle. */
export class FileByteSource implements ByteSource {
  readonly remote = false;
  readonly coalesce = { gap: 256 * 1024, maxRun: Infinity };

  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly fh: FileHandle,
  ) {}

  /** Open `path` for reading (`name` names it in messages); missing files and folders are NtlErrors that say what to check. */
  static async open(path: string, name = path): Promise<FileByteSource> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw openError(path, e);
    }
    try {
      const st = await fh.stat();
      if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      return new FileByteSource(name, st.size, fh);
    } catch (e) {
      await fh.close();
      throw openError(path, e);
    }
  }

  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.fh.read(buf, got, length - got, offset + got);
      if (bytesRead === 0) {
        throw new NtlError(
          `${this.name}: file is truncated: ${what} needs bytes ${offset}..${offset + length} but the file ends at byte ${offset + got}. ` +
            'The download or export is incomplete; fetch or write the file again.',
        );
      }
      got += bytesRead;
    }
    return buf;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

function openError(path: string, e: unknown): NtlError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new NtlError(`raster file not found: ${path}. Check the path (relative paths start from ${process.cwd()}).`);
  if (code === 'EISDIR') return new NtlError(`${path} is a directory, not a raster file.`);
  return new NtlError(`cannot open raster ${path}: ${(e as Error).message}`);
}

/** Is this raster name an http(s) URL (read in place) rather than a file path? */
export function isRemoteRaster(name: string): boolean {
  return /^https?:\/\//i.test(name);
}

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * Merge ranges (any order) whose gap is at most `gap` bytes into runs of at most `maxRun` bytes (a single range
 * longer than maxRun stays one run). Each input range lies inside exactly one run; returns the runs in file
 * order and, per input range, its run index.
 */
export function coalesceRanges(ranges: readonly ByteRange[], gap: number, maxRun: number): { runs: ByteRange[]; runOf: number[] } {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.offset - ranges[b]!.offset);
  const runs: { offset: number; end: number }[] = [];
  const runOf = new Array<number>(ranges.length);
  for (const i of order) {
    const r = ranges[i]!;
    const end = r.offset + r.length;
    const run = runs[runs.length - 1];
    if (run && r.offset - run.end <= gap && Math.max(run.end, end) - run.offset <= maxRun) {
      run.end = Math.max(run.end, end);
    } else {
      runs.push({ offset: r.offset, end });
    }
    runOf[i] = runs.length - 1;
  }
  return { runs: runs.map((r) => ({ offset: r.offset, length: r.end - r.offset })), runOf };
}
