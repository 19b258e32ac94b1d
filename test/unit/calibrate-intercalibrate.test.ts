/**
 * Inter-calibration against values computed by hand from the published tables (Elvidge 2009, 2014; Liu 2012; Wu 2013), 1e-4,
 * including the bug cases of public copies: Liu's a/c swap, GRASS's F16/F18 row duplication, Wu's missing −1.
 */
import { describe, expect, it } from 'vitest';
import { applyCoefficients, intercalibrateWindow } from '../../src/calibrate/intercalibrate.js';
import { loadTable, lookupCoefficients } from '../../src/calibrate/tables.js';

const DNS = [1, 3, 10, 30, 50, 63];
const EXPECTED: [string, string, number, number[]][] = [
  ['elvidge2014', 'F10', 1992, [-0.4757, 2.6329, 12.946, 37.552, 54.958, 62.4109]],
  ['elvidge2014', 'F14', 2000, [2.409, 4.9976, 13.7238, 35.7938, 53.6238, 62.9396]],
  ['elvidge2014', 'F18', 2012, [2.5005, 3.7827, 8.598, 25.164, 45.89, 61.5927]],
  ['elvidge2009', 'F15', 2008, [1.4405, 3.3177, 9.9131, 28.9731, 48.3531, 61.1217]],
  ['liu2012', 'F10', 1992, [0.5274, 2.4904, 9.5436, 31.2616, 55.2996, 72.1684]],
  ['liu2012', 'F12', 1999, [2.6225, 3.7011, 8.0432, 25.3092, 49.7752, 69.5391]],
  ['liu2012', 'F16', 2008, [1.6494, 3.4908, 10.0239, 29.4459, 49.9879, 63.9408]],
  ['wu2013', 'F10', 1992, [0.8307, 2.741, 9.6154, 29.8925, 50.6136, 64.2276]],
  ['wu2013', 'F16', 2009, [1.8987, 4.7407, 14.5617, 42.2152, 69.5951, 87.3048]],
  ['wu2013', 'F18', 2010, [0.7212, 2.651, 9.9406, 32.6677, 56.78, 72.9196]],
];

describe('coefficient tables reproduce hand-computed values from the published tables', () => {
  for (const [table, sat, year, want] of EXPECTED) {
    it(`${table} ${sat}${year}`, () => {
      const c = lookupCoefficients(loadTable(table), sat, year);
      DNS.forEach((dn, i) => expect(Math.abs(applyCoefficients(dn, c) - (want[i] as number))).toBeLessThan(1e-4));
    });
  }

  it('World Bank worked example F121996 DN=63 → 64.2082', () => {
    expect(applyCoefficients(63, lookupCoefficients(loadTable('elvidge2014'), 'F12', 1996))).toBeCloseTo(64.2082, 4);
  });

  it('row counts and coverage: F16 ends 2009 and F18 is 2010–2012 in Elvidge 2014', () => {
    const t = loadTable('elvidge2014');
    expect(t.rows.size).toBe(33);
    expect(loadTable('elvidge2009').rows.size).toBe(27);
    expect(loadTable('liu2012').rows.size).toBe(30);
    for (const y of [2004, 2005, 2006, 2007, 2008, 2009]) expect(t.rows.has(`F18${y}`)).toBe(false);
    for (const y of [2010, 2011, 2012]) expect(t.rows.has(`F16${y}`)).toBe(false);
    expect(t.citation).toMatch(/Elvidge.*2014/);
  });

  it('bug cases: no Liu a/c swap (GRASS gives ≈ −1706 at DN 63), Wu keeps the −1', () => {
    const liu = lookupCoefficients(loadTable('liu2012'), 'F10', 1992);
    expect(applyCoefficients(63, liu)).toBeGreaterThan(60);
    const wu = lookupCoefficients(loadTable('wu2013'), 'F10', 1992);
    const grassWu = wu.kind === 'power' ? wu.a * Math.pow(64, wu.b) : NaN;
    expect(applyCoefficients(63, wu)).toBeCloseTo(grassWu - 1, 10);
  });
});

describe('refusals', () => {
  it('F182013 under Elvidge 2014, F162010, unknown satellite, year outside the record', () => {
    const t = loadTable('elvidge2014');
    expect(() => lookupCoefficients(t, 'F18', 2013)).toThrow(/no coefficients for F182013.*F18 rows there: 2010–2012.*fit/);
    expect(() => lookupCoefficients(t, 'F16', 2010)).toThrow(/F162010/);
    expect(() => lookupCoefficients(t, 'F18', 2011)).not.toThrow();
    expect(() => lookupCoefficients(loadTable('wu2013'), 'F18', 2011)).toThrow(/F182011/);
    expect(() => lookupCoefficients(t, 'F17', 2000)).toThrow(/unknown DMSP satellite "F17"/);
    expect(() => lookupCoefficients(t, 'F15', 2015)).toThrow(/outside the DMSP-OLS V4 record/);
    expect(() => loadTable('elvidge2020')).toThrow(/unknown calibration table/);
  });
});

describe('application rules', () => {
  it('0 stays 0, 255 is no-data, negatives clamp to 0, optional clamp at 63', () => {
    const c = lookupCoefficients(loadTable('elvidge2014'), 'F10', 1992);
    const data = new Uint8Array([0, 1, 63, 255, 30]);
    const band = { data, rows: 1, width: 5, row0: 0, col0: 0 };
    const free = intercalibrateWindow(band, { nodata: 255 }, { coefficients: c, clamp: null });
    expect(free[0]).toBe(0);
    expect(free[1]).toBe(0); // −0.4757 → 0
    expect(free[2]).toBeCloseTo(62.4109, 4);
    expect(Number.isNaN(free[3])).toBe(true);
    expect(free[4]).toBeCloseTo(37.552, 4);
    const wu = lookupCoefficients(loadTable('wu2013'), 'F16', 2009);
    const clamped = intercalibrateWindow(band, { nodata: null }, { coefficients: wu, clamp: 63 });
    expect(clamped[2]).toBe(63);
    expect(Number.isNaN(clamped[3])).toBe(true); // 255 is DMSP no-data even without a tag
  });
});
