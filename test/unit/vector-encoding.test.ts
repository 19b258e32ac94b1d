/**
 * DBF text encodings decided without silent mojibake (issue 15): shapefiles written here in each code page,
 * read with no .cpg / a .cpg / a language-driver byte / --encoding, and the decoded names, the warning and the
 * errors checked. The rules are in src/vector/encoding.ts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { decideEncoding, judgeText } from '../../src/vector/encoding.js';
import { readZones } from '../../src/vector/index.js';
import { tempDir } from '../helpers/tmp.js';
import { cwSquare, writeShapefile } from '../helpers/write-shapefile.js';

const dir = tempDir('encoding');
let seq = 0;

const CITIES = ['Zürich', 'São Paulo', 'Köln', 'Besançon', 'Ålesund'];
const COUNTIES = ['芙蓉区', '天心区', '岳麓区', '开福区', '雨花区', '望城区', '长沙县', '浏阳市', '宁乡市'];
const PINYIN = ['Fúróng Qū', 'Tiānxīn Qū', 'Yuèlù Qū', 'Kāifú Qū', 'Yǔhuā Qū', 'Wàngchéng Qū', 'Chángshā Xiàn', 'Liúyáng Shì', 'Níngxiāng Shì'];

interface Layer {
  /** name values, one record each, written in `encoding`. */
  readonly names: readonly string[];
  readonly encoding: string;
  /** extra text field written in the same encoding (e.g. province, prefecture). */
  readonly extra?: readonly [string, string];
  readonly ldid?: number;
  readonly cpg?: string;
}

/** Write a shapefile with fields id, name (and extra) in the layer's encoding; returns the .shp path. */
function layer(l: Layer): string {
  const enc = (s: string): Uint8Array => (l.encoding === 'utf-8' ? Buffer.from(s, 'utf8') : iconv.encode(s, l.encoding));
  const fields = ['id', 'name', ...(l.extra ? [l.extra[0]] : [])];
  return writeShapefile(
    join(dir, `layer${++seq}`),
    l.names.map((name, i) => ({
      rings: [cwSquare(i, 0, 1)],
      values: { id: `z${i + 1}`, name: enc(name), ...(l.extra ? { [l.extra[0]]: enc(l.extra[1]) } : {}) },
    })),
    { fields, ldid: l.ldid, cpg: l.cpg },
  );
}

async function read(shp: string, encoding?: string): Promise<{ names: unknown[]; warnings: readonly string[] }> {
  const set = await readZones(shp, { idField: 'id', encoding });
  return { names: set.zones.map((z) => z.attributes.name), warnings: set.warnings };
}

async function rejection(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NtlError);
  return (e as NtlError).message;
}

/** Bytes of every file in a directory (to check that nothing was touched). */
function snapshot(d: string): Map<string, string> {
  return new Map(
    readdirSync(d)
      .filter((f) => statSync(join(d, f)).isFile())
      .map((f) => [f, readFileSync(join(d, f)).toString('base64')]),
  );
}

describe('no .cpg, no language-driver byte: decided from the whole file or refused', () => {
  const cases: { name: string; layer: Layer; warning: RegExp[] | null }[] = [
    {
      name: 'CP1252 city names',
      layer: { names: CITIES, encoding: 'cp1252' },
      warning: [/read it as Windows-1252/, /"Zürich"/, /\.cpg file/, /--encoding cp1252/, /encoding: cp1252/],
    },
    { name: 'Latin-1 city names (ISO-8859-1 bytes)', layer: { names: CITIES, encoding: 'latin1' }, warning: [/Windows-1252/] },
    {
      name: 'GBK county names',
      layer: { names: COUNTIES, encoding: 'gbk', extra: ['prov', '湖南省'] },
      warning: [/read it as GBK/, /"湖南省"|"芙蓉区"/, /--encoding gbk/],
    },
    { name: 'GBK tone-marked pinyin', layer: { names: PINYIN, encoding: 'gbk' }, warning: [/read it as GBK/, /"Fúróng Qū"/] },
    { name: 'GBK pinyin with hanzi beside it', layer: { names: PINYIN, encoding: 'gbk', extra: ['pref', '长沙市'] }, warning: [/GBK/] },
    { name: 'pure ASCII', layer: { names: ['Changsha', 'Furong Qu', 'Koeln'], encoding: 'utf-8' }, warning: null },
    { name: 'UTF-8 without .cpg (CJK and accents)', layer: { names: [...COUNTIES, ...CITIES], encoding: 'utf-8' }, warning: null },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { names, warnings } = await read(layer(c.layer));
      expect(names).toEqual(c.layer.names);
      const joined = warnings.join('\n');
      if (c.warning === null) expect(warnings).toEqual([]);
      else {
        expect(warnings).toHaveLength(1);
        for (const re of c.warning) expect(joined).toMatch(re);
        expect(joined).toMatch(/layer\d+\.dbf does not say its text encoding/);
      }
    });
  }

  const refused: { name: string; layer: Layer; message: RegExp[] }[] = [
    {
      name: 'one short value readable in several code pages',
      layer: { names: ['Ö'], encoding: 'cp1252' },
      message: [
        /cannot tell the text encoding of .*layer\d+\.dbf/,
        /plausible in more than one code page/,
        /as Windows-1252 \(Latin-1\): "Ö"/,
        /as Windows-1251 \(Cyrillic\): "Ц"/,
        /--encoding cp1252\|cp1251/,
      ],
    },
    {
      name: 'a short Cyrillic value that also reads as Chinese',
      layer: { names: ['Омск'], encoding: 'cp1251' },
      message: [/more than one code page/, /"Омск"/, /as GBK: "戊耜"/],
    },
    {
      name: 'GBK and CP1252 values mixed in one file',
      layer: { names: ['湖南省', 'Zürich', 'Köln'], encoding: 'cp1252' },
      message: [/no code page (reads|decodes) all of its text/, /--encoding/],
    },
  ];
  for (const c of refused) {
    it(`refused: ${c.name}`, async () => {
      let shp: string;
      if (c.name.startsWith('GBK and CP1252')) {
        // one GBK value, two CP1252 values
        shp = writeShapefile(
          join(dir, `mixed${++seq}`),
          [
            { rings: [cwSquare(0, 0, 1)], values: { id: 'a', name: iconv.encode('湖南省', 'gbk') } },
            { rings: [cwSquare(1, 0, 1)], values: { id: 'b', name: iconv.encode('Zürich', 'cp1252') } },
            { rings: [cwSquare(2, 0, 1)], values: { id: 'c', name: iconv.encode('Köln', 'cp1252') } },
          ],
          { fields: ['id', 'name'] },
        );
      } else shp = layer(c.layer);
      const before = snapshot(dir);
      const msg = await rejection(read(shp));
      for (const re of c.message) expect(msg).toMatch(re);
      expect(msg).toMatch(/\.cpg file|encoding: in the manifest/);
      expect(snapshot(dir)).toEqual(before);
    });
  }
});

describe('declared encodings keep priority', () => {
  it('.cpg and --encoding are used as given; --encoding overrides the .cpg', async () => {
    const gbk = layer({ names: COUNTIES, encoding: 'gbk', cpg: '936' });
    expect(await read(gbk)).toEqual({ names: COUNTIES, warnings: [] });
    const latin = layer({ names: CITIES, encoding: 'cp1252' });
    expect(await read(latin, 'cp1252')).toEqual({ names: CITIES, warnings: [] });
    expect((await read(latin, 'latin1')).names).toEqual(CITIES);
  });

  it('a language-driver byte naming a code page is used: 0x4D = CP936 (GBK), 0x57 = ANSI, 0xC9 = CP1251', async () => {
    expect(await read(layer({ names: COUNTIES, encoding: 'gbk', ldid: 0x4d }))).toEqual({ names: COUNTIES, warnings: [] });
    expect(await read(layer({ names: CITIES, encoding: 'cp1252', ldid: 0x57 }))).toEqual({ names: CITIES, warnings: [] });
    expect(await read(layer({ names: ['Омск'], encoding: 'cp1251', ldid: 0xc9 }))).toEqual({ names: ['Омск'], warnings: [] });
  });

  it('0x57 ("the writer\'s ANSI code page") gives way to clear evidence, with a warning', async () => {
    const r = await read(layer({ names: COUNTIES, encoding: 'gbk', ldid: 0x57 }));
    expect(r.names).toEqual(COUNTIES);
    expect(r.warnings.join('\n')).toMatch(/language-driver byte 0x57 only means .*; read it as GBK: of the code pages tried, only GBK reads its 9 distinct/);
  });

  it('a declaration contradicted by the text: kept, with a warning showing both readings', async () => {
    const r = await read(layer({ names: CITIES, encoding: 'cp1252', ldid: 0x4d }));
    expect(r.names[0]).toBe('Z黵ich'); // the file says GBK, and GBK is what the user gets…
    expect(r.warnings).toHaveLength(1); // …but not silently
    expect(r.warnings[0]).toMatch(/decoded as GBK because its language-driver byte 0x4D \(CP936\) says so, but the text reads as Windows-1252/);
    expect(r.warnings[0]).toMatch(/"Zürich" as Windows-1252/);
    expect(r.warnings[0]).toMatch(/--encoding cp1252/);
    const cpg = await read(layer({ names: CITIES, encoding: 'cp1252', cpg: 'GBK' }));
    expect(cpg.warnings.join('\n')).toMatch(/layer\d+\.cpg \("GBK"\) says so, but the text reads as Windows-1252/);
  });

  it('a declaration the bytes do not decode in is an error naming the field, the record and the likely encoding', async () => {
    const utf8AsGbk = layer({ names: COUNTIES, encoding: 'utf-8', ldid: 0x4d });
    const msg = await rejection(read(utf8AsGbk));
    expect(msg).toMatch(/decoding as GBK \(as its language-driver byte 0x4D \(CP936\) says\) gives undecodable bytes in field "name" \(record \d+: /);
    expect(msg).toMatch(/the text reads as UTF-8 \("芙蓉区"\): pass --encoding utf-8/);
    const gbkAsUtf8 = await rejection(read(layer({ names: COUNTIES, encoding: 'gbk' }), 'utf-8'));
    expect(gbkAsUtf8).toMatch(/decoding as UTF-8 \(as --encoding utf-8 says\).*wrong encoding\? the text reads as GBK .*--encoding gbk/);
  });
});

describe('judgeText: what reads as mojibake', () => {
  /** GBK's rarity as in CANDIDATES: outside GB2312's hanzi rows. */
  const gbkRare = (ch: string): number => {
    const b = iconv.encode(ch, 'gbk');
    return b[0]! < 0xb0 || b[1]! < 0xa1 ? 1 : 0;
  };
  const cases: [string, 'ok' | 'odd' | 'invalid', ((ch: string) => number)?][] = [
    ['Zürich', 'ok'],
    ['Saint-Étienne', 'ok'],
    ['Côte d’Ivoire', 'ok'],
    ['Conceição', 'ok'],
    ['Þórshöfn', 'ok'],
    ['Москва', 'ok'],
    ['湖南省（长沙）', 'ok'],
    ['A区', 'ok'],
    ['Chángshā 长沙', 'ok'],
    ['Z黵ich', 'odd'],
    ['S鉶 Paulo', 'odd', gbkRare],
    ['Ch¨¢ngsh¨¡', 'odd'],
    ['ºþÄÏÊ¡', 'odd'],
    ['ÀÈ·»ÊÐ', 'odd'],
    ['єюДПКЎ', 'odd'],
    ['ГЬФЖЗш', 'odd'],
    ['Zьrich', 'odd'],
    ['╠юёътр', 'odd'],
    ['Ìîñêâà', 'odd'],
    ['Z\uFFFDrich', 'invalid'],
    ['K\u0096ln', 'invalid'],
    ['\uE000区', 'invalid'],
  ];
  for (const [text, want, rare] of cases) {
    it(`${JSON.stringify(text)} → ${want}`, () => expect(judgeText(text, rare).verdict).toBe(want));
  }
});

describe('decideEncoding on the real China names (3,225 GBK, 2,000 tone-marked pinyin values)', () => {
  it('picks GBK for the whole set, and never a wrong code page for random small subsets', () => {
    const dbf = readFileSync('data/china/mapchina_counties/china_counties_mapchina.dbf');
    const text = dbf.toString('utf8');
    const names = [...new Set(text.match(/[\u4e00-\u9fff]{2,}/g) ?? [])].slice(0, 600);
    const samples = names.map((n, i) => ({ bytes: iconv.encode(n, 'gbk'), field: 'name', record: i + 1 }));
    expect(decideEncoding(samples, 'x.dbf', 0, null).encoding).toBe('gb18030');
    let wrong = 0;
    for (let k = 0; k + 5 <= samples.length; k += 5) {
      try {
        if (decideEncoding(samples.slice(k, k + 5), 'x.dbf', 0, null).encoding !== 'gb18030') wrong++;
      } catch {
        // asking is allowed; guessing wrong is not
      }
    }
    expect(wrong).toBe(0);
  });
});

describe('fields: only the fields a caller reads are decoded, and only their text is evidence', () => {
  const garbled = (): string =>
    writeShapefile(
      join(dir, `garbled${++seq}`),
      [{ rings: [cwSquare(0, 0, 1)], values: { id: 'z1', name: iconv.encode('Ö', 'cp1252'), prov: iconv.encode('Ö', 'cp1252') } }],
      { fields: ['id', 'name', 'prov'] },
    );

  it('an ASCII id with undecidable text in unused fields: no judgement, no warning, only the id decoded', async () => {
    const shp = garbled();
    expect(await rejection(readZones(shp, { idField: 'id' }))).toMatch(/cannot tell the text encoding/); // 'all' (the default) still judges it
    const set = await readZones(shp, { idField: 'id', fields: [] });
    expect(set.warnings).toEqual([]);
    expect(set.fields).toEqual(['id', 'name', 'prov']); // every field is still listed
    expect(set.zones.map((z) => z.attributes)).toEqual([{ id: 'z1' }]);
  });

  it('a field the caller reads is judged exactly as with all fields', async () => {
    const shp = garbled();
    expect(await rejection(readZones(shp, { idField: 'id', fields: ['name'] }))).toBe(await rejection(readZones(shp, { idField: 'id' })));
    const gbk = layer({ names: COUNTIES, encoding: 'gbk', extra: ['prov', '湖南省'] });
    const all = await readZones(gbk, { idField: 'id' });
    const some = await readZones(gbk, { idField: 'name', fields: ['prov'] });
    expect(some.warnings.length).toBe(1);
    expect(some.zones.map((z) => z.attributes)).toEqual(all.zones.map((z) => ({ name: z.attributes.name, prov: z.attributes.prov })));
    const wrong = await rejection(readZones(gbk, { idField: 'name', encoding: 'utf-8', fields: [] }));
    expect(wrong).toMatch(/decoding as UTF-8 \(as --encoding utf-8 says\) gives undecodable bytes in field "name"/);
    expect((await readZones(gbk, { idField: 'id', encoding: 'utf-8', fields: [] })).warnings).toEqual([]);
  });

  it('a field name that is not ASCII: the whole file is judged, as with all fields', async () => {
    const name = iconv.encode('名称', 'gbk');
    const shp = writeShapefile(
      join(dir, `gbkname${++seq}`),
      COUNTIES.map((c, i) => ({ rings: [cwSquare(i, 0, 1)], values: { id: `z${i}`, [name.toString('latin1')]: iconv.encode(c, 'gbk') } })),
      { fields: ['id', name] },
    );
    const all = await readZones(shp, { idField: 'id' });
    expect(all.warnings.join('\n')).toMatch(/read it as GBK/);
    expect(all.fields).toEqual(['id', '名称']);
    const ids = await readZones(shp, { idField: 'id', fields: [] });
    expect(ids.warnings).toEqual(all.warnings);
    expect(ids.fields).toEqual(all.fields);
  });
});
