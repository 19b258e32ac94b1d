/**
 * Every test file sits in the folder that scripts/dev/split-tests.ts's rule gives it, test/unit/ or test/e2e/ (the
 * vitest projects `unit` and `e2e`; a test file anywhere else would run in neither), and the rule itself on samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, placements } from '../../scripts/dev/split-tests.js';
import { REPO_ROOT } from '../helpers/data-dir.js';

const sample = (name: string): string => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'split-tests', name), 'utf8');

describe('test layout', () => {
  it('every test file is in the folder the rule gives it', () => {
    const misplaced = placements(REPO_ROOT)
      .filter((p) => p.from !== p.to)
      .map((p) => `${p.from} → ${p.to}`);
    expect(misplaced, 'move them with `npx tsx scripts/dev/split-tests.ts`').toEqual([]);
  });

  it('end-to-end: starts a process, runs a whole pipeline, or states a timeout of 30 s or more', () => {
    // Reasons are matched loosely: spelling out the signals here would make this file end-to-end itself.
    expect(classify(sample('spawn.txt'))).toMatchObject({
      kind: 'e2e',
      reasons: [expect.stringMatching(/^imports node:/), expect.stringMatching(/^names bin/), expect.stringMatching(/^starts node/)],
    });
    expect(classify(sample('binary.txt'))).toMatchObject({ kind: 'e2e', reasons: [expect.stringMatching(/as a child process/)] });
    expect(classify(sample('pipeline.txt'))).toMatchObject({ kind: 'e2e', reasons: [expect.stringMatching(/^runs a whole pipeline/)] });
    expect(classify(sample('slow.txt'))).toEqual({ kind: 'e2e', reasons: ['declares a 90 s timeout'] });
  });

  it('unit: everything else, whatever the comments say', () => {
    expect(classify(sample('unit.txt'))).toEqual({ kind: 'unit', reasons: [] });
  });
});
