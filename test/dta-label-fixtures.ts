/**
 * Every kind of .dta the project writes — panel, panel_wide, inequality (CLI and pipeline path), gap, exposure —
 * built from one small panel by the code that builds them in a run, so their variable labels can be compared.
 * Shared by test/unit/output-labels.test.ts and scripts/golden/write-label-dta.ts (whose files
 * scripts/golden/dta-labels.R reads back with haven into test/goldens/dta-labels-haven.tsv).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inequalityFromPanel } from '../src/inequality/index.js';
import { encodePanel } from '../src/output/panel-writers.js';
import { longToWide } from '../src/output/wide.js';
import { assemblePanel, type PeriodValues, type UnitInfo } from '../src/panel/assemble.js';
import { runCli } from './helpers/cli.js';

const UNITS: UnitInfo[] = ['430102', '430103', '430104', '430202', '430203', '430204'].map((id) => ({
  id,
  name: `county ${id}`,
  parentId: `${id.slice(0, 4)}00`,
  provinceId: '430000',
}));

const PERIODS: PeriodValues[] = [2012, 2013].map((year) => ({
  series: 'viirs_like',
  year,
  columns: ['sum', 'mean'],
  rows: UNITS.map((u, k) => [u.id, 10 * (k + 1) + year - 2012, k + 1 + (year - 2012) / 2] as const),
}));

/** The .dta files written, by name (panel, panel_wide, inequality, inequality_pipeline, gap, exposure, exposure_county). */
export const LABEL_DTA_NAMES = ['panel', 'panel_wide', 'inequality', 'inequality_pipeline', 'gap', 'exposure', 'exposure_county'] as const;

/** Writes `<name>.dta` for every LABEL_DTA_NAMES into `dir` (plus the CSV inputs the commands read). */
export async function writeLabelDtas(dir: string): Promise<void> {
  const panel = assemblePanel(UNITS, PERIODS);
  const dta = (name: string, t: Parameters<typeof encodePanel>[0]) => writeFileSync(join(dir, `${name}.dta`), encodePanel(t, 'dta', { label: name }));
  dta('panel', panel);
  const stats = panel.columns.slice(panel.columns.findIndex((c) => c.name === 'source') + 1).map((c) => c.name);
  dta('panel_wide', longToWide(panel, { id: ['unit_id', 'source'], time: 'year', values: stats }));
  dta(
    'inequality_pipeline',
    inequalityFromPanel(panel, { value: 'mean', group: 'parent_id', by: 'year', where: { source: 'viirs_like' }, measures: ['gini'] }).table,
  );

  const csv = join(dir, 'panel.csv');
  writeFileSync(csv, encodePanel(panel, 'csv') as string);
  writeFileSync(join(dir, 'edges.csv'), 'id_a,id_b\n430102,430103\n430103,430104\n430202,430203\n430203,430204\n430104,430202\n');
  writeFileSync(join(dir, 'treated.csv'), 'unit_id,first_year\n430103,2013\n');
  writeFileSync(join(dir, 'treated_county.csv'), 'county,first_year\n430103,2013\n');
  const runs: string[][] = [
    ['inequality', '--panel', csv, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--out', join(dir, 'inequality.dta')],
    ['gap', '--panel', csv, '--y', 'sum', '--time', 'year', '--by', 'source', '--out', join(dir, 'gap.dta')],
    [
      'exposure',
      '--edges',
      join(dir, 'edges.csv'),
      '--treated',
      join(dir, 'treated.csv'),
      '--unit',
      'unit_id',
      '--time',
      'first_year',
      '--years',
      '2012-2013',
      '--out',
      join(dir, 'exposure.dta'),
    ],
    [
      'exposure',
      '--edges',
      join(dir, 'edges.csv'),
      '--treated',
      join(dir, 'treated_county.csv'),
      '--unit',
      'county',
      '--time',
      'first_year',
      '--years',
      '2012-2013',
      '--out',
      join(dir, 'exposure_county.dta'),
    ],
  ];
  for (const argv of runs) {
    const r = await runCli(argv);
    if (r.code !== 0) throw new Error(`ntl ${argv[0]} failed: ${r.stderr}`);
  }
}
