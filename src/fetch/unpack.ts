/**
 * Download → the file the manifest names: gunzip and/or take one tar member, while hashing and counting
 * the bytes, with a hard cap on the unpacked size (a small .gz can expand to terabytes). The result goes
 * to a temporary file that the caller verifies and renames; nothing here touches the final path.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { NtlError } from '../errors.js';
import type { UnpackMode } from '../manifest/schema.js';
import { tarMember } from './tar.js';

export interface UnpackResult {
  readonly size: number;
  readonly sha256: string;
}

export interface UnpackOptions {
  readonly mode: UnpackMode;
  readonly member?: string;
  /** Stop as soon as the output passes this many bytes (the recorded size, or --max-size). */
  readonly maxBytes: number;
  /** Why the limit is what it is, for the message. */
  readonly limitReason: string;
  /** Names the download in messages. */
  readonly label: string;
}

/** The unpack steps implied by names when the manifest does not say (`unpack:`). */
export function inferUnpack(url: string | undefined, member: string | undefined): UnpackMode {
  const u = (url ?? '').toLowerCase().replace(/[?#].*$/, '');
  const isTar = member !== undefined || /\.(tar|tar\.gz|tgz)$/.test(u);
  if (isTar) return member !== undefined && /\.gz$/i.test(member) ? 'tar+gz' : 'tar';
  return u.endsWith('.gz') ? 'gz' : 'none';
}

/** Hash (and, for 'none', nothing else) a file as it is. */
export async function hashFile(file: string): Promise<UnpackResult> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(c as Buffer);
    size += (c as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

export async function unpackTo(download: string, out: string, o: UnpackOptions): Promise<UnpackResult> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _e, done) {
      size += chunk.length;
      if (size > o.maxBytes) {
        return done(
          new NtlError(
            `fetch ${o.label}: unpacking gives more than ${o.maxBytes} bytes (${o.limitReason}); refusing it — a corrupt or malicious archive (decompression bomb) or a wrong manifest entry`,
          ),
        );
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const gz = await startsWithGzip(download);
  const stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[] = [];
  const raw = createReadStream(download, { highWaterMark: 1 << 20 });
  if (o.mode === 'gz') {
    if (!gz)
      throw new NtlError(
        `fetch ${o.label}: the download is not gzip data although the manifest says .gz; the server may have sent an error page — check the url`,
      );
    stages.push(raw, createGunzip());
  } else if (o.mode === 'tar' || o.mode === 'tar+gz') {
    if (o.member === undefined)
      throw new NtlError(`fetch ${o.label}: the download is a tar archive; name the file inside it with archive_member in the manifest`);
    const tarBytes: AsyncIterable<Buffer> = gz ? raw.pipe(createGunzip()) : raw;
    stages.push(Readable.from(tarMember(tarBytes, o.member, { archive: o.label, maxMemberBytes: o.mode === 'tar' ? o.maxBytes : Number.MAX_SAFE_INTEGER })));
    if (o.mode === 'tar+gz') stages.push(createGunzip());
  } else {
    stages.push(raw);
  }
  try {
    await pipeline([...stages, meter, createWriteStream(out)]);
  } catch (e) {
    if (e instanceof NtlError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) throw new NtlError(`fetch ${o.label}: the gzip data is corrupt (${code}); delete the download and fetch it again`);
    if (code === 'ENOSPC') throw new NtlError(`fetch ${o.label}: the disk is full while unpacking; free space and run again (the download is kept)`);
    throw new NtlError(`fetch ${o.label}: cannot unpack the download: ${(e as Error).message}`);
  }
  return { size, sha256: hash.digest('hex') };
}

async function startsWithGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}
