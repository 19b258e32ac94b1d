/**
 * Every .dta the project writes (panel, panel_wide, inequality — command and pipeline path —, gap, exposure)
 * carries the one shared label (src/output/labels.ts) on each id / period column, ids stored as text, no value
 * labels; read back with a reader independent of the writer, and checked against what haven read from the same
 * files (test/goldens/dta-labels-haven.tsv, from scripts/golden/write-label-dta.ts + dta-labels.R).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_LABELS } from '../../src/output/labels.js';
import { LABEL_DTA_NAMES, writeLabelDtas } from '../dta-label-fixtures.js';
import { readDtaVariables, type DtaVariable } from '../helpers/dta-read.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('labels');
const files = new Map<string, DtaVariable[]>();

beforeAll(async () => {
  await writeLabelDtas(dir);
  for (const name of LABEL_DTA_NAMES) files.set(name, readDtaVariables(readFileSync(join(dir, `${name}.dta`))).variables);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.dta variable labels', () => {
  it('every file (but the wide panel) labels year "Year" and each shared id column with its one label; ids are text, no value labels', () => {
    for (const [file, vars] of files) {
      // The wide panel has no year column: the year is in each value column's name and label ("…, 2012").
      if (file !== 'panel_wide') expect(vars.find((v) => v.name === 'year')?.label, `${file}: year`).toBe(SHARED_LABELS.year);
      for (const v of vars) {
        if (Object.hasOwn(SHARED_LABELS, v.name)) expect(v.label, `${file}: ${v.name}`).toBe(SHARED_LABELS[v.name]);
        if (/(^|_)id$/.test(v.name)) expect(v.type, `${file}: ${v.name}`).toMatch(/^str/);
        expect(v.valueLabel, `${file}: ${v.name}`).toBe('');
      }
    }
    // An id column the user names (exposure --unit county) gets the role label, not a county-code claim.
    expect(files.get('exposure_county')![0]).toMatchObject({ name: 'county', label: 'Unit id' });
    expect(files.get('exposure')![0]).toMatchObject({ name: 'unit_id', label: SHARED_LABELS.unit_id });
    expect(files.get('inequality')![0]).toMatchObject({ name: 'parent_id', label: SHARED_LABELS.parent_id });
    expect(files.get('panel_wide')!.find((v) => v.name === 'mean_2013')?.label).toMatch(/, 2013$/);
  });

  it('agrees with what haven read from the same files (test/goldens/dta-labels-haven.tsv)', () => {
    const [head, ...lines] = readFileSync('test/goldens/dta-labels-haven.tsv', 'utf8').trimEnd().split('\n');
    expect(head).toBe('file\tvariable\tclass\tlabel\tvalue_labels');
    const haven = lines.map((l) => l.split('\t')).map(([file, variable, cls, label, vl]) => ({ file: file!.replace(/\.dta$/, ''), variable, cls, label, vl }));
    const ours = [...files].flatMap(([file, vars]) =>
      vars.map((v) => ({
        file,
        variable: v.name,
        cls: v.type.startsWith('str') ? 'character' : 'double',
        label: v.label,
        vl: v.valueLabel === '' ? '-' : v.valueLabel,
      })),
    );
    const key = (r: { file: string; variable?: string }) => `${r.file}\t${r.variable}`;
    expect(new Map(ours.map((r) => [key(r), r]))).toEqual(new Map(haven.map((r) => [key(r), r])));
  });
});
