/**
 * Writes every kind of .dta the project makes (panel, panel_wide, inequality, gap, exposure; see
 * test/dta-label-fixtures.ts) into a directory, for scripts/golden/dta-labels.R to read back with haven.
 * Run from the repo root:
 *   npx tsx scripts/golden/write-label-dta.ts <dir> && Rscript scripts/golden/dta-labels.R <dir> > test/goldens/dta-labels-haven.tsv
 */
import { mkdirSync } from 'node:fs';
import { writeLabelDtas } from '../../test/dta-label-fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx scripts/golden/write-label-dta.ts <output dir>');
mkdirSync(dir, { recursive: true });
await writeLabelDtas(dir);
console.error(`wrote the label .dta files into ${dir}`);
