/**
 * Stream one member out of a ustar / GNU / pax tar archive.
 *
 * Hand-written (about 150 lines) rather than a dependency: we only ever need "find member X and stream
 * its bytes", the format is fixed-size 512-byte headers, and owning the parser lets every header be
 * checked before anything is read out of it — unsafe names (absolute, '..') and links are refused, long
 * names and pax records are size-capped, and a member's declared size is checked against the limit
 * before a byte of it is unpacked. Nothing is ever extracted by its archive name: the caller chooses
 * where the one member's bytes go.
 */
import { NtlError } from '../errors.js';

const BLOCK = 512;
/** GNU long names and pax headers are small; a huge one is an attack or corruption. */
const MAX_META = 1 << 20;

export interface TarOptions {
  /** Names the archive in messages. */
  readonly archive: string;
  /** Refuse a member that declares more bytes than this. */
  readonly maxMemberBytes: number;
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  private done = false;
  constructor(src: AsyncIterable<Buffer | Uint8Array>) {
    this.it = (async function* () {
      for await (const c of src) yield Buffer.isBuffer(c) ? c : Buffer.from(c);
    })();
  }
  private async fill(n: number): Promise<void> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf = this.buf.length === 0 ? r.value : Buffer.concat([this.buf, r.value]);
    }
  }
  /** Exactly n bytes, or fewer at the end of the stream. */
  async take(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }
  /** Up to n bytes (at least 1 unless the stream ended): lets data flow without buffering a whole member. */
  async some(n: number): Promise<Buffer> {
    await this.fill(1);
    const out = this.buf.subarray(0, Math.min(n, this.buf.length));
    this.buf = this.buf.subarray(out.length);
    return out;
  }
}

interface Header {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}

function cstr(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? len : end).toString('utf8');
}

function parseNumber(b: Buffer, off: number, len: number): number {
  if (b[off] & 0x80) {
    // GNU base-256 for sizes ≥ 8 GiB
    let v = b[off] & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i];
    return v;
  }
  const t = cstr(b, off, len).trim();
  return t === '' ? 0 : /^[0-7]+$/.test(t) ? parseInt(t, 8) : NaN;
}

function parseHeader(b: Buffer, archive: string): Header | null {
  if (b.every((x) => x === 0)) return null;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : b[i];
  const recorded = parseNumber(b, 148, 8);
  if (recorded !== sum) throw new NtlError(`${archive} is not a tar archive or is corrupt (header checksum mismatch); download it again`);
  const magic = b.subarray(257, 263).toString('latin1');
  let name = cstr(b, 0, 100);
  if (magic.startsWith('ustar')) {
    const prefix = cstr(b, 345, 155);
    if (prefix !== '' && magic === 'ustar\0') name = `${prefix}/${name}`;
  }
  const size = parseNumber(b, 124, 12);
  if (!Number.isSafeInteger(size) || size < 0) throw new NtlError(`${archive}: member '${name}' has an unreadable size field; the archive is corrupt`);
  return { name, size, type: String.fromCharCode(b[156] || 0x30) };
}

/** Normalise a member name; null when it could write outside a folder it were extracted to. */
export function safeMemberName(name: string): string | null {
  const n = name.replace(/^(\.\/)+/, '');
  if (n === '' || n.includes('\0') || /^([/\\]|[A-Za-z]:)/.test(n)) return null;
  if (n.split(/[/\\]/).includes('..')) return null;
  return n.replace(/\/+$/, '');
}

/** pax records "len key=value\n"; we use path and size. */
function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = Number(data.subarray(pos, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) break;
    const rec = data.subarray(sp + 1, pos + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    pos += len;
  }
  return out;
}

/**
 * Yield the bytes of `member`. Every header on the way is checked; a missing member, an unsafe name, a
 * link in place of the member or a size over the limit is one NtlError.
 */
export async function* tarMember(src: AsyncIterable<Buffer | Uint8Array>, member: string, o: TarOptions): AsyncGenerator<Buffer> {
  const r = new ByteReader(src);
  const want = safeMemberName(member);
  const seen: string[] = [];
  let longName: string | undefined;
  let pax = new Map<string, string>();
  for (;;) {
    const block = await r.take(BLOCK);
    if (block.length === 0) break; // some writers omit the two zero blocks
    if (block.length < BLOCK) throw new NtlError(`${o.archive} ends in the middle of a tar header: the download is truncated; fetch it again`);
    const h = parseHeader(block, o.archive);
    if (h === null) break;
    const padded = Math.ceil(h.size / BLOCK) * BLOCK;
    if (h.type === 'L' || h.type === 'x' || h.type === 'g' || h.type === 'K') {
      if (h.size > MAX_META)
        throw new NtlError(`${o.archive}: a tar metadata record declares ${h.size} bytes; the archive is corrupt or malicious — refusing it`);
      const data = await r.take(padded);
      if (data.length < padded) throw truncated(o.archive);
      if (h.type === 'L') longName = cstr(data, 0, h.size);
      else if (h.type === 'x') pax = parsePax(data.subarray(0, h.size));
      continue;
    }
    const rawName = pax.get('path') ?? longName ?? h.name;
    const size = pax.has('size') ? Number(pax.get('size')) : h.size;
    const paddedSize = Math.ceil(size / BLOCK) * BLOCK;
    longName = undefined;
    pax = new Map();
    const name = safeMemberName(rawName);
    if (name === null) {
      throw new NtlError(`${o.archive} contains an unsafe member '${rawName}' (absolute path or '..': path traversal); refusing to unpack it`);
    }
    const isFile = h.type === '0' || h.type === '7' || h.type === '\0';
    if (name === want) {
      if (h.type === '1' || h.type === '2') {
        throw new NtlError(
          `${o.archive}: member '${member}' is a ${h.type === '2' ? 'symbolic' : 'hard'} link, not a file; refusing it (links in archives can point anywhere)`,
        );
      }
      if (!isFile) throw new NtlError(`${o.archive}: member '${member}' is not a regular file (tar type '${h.type}')`);
      if (!Number.isSafeInteger(size) || size > o.maxMemberBytes) {
        throw new NtlError(
          `${o.archive}: member '${member}' declares ${size} bytes, more than the limit of ${o.maxMemberBytes}; refusing it (raise --max-size if it is really that large)`,
        );
      }
      let left = size;
      while (left > 0) {
        const chunk = await r.some(Math.min(left, 1 << 20));
        if (chunk.length === 0) throw truncated(o.archive);
        left -= chunk.length;
        yield chunk;
      }
      return;
    }
    if (isFile && seen.length < 20) seen.push(name);
    let skip = isFile || h.type === '5' ? paddedSize : Math.ceil(h.size / BLOCK) * BLOCK;
    while (skip > 0) {
      const chunk = await r.some(Math.min(skip, 1 << 20));
      if (chunk.length === 0) throw truncated(o.archive);
      skip -= chunk.length;
    }
  }
  throw new NtlError(
    `${o.archive} has no member '${member}'${seen.length > 0 ? ` (it holds ${seen.join(', ')}${seen.length === 20 ? ', …' : ''})` : ''}; check archive_member in the manifest`,
  );
}

function truncated(archive: string): NtlError {
  return new NtlError(`${archive} is truncated (the tar data ends early); delete it and fetch again`);
}
