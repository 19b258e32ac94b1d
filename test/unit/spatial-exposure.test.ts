/** Exposure panel (src/spatial/exposure.ts) and neighbour files (weights-io.ts), answers worked by hand. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exposurePanel } from '../../src/spatial/exposure.js';
import { galText, gwtText, readNeighbourFile, edgesCsv } from '../../src/spatial/weights-io.js';
import type { Table } from '../../src/output/table.js';
import { tempDir } from '../helpers/tmp.js';

// A line a – b – c – d – e, plus f touching c (a star arm), plus the island g.
//   a   b   c   d   e
//           |
//           f
const EDGES = [
  { a: 'a', b: 'b' },
  { a: 'b', b: 'c' },
  { a: 'c', b: 'd' },
  { a: 'd', b: 'e' },
  { a: 'c', b: 'f' },
];
const UNITS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
// Staggered: b from 2010, e from 2012, the island g from 2011.
const TREATED = new Map([
  ['b', 2010],
  ['e', 2012],
  ['g', 2011],
]);

function rows(t: Table): Record<string, string | number | null>[] {
  const n = t.columns[0]!.values.length;
  return Array.from({ length: n }, (_, r) => Object.fromEntries(t.columns.map((c) => [c.name, c.values[r] ?? null])));
}
const at = (t: Table, unit: string, year: number) => rows(t).find((r) => r.unit === unit && r.year === year)!;

describe('exposurePanel', () => {
  const t = exposurePanel(EDGES, TREATED, UNITS, [2009, 2010, 2011, 2012, 2013], 2);

  it('has every unit × year, sorted, with the documented columns', () => {
    expect(t.columns.map((c) => c.name)).toEqual([
      'unit',
      'year',
      'treated_unit',
      'first_treated_year',
      'treated',
      'neighbours',
      'neighbour_of_treated',
      'treated_neighbours',
      'treated_neighbour_share',
      'first_exposure_year',
      'neighbours_ring2',
      'neighbour_of_treated_ring2',
      'treated_neighbours_ring2',
      'treated_neighbour_share_ring2',
      'first_exposure_year_ring2',
    ]);
    expect(rows(t)).toHaveLength(35);
    expect(
      rows(t)
        .slice(0, 6)
        .map((r) => `${r.unit}${r.year}`),
    ).toEqual(['a2009', 'a2010', 'a2011', 'a2012', 'a2013', 'b2009']);
  });

  it('exposure switches on in the first year a neighbour is treated and counts staggered neighbours', () => {
    // d neighbours c and e: e treated 2012 → exposed from 2012, 1 of 2 neighbours.
    expect(at(t, 'd', 2011)).toMatchObject({
      neighbour_of_treated: 0,
      treated_neighbours: 0,
      treated_neighbour_share: 0,
      first_exposure_year: 2012,
      neighbours: 2,
    });
    expect(at(t, 'd', 2012)).toMatchObject({ neighbour_of_treated: 1, treated_neighbours: 1, treated_neighbour_share: 0.5 });
    // c neighbours b, d, f: b (2010) → 1/3 from 2010.
    expect(at(t, 'c', 2009)).toMatchObject({ neighbour_of_treated: 0, first_exposure_year: 2010 });
    expect(at(t, 'c', 2010)).toMatchObject({ neighbour_of_treated: 1, treated_neighbours: 1, treated_neighbour_share: 1 / 3 });
    // Ring 2 of c: a and e (d, b, f are ring 1); e treated 2012 → 1 of 2 from 2012.
    expect(at(t, 'c', 2012)).toMatchObject({
      neighbours_ring2: 2,
      treated_neighbours_ring2: 1,
      treated_neighbour_share_ring2: 0.5,
      first_exposure_year_ring2: 2012,
    });
    expect(at(t, 'c', 2011)).toMatchObject({ neighbour_of_treated_ring2: 0 });
    // d's ring 2: b (2010) and f → exposed in ring 2 from 2010 while ring 1 waits for 2012.
    expect(at(t, 'd', 2010)).toMatchObject({ neighbour_of_treated: 0, neighbour_of_treated_ring2: 1, first_exposure_year_ring2: 2010 });
  });

  it('flags treated units and their own timing, so the spillover sample can drop them', () => {
    expect(at(t, 'b', 2009)).toMatchObject({ treated_unit: 1, first_treated_year: 2010, treated: 0 });
    expect(at(t, 'b', 2010)).toMatchObject({ treated_unit: 1, treated: 1, neighbour_of_treated: 0 });
    expect(at(t, 'a', 2013)).toMatchObject({ treated_unit: 0, first_treated_year: null, treated: 0, neighbour_of_treated: 1 });
  });

  it('an island has missing shares (never NaN) and no exposure', () => {
    expect(at(t, 'g', 2013)).toMatchObject({
      neighbours: 0,
      neighbour_of_treated: 0,
      treated_neighbours: 0,
      treated_neighbour_share: null,
      first_exposure_year: null,
      treated: 1,
    });
  });

  it('order 1 has no ring-2 columns', () => {
    const one = exposurePanel(EDGES, TREATED, UNITS, [2010], 1, { unitColumn: 'county' });
    expect(one.columns.map((c) => c.name)).toEqual([
      'county',
      'year',
      'treated_unit',
      'first_treated_year',
      'treated',
      'neighbours',
      'neighbour_of_treated',
      'treated_neighbours',
      'treated_neighbour_share',
      'first_exposure_year',
    ]);
  });
});

describe('neighbour files', () => {
  const dir = tempDir('spatial');
  const pairs = [
    { a: 'a', b: 'b', sharedM: 1002.00049 },
    { a: 'b', b: 'c', sharedM: 2 },
  ];
  const ids = ['c', 'b', 'a', 'island'];

  it('GAL: GeoDa header, `id count` then the neighbour line; islands kept', async () => {
    const gal = galText(ids, pairs, 'layer', 'code');
    expect(gal).toBe('0 4 layer code\na 1\nb\nb 2\na c\nc 1\nb\nisland 0\n\n');
    writeFileSync(join(dir, 'x.gal'), gal);
    const back = await readNeighbourFile(join(dir, 'x.gal'));
    expect(back.units).toEqual(['a', 'b', 'c', 'island']);
    expect(back.edges).toHaveLength(4);
  });

  it('GWT: both directions, weight = shared metres to the millimetre', async () => {
    const gwt = gwtText(ids, pairs, 'layer', 'code');
    expect(gwt).toBe('0 4 layer code\na b 1002\nb a 1002\nb c 2\nc b 2\n');
    writeFileSync(join(dir, 'x.gwt'), gwt);
    expect((await readNeighbourFile(join(dir, 'x.gwt'))).units).toEqual(['a', 'b', 'c']);
  });

  it('CSV edge list round-trips; a GAL with a wrong count is one clear error', async () => {
    writeFileSync(join(dir, 'e.csv'), edgesCsv(pairs));
    const back = await readNeighbourFile(join(dir, 'e.csv'));
    expect(back.edges).toEqual([
      { a: 'a', b: 'b' },
      { a: 'b', b: 'c' },
    ]);
    writeFileSync(join(dir, 'bad.gal'), '0 2 l id\na 2\nb\nb 1\na\n');
    await expect(readNeighbourFile(join(dir, 'bad.gal'))).rejects.toThrow(/line 3: unit a declares 2 neighbours but the line lists 1/);
  });
});
