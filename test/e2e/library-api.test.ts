/** The package's public entry points: the runnable example in docs/library.md runs as written, through `exports`. */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// inside the project (git-ignored .tmp-*), so that `import 'ntl-pipeline'` resolves as it does for a user's script
const file = join(process.cwd(), `.tmp-library-example-${process.pid}.mjs`);
afterAll(() => rmSync(file, { force: true }));

describe('library API', () => {
  it('the docs/library.md example runs against the built package and prints the demo numbers', () => {
    const doc = readFileSync('docs/library.md', 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, [file], { cwd: process.cwd(), encoding: 'utf8' });
    expect(out).toMatch(/^122 counties; count, sum, mean of 43\d{4}: \d+\.\d{3}, \d+\.\d{3}, \d+\.\d{3}$/m);
    expect(out).toMatch(/DID β = 1\.9250; switchers 2; warnings: 1/);
  });
  it('exports typed entry points for rasters, zones, zonal statistics, tables, inequality, spatial, estimation and calibration', async () => {
    const api = await import('ntl-pipeline');
    for (const name of [
      'openRaster',
      'readZones',
      'runZonalJob',
      'readTable',
      'tableOf',
      'runModel',
      'feols',
      'feolsFit',
      'feolsVcov',
      'dagum',
      'gini',
      'adjacency',
      'NtlError',
      'calibrateFile',
      'writeContinuityFolder',
      'fitHarmonisationFiles',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
