/**
 * Text encodings of DBF files: what a .cpg, --encoding or the language-driver byte names, and deciding from
 * the bytes when nothing does — without ever producing mojibake silently.
 *
 * Decision (decideEncoding):
 *  1. --encoding / the manifest's `encoding`, else the .cpg file: used as given.
 *  2. The language-driver byte (LDID, header byte 29) when it names a code page (ldidEncoding, the table GDAL
 *     uses): used as given. 0x57 ("current ANSI code page" — the writer's Windows code page, read by GDAL as
 *     ISO-8859-1) is only a hint for Windows-1252: clear evidence for another code page wins, with a warning.
 *  3. No text byte ≥ 0x80: ASCII, nothing to decide. All text valid UTF-8: UTF-8.
 *  4. Otherwise every candidate code page (CANDIDATES) decodes every distinct non-ASCII value (field names
 *     included). A candidate is out if any value does not decode (undecodable/unmapped bytes, C1 controls,
 *     private-use characters). Each remaining value is judged plausible or not (judgeText): letters of unrelated
 *     scripts within one word, symbols glued to letters, case flipping inside a word, runs of accented letters,
 *     and characters that real text in that code page rarely uses (outside GB2312 / Big5 level 1 / JIS level 1 /
 *     KS X 1001 Hangul). The candidate with the fewest implausible values wins only if it is nearly clean and
 *     every other candidate is clearly worse (isClearWinner); it is then named in one warning. Otherwise an
 *     error asks for --encoding and shows the first offending value in each candidate decoding.
 *  A declared encoding (1, 2) whose text does not decode is an error; one whose text reads as implausible where
 *  another code page reads cleanly keeps the declared encoding but warns.
 */
import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import { NtlError } from '../errors.js';

// iconv-lite is required on first use, not imported: UTF-8 and ASCII files (most) never need it, and loading it
// would cost every `ntl zonal` start.
const require = createRequire(import.meta.url);
let iconvLib: typeof Iconv | undefined;
const iconv = (): typeof Iconv => (iconvLib ??= require('iconv-lite') as typeof Iconv);

/** iconv-lite name for a .cpg / --encoding value ("UTF-8", "936", "CP936", "GBK", "1252", "ANSI 1252"...). */
export function normaliseEncoding(name: string): string | null {
  const t = name
    .trim()
    .replace(/^ANSI\s*/i, '')
    .toLowerCase()
    .replace(/[\s_]/g, '');
  if (t === '') return null;
  if (t === 'utf8' || t === 'utf-8' || t === '65001') return 'utf-8';
  // GB18030 is a superset of GBK/CP936/GB2312: decoding with it never loses a GBK character.
  if (['936', 'cp936', 'gbk', 'gb2312', 'gb18030', '54936', 'euc-cn', 'ms936', 'windows-936'].includes(t)) return 'gb18030';
  if (/^\d{3,5}$/.test(t)) return iconv().encodingExists(`cp${t}`) ? `cp${t}` : null;
  if (t === '88591' || t === 'latin1') return 'latin1';
  const iso = /^8859(\d{1,2})$/.exec(t);
  if (iso) return `iso-8859-${iso[1]}`;
  return iconv().encodingExists(t) ? t : null;
}

export function decodeBytes(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return utf8.decode(bytes);
  // iconv-lite's latin1 is Node's own; decoding it here spares loading iconv-lite's code-page tables (the DBF
  // header's field names are read as latin1 before the encoding is known)
  if (encoding === 'latin1') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
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

/**
 * DBF language driver id → Windows code page, as GDAL reads it (ogrshapelayer.cpp; dBASE/ESRI LDID table).
 * 0x57 (87) is handled apart (see the module comment); ids not listed say nothing.
 */
const LDID_CODEPAGE: Readonly<Record<number, number>> = {
  1: 437,
  2: 850,
  3: 1252,
  8: 865,
  10: 850,
  11: 437,
  13: 437,
  14: 850,
  15: 437,
  16: 850,
  17: 437,
  18: 850,
  19: 932,
  20: 850,
  21: 437,
  22: 850,
  23: 865,
  24: 437,
  25: 437,
  26: 850,
  27: 437,
  28: 863,
  29: 850,
  31: 852,
  34: 852,
  35: 852,
  36: 860,
  37: 850,
  38: 866,
  55: 850,
  64: 852,
  77: 936,
  78: 949,
  79: 950,
  80: 874,
  88: 1252,
  89: 1252,
  100: 852,
  101: 866,
  102: 865,
  103: 861,
  106: 737,
  107: 857,
  108: 863,
  120: 950,
  121: 949,
  122: 936,
  123: 932,
  124: 874,
  134: 737,
  135: 852,
  136: 857,
  200: 1250,
  201: 1251,
  202: 1254,
  203: 1253,
  204: 1257,
};
export const LDID_ANSI = 0x57;

/** The iconv-lite encoding a language driver id names, or null when it names none we can decode. */
export function ldidEncoding(ldid: number): string | null {
  const cp = LDID_CODEPAGE[ldid];
  return cp === undefined ? null : normaliseEncoding(String(cp));
}

/** A code page the detector tries: iconv-lite name, how to write it for --encoding, how to name it to a user. */
interface Candidate {
  readonly name: string;
  readonly flag: string;
  readonly label: string;
  /** How rarely real text in this code page uses a character (decoded from `bytes`): 0 common … 1 rare. */
  readonly rare?: (ch: string, bytes: Buffer) => number | boolean;
}

const isHan = (ch: string): boolean => /\p{Script=Han}/u.test(ch);
/** Kana in Chinese code pages: real Chinese names do not use them, mojibake does. */
const isKana = (ch: string): boolean => /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch);

export const CANDIDATES: readonly Candidate[] = [
  {
    name: 'gb18030',
    flag: 'gbk',
    label: 'GBK',
    // Kana, a four-byte GB18030 sequence or a hanzi outside GB2312 count fully; GB2312 level 2 (D8A1–F7FE) half:
    // level 1 (B0A1–D7F9, the 3,755 frequent hanzi) holds 97.8 % of the hanzi in China's county, prefecture and
    // province names.
    rare: (ch, b) => {
      if (b.length !== 2 || isKana(ch)) return 1;
      if (!isHan(ch)) return 0;
      const lead = b[0] as number,
        trail = b[1] as number;
      if (lead < 0xb0 || lead > 0xf7 || trail < 0xa1) return 1;
      return lead > 0xd7 ? 0.5 : 0;
    },
  },
  {
    name: 'cp950',
    flag: 'big5',
    label: 'Big5',
    // Outside Big5 level 1 (A440–C67E, the 5,401 frequent hanzi).
    rare: (ch, b) =>
      isKana(ch) ||
      (isHan(ch) && (b.length !== 2 || (b[0] as number) < 0xa4 || (b[0] as number) > 0xc6 || ((b[0] as number) === 0xc6 && (b[1] as number) > 0x7e))),
  },
  {
    name: 'shift_jis',
    flag: 'shift_jis',
    label: 'Shift_JIS',
    // Outside JIS level 1 kanji (889F–9872), or half-width katakana (what Chinese bytes mostly turn into).
    rare: (ch, b) => /[\uff61-\uff9f]/u.test(ch) || (isHan(ch) && (b.length !== 2 || (((b[0] as number) << 8) | (b[1] as number)) > 0x9872)),
  },
  {
    name: 'cp949',
    flag: 'cp949',
    label: 'EUC-KR (CP949)',
    // Hanja, or Hangul outside KS X 1001's 2,350 syllables (B0A1–C8FE).
    rare: (ch, b) =>
      isHan(ch) || (/\p{Script=Hangul}/u.test(ch) && (b.length !== 2 || (b[0] as number) < 0xb0 || (b[0] as number) > 0xc8 || (b[1] as number) < 0xa1)),
  },
  { name: 'cp1252', flag: 'cp1252', label: 'Windows-1252 (Latin-1)' },
  { name: 'cp1251', flag: 'cp1251', label: 'Windows-1251 (Cyrillic)' },
  { name: 'cp866', flag: 'cp866', label: 'CP866 (DOS Cyrillic)' },
];

/** One distinct non-ASCII text value of the file, and where it first occurs (for messages). */
export interface TextSample {
  readonly bytes: Uint8Array;
  readonly field: string;
  /** 1-based record number; null when the value is the field's name itself. */
  readonly record: number | null;
}

function whereOf(s: TextSample): string {
  return s.record === null ? 'a field name' : `field "${s.field}", record ${s.record}`;
}

type Verdict = 'ok' | 'odd' | 'invalid';

interface Judged {
  readonly candidate: Candidate;
  invalid: number;
  odd: number;
  firstBad: { text: string; where: string; why: string } | null;
  firstText: { text: string; where: string } | null;
}

/** Word = letters and combining marks; scripts grouped so that Japanese kanji + kana count as one. */
function scriptOf(ch: string): string {
  if (/\p{Script=Latin}/u.test(ch)) return 'Latin';
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch)) return /[\uff61-\uff9f]/u.test(ch) ? 'HalfKana' : 'CJ';
  if (/\p{Script=Hangul}/u.test(ch)) return 'Hangul';
  if (/\p{Script=Cyrillic}/u.test(ch)) return 'Cyrillic';
  if (/\p{Script=Greek}/u.test(ch)) return 'Greek';
  if (/\p{Script=Bopomofo}/u.test(ch)) return 'Bopomofo';
  return 'Other';
}

/** Punctuation that legitimately touches letters on both sides: apostrophes, hyphens and dashes, middle dots. */
const GLUE_BOTH = new Set([...'\u2019\u2018\u2013\u2014\u2015\u00b7\u2010\u2011\u2022\u2027\u30fb']);
/** Opening quotes may precede a word, closing quotes follow one. */
const OPENERS = new Set([...'\u00ab\u201c\u201e\u2039']);
const CLOSERS = new Set([...'\u00bb\u201d\u203a\u2026']);
/** With CJK letters also the CJK punctuation block (、。《》「」【】) and full-width ASCII forms (（）－：). */
const gluesToCjk = (ch: string): boolean => /[\u3000-\u303f\uff01-\uff5e]/u.test(ch);
const CASED = new Set(['Latin', 'Cyrillic', 'Greek']);
const isLetter = (ch: string | undefined): ch is string => ch !== undefined && /[\p{L}\p{M}]/u.test(ch) && ch !== 'ª' && ch !== 'º';
const isUpper = (ch: string): boolean => ch !== ch.toLowerCase() && ch === ch.toUpperCase();
const isLower = (ch: string): boolean => ch !== ch.toUpperCase() && ch === ch.toLowerCase();
const nonAscii = (ch: string): boolean => (ch.codePointAt(0) as number) >= 0x80;

/**
 * Does this decoded value read like real text? 'invalid': it contains what no decoder of real text yields
 * (U+FFFD, C1 controls, private-use characters); 'odd': one of the mojibake signs in the module comment.
 * `rare` marks characters real text in the candidate code page seldom uses.
 */
export function judgeText(text: string, rare?: (ch: string) => number): { verdict: Verdict; why: string } {
  const chars = [...text];
  for (const ch of chars) {
    const c = ch.codePointAt(0) as number;
    if (c === 0xfffd) return { verdict: 'invalid', why: 'undecodable bytes' };
    if (c >= 0x80 && c <= 0x9f) return { verdict: 'invalid', why: 'control characters' };
    if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000) return { verdict: 'invalid', why: 'private-use characters' };
  }
  const odd = (why: string) => ({ verdict: 'odd' as const, why });
  let latinRun = 0,
    high = 0,
    rareCount = 0,
    asciiLetters = 0,
    highLatin = 0;
  let firstRare: string | null = null;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (!nonAscii(ch)) {
      latinRun = 0;
      if (/[A-Za-z]/.test(ch)) asciiLetters++;
      continue;
    }
    high++;
    const r = rare?.(ch) ?? 0;
    if (r > 0) {
      rareCount += r;
      firstRare ??= ch;
    }
    const c = ch.codePointAt(0) as number;
    if ((c >= 0x2500 && c <= 0x25ff) || /\p{Cf}/u.test(ch)) return odd(`the character "${ch}" (U+${c.toString(16).toUpperCase()})`);
    if (!isLetter(ch)) {
      latinRun = 0;
      if (!/[\p{S}\p{P}\p{No}]/u.test(ch) && ch !== 'ª' && ch !== 'º') continue;
      // A symbol glued to a letter: "Ch¨¢ngsh¨¡", "ºþÄÏ", "Л«ВР"; CJK punctuation next to CJK letters is fine.
      const prev = chars[i - 1],
        next = chars[i + 1];
      for (const [n, side] of [
        [prev, 'before'],
        [next, 'after'],
      ] as const) {
        if (!isLetter(n)) continue;
        if (GLUE_BOTH.has(ch) || (side === 'after' && OPENERS.has(ch)) || (side === 'before' && CLOSERS.has(ch))) continue;
        if (!CASED.has(scriptOf(n)) && gluesToCjk(ch)) continue;
        return odd(`the symbol "${ch}" glued to a letter`);
      }
      continue;
    }
    if (scriptOf(ch) === 'Latin') {
      highLatin++;
      // Three or more accented Latin letters in a row ("ÌîñêâÀ").
      if (++latinRun >= 3) return odd('a run of accented letters');
    } else latinRun = 0;
  }
  // Latin text always has plain letters between its accented ones ("ÀÈ·»ÊÐ" has none).
  if (highLatin >= 2 && asciiLetters === 0) return odd('accented letters with no plain letter');
  // Mostly characters that real text in this code page seldom uses (one rare hanzi in a name is normal).
  if (rareCount > 0 && 2 * rareCount >= high) return odd(`the rarely used character "${firstRare}"`);
  // Words: maximal runs of letters and marks.
  for (const word of text.match(/[\p{L}\p{M}]+/gu) ?? []) {
    const letters = [...word].filter((ch) => !/\p{M}/u.test(ch));
    if (!letters.some(nonAscii)) continue;
    const scripts = letters.map(scriptOf);
    let switches = 0;
    for (let i = 1; i < scripts.length; i++) if (scripts[i] !== scripts[i - 1]) switches++;
    const kinds = new Set(scripts);
    if (kinds.size > 1) {
      // One switch between Latin and Han ("A区", "Chángshā长沙") is real; anything else within a word is not.
      const latinHan = kinds.size === 2 && kinds.has('Latin') && kinds.has('CJ') && switches === 1;
      if (!latinHan) return odd(`letters of different scripts in "${word}"`);
    }
    // Case flipping inside a word: lower → upper ("єюДПК", "ChÐng"), or UPPER UPPER → lower ("ГЬФЖЗш").
    for (let i = 1; i < letters.length; i++) {
      const a = letters[i - 1] as string,
        b = letters[i] as string;
      if (!CASED.has(scriptOf(a)) || !CASED.has(scriptOf(b))) continue;
      if (!nonAscii(a) && !nonAscii(b) && (i < 2 || !nonAscii(letters[i - 2] as string))) continue;
      if (isLower(a) && isUpper(b)) return odd(`case changing inside "${word}"`);
      if (i >= 2 && isUpper(letters[i - 2] as string) && isUpper(a) && isLower(b)) return odd(`case changing inside "${word}"`);
    }
  }
  return { verdict: 'ok', why: '' };
}

function judgeCandidate(candidate: Candidate, samples: readonly TextSample[]): Judged {
  const j: Judged = { candidate, invalid: 0, odd: 0, firstBad: null, firstText: null };
  const cache = new Map<string, number>();
  const rare = candidate.rare
    ? (ch: string): number => {
        let r = cache.get(ch);
        if (r === undefined) {
          r = Number((candidate.rare as NonNullable<Candidate['rare']>)(ch, iconv().encode(ch, candidate.name)));
          cache.set(ch, r);
        }
        return r;
      }
    : undefined;
  for (const s of samples) {
    const text = decodeBytes(s.bytes, candidate.name);
    j.firstText ??= { text, where: whereOf(s) };
    const { verdict, why } = judgeText(text, rare);
    if (verdict === 'ok') continue;
    if (verdict === 'invalid') j.invalid++;
    else j.odd++;
    // The first undecodable value is the most telling; otherwise the first implausible one.
    if (j.firstBad === null || (verdict === 'invalid' && j.invalid === 1)) j.firstBad = { text, where: whereOf(s), why };
  }
  return j;
}

/**
 * The winner decodes everything, reads plausibly for ≥ 90 % of the values (all of them when there are fewer than
 * ten), and every other decodable candidate has at least max(1, 25 % of the values) more implausible values.
 */
function isClearWinner(best: Judged, others: readonly Judged[], n: number): boolean {
  if (best.invalid > 0 || best.odd > Math.floor(0.1 * n)) return false;
  const margin = Math.max(1, Math.ceil(0.25 * n));
  return others.every((o) => o.invalid > 0 || o.odd >= best.odd + margin);
}

function rank(judged: Judged[]): Judged[] {
  return [...judged].sort((a, b) => (a.invalid > 0 ? 1 : 0) - (b.invalid > 0 ? 1 : 0) || a.odd - b.odd || a.invalid - b.invalid);
}

const quote = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

function showValue(j: Judged, n: number): string {
  const bad = j.invalid + j.odd;
  if (j.firstBad) return `as ${j.candidate.label}, ${bad} of ${n} value(s) garbled, e.g. ${quote(j.firstBad.text)} (${j.firstBad.where}: ${j.firstBad.why})`;
  const t = j.firstText as { text: string; where: string };
  return `as ${j.candidate.label}: ${quote(t.text)} (${t.where})`;
}

const PIN = (file: string, flag: string): string =>
  `to pin it, put "${flag}" in a .cpg file next to ${file.replace(/\.dbf$/i, '.shp')}, or pass --encoding ${flag} (pipelines: the manifest's encoding: ${flag})`;

export interface EncodingDecision {
  /** iconv-lite name (or 'utf-8'). */
  readonly encoding: string;
  readonly warning: string | null;
}

export interface DeclaredEncoding {
  readonly encoding: string;
  /** How to name the source in messages, e.g. '--encoding gbk', 'changsha.cpg ("GBK")', 'its language-driver byte 0x4D (CP936)'. */
  readonly source: string;
}

/**
 * Decide how to decode a DBF's text (see the module comment). `samples`: its distinct non-ASCII values;
 * `declared`: --encoding or .cpg (already resolved by the caller); `ldid`: header byte 29.
 */
export function decideEncoding(samples: readonly TextSample[], file: string, ldid: number, declared: DeclaredEncoding | null): EncodingDecision {
  const allUtf8 = samples.every((s) => isValidUtf8(s.bytes));
  const ldidEnc = ldidEncoding(ldid);
  const firm: DeclaredEncoding | null =
    declared ?? (ldidEnc !== null ? { encoding: ldidEnc, source: `its language-driver byte 0x${hex(ldid)} (${codepageName(ldid)})` } : null);
  if (samples.length === 0) return { encoding: firm?.encoding ?? 'utf-8', warning: null };
  if (firm !== null) return checkDeclared(samples, file, firm, allUtf8);
  if (allUtf8) return { encoding: 'utf-8', warning: null };

  const judged = rank(CANDIDATES.map((c) => judgeCandidate(c, samples)));
  const best = judged[0] as Judged;
  const n = samples.length;
  if (isClearWinner(best, judged.slice(1), n)) {
    if (ldid === LDID_ANSI && best.candidate.name === 'cp1252') return { encoding: 'cp1252', warning: null };
    const why = ldid === LDID_ANSI ? '; its language-driver byte 0x57 only means "the ANSI code page of the computer that wrote it"' : '';
    const example = samples.find((s) => [...decodeBytes(s.bytes, best.candidate.name)].some((ch) => (ch.codePointAt(0) as number) >= 0x80));
    return {
      encoding: best.candidate.name,
      warning:
        `${file} does not say its text encoding (no .cpg file${why}); read it as ${best.candidate.label}: of the code pages ` +
        `tried, only ${best.candidate.label} reads its ${n} distinct non-ASCII value(s) as plausible text` +
        `${example ? ` (e.g. ${quote(decodeBytes(example.bytes, best.candidate.name))})` : ''}` +
        `${best.odd > 0 ? `, though ${best.odd} still look unusual (${quote((best.firstBad as { text: string }).text)}, ${(best.firstBad as { where: string }).where})` : ''}` +
        `; ${PIN(file, best.candidate.flag)}`,
    };
  }
  if (ldid === LDID_ANSI) {
    const cp = judged.find((j) => j.candidate.name === 'cp1252') as Judged;
    if (cp.invalid === 0) {
      return {
        encoding: 'cp1252',
        warning:
          cp.odd === 0
            ? null
            : `${file}: read as Windows-1252 (language-driver byte 0x57), but some text looks garbled — ` +
              `${showValue(cp, samples.length)}; if names look wrong, pass the right encoding, e.g. ${alternatives(judged, 'cp1252')}`,
      };
    }
  }
  const plausible = judged.filter((j) => j.invalid === 0);
  const margin = Math.max(1, Math.ceil(0.25 * n));
  const ambiguous = best.invalid === 0 && best.odd <= Math.floor(0.1 * n);
  const what = ambiguous
    ? 'its text reads as plausible in more than one code page'
    : plausible.length === 0
      ? 'no code page decodes all of its text'
      : 'no code page reads all of its text plausibly';
  const shown = ambiguous
    ? plausible.filter((j) => j.odd < best.odd + margin).slice(0, 4)
    : [...judged].sort((a, b) => a.invalid + a.odd - (b.invalid + b.odd)).slice(0, 4);
  throw new NtlError(
    `cannot tell the text encoding of ${file}: it has no .cpg file${ldid === LDID_ANSI ? ' (and its language-driver byte 0x57 names no code page)' : ''}, ` +
      `its text is not UTF-8, and ${what} — ${shown.map((j) => showValue(j, n)).join('; ')}; ` +
      `pass the right one with --encoding ${shown.map((j) => j.candidate.flag).join('|')}|… (or put its name in a .cpg file next to ` +
      `${file.replace(/\.dbf$/i, '.shp')}, or set encoding: in the manifest)`,
  );
}

function alternatives(judged: readonly Judged[], except: string): string {
  const alt = judged
    .filter((j) => j.invalid === 0 && j.candidate.name !== except)
    .slice(0, 3)
    .map((j) => `--encoding ${j.candidate.flag}`);
  return alt.length > 0 ? alt.join(' or ') : '--encoding gbk|utf-8|cp1252';
}

/**
 * A declared encoding is used as declared. Text it cannot decode (U+FFFD) is an error naming the field and record;
 * text it decodes into something implausible, while another code page (or UTF-8) reads cleanly, is a warning.
 */
function checkDeclared(samples: readonly TextSample[], file: string, d: DeclaredEncoding, allUtf8: boolean): EncodingDecision {
  if (d.encoding === 'utf-8' && allUtf8) return { encoding: d.encoding, warning: null };
  const label = labelOf(d.encoding);
  const own = judgeCandidate({ name: d.encoding, flag: d.encoding, label, rare: CANDIDATES.find((c) => c.name === d.encoding)?.rare }, samples);
  const alt = evidenceWinner(samples, d.encoding, own, allUtf8);
  const broken = samples.find((s) => decodeBytes(s.bytes, d.encoding).includes('\uFFFD'));
  if (broken !== undefined) {
    const text = quote(decodeBytes(broken.bytes, d.encoding));
    const where = broken.record === null ? `the field name ${text}` : `field "${broken.field}" (record ${broken.record}: ${text})`;
    throw new NtlError(
      `${file}: decoding as ${label} (as ${d.source} says) gives undecodable bytes in ${where}; wrong encoding? ` +
        (alt ? `the text reads as ${alt.label} (${quote(alt.text)}): pass --encoding ${alt.flag}` : 'pass the right one, e.g. --encoding gbk|utf-8|cp1252'),
    );
  }
  if (own.odd === 0 || alt === null) return { encoding: d.encoding, warning: null };
  return {
    encoding: d.encoding,
    warning:
      `${file}: decoded as ${label} because ${d.source} says so, but the text reads as ${alt.label} instead ` +
      `(${quote((own.firstBad as { text: string }).text)} as ${label}, ${quote(alt.text)} as ${alt.label}); ` +
      `if names look wrong, pass --encoding ${alt.flag}`,
  };
}

/** The code page (or UTF-8) the bytes alone clearly point to, other than `except`; null when none does. */
function evidenceWinner(samples: readonly TextSample[], except: string, own: Judged, allUtf8: boolean): { label: string; flag: string; text: string } | null {
  const example = (name: string): string => {
    const s = samples.find((x) => decodeBytes(x.bytes, name) !== decodeBytes(x.bytes, except)) ?? samples[0]!;
    return decodeBytes(s.bytes, name);
  };
  if (allUtf8) return except === 'utf-8' ? null : { label: 'UTF-8', flag: 'utf-8', text: example('utf-8') };
  const judged = rank(CANDIDATES.filter((c) => c.name !== except).map((c) => judgeCandidate(c, samples)));
  const best = judged[0];
  if (!best || !isClearWinner(best, [...judged.slice(1), own], samples.length)) return null;
  return { label: best.candidate.label, flag: best.candidate.flag, text: example(best.candidate.name) };
}

function labelOf(encoding: string): string {
  if (encoding === 'utf-8') return 'UTF-8';
  return CANDIDATES.find((c) => c.name === encoding)?.label ?? encoding.toUpperCase();
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function codepageName(ldid: number): string {
  const cp = LDID_CODEPAGE[ldid];
  return cp === undefined ? 'unknown' : `CP${cp}`;
}
