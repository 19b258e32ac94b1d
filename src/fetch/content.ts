/**
 * Is a downloaded file what its manifest entry says it is? A server that wants a login often answers 200 with
 * an HTML page (whatever its Content-Type); saved as payload.tif and hashed, that page would be recorded as
 * data. Before a download is moved into place (or a file on disk is recorded) its first bytes are compared with
 * the type the entry implies: an HTML page is always refused, naming the token variables; a file of another
 * type is refused naming what it looks like.
 *
 * Expected type: by the file name's extension (.tif GeoTIFF/BigTIFF, .gz, .tar, .zip, shapefile parts, .h5,
 * .nc, text formats), else by kind (raster → GeoTIFF, table → text); boundaries and unknown extensions are
 * checked for HTML only.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { TOKEN_ENV, TOKEN_FILE_ENV, TOKEN_HOSTS_ENV } from './token.js';

export type ContentType = 'geotiff' | 'gzip' | 'tar' | 'zip' | 'shp' | 'dbf' | 'hdf5' | 'netcdf' | 'text';

const DESCRIBE: Record<ContentType, string> = {
  geotiff: 'a GeoTIFF',
  gzip: 'gzip data',
  tar: 'a tar archive',
  zip: 'a zip archive',
  shp: 'a shapefile part (.shp/.shx)',
  dbf: 'a dBASE table (.dbf)',
  hdf5: 'an HDF5 file',
  netcdf: 'a NetCDF file',
  text: 'text',
};

const BY_EXTENSION: Record<string, ContentType> = {
  '.tif': 'geotiff',
  '.tiff': 'geotiff',
  '.gtiff': 'geotiff',
  '.gz': 'gzip',
  '.tgz': 'gzip',
  '.tar': 'tar',
  '.zip': 'zip',
  '.shp': 'shp',
  '.shx': 'shp',
  '.dbf': 'dbf',
  '.h5': 'hdf5',
  '.hdf5': 'hdf5',
  '.he5': 'hdf5',
  '.nc': 'netcdf',
  '.nc4': 'netcdf',
  '.cdf': 'netcdf',
  '.csv': 'text',
  '.tsv': 'text',
  '.txt': 'text',
  '.yaml': 'text',
  '.yml': 'text',
  '.json': 'text',
  '.geojson': 'text',
  '.prj': 'text',
  '.cpg': 'text',
  '.qpj': 'text',
  '.vrt': 'text',
  '.tfw': 'text',
  '.md': 'text',
};

/** The type a file should have, from its name, else from the entry kind; null: only the HTML check applies. */
export function expectedContent(path: string, kind?: string): ContentType | null {
  const byExt = BY_EXTENSION[extname(path).toLowerCase()];
  if (byExt) return byExt;
  if (kind === 'raster') return 'geotiff'; // the only raster format the pipeline reads
  if (kind === 'table') return 'text';
  return null;
}

/** What a download must be before unpacking: gzip for gz / tar+gz-with-gzipped-tar, a tar (or gzipped tar) for tar. */
export function expectedDownload(mode: string): ContentType[] | null {
  if (mode === 'gz') return ['gzip'];
  if (mode === 'tar' || mode === 'tar+gz') return ['tar', 'gzip'];
  return null;
}

const HEAD_BYTES = 1024;

export async function readHead(file: string, n = HEAD_BYTES): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** An HTML page: <!doctype html or <html near the start, after a BOM, whitespace, an XML prolog and comments. */
export function looksLikeHtml(head: Buffer): boolean {
  let t = head.toString('latin1');
  if (t.startsWith('\u00ef\u00bb\u00bf')) t = t.slice(3);
  t = t.replace(/^\s+/, '');
  for (let i = 0; i < 8; i++) {
    const before = t;
    t = t.replace(/^<\?xml[^>]*\?>\s*/i, '').replace(/^<!--[\s\S]*?-->\s*/, '');
    if (t === before) break;
  }
  return /^<!doctype\s+html/i.test(t) || /^<(html|head|body)[\s>]/i.test(t);
}

const DBF_VERSIONS = new Set([0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x7b, 0x83, 0x8b, 0x8e, 0xcb, 0xf5, 0xfb, 0xe5]);

/** Valid UTF-8, allowing a sequence cut off at the end of the sample. */
function validUtf8(b: Buffer): boolean {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return false;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return true; // cut off by the sample
      if ((b[i + k]! & 0xc0) !== 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

/** Does the sample match the type? (`encoding`: a declared non-UTF-8 text encoding, e.g. gbk.) */
export function matches(head: Buffer, type: ContentType, encoding?: string): boolean {
  const at = (s: string, pos = 0) => head.length >= pos + s.length && head.subarray(pos, pos + s.length).toString('latin1') === s;
  switch (type) {
    case 'geotiff':
      return at('II*\0') || at('MM\0*') || at('II+\0') || at('MM\0+');
    case 'gzip':
      return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    case 'tar':
      return at('ustar', 257);
    case 'zip':
      return at('PK\x03\x04') || at('PK\x05\x06');
    case 'shp':
      return head.length >= 4 && head.readUInt32BE(0) === 0x0000270a;
    case 'dbf':
      return head.length >= 1 && DBF_VERSIONS.has(head[0]!);
    case 'hdf5':
      return at('\x89HDF\r\n\x1a\n');
    case 'netcdf':
      return at('CDF\x01') || at('CDF\x02') || at('CDF\x05') || at('\x89HDF\r\n\x1a\n'); // NetCDF-4 is HDF5
    case 'text': {
      if (head.includes(0)) return false;
      const declared = encoding?.toLowerCase().replace(/[-_]/g, '');
      return declared !== undefined && declared !== 'utf8' ? true : validUtf8(head);
    }
  }
}

/** What the sample looks like, for the message. */
export function sniff(head: Buffer): string {
  for (const t of ['geotiff', 'gzip', 'tar', 'zip', 'shp', 'hdf5', 'netcdf'] as const) if (matches(head, t)) return DESCRIBE[t];
  if (head.length === 0) return 'empty';
  if (matches(head, 'text')) return `text starting "${head.subarray(0, 40).toString('utf8').replace(/\s+/g, ' ').trim()}"`;
  return `binary data starting ${head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim()}`;
}

export interface ContentCheck {
  /** Names the entry in messages. */
  readonly label: string;
  /** The url it came from (already stripped of credentials), if downloaded. */
  readonly from?: string;
  /** The types accepted (any of them); null or empty: only the HTML check. */
  readonly expect: readonly ContentType[] | null;
  readonly encoding?: string;
  /** What the file is called in the message ("the download", "the file on disk"). */
  readonly what: string;
  /** Appended to the message: what happened to the file. */
  readonly outcome: string;
}

/** Throws when `file` is an HTML page or not of the expected type. */
export async function checkContent(file: string, c: ContentCheck): Promise<void> {
  const head = await readHead(file);
  if (looksLikeHtml(head)) {
    throw new NtlError(
      `fetch ${c.label}: ${c.what}${c.from ? ` from ${c.from}` : ''} is an HTML page, not the file; ${c.outcome}. The server probably wants a login or a token: ` +
        `for EOG downloads set ${TOKEN_ENV}=<token> or ${TOKEN_FILE_ENV}=<file holding it> (the token goes only to eogdata.mines.edu over https, ` +
        `and to hosts listed in ${TOKEN_HOSTS_ENV}); if the url is a landing page, mark the entry \`download: manual\` or point url at the file itself`,
    );
  }
  const expect = c.expect ?? [];
  if (expect.length === 0 || expect.some((t) => matches(head, t, c.encoding))) return;
  throw new NtlError(
    `fetch ${c.label}: ${c.what}${c.from ? ` from ${c.from}` : ''} is not ${expect.map((t) => DESCRIBE[t]).join(' or ')} as the entry says (it looks like ${sniff(head)}); ${c.outcome}. ` +
      "Check the entry's url (and unpack / archive_member), or its path's extension if the file is right",
  );
}
