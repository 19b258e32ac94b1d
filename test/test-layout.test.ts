/**
 * Every test file sits in the folder that scripts/dev/split-tests.ts's rule gives it, test/unit/ or test/e2e/ (the
 * vitest projects `unit` and `e2e`; a test file anywhere else would run in neither), and the rule itself on samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, placements } from '../scripts/dev/split-tests.js';
import { REPO_ROOT } from './helpers/data-dir.js';

const sample = (name: string): string => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'split-tests', name), 'utf8');

describe('test layout', () => {
  it('every test file is in the folder the rule gives it', () => {
    const misplaced = placements(REPO_ROOT)
      .filter((p) => p.from !== p.to)
      .map((p) => `${p.from} → ${p.to}`);
    expect(misplaced, 'move them with `npx tsx scripts/dev/split-tests.ts`').toEqual([]);
  });

  it('end-to-end: starts a process, runs a whole pipeline, or states a timeout of 30 s or more', () => {
    expect(classify(sample('spawn.txt')).reasons).toEqual(['imports node:child_process', 'names bin/ntl.js', 'starts node (process.execPath)']);
    expect(classify(sample('binary.txt')).reasons).toEqual(['runs bin/ntl.js as a child process (runBinary)']);
    expect(classify(sample('pipeline.txt')).reasons).toEqual(['runs a whole pipeline (ntl run / merge)']);
    expect(classify(sample('slow.txt')).reasons).toEqual(['declares a 90 s timeout']);
  });

  it('unit: everything else, whatever the comments say', () => {
    expect(classify(sample('unit.txt'))).toEqual({ kind: 'unit', reasons: [] });
  });
});
