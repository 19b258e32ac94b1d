/** One CSV reader: every former comma-split place reads quoted fields (commas, quotes) and reordered columns. */
import { describe, expect, it } from 'vitest';
import { bandsOfYear } from '../../src/calibrate/band-dates.js';
import { loadTable, parseTable, TABLE_NAMES } from '../../src/calibrate/tables.js';
import { parseCsv, csvTable } from '../../src/panel/csv.js';
import { parseCrosswalkCsv } from '../../src/panel/crosswalk.js';
import { parseRegionTable, regionTable } from '../../src/pipeline/stages/estimation-columns.js';

describe('src/panel/csv.ts', () => {
  it('RFC 4180: quoted commas, doubled quotes, line breaks in fields, CRLF, BOM; line numbers of records', () => {
    const r = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",3\n');
    expect(r.map((x) => x.fields)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', '3'],
    ]);
    expect(r.map((x) => x.line)).toEqual([1, 2, 3]);
  });
  it('csvTable: columns by name, comment lines with quotes skipped, missing column names the file and what it has', () => {
    const t = csvTable('# a "citation", with commas\n\nb,a\n1,2\n', { source: 'x.csv', comments: true });
    expect(t.header).toEqual(['b', 'a']);
    expect(t.records.map((r) => [r.fields[t.column('a')], r.line])).toEqual([['2', 4]]);
    expect(() => t.column('c')).toThrow(/x\.csv: column "c" missing from the header \(found b, a\)/);
  });
  it('the crosswalk reads through it', () => {
    const cw = parseCrosswalkCsv('old_code,new_code,year_effective\n"430100","430200",2015\n');
    expect(cw.rows[0]).toMatchObject({ old_code: '430100', new_code: '430200', year_effective: 2015 });
  });
});

describe('former comma-split places', () => {
  it('region table (estimation-columns.ts): a quoted province name with a comma', () => {
    const m = parseRegionTable('province_code,province_name,region\n11,"Beijing, municipality",east\n"12","Tianjin ""Jin""",east\n', 'regions.csv');
    expect([...m]).toEqual([
      ['11', 'east'],
      ['12', 'east'],
    ]);
    // Columns in another order read the same.
    expect([...parseRegionTable('region,province_code\nwest,"65"\n', 'r.csv')]).toEqual([['65', 'west']]);
    // The shipped table still reads: 31 mainland provinces.
    expect(regionTable().get('43')).toBe('central');
  });

  it('calibration coefficient tables (calibrate/tables.ts): quoted fields and a citation with quotes', () => {
    const text = '# Someone (2020). "A title, with commas". Journal\n# model: poly2\nsatellite,year,c0,c1,c2,r2\n"F12","1994","0.1651",1.1244,-0.0018,0.915\n';
    const t = parseTable('elvidge2009', text, 'e.csv');
    expect(t.citation).toBe('Someone (2020). "A title, with commas". Journal');
    expect(t.rows.get('F121994')).toEqual({ kind: 'poly2', c0: 0.1651, c1: 1.1244, c2: -0.0018, r2: 0.915 });
    for (const name of TABLE_NAMES) expect(loadTable(name).rows.size).toBeGreaterThan(5);
  });

  it('band-date table of monthly cubes (calibrate/band-dates.ts): quoted fields, columns in any order', () => {
    const csv = 'date,"band",note\n2014-01-15,1,"first, of year"\n"2014-02-15",2,x\n2014-02-15,3,"repeat ""dup"""\n2015-01-15,4,y\n';
    expect(bandsOfYear(csv, 2014, 'band_dates.csv')).toEqual({ bands: [1, 2], duplicates: ['2014-02-15 (band 3)'] });
    expect(() => bandsOfYear('band,day\n1,2\n', 2014, 'b.csv')).toThrow(/b\.csv: column "date" missing/);
  });
});
