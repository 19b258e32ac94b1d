/**
 * Figures that say what they show, at print size (issue 14, parts 2–3): the event-study x-axis carries the
 * periods' labels ("≤ -4" … "≥ 4") with binned endpoints hollow; the placebo plot marks 0 and the actual β on its
 * axis, the randomization-inference p-value only for units/both, the fake-date estimate for timing; every figure
 * is written as PNG (1600 px wide) and SVG side by side, by the library and by `ntl eventstudy` / `ntl placebo`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { coefPlotSvg, eventStudySvg, placeboSvg, PRINT_WIDTH, twinPlotPath, writePlot, type EventStudyPeriod } from '../../src/estimate/plot.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('plot');

/** Event-study periods as the estimate layer writes them: window -4..4, ref -1, endpoints binned. */
const PERIODS: EventStudyPeriod[] = [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((rel) => ({
  rel,
  coef: rel === -1 ? 0 : rel * 0.3,
  lo: rel === -1 ? 0 : rel * 0.3 - 0.4,
  hi: rel === -1 ? 0 : rel * 0.3 + 0.4,
  reference: rel === -1,
  label: rel === -4 ? '≤ -4' : rel === 4 ? '≥ 4' : String(rel),
  binned: rel === -4 || rel === 4,
}));

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data,
    info,
    has: (rgb: readonly number[]) => {
      for (let o = 0; o < data.length; o += 3) if (data[o] === rgb[0] && data[o + 1] === rgb[1] && data[o + 2] === rgb[2]) return true;
      return false;
    },
  };
}

describe('event-study plot', () => {
  it("labels the x-axis with the periods' labels and draws binned endpoints hollow, the reference as a square", () => {
    const svg = eventStudySvg(PERIODS, { title: 'Event study: y', ref: -1 });
    const t = texts(svg);
    for (const label of ['≤ −4', '−3', '−2', '−1', '0', '1', '2', '3', '≥ 4']) expect(t).toContain(label);
    expect(t.some((s) => s.includes('binned endpoint'))).toBe(true);
    expect(t.some((s) => s.includes('reference period −1'))).toBe(true);
    expect(svg.match(/<circle [^>]*fill="#ffffff"/g)).toHaveLength(2); // the two binned points
    expect(svg.match(/<circle [^>]*fill="#c0392b"/g)).toHaveLength(6);
    expect(svg.match(/<rect x=/g)).toHaveLength(1); // the reference period
    // an older record without labels: plain relative periods, nothing hollow
    const plain = eventStudySvg(
      PERIODS.map(({ label: _l, binned: _b, ...p }) => p),
      { title: 'Event study: y', ref: -1 },
    );
    expect(texts(plain)).toContain('−4');
    expect(texts(plain).some((s) => s.includes('binned'))).toBe(false);
    // points with labels only (no binned / reference flags): the marks are inferred from the labels and the marker
    const inferred = coefPlotSvg(
      PERIODS.map((p) => ({ x: p.rel, label: p.label, coef: p.coef!, lo: p.lo!, hi: p.hi! })),
      { title: 't', xLabel: 'x', yLabel: 'y', marker: -0.5 },
    );
    expect(inferred.match(/<circle [^>]*fill="#ffffff"/g)).toHaveLength(2);
    expect(inferred.match(/<rect x=/g)).toHaveLength(1);
  });
});

describe('placebo plot', () => {
  const draws = Array.from({ length: 60 }, (_, i) => 0.1 * Math.sin(i * 1.7) + 0.02 * (i % 7));
  it('marks 0 and the actual β on the axis; the p-value only for units/both', () => {
    const units = placeboSvg({ draws, actual: { coef: 0.42 }, mode: 'units', p_value: 0.015 }, { title: 'Placebo', xLabel: 'placebo coefficient of D' });
    const t = texts(units);
    expect(t).toContain('no effect (0)');
    expect(t).toContain('actual β = 0.420');
    expect(units.match(/<path d="M [^"]+ l -6 10 l 12 0 z"/g)).toHaveLength(2); // the two axis marks
    expect(t).toContain('randomization-inference p = 0.015');
    const timing = placeboSvg(
      { draws, actual: { coef: 0.42 }, mode: 'timing', p_value: null, fake_date: { shift: 2, coef: 0.05, se: 0.04, p: 0.2, lo: -0.03, hi: 0.13, n: 960 } },
      { title: 'Placebo', xLabel: 'x' },
    );
    expect(texts(timing).join('\n')).not.toMatch(/p =/);
    expect(texts(timing)).toContain('fake adoption 2 periods earlier: 0.0500 [-0.0300, 0.130] (95% CI)');
    // a timing record with no draws still shows the fake-date estimate against 0 and β
    const bare = placeboSvg(
      { actual: { coef: 0.42 }, mode: 'timing', fake_date: { shift: 1, coef: 0.05, lo: -0.03, hi: 0.13 } },
      { title: 'Placebo', xLabel: 'x' },
    );
    expect(texts(bare)).toContain('actual β = 0.420');
    expect(bare).not.toContain('polyline');
  });
});

describe('print size, PNG and SVG side by side', () => {
  it('writePlot writes f.png (1600 px wide, red β line drawn) and f.svg; .svg paths get their .png twin', async () => {
    expect(PRINT_WIDTH).toBeGreaterThanOrEqual(1600);
    expect([twinPlotPath('a/f.png'), twinPlotPath('a/f.svg'), twinPlotPath('a/F.PNG'), twinPlotPath('a/f')]).toEqual([
      'a/f.svg',
      'a/f.png',
      'a/F.SVG',
      'a/f.svg',
    ]);
    const svg = placeboSvg({ draws: [0.1, 0.2, 0.15, 0.05], actual: { coef: 0.5 }, mode: 'units', p_value: 0.2 }, { title: 'P', xLabel: 'x' });
    const [png, vec] = await writePlot(svg, join(tmp, 'p.png'));
    expect([png, vec]).toEqual([join(tmp, 'p.png'), join(tmp, 'p.svg')]);
    expect(readFileSync(vec, 'utf8')).toBe(svg);
    expect(svg).toMatch(/^<svg [^>]*width="1600" height="1000" viewBox="0 0 800 500"/);
    const img = await pixels(readFileSync(png));
    expect([img.info.width, img.info.height]).toEqual([1600, 1000]);
    expect(img.has([0xc0, 0x39, 0x2b])).toBe(true); // the actual-β line
    const [png2] = await writePlot(svg, join(tmp, 'q.svg'));
    expect(png2).toBe(join(tmp, 'q.png'));
    expect(readFileSync(png2).equals(readFileSync(png))).toBe(true); // deterministic bytes
  });

  it('`ntl eventstudy --plot f.png` and `ntl placebo --plot f.svg` write both formats at print size', async () => {
    const panel = ['--panel', 'test/fixtures/did/staggered.csv', '--y', 'y', '--unit', 'unit', '--time', 'year'];
    const es = await runCli(['eventstudy', ...panel, '--cohort', 'cohort', '--window=-3,3', '--plot', join(tmp, 'es.png'), '--out', join(tmp, 'es.json')]);
    expect(es.code, es.stderr).toBe(0);
    const pl = await runCli([
      'placebo',
      ...panel,
      '--treat',
      'D',
      '--cohort',
      'cohort',
      '--draws',
      '20',
      '--threads',
      '1',
      '--plot',
      join(tmp, 'pl.svg'),
      '--out',
      join(tmp, 'pl.json'),
    ]);
    expect(pl.code, pl.stderr).toBe(0);
    for (const f of ['es.png', 'es.svg', 'pl.png', 'pl.svg']) expect(existsSync(join(tmp, f)), f).toBe(true);
    for (const f of ['es.png', 'pl.png']) expect((await sharp(readFileSync(join(tmp, f))).metadata()).width).toBe(1600);
    expect(texts(readFileSync(join(tmp, 'pl.svg'), 'utf8')).some((s) => s.startsWith('actual β = '))).toBe(true);
  }, 30_000);
});
