/**
 * County → prefecture → province from GB/T 2260 codes, so county panels can be aggregated to
 * city or province level. The code is the authority; the boundary file's parent field is used for
 * ordinary counties and checked against the code.
 *
 * Conventions (all codes are 6 digits):
 * - Ordinary county 430102 → prefecture 430100 (the parent field, else the code's first 4 digits
 *   + "00" when other units confirm that prefecture), province 430000. Kind `prefecture`.
 * - Municipality districts and counties (Beijing 11, Tianjin 12, Shanghai 31, Chongqing 50, e.g.
 *   110101, 500229) → prefecture = the municipality itself (110000). Kind `municipality`.
 * - Province-administered county-level units (3rd–4th digits "90": 429004 仙桃, 419001 济源,
 *   469001–469030 Hainan, 659001 石河子 and the other bingtuan cities) → prefecture = the unit's own
 *   code, so each is its own city in city-level analysis. Kind `province-administered`.
 * - Hong Kong (81) and Macau (82): kind `sar`; Taiwan (71): kind `taiwan`. Prefecture = the whole
 *   region (810000 / 820000 / 710000). `mainland: false` so pipelines can exclude them.
 * A unit that cannot be placed is returned in `unplaced` with the reason — never dropped silently.
 */
import type { AttributeValue, Zone } from '../vector/types.js';

export type PrefectureKind = 'prefecture' | 'municipality' | 'province-administered' | 'sar' | 'taiwan';
export type Region = 'mainland' | 'hong-kong' | 'macau' | 'taiwan';

export interface AdminUnitInput {
  /** County-level code (6-digit GB/T 2260). */
  readonly id: string;
  readonly name?: string | null;
  /** Prefecture code from the boundary file: 4-digit (mapchina) or 6-digit. */
  readonly parentId?: string | null;
  readonly parentName?: string | null;
  /** Province code: 2-digit or 6-digit. */
  readonly provinceId?: string | null;
  readonly provinceName?: string | null;
}

export interface HierarchyUnit {
  readonly county_id: string;
  readonly county_name: string | null;
  /** 6-digit; ends in "00" except for province-administered units (their own code). */
  readonly prefecture_id: string;
  readonly prefecture_name: string | null;
  /** 6-digit, ends in "0000". */
  readonly province_id: string;
  readonly province_name: string | null;
  readonly prefecture_kind: PrefectureKind;
  readonly region: Region;
  /** false for Hong Kong, Macau and Taiwan. */
  readonly mainland: boolean;
  /** How the prefecture was decided when it was not simply the parent field (null otherwise). */
  readonly note: string | null;
}

export interface UnplacedUnit {
  readonly id: string;
  readonly name: string | null;
  readonly reason: string;
}

export interface Hierarchy {
  /** In input order. */
  readonly units: readonly HierarchyUnit[];
  readonly unplaced: readonly UnplacedUnit[];
}

/** GB/T 2260 province-level codes. */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

export const MUNICIPALITIES: readonly string[] = ['11', '12', '31', '50'];

const REGION_BY_PROVINCE: Readonly<Record<string, Region>> = { '71': 'taiwan', '81': 'hong-kong', '82': 'macau' };

/** Code text as written in attributes: "430102", 430102, "430102.0" → "430102"; anything else → null. */
export function normalizeCode(value: unknown, digits: number): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim().replace(/\.0+$/, '');
  if (s === '' || s === 'NA') return null;
  return new RegExp(`^\\d{${digits}}$`).test(s) ? s : null;
}

/** A prefecture code given as 4 or 6 digits → 6 digits; null when absent; undefined when malformed. */
function parentCode(value: unknown): string | null | undefined {
  if (value === null || value === undefined || String(value).trim() === '' || String(value).trim() === 'NA') return null;
  const four = normalizeCode(value, 4);
  if (four) return `${four}00`;
  const six = normalizeCode(value, 6);
  return six ?? undefined;
}

function provinceCode(value: unknown): string | null | undefined {
  if (value === null || value === undefined || String(value).trim() === '' || String(value).trim() === 'NA') return null;
  const two = normalizeCode(value, 2);
  if (two) return two;
  const six = normalizeCode(value, 6);
  return six && six.endsWith('0000') ? six.slice(0, 2) : undefined;
}

const text = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' || v === 'NA' ? null : v);

export function buildHierarchy(inputs: readonly AdminUnitInput[]): Hierarchy {
  // Prefectures confirmed by the boundary file: any ordinary unit's parent field.
  const knownPrefectures = new Set<string>();
  const parentNames = new Map<string, string>();
  const provinceNames = new Map<string, string>();
  for (const u of inputs) {
    const p = parentCode(u.parentId);
    if (p && !p.endsWith('0000') && p.slice(2, 4) !== '90') {
      knownPrefectures.add(p);
      const n = text(u.parentName);
      if (n && !parentNames.has(p)) parentNames.set(p, n);
    }
    const prov = normalizeCode(u.id, 6)?.slice(0, 2);
    const pn = text(u.provinceName);
    if (prov && pn && !provinceNames.has(prov)) provinceNames.set(prov, pn);
  }

  const units: HierarchyUnit[] = [];
  const unplaced: UnplacedUnit[] = [];
  const seen = new Set<string>();
  for (const u of inputs) {
    const name = text(u.name);
    const reject = (reason: string): void => {
      unplaced.push({ id: String(u.id), name, reason });
    };
    const id = normalizeCode(u.id, 6);
    if (!id) {
      reject(`'${u.id}' is not a 6-digit GB/T 2260 county code`);
      continue;
    }
    if (seen.has(id)) {
      reject(`duplicate county code ${id}`);
      continue;
    }
    seen.add(id);
    const prov = id.slice(0, 2);
    if (!(prov in PROVINCE_CODES)) {
      reject(`code ${id} starts with ${prov}, which is not a GB/T 2260 province`);
      continue;
    }
    const givenProv = provinceCode(u.provinceId);
    if (givenProv === undefined) {
      reject(`province field '${u.provinceId}' is not a 2- or 6-digit province code`);
      continue;
    }
    if (givenProv !== null && givenProv !== prov) {
      reject(`province field says ${givenProv} but code ${id} belongs to province ${prov}`);
      continue;
    }
    const province_id = `${prov}0000`;
    const province_name = provinceNames.get(prov) ?? PROVINCE_CODES[prov];
    const region = REGION_BY_PROVINCE[prov] ?? 'mainland';
    const base = { county_id: id, county_name: name, province_id, province_name, region, mainland: region === 'mainland' };

    if (region !== 'mainland') {
      units.push({ ...base, prefecture_id: province_id, prefecture_name: province_name, prefecture_kind: region === 'taiwan' ? 'taiwan' : 'sar', note: null });
      continue;
    }
    if (MUNICIPALITIES.includes(prov)) {
      units.push({ ...base, prefecture_id: province_id, prefecture_name: province_name, prefecture_kind: 'municipality', note: null });
      continue;
    }
    if (id.slice(2, 4) === '90') {
      units.push({ ...base, prefecture_id: id, prefecture_name: name, prefecture_kind: 'province-administered', note: null });
      continue;
    }
    const given = parentCode(u.parentId);
    if (given === undefined) {
      reject(`parent field '${u.parentId}' is not a 4- or 6-digit prefecture code`);
      continue;
    }
    let prefecture_id: string;
    let note: string | null = null;
    if (given !== null) {
      if (given.slice(0, 2) !== prov) {
        reject(`parent field says prefecture ${given}, which is not in province ${prov} of code ${id}`);
        continue;
      }
      prefecture_id = given;
      if (given.slice(0, 4) !== id.slice(0, 4)) note = `parent field ${given} differs from the code's prefix ${id.slice(0, 4)}00; parent field used`;
    } else {
      const derived = `${id.slice(0, 4)}00`;
      if (!knownPrefectures.has(derived)) {
        reject(`no parent given, and ${derived} (from the code) is not the prefecture of any other unit`);
        continue;
      }
      prefecture_id = derived;
      note = 'prefecture derived from the code (no parent in the boundary file)';
    }
    units.push({ ...base, prefecture_id, prefecture_name: text(u.parentName) ?? parentNames.get(prefecture_id) ?? null, prefecture_kind: 'prefecture', note });
  }
  return { units, unplaced };
}

/** Attribute names in the boundary file that feed buildHierarchy. */
export interface HierarchyFields {
  readonly name?: string;
  readonly parent?: string;
  readonly parentName?: string;
  readonly province?: string;
  readonly provinceName?: string;
}

/** Zones (id = county code) → buildHierarchy input, reading the named attributes. */
export function unitsFromZones(zones: readonly Zone[], fields: HierarchyFields): AdminUnitInput[] {
  const get = (z: Zone, field: string | undefined): string | null => {
    if (field === undefined) return null;
    const v: AttributeValue | undefined = z.attributes[field];
    return v === null || v === undefined ? null : String(v);
  };
  return zones.map((z) => ({
    id: z.id,
    name: get(z, fields.name),
    parentId: get(z, fields.parent),
    parentName: get(z, fields.parentName),
    provinceId: get(z, fields.province),
    provinceName: get(z, fields.provinceName),
  }));
}

/** Number of units of each kind (every kind present, 0 when none). */
export function countByKind(units: readonly HierarchyUnit[]): Record<PrefectureKind, number> {
  const out: Record<PrefectureKind, number> = { prefecture: 0, municipality: 0, 'province-administered': 0, sar: 0, taiwan: 0 };
  for (const u of units) out[u.prefecture_kind]++;
  return out;
}
