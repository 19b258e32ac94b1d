import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildHierarchy, countByKind, unitsFromZones } from '../../src/panel/hierarchy.js';
import type { AdminUnitInput, Hierarchy, HierarchyUnit } from '../../src/panel/hierarchy.js';
import type { Zone } from '../../src/vector/types.js';

/** The fixture has no quoted fields (checked when it was made), so a plain split is enough. */
function mapchinaUnits(): AdminUnitInput[] {
  const [header, ...rows] = readFileSync(new URL('../fixtures/panel/mapchina_attributes.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const cols = header.split(',');
  return rows.map((line) => {
    const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i], x === '' ? null : x]));
    return {
      id: v.Code_County as string,
      name: v.Name_County,
      parentId: v.Code_Perfecture,
      parentName: v.Name_Perfecture,
      provinceId: v.Code_Province,
      provinceName: v.Name_Province,
    };
  });
}

describe('buildHierarchy on the real mapchina attributes', () => {
  let h: Hierarchy;
  let byId: Map<string, HierarchyUnit>;
  beforeAll(() => {
    h = buildHierarchy(mapchinaUnits());
    byId = new Map(h.units.map((u) => [u.county_id, u]));
  });

  it('places every one of the 2,901 units', () => {
    expect(h.unplaced).toEqual([]);
    expect(h.units).toHaveLength(2901);
  });

  it('counts each kind', () => {
    // municipalities 16+16+16+38; "90" units: 济源 1, Hubei 4, Hainan 15, Xinjiang bingtuan 9; HK 18 + Macau 2; Taiwan 20
    expect(countByKind(h.units)).toEqual({ prefecture: 2746, municipality: 86, 'province-administered': 29, sar: 20, taiwan: 20 });
    expect(h.units.filter((u) => u.mainland)).toHaveLength(2861);
    const prefectures = new Set(h.units.filter((u) => u.mainland).map((u) => u.prefecture_id));
    // 333 ordinary prefectures + 4 municipalities + 29 province-administered units
    expect(prefectures.size).toBe(333 + 4 + 29);
  });

  it('maps ordinary counties to their prefecture', () => {
    expect(byId.get('430102')).toEqual({
      county_id: '430102',
      county_name: '芙蓉区',
      prefecture_id: '430100',
      prefecture_name: '长沙市',
      province_id: '430000',
      province_name: '湖南省',
      prefecture_kind: 'prefecture',
      region: 'mainland',
      mainland: true,
      note: null,
    });
  });

  it('makes municipality districts and counties part of the municipality', () => {
    expect(byId.get('110101')).toMatchObject({ prefecture_id: '110000', prefecture_name: '北京市', prefecture_kind: 'municipality' });
    expect(byId.get('500229')).toMatchObject({ county_name: '城口县', prefecture_id: '500000', prefecture_kind: 'municipality' }); // a 5002 county
  });

  it('makes province-administered units their own prefecture', () => {
    expect(byId.get('429004')).toMatchObject({
      county_name: '仙桃市',
      prefecture_id: '429004',
      prefecture_name: '仙桃市',
      province_id: '420000',
      prefecture_kind: 'province-administered',
    });
    expect(byId.get('419001')).toMatchObject({ prefecture_id: '419001', prefecture_kind: 'province-administered' });
    expect(byId.get('469001')?.prefecture_kind).toBe('province-administered');
    expect(byId.get('659001')).toMatchObject({ county_name: '石河子市', prefecture_id: '659001', province_id: '650000' });
  });

  it('flags Hong Kong, Macau and Taiwan as outside the mainland', () => {
    expect(byId.get('810101')).toMatchObject({ prefecture_id: '810000', prefecture_kind: 'sar', region: 'hong-kong', mainland: false });
    expect(byId.get('820101')).toMatchObject({ prefecture_id: '820000', prefecture_kind: 'sar', region: 'macau', mainland: false });
    expect(byId.get('710163')).toMatchObject({ prefecture_id: '710000', prefecture_kind: 'taiwan', region: 'taiwan', mainland: false });
  });
});

describe('buildHierarchy edge cases', () => {
  it('derives a missing parent from the code only when other units confirm the prefecture', () => {
    const h = buildHierarchy([
      { id: '430102', parentId: '4301', parentName: '长沙市' },
      { id: '430103', parentId: null },
      { id: '439901', parentId: null, name: '某县' },
    ]);
    expect(h.units.map((u) => [u.county_id, u.prefecture_id, u.prefecture_name])).toEqual([
      ['430102', '430100', '长沙市'],
      ['430103', '430100', '长沙市'],
    ]);
    expect(h.units[1].note).toBe('prefecture derived from the code (no parent in the boundary file)');
    expect(h.unplaced).toEqual([{ id: '439901', name: '某县', reason: 'no parent given, and 439900 (from the code) is not the prefecture of any other unit' }]);
  });

  it('reports bad, duplicate and contradictory codes instead of dropping them', () => {
    const h = buildHierarchy([
      { id: '43010', parentId: '4301' },
      { id: '430102', parentId: '4301' },
      { id: '430102', parentId: '4301' },
      { id: '990101', parentId: '9901' },
      { id: '430104', parentId: '4301', provinceId: '44' },
      { id: '430105', parentId: '4401' },
      { id: '430106', parentId: 'x' },
    ]);
    expect(h.units.map((u) => u.county_id)).toEqual(['430102']);
    expect(h.unplaced.map((u) => u.reason)).toEqual([
      "'43010' is not a 6-digit GB/T 2260 county code",
      'duplicate county code 430102',
      'code 990101 starts with 99, which is not a GB/T 2260 province',
      'province field says 44 but code 430104 belongs to province 43',
      'parent field says prefecture 440100, which is not in province 43 of code 430105',
      "parent field 'x' is not a 4- or 6-digit prefecture code",
    ]);
  });

  it('accepts 6-digit parents and numeric codes, and notes a parent that differs from the code prefix', () => {
    const h = buildHierarchy([
      { id: '430102.0', parentId: '430100', provinceId: '430000' },
      { id: '431121', parentId: '4312' },
    ]);
    expect(h.units[0]).toMatchObject({ county_id: '430102', prefecture_id: '430100' });
    expect(h.units[1]).toMatchObject({ prefecture_id: '431200', note: "parent field 431200 differs from the code's prefix 431100; parent field used" });
  });

  it('reads zone attributes', () => {
    const zone = (id: string, attributes: Zone['attributes']): Zone => ({ id, attributes, parts: [] });
    const units = unitsFromZones([zone('430102', { Code_Perfecture: 4301, Name_County: '芙蓉区', Code_Province: '43', Name_Perfecture: null })], {
      name: 'Name_County',
      parent: 'Code_Perfecture',
      parentName: 'Name_Perfecture',
      province: 'Code_Province',
    });
    expect(units).toEqual([{ id: '430102', name: '芙蓉区', parentId: '4301', parentName: null, provinceId: '43', provinceName: null }]);
    expect(buildHierarchy(units).units[0].prefecture_id).toBe('430100');
  });
});
