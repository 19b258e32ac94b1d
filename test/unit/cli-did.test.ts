/**
 * The estimate commands as a user runs them (flags in, JSON/table/plot out), checked against the R goldens
 * (scripts/golden/did-*.R), and every bad-input case giving one NtlError and no output file. The commands are
 * called in-process (main.ts registers them; the spawned-binary form is the same function behind main).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { didCommand } from '../../src/cli/did-command.js';
import { eventstudyCommand } from '../../src/cli/eventstudy-command.js';
import { placeboCommand } from '../../src/cli/placebo-command.js';
import { psmCommand } from '../../src/cli/psm-command.js';
import { spilloverCommand } from '../../src/cli/spillover-command.js';
import { NtlError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

type Cmd = (argv: readonly string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }) => Promise<number>;
async function call(cmd: Cmd, args: string[]): Promise<string> {
  let out = '';
  await cmd(args, { stdout: (s) => (out += s), stderr: () => {} });
  return out;
}
const json = async (cmd: Cmd, args: string[]) => JSON.parse(await call(cmd, args)) as Record<string, any>;

const tmp = tempDir('did');
const STAG = 'test/fixtures/did/staggered.csv';
const BASE = ['--panel', STAG, '--y', 'y', '--treat', 'D', '--unit', 'unit', '--time', 'year'];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const goldens = (file: string) => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
};
const extra = goldens('test/goldens/did-extra.csv');
const estimatr = goldens('test/goldens/did-estimatr.csv');
const gold = (model: string, term: string) => extra.find((g) => g.model === model && g.term === term)!;

describe('ntl did', () => {
  it('equals estimatr (se_type="stata") with --ssc full; JSON has the documented keys', async () => {
    const r = await json(didCommand, [...BASE, '--controls', 'x1,x2', '--ssc', 'full']);
    for (const term of ['D', 'x1', 'x2']) {
      const g = estimatr.find((x) => x.case === 'staggered' && x.model === 'cr1_unit_year_controls' && x.term === term)!;
      expect(rel(r.coef[term], Number(g.coef))).toBeLessThan(1e-10);
      expect(rel(r.se[term], Number(g.se))).toBeLessThan(1e-9);
    }
    expect(Object.keys(r).slice(0, 10)).toEqual(['coef', 'se', 't', 'p', 'n', 'clusters', 'r2', 'r2_within', 'fe', 'vcov']);
    expect(r).toMatchObject({ n: 960, clusters: 80, fe: ['unit', 'year'], vcov: 'CR1' });
  });
  it('Grunfeld default convention to the published digits; md table with stars', async () => {
    const args = ['--panel', 'test/fixtures/did/grunfeld.csv', '--y', 'inv', '--treat', 'capital', '--unit', 'firm', '--time', 'year'];
    const r = await json(didCommand, args);
    expect(r.coef.capital.toFixed(8)).toBe('0.41380183');
    expect(r.se.capital.toFixed(8)).toBe('0.06328129');
    const md = await call(didCommand, [...args, '--format', 'md']);
    expect(md).toMatch(/\| capital +\| 0\.414\*\*\* \|/);
    expect(md).toContain('(0.063)');
    const tex = await call(didCommand, [...args, '--format', 'tex', '--out', join(tmp, 'g.json')]);
    expect(tex).toContain('\\begin{tabular}');
    expect(existsSync(join(tmp, 'g.json'))).toBe(true);
  });
  it('--drop, --winsor, --interact and two-way clusters run and are reported', async () => {
    const r = await json(didCommand, [...BASE, '--drop', 'province=1', '--winsor', '0.05', '--interact', 'D:x1', '--cluster', 'unit,year']);
    expect(r.n).toBe(900);
    expect(Object.keys(r.coef)).toEqual(['D', 'D:x1']);
    expect(r.notes.join(' ')).toMatch(/winsorized/);
    expect(r.clusters).toBe(12);
  });
});

describe('ntl eventstudy / psm-did / spillover vs goldens', () => {
  it('eventstudy coefficients and SEs equal lm_robust; plot written as PNG', async () => {
    const plot = join(tmp, 'es.png');
    const r = await json(eventstudyCommand, [...BASE, '--cohort', 'cohort', '--window', '-4,4', '--ref', '-1', '--ssc', 'full', '--plot', plot]);
    for (const p of r.periods.filter((q: { reference: boolean }) => !q.reference)) {
      const g = gold('eventstudy', `rel_${p.rel}`);
      expect(rel(p.coef, Number(g.coef))).toBeLessThan(1e-10);
      expect(rel(p.se, Number(g.se))).toBeLessThan(1e-9);
    }
    expect(r.periods.find((q: { rel: number }) => q.rel === -1)).toMatchObject({ coef: 0, reference: true });
    expect(readFileSync(plot).subarray(1, 4).toString()).toBe('PNG');
  });
  it('psm-did kernel matching equals the R reimplementation + weighted lm_robust', async () => {
    const r = await json(psmCommand, [...BASE, '--covariates', 'x1,x2', '--match', 'kernel', '--ssc', 'full']);
    expect(rel(r.coef.D, Number(gold('psm_kernel', 'D').coef))).toBeLessThan(1e-9);
    expect(rel(r.se.D, Number(gold('psm_kernel', 'D').se))).toBeLessThan(1e-8);
    expect(rel(r.logit[0].coef.x1, Number(gold('logit', 'x1').coef))).toBeLessThan(1e-9);
    expect(r.balance.map((b: { covariate: string }) => b.covariate)).toEqual(['x1', 'x2']);
  });
  it('spillover: exposure DID on never-treated units and the main DID without neighbours', async () => {
    const args = [
      '--panel',
      'test/fixtures/did/spillover.csv',
      '--y',
      'y',
      '--treat',
      'D',
      '--unit',
      'unit',
      '--time',
      'year',
      '--exposure',
      'exposure',
      '--ssc',
      'full',
    ];
    const r = await json(spilloverCommand, args);
    expect(rel(r.spillover.coef.exposure, Number(gold('spillover', 'exposure').coef))).toBeLessThan(1e-10);
    expect(rel(r.spillover.se.exposure, Number(gold('spillover', 'exposure').se))).toBeLessThan(1e-9);
    expect(rel(r.without_neighbours.coef.D, Number(gold('without_neighbours', 'D').coef))).toBeLessThan(1e-10);
    expect(rel(r.without_neighbours.se.D, Number(gold('without_neighbours', 'D').se))).toBeLessThan(1e-9);
  });
});

describe('ntl placebo', () => {
  it('same seed → identical bytes for 1 and 2 worker threads; p-value and draws consistent', async () => {
    const a = join(tmp, 'p1.json');
    const b = join(tmp, 'p2.json');
    await call(placeboCommand, [...BASE, '--draws', '40', '--seed', '7', '--threads', '1', '--out', a, '--mode', 'both']);
    await call(placeboCommand, [...BASE, '--draws', '40', '--seed', '7', '--threads', '2', '--out', b, '--mode', 'both']);
    // identical except the plot's own file name, and identical plot bytes
    expect(readFileSync(a, 'utf8').replace('p1.png', 'p2.png')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a.replace('.json', '.png'))).toEqual(readFileSync(b.replace('.json', '.png')));
    expect(readFileSync(a.replace('.json', '.png')).subarray(1, 4).toString()).toBe('PNG');
    const r = JSON.parse(readFileSync(a, 'utf8'));
    const ok = r.draws.filter((d: number | null) => d !== null);
    const ge = ok.filter((d: number) => Math.abs(d) >= Math.abs(r.actual.coef)).length;
    expect(r.p_value).toBe((1 + ge) / (1 + ok.length));
    expect(r).toMatchObject({ inference: 'randomization', mode: 'both', draws_ok: ok.length });
    const other = JSON.parse(await call(placeboCommand, [...BASE, '--draws', '40', '--seed', '8', '--threads', '1', '--mode', 'both']));
    expect(other.draws).not.toEqual(r.draws);
  });
});

describe('bad input: one NtlError naming the problem, no output file', () => {
  const bad = join(tmp, 'bad.csv');
  const cases: [string, string, string[], RegExp][] = [
    ['non-numeric column', 'unit,year,y,D\n1,2001,1,0\n1,2002,abc,1\n2,2001,1,0\n2,2002,2,0\n', [], /line 3: column "y" has the non-numeric value "abc"/],
    ['all-zero treatment', 'unit,year,y,D\n1,2001,1,0\n1,2002,2,0\n2,2001,1,0\n2,2002,2,0\n', [], /"D" is 0 in every used row/],
    ['unit with one period', 'unit,year,y,D\n1,2001,1,0\n1,2002,2,1\n2,2001,1,0\n', [], /unit "2" is observed in one period only/],
    [
      'fewer than 2 clusters',
      'unit,year,y,D,c\n1,2001,1,0,a\n1,2002,2,1,a\n2,2001,1,0,a\n2,2002,2,0,a\n3,2001,1,0,a\n3,2002,3,1,a\n',
      ['--cluster', 'c'],
      /cluster variable "c" has fewer than 2/,
    ],
    ['duplicate unit-year', 'unit,year,y,D\n1,2001,1,0\n1,2001,2,1\n2,2001,1,0\n2,2002,2,0\n', [], /two rows for year = 2001/],
    ['missing column', 'unit,year,y\n1,2001,1\n1,2002,2\n', [], /has no column "D"/],
  ];
  it.each(cases)('%s', async (_name, csv, extraArgs, message) => {
    writeFileSync(bad, csv);
    const out = join(tmp, `out-${_name.replace(/\W/g, '')}.json`);
    const err = await didCommand(['--panel', bad, '--y', 'y', '--treat', 'D', '--unit', 'unit', '--time', 'year', '--out', out, ...extraArgs], {
      stdout: () => {},
      stderr: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NtlError);
    expect((err as Error).message).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
  it('bad flags', async () => {
    await expect(didCommand([...BASE, '--vcov', 'hc3'], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/--vcov must be cr1, hc1 or iid/);
    await expect(didCommand([...BASE, '--winsor', '0.7'], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/--winsor must be/);
    await expect(eventstudyCommand([...BASE], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/--cohort is required/);
  });
});
