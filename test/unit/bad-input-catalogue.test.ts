/**
 * Issue 15: the catalogue of bad inputs (test/catalogue/bad-inputs.ts), every case run in-process. Each must end
 * in exactly one `ntl: error:` line with the case's message fragment and exit code — no internal error, no stack
 * trace — with its inputs byte-identical and nothing written: no output, no half-written or staging file.
 * Cases marked known: 'open' pin today's (wrong) behaviour instead, so fixing one shows up here. Cases use the
 * current flag names: a deprecation warning appears only in the cases that check an old name (`warning`).
 * Also: docs/bad-input.md is the text scripts/docs/bad-inputs.ts generates from the table.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInputDoc } from '../../scripts/docs/bad-inputs.js';
import { CATALOGUE } from '../catalogue/bad-inputs.js';
import { REPO, runCase, startServer } from '../catalogue/harness.js';
import { CASE_CLASSES } from '../catalogue/types.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('catalogue');
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const STRAY = /(^|\/)(\.staging-|\.ntl-lock|[^/]*\.tmp(-|$)|[^/]*\.partial$)/;

describe('the bad-input catalogue', () => {
  it('has at least 200 cases, unique ids, known classes, and a doc line for each', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(200);
    const ids = CATALOGUE.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of CATALOGUE) {
      expect(Object.keys(CASE_CLASSES), c.id).toContain(c.class);
      expect(c.doc.trim(), c.id).not.toBe('');
      expect(c.id.startsWith(`${c.command}/`) || c.id.startsWith('ntl/'), `${c.id}: ids start with the command`).toBe(true);
      if (c.known === 'open') expect(c.current && c.note, `${c.id}: an open case needs current and note`).toBeTruthy();
    }
  });

  it.each(CATALOGUE.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCase(c, root, server.url);
    const shown = `${c.id}: exit ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`;
    expect(r.changed, `${shown}\ninputs changed`).toEqual([]);
    expect(
      r.created.filter((f) => STRAY.test(f)),
      `${shown}\nstray files`,
    ).toEqual([]);
    expect(r.stderr, shown).not.toMatch(/internal error|^\s+at .*:\d+:\d+\)?$/m);
    const before = r.stderr.includes('ntl: error:') ? r.stderr.slice(0, r.stderr.indexOf('ntl: error:')) : r.stderr;
    if (c.warning) expect(before, shown).toMatch(c.warning);
    else expect(before, `${shown}\nuse the current flag names (docs/flags.md), or say which old one the case checks (warning)`).not.toMatch(/deprecated/);
    if (c.known === 'open') {
      expect(r.code, shown).toBe(c.current!.code);
      if (c.current!.stderr) expect(r.stderr, shown).toMatch(c.current!.stderr);
      if (c.current!.stdout) expect(r.stdout, shown).toMatch(c.current!.stdout);
      return;
    }
    expect(r.code, shown).toBe(c.expectCode);
    const errorLines = r.stderr.split('\n').filter((l) => l.includes('ntl: error:'));
    expect(errorLines, shown).toHaveLength(1);
    const error = r.stderr.slice(r.stderr.indexOf('ntl: error:'));
    expect(error, shown).toMatch(c.message);
    expect(r.present, `${shown}\nshould not exist`).toEqual([]);
    expect(r.created, `${shown}\nfiles written`).toEqual([]);
  });

  it('docs/bad-input.md is generated from the catalogue (npx tsx scripts/docs/bad-inputs.ts)', () => {
    expect(readFileSync(join(REPO, 'docs/bad-input.md'), 'utf8')).toBe(badInputDoc(CATALOGUE));
  });

  it("the README's Bad input section states the catalogue's size and links the page", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Bad input: what you get'), readme.indexOf('\n## ', readme.indexOf('## Bad input: what you get') + 5));
    expect(section).toContain(`[docs/bad-input.md](docs/bad-input.md) lists ${CATALOGUE.length} cases`);
  });
});
