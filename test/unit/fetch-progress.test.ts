/** Progress output: bars per file and overall on a terminal; one line per file in logs. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/fetch/progress.js';

describe('fetch progress', () => {
  it('on a terminal: a bar per active file and an overall bar, redrawn in place', () => {
    let out = '';
    const p = createProgress((t) => void (out += t), true, 2);
    p.start('vnl-v2-2015', 'https://x/a.tif.gz');
    p.update('vnl-v2-2015', 5_000_000, 10_000_000);
    p.end('vnl-v2-2015', 'fetched vnl-v2-2015');
    p.close();
    expect(out).toMatch(/vnl-v2-2015\s+\[#{12}-{12}\]\s+50% 5\.0 MB\/10\.0 MB/);
    expect(out).toMatch(/overall 1\/2 file\(s\) \[#{12}-{12}\]/);
    expect(out).toContain('\x1b[2K');
  });

  it('in a log: start and end lines with a counter, no escape codes', () => {
    let out = '';
    const p = createProgress((t) => void (out += t), false, 2);
    p.start('a', 'http://x/a');
    p.update('a', 1, 2);
    p.end('a', 'fetched a');
    expect(out).toBe('  fetching a: http://x/a\n  [1/2] fetched a\n');
  });
});
