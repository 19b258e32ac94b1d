/**
 * Writes the .dta goldens (test/goldens/output-<name>.dta) from the test fixtures.
 * Run: npx tsx scripts/golden/write-output-dta.ts && Rscript scripts/golden/check-dta.R
 */
import { writeFileSync } from 'node:fs';
import { tableToDta } from '../../src/output/dta.js';
import { DTA_LABEL, DTA_TIMESTAMP, dtaGoldens } from '../../test/output-fixtures.js';

for (const [name, table] of Object.entries(dtaGoldens)) {
  const path = `test/goldens/output-${name}.dta`;
  writeFileSync(path, tableToDta(table, { label: DTA_LABEL, timestamp: DTA_TIMESTAMP }));
  console.log(`wrote ${path}`);
}
