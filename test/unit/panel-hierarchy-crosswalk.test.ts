import { describe, expect, it } from 'vitest';
import { applyCrosswalk, buildCrosswalk, mapCode, parseCrosswalkCsv } from '../../src/panel/crosswalk.js';
import { parseCsv } from '../../src/panel/csv.js';
import type { CrosswalkRow, PanelRecord } from '../../src/panel/crosswalk.js';
import { NtlError } from '../../src/errors.js';

/**
 * Real changes around 巢湖 (Anhui): in 2011 the prefecture 巢湖市 (3426) was abolished and its
 * counties moved — 居巢区 342602 → 巢湖市 340181 (Hefei), 庐江县 342622 → 340124 (Hefei),
 * 无为县 342623 → 340225 (Wuhu), 含山县 342625 → 340522 and 和县 342626 → 340523 (Ma'anshan);
 * 无为县 became 无为市 340281 (code change effective 2020).
 */
const CHAOHU = `old_code,new_code,year_effective
342602,340181,2011
342622,340124,2011
342623,340225,2011
342625,340522,2011
342626,340523,2011
340225,340281,2020
`;

const row = (old_code: string, new_code: string, year_effective: number, weight = 1): CrosswalkRow => ({ old_code, new_code, year_effective, weight });

describe('parseCrosswalkCsv', () => {
  it('reads rows with line numbers, weight defaulting to 1', () => {
    const xw = parseCrosswalkCsv(CHAOHU, 'chaohu.csv');
    expect(xw.rows).toHaveLength(6);
    expect(xw.rows[0]).toEqual({ old_code: '342602', new_code: '340181', year_effective: 2011, weight: 1, line: 2 });
  });

  it('reports bad rows at their line', () => {
    expect(() => parseCrosswalkCsv('old_code,new_code\n1,2\n', 'x.csv')).toThrow('x.csv line 1: missing column year_effective');
    expect(() => parseCrosswalkCsv('old_code,new_code,year_effective\n1,2,20x1\n', 'x.csv')).toThrow("x.csv line 2: year_effective '20x1' is not a whole year");
    expect(() => parseCrosswalkCsv('old_code,new_code,year_effective,weight\nA,B,2011,0.6\nA,C,2011,0.3\n', 'x.csv')).toThrow(
      /x\.csv line 2: the shares of A in 2011 add up to 0\.9, not 1/,
    );
    expect(() => parseCrosswalkCsv('old_code,new_code,year_effective\nA,B,2011\nA,B,2011\n', 'x.csv')).toThrow('x.csv line 3: A → B in 2011 is listed twice');
  });

  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n1,2,3').map((r) => r.fields)).toEqual([
      ['a', 'b,c', 'd"e'],
      ['1', '2', '3'],
    ]);
  });
});

describe('mapCode', () => {
  const xw = parseCrosswalkCsv(CHAOHU);
  it('follows chains up to the target vintage only', () => {
    expect(mapCode(xw, '342623', 2010, 2019)).toEqual([{ code: '340225', weight: 1 }]);
    expect(mapCode(xw, '342623', 2010, 2020)).toEqual([{ code: '340281', weight: 1 }]);
    expect(mapCode(xw, '342623', 2010, 2010)).toEqual([{ code: '342623', weight: 1 }]);
    // a code already valid after the change is left alone
    expect(mapCode(xw, '340225', 2015, 2019)).toEqual([{ code: '340225', weight: 1 }]);
  });

  it('splits by weight, following chains of each part', () => {
    const split = buildCrosswalk([
      row('342600', '340100', 2011, 0.5),
      row('342600', '340200', 2011, 0.2),
      row('342600', '340500', 2011, 0.3),
      row('340200', '340900', 2015),
    ]);
    expect(mapCode(split, '342600', 2010, 2019)).toEqual([
      { code: '340100', weight: 0.5 },
      { code: '340900', weight: 0.2 },
      { code: '340500', weight: 0.3 },
    ]);
  });

  it('follows same-year chains but rejects same-year cycles', () => {
    expect(mapCode(buildCrosswalk([row('A', 'B', 2011), row('B', 'C', 2011)]), 'A', 2010, 2019)).toEqual([{ code: 'C', weight: 1 }]);
    // renamed and renamed back in a later year is fine
    expect(mapCode(buildCrosswalk([row('A', 'B', 2011), row('B', 'A', 2016)]), 'A', 2010, 2019)).toEqual([{ code: 'A', weight: 1 }]);
    expect(() => buildCrosswalk([row('A', 'B', 2011), row('B', 'C', 2011), row('C', 'A', 2011)], 'xw.csv')).toThrow(
      'xw.csv: the changes of 2011 form a cycle (A → B → C → A)',
    );
  });

  it('handles a partial transfer declared with a row old→old', () => {
    const xw2 = buildCrosswalk([row('A', 'A', 2012, 0.75), row('A', 'B', 2012, 0.25), row('A', 'C', 2015)]);
    expect(mapCode(xw2, 'A', 2010, 2019)).toEqual([
      { code: 'C', weight: 0.75 },
      { code: 'B', weight: 0.25 },
    ]);
  });
});

describe('applyCrosswalk', () => {
  const opts = { targetVintage: 2019, sumColumns: ['sum', 'count'], meanColumns: [{ column: 'mean', sum: 'sum', count: 'count' }], keyColumns: ['source'] };

  it('merges two old units: sums add, means are recomputed, other stats are emptied with a warning', () => {
    const xw = buildCrosswalk([row('A', 'M', 2011), row('B', 'M', 2011)]);
    const records: PanelRecord[] = [
      { unit_id: 'A', year: 2010, source: 'v', sum: 30, count: 10, mean: 3, max: 9 },
      { unit_id: 'B', year: 2010, source: 'v', sum: 10, count: 30, mean: 1 / 3, max: 4 },
      { unit_id: 'M', year: 2012, source: 'v', sum: 50, count: 40, mean: 1.25, max: 9 },
      { unit_id: 'A', year: 2010, source: 'd', sum: 1, count: 1, mean: 1, max: 1 },
    ];
    const res = applyCrosswalk(records, xw, opts);
    expect(res.records).toEqual([
      { unit_id: 'M', year: 2010, source: 'v', sum: 40, count: 40, mean: 1, max: null },
      { unit_id: 'M', year: 2012, source: 'v', sum: 50, count: 40, mean: 1.25, max: 9 },
      { unit_id: 'M', year: 2010, source: 'd', sum: 1, count: 1, mean: 1, max: 1 },
    ]);
    expect(res.remapped).toBe(3);
    expect(res.warnings).toEqual(['column max cannot be combined across merged or split units; left empty in 1 row(s)']);
  });

  it('splits additive stats by weight and keeps the mean', () => {
    const xw = buildCrosswalk([row('S', 'P', 2011, 0.25), row('S', 'Q', 2011, 0.75)]);
    const res = applyCrosswalk([{ unit_id: 'S', year: 2005, source: 'v', sum: 100, count: 20, mean: 5 }], xw, opts);
    expect(res.records).toEqual([
      { unit_id: 'P', year: 2005, source: 'v', sum: 25, count: 5, mean: 5 },
      { unit_id: 'Q', year: 2005, source: 'v', sum: 75, count: 15, mean: 5 },
    ]);
  });

  it('harmonises the real 巢湖 chain and leaves unaffected units untouched', () => {
    const xw = parseCrosswalkCsv(CHAOHU);
    const records: PanelRecord[] = [
      { unit_id: '342623', year: 2010, sum: 7, count: 2, mean: 3.5 },
      { unit_id: '340225', year: 2015, sum: 9, count: 2, mean: 4.5 },
      { unit_id: '430102', year: 2010, sum: 1, count: 3, mean: 1 / 3 },
    ];
    const to2019 = applyCrosswalk(records, xw, { ...opts, keyColumns: [] });
    expect(to2019.records.map((r) => [r.unit_id, r.year, r.sum])).toEqual([
      ['340225', 2010, 7],
      ['340225', 2015, 9],
      ['430102', 2010, 1],
    ]);
    expect(to2019.records[2].mean).toBe(1 / 3);
    const to2020 = applyCrosswalk(records, xw, { ...opts, keyColumns: [], targetVintage: 2020 });
    expect(to2020.records.map((r) => r.unit_id)).toEqual(['340281', '340281', '430102']);
    // sourceVintage: a list compiled with 2010 codes, whatever the record year
    const list = applyCrosswalk([{ unit_id: '342623', year: 2016, sum: 1, count: 1, mean: 1 }], xw, { ...opts, sourceVintage: 2010 });
    expect(list.records[0].unit_id).toBe('340225');
    // without it, a retired code dated after its retirement is kept, with a warning
    const stale = applyCrosswalk([{ unit_id: '342623', year: 2016, sum: 1, count: 1, mean: 1 }], xw, opts);
    expect(stale.records[0].unit_id).toBe('342623');
    expect(stale.warnings).toEqual([
      'code 342623 appears in 1 record(s) dated after the crosswalk retired it (2011); left unchanged — set sourceVintage if the table uses an older code list',
    ]);
  });

  it('rejects a mean without its sum/count columns and non-numeric sums', () => {
    const xw = buildCrosswalk([]);
    expect(() => applyCrosswalk([], xw, { targetVintage: 2019, sumColumns: ['sum'], meanColumns: [{ column: 'mean', sum: 'sum', count: 'count' }] })).toThrow(
      NtlError,
    );
    expect(() => applyCrosswalk([{ unit_id: 'A', year: 2010, sum: 'x' }], xw, { targetVintage: 2019, sumColumns: ['sum'] })).toThrow(
      /column sum of A 2010 is not a number/,
    );
  });
});
