/**
 * The pipeline `harmonise:` section on the demo's real overlap (viirs_like × dmsp_like, 2018–2021):
 * the fit equals `ntl calibrate harmonise --pairs` on pairs built from the published panel.csv, the loglinear fit
 * equals ordinary least squares of y on ln x computed here, the power fit is a stationary point of the SSE, the
 * emitted series is the prediction; and every bad section is one error naming the pipeline file and YAML line.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('harmonise');
const root = join(tmp, 'project');
cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
cpSync('data-manifests/demo.yaml', join(root, 'data-manifests/demo.yaml'));
cpSync('data/treatments', join(root, 'data/treatments'), { recursive: true });
cpSync('data-manifests/treatments.yaml', join(root, 'data-manifests/treatments.yaml'));
const SECTION = 'harmonise:\n  from: viirs_like\n  to: dmsp_like\n  stat: sum\n  model: power\n  name: dmsp_scale\n';
const shipped = readFileSync('pipelines/hunan-demo.yaml', 'utf8').replace('maps: true', 'maps: false').replace('report: true', 'report: false');
/** The demo with the section of the brief (added here unless the shipped demo already has it). */
const demo = /^harmonise:/m.test(shipped) ? shipped : shipped.replace(/^inequality:/m, `${SECTION}inequality:`);
const outDir = join(root, 'out/hunan-demo');
const write = (name: string, text: string): string => {
  const p = join(root, 'pipelines', name);
  cpSync('pipelines/hunan-demo.yaml', p);
  writeFileSync(p, text);
  return p;
};

interface Harmonisation {
  from: string;
  to: string;
  stat: string;
  model: string;
  parameters: Record<string, number>;
  r2: number;
  rmse: number;
  n_pairs: number;
  overlap_years: number[];
  dropped_pairs: { total: number; missing: number; non_positive: number };
  converged: boolean;
}

/** (viirs_like sum, dmsp_like sum) per unit × overlap year, in panel order — as a user would build them. */
function pairsFromPanel(panelCsv: string, years: readonly number[]): { x: number[]; y: number[]; csv: string } {
  const { header, rows } = parseCsv(panelCsv);
  const sum = header.indexOf('sum');
  const dmsp = new Map(rows.filter((r) => r[5] === 'dmsp_like').map((r) => [`${r[0]}/${r[4]}`, Number(r[sum])]));
  const x: number[] = [],
    y: number[] = [];
  const lines = ['unit_id,year,viirs_sum,dmsp_sum'];
  for (const r of rows) {
    if (r[5] !== 'viirs_like' || !years.includes(Number(r[4]))) continue;
    const d = dmsp.get(`${r[0]}/${r[4]}`);
    if (d === undefined) continue;
    x.push(Number(r[sum]));
    y.push(d);
    lines.push(`${r[0]},${r[4]},${r[sum]},${d}`);
  }
  return { x, y, csv: lines.join('\n') + '\n' };
}

const close = (a: number, b: number, tol: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('pipeline harmonise on the demo overlap', () => {
  it('power: same parameters as ntl calibrate harmonise --pairs on the panel; a stationary point; emitted series = prediction', async () => {
    const r = await ntl(['run', write('power.yaml', demo), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(readFileSync(join(outDir, 'harmonisation.json'), 'utf8')) as Harmonisation;
    expect(h).toMatchObject({ from: 'viirs_like', to: 'dmsp_like', stat: 'sum', model: 'power', overlap_years: [2018, 2019, 2020, 2021], converged: true });
    expect(JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')).harmonisation).toEqual(h);

    const panelCsv = readFileSync(join(outDir, 'panel.csv'), 'utf8');
    const pairs = pairsFromPanel(panelCsv, h.overlap_years);
    expect(pairs.x).toHaveLength(122 * 4);
    expect(h.n_pairs + h.dropped_pairs.total).toBe(122 * 4);
    writeFileSync(join(tmp, 'pairs.csv'), pairs.csv);
    const c = await ntl([
      'calibrate',
      'harmonise',
      '--model',
      'power',
      '--pairs',
      join(tmp, 'pairs.csv'),
      '--x',
      'viirs_sum',
      '--y',
      'dmsp_sum',
      '--out',
      join(tmp, 'fit.json'),
    ]);
    expect(c.code, c.stderr).toBe(0);
    const cli = JSON.parse(readFileSync(join(tmp, 'fit.json'), 'utf8')) as {
      params: Record<string, number>;
      r2: number;
      rmse: number;
      n: number;
      dropped: number;
    };
    expect(h.parameters).toEqual(cli.params);
    expect([h.r2, h.rmse, h.n_pairs, h.dropped_pairs.non_positive]).toEqual([cli.r2, cli.rmse, cli.n, cli.dropped]);

    // Independent: at the least-squares optimum of y = a·x^b the SSE gradient vanishes (relative to its terms).
    const { a, b } = h.parameters as { a: number; b: number };
    let ga = 0,
      gb = 0,
      sa = 0,
      sb = 0;
    pairs.x.forEach((x, i) => {
      const f = a * x ** b,
        res = pairs.y[i]! - f;
      ga += res * x ** b;
      gb += res * f * Math.log(x);
      sa += Math.abs(res * x ** b);
      sb += Math.abs(res * f * Math.log(x));
    });
    expect(Math.abs(ga) / sa).toBeLessThan(1e-6);
    expect(Math.abs(gb) / sb).toBeLessThan(1e-6);

    // Emitted rows: every viirs_like unit × year, sum = a·x^b, every other statistic empty.
    const { header, rows } = parseCsv(panelCsv);
    const sum = header.indexOf('sum');
    const viirs = new Map(rows.filter((row) => row[5] === 'viirs_like').map((row) => [`${row[0]}/${row[4]}`, Number(row[sum])]));
    const scaled = rows.filter((row) => row[5] === 'dmsp_scale');
    expect(scaled).toHaveLength(122 * 11);
    for (const row of scaled) {
      close(Number(row[sum]), a * viirs.get(`${row[0]}/${row[4]}`)! ** b, 1e-12);
      expect(row.filter((cell, i) => i >= 6 && i !== sum && cell !== '')).toEqual([]);
    }
  });

  it('loglinear: the parameters are OLS of y on ln x (to 1e-9)', async () => {
    const r = await ntl(['run', write('loglinear.yaml', demo.replace('model: power', 'model: loglinear')), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(readFileSync(join(outDir, 'harmonisation.json'), 'utf8')) as Harmonisation;
    expect(h.model).toBe('loglinear');
    const { x, y } = pairsFromPanel(readFileSync(join(outDir, 'panel.csv'), 'utf8'), h.overlap_years);
    const lx = x.map(Math.log);
    const n = lx.length;
    const mx = lx.reduce((s, v) => s + v, 0) / n,
      my = y.reduce((s, v) => s + v, 0) / n;
    let sxy = 0,
      sxx = 0;
    lx.forEach((v, i) => {
      sxy += (v - mx) * (y[i]! - my);
      sxx += (v - mx) ** 2;
    });
    const b = sxy / sxx,
      a = my - b * mx;
    close(h.parameters.b!, b, 1e-9);
    close(h.parameters.a!, a, 1e-9);
    let sse = 0,
      sst = 0;
    lx.forEach((v, i) => {
      sse += (y[i]! - a - b * v) ** 2;
      sst += (y[i]! - my) ** 2;
    });
    close(h.r2, 1 - sse / sst, 1e-9);
    close(h.rmse, Math.sqrt(sse / n), 1e-9);
  });
});

describe('pipeline harmonise: bad sections are one error at the YAML line', () => {
  const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const cases: [string, string, string, RegExp][] = [
    ['unknown from series', demo.replace('  from: viirs_like', '  from: viirs'), '  from: viirs', /'viirs' is not a series name \(viirs_like, dmsp_like\)/],
    ['unknown to series', demo.replace('  to: dmsp_like', '  to: dmsp'), '  to: dmsp', /'dmsp' is not a series name/],
    ['stat not in zonal.stats', demo.replace('  stat: sum', '  stat: median'), '  stat: median', /'median' is not in zonal\.stats/],
    ['from = to', demo.replace('  to: dmsp_like', '  to: viirs_like'), '  to: viirs_like', /same series as from/],
    ['name clashes with a series', demo.replace('  name: dmsp_scale', '  name: dmsp_like'), '  name: dmsp_like', /'dmsp_like' is already a series name/],
    ['unknown model', demo.replace('  model: power', '  model: cubic'), '  model: cubic', /must be one of loglinear, power, sigmoid/],
    [
      'no overlap year',
      demo
        .replace('product: chen2021-npp-viirs-like-8bit }', 'product: chen2021-npp-viirs-like-8bit, years: { from: 2012, to: 2017 } }')
        .replace('years: { from: 2012, to: 2022 }', 'years: { from: 2012, to: 2021 }'),
      'harmonise:',
      /share no year/,
    ],
  ];
  cases.forEach(([name, text, needle, pattern], i) => {
    it(name, async () => {
      expect(text).not.toBe(demo);
      const r = await ntl(['run', write(`bad${i + 1}.yaml`, text), '--quiet']);
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`bad${i + 1}.yaml line ${lineOf(text, needle)}`);
      expect(lines[0]).toMatch(pattern);
    });
  });
});
