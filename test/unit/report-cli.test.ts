/** `ntl report <outDir>` (reportCommand, registered in main.ts): help, usage errors, the files it writes. */
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report-command.js';
import { REPORT_HELP } from '../../src/cli/specs/report.js';
import { NtlError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

const FIX = fileURLToPath(new URL('../fixtures/report/', import.meta.url));

function io() {
  const out: string[] = [];
  return { out, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) } };
}

describe('ntl report', () => {
  it('prints help', async () => {
    const o = io();
    expect(await reportCommand(['--help'], o.io)).toBe(0);
    expect(o.out.join('')).toBe(REPORT_HELP);
  });

  it('needs exactly one folder', async () => {
    await expect(reportCommand([], io().io)).rejects.toThrow(/expected one output folder, got none/);
    await expect(reportCommand(['a', 'b'], io().io)).rejects.toThrow(NtlError);
    await expect(reportCommand(['--nope', 'a'], io().io)).rejects.toThrow(/ntl report: .*--nope/);
  });

  it('writes report.html and every table as md/tex/csv for a folder of estimates only', async () => {
    const dir = tempDir('report-cli');
    for (const f of ['estimates', 'figures']) await cp(join(FIX, f), join(dir, f), { recursive: true });
    const o = io();
    expect(await reportCommand([dir], o.io)).toBe(0);
    expect(o.out.join('')).toMatch(/^wrote .*report\.html and 30 table files under .*tables\n$/);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Estimates</h2>');
    expect(html).not.toContain('<h2>Panel summary</h2>');
    const tables = (await readdir(join(dir, 'tables'))).sort();
    expect(tables.filter((t) => t.startsWith('est_did.'))).toEqual(['est_did.csv', 'est_did.md', 'est_did.tex']);
    expect(tables).toHaveLength(30);
    expect(await reportCommand([dir, '--quiet'], o.io)).toBe(0);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(html);
  });
});
