/**
 * Write the weighting-raster golden's raster pairs (test/helpers/weights-rasters.ts) into a folder, for
 * scripts/golden/weights-terra.R:
 *
 *   npx tsx scripts/golden/weights-rasters.ts OUT_DIR [data/demo]
 *
 * Prints one line per case: name, values file, weights file, default weight.
 */
import { mkdir } from 'node:fs/promises';
import { writeWeightRasters } from '../../test/helpers/weights-rasters.js';

const [outDir, dataDir = 'data/demo'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: npx tsx scripts/golden/weights-rasters.ts OUT_DIR [data/demo]');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
for (const c of await writeWeightRasters(dataDir, outDir)) {
  console.log([c.name, c.values, c.weights, c.defaultWeight ?? 'NA'].join('\t'));
}
