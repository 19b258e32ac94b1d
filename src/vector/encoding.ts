/**
 * Text encodings of DBF files: what a .cpg or --encoding names, and guessing when nothing does.
 */
import iconv from 'iconv-lite';
import { NtlError } from '../errors.js';

/** iconv-lite name for a .cpg / --encoding value ("UTF-8", "936", "CP936", "GBK", "1252", "ANSI 1252"...). */
export function normaliseEncoding(name: string): string | null {
  const t = name.trim().replace(/^ANSI\s*/i, '').toLowerCase().replace(/[\s_]/g, '');
  if (t === '') return null;
  if (t === 'utf8' || t === 'utf-8' || t === '65001') return 'utf-8';
  // GB18030 is a superset of GBK/CP936/GB2312: decoding with it never loses a GBK character.
  if (['936', 'cp936', 'gbk', 'gb2312', 'gb18030', '54936', 'euc-cn', 'ms936', 'windows-936'].includes(t)) return 'gb18030';
  if (/^\d{3,5}$/.test(t)) return iconv.encodingExists(`cp${t}`) ? `cp${t}` : null;
  if (t === '88591' || t === 'latin1') return 'latin1';
  const iso = /^8859(\d{1,2})$/.exec(t);
  if (iso) return `iso-8859-${iso[1]}`;
  return iconv.encodingExists(t) ? t : null;
}

export function decodeBytes(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return utf8.decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** DBF language driver ids that mean Chinese GBK (CP936). */
const LDID_GBK = new Set([0x4d, 0x7a]);

/**
 * Guess the encoding of a DBF's text bytes (all character fields concatenated) when neither a .cpg nor
 * --encoding says: valid UTF-8 → UTF-8; the language driver says CP936, or the bytes decode as GBK into
 * mostly CJK text → GBK; otherwise give up with an error naming the file.
 */
export function detectEncoding(text: Uint8Array, ldid: number, file: string): string {
  if (isValidUtf8(text)) return 'utf-8';
  if (LDID_GBK.has(ldid)) return 'gb18030';
  if (looksLikeGbk(text)) return 'gb18030';
  throw new NtlError(
    `cannot tell the text encoding of ${file} (no .cpg file, not UTF-8, not recognisably GBK); ` +
      'pass --encoding gbk|utf-8|cp1252|... (or add a .cpg file naming it)',
  );
}

/** GBK-decoded non-ASCII text that is ≥ 90 % CJK ideographs/punctuation and has no undecodable bytes. */
function looksLikeGbk(bytes: Uint8Array): boolean {
  const s = decodeBytes(bytes, 'gb18030');
  let nonAscii = 0;
  let cjk = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) continue;
    if (c === 0xfffd) return false;
    nonAscii++;
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3400 && c <= 0x4dbf)) cjk++;
  }
  return nonAscii > 0 && cjk >= 0.9 * nonAscii;
}
