import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadManifest } from '../../src/manifest/index.js';
import type { Manifest } from '../../src/manifest/index.js';
import { formatYears, loadPipelineManifests, resolvePipeline } from '../../src/pipeline/resolve.js';
import { loadPipelineSpec, pipelineSpecFromSource } from '../../src/pipeline/spec.js';
import type { PipelineSpec } from '../../src/pipeline/spec.js';
import { parseYamlText } from '../../src/pipeline/yaml-errors.js';
import { NtlError } from '../../src/errors.js';

const fx = (name: string): string => fileURLToPath(new URL(`../fixtures/pipeline/${name}`, import.meta.url));
const specFromText = (text: string): PipelineSpec => pipelineSpecFromSource(parseYamlText(text, fx('spec.yaml'), 'pipeline spec'));

let data: Manifest;
beforeAll(async () => {
  data = await loadManifest(fx('data.yaml'));
});

const spec = (series: string, years = '{ from: 2012, to: 2016 }', extra = ''): PipelineSpec =>
  specFromText(`pipeline: 1
name: t
manifests: [data.yaml]
boundaries: { entry: counties }
series:
${series}
years: ${years}
zonal: { stats: [count, sum] }
outputs: { dir: out }
${extra}`);

function resolveError(s: PipelineSpec, manifests: Manifest[] = [data]): string {
  try {
    resolvePipeline(s, manifests);
  } catch (e) {
    expect(e).toBeInstanceOf(NtlError);
    return (e as NtlError).message;
  }
  throw new Error('resolved without error');
}

describe('resolvePipeline', () => {
  it('resolves the full example to absolute files and checksums', async () => {
    const s = await loadPipelineSpec(fx('good.yaml'));
    const plan = resolvePipeline(s, await loadPipelineManifests(s));
    expect(plan.years).toEqual([2005, 2006, 2012, 2013, 2014, 2015, 2016]);
    expect(plan.series.map((x) => [x.name, x.sensor, x.years])).toEqual([
      ['viirs_like', 'viirs-vnl', [2012, 2013, 2014, 2015, 2016]],
      ['dmsp', 'dmsp-ols', [2005, 2006]],
    ]);
    const v2012 = plan.series[0].inputs[0];
    expect(v2012).toMatchObject({ year: 2012, combine: 'single' });
    expect(v2012.entries[0].file).toBe(fx('files/viirs_2012.tif'));
    expect(v2012.entries[0].sha256).toBe(data.entries[0].sha256);
    expect(v2012.entries[0].manifest).toBe('test/fixtures/pipeline/data.yaml');
    // F15 and F16 both cover 2005: the newer satellite wins
    expect(plan.series[1].inputs.map((x) => x.entries.map((e) => e.entry.id))).toEqual([['dmsp-f16-2005'], ['dmsp-f16-2006']]);
    expect(plan.boundaries).toMatchObject({
      idField: 'Code_County',
      nameField: 'Name_County',
      parentField: 'Code_Perfecture',
      provinceField: 'Code_Province',
      vintage: 2019,
    });
    expect(plan.boundaries.companions[0].file).toBe(fx('files/counties.dbf'));
    expect(plan.hierarchy.crosswalk?.file).toBe(fx('files/xw.csv'));
    expect(plan.hierarchy.targetVintage).toBe(2019);
    expect(plan.outputs).toEqual({ dir: fx('out/fixture-demo'), formats: ['csv', 'parquet', 'dta'], wide: false, maps: true, report: false, mapStat: 'sum' });
    expect(plan.warnings).toEqual([]);
    expect(plan.inputsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes inputsHash when an input checksum changes, not specHash', async () => {
    const s = spec('  - { name: v, entries: [viirs-2012, viirs-2013, viirs-2014, viirs-2015, viirs-2016] }');
    const a = resolvePipeline(s, [data]);
    const altered: Manifest = { ...data, entries: data.entries.map((e) => (e.id === 'viirs-2014' ? { ...e, sha256: 'f'.repeat(64) } : e)) };
    const b = resolvePipeline(s, [altered]);
    expect(b.specHash).toBe(a.specHash);
    expect(b.inputsHash).not.toBe(a.inputsHash);
  });

  it('names an unknown entry and the manifests searched', () => {
    expect(resolveError(spec('  - { name: v, entries: [viirs-2012, viirs-2031] }'))).toBe(
      "test/fixtures/pipeline/spec.yaml line 6: series[0].entries[1] names unknown entry 'viirs-2031': it is not in test/fixtures/pipeline/data.yaml; check the id, or record the file with `ntl manifest add`",
    );
  });

  it('rejects entries of the wrong kind or sensor', () => {
    expect(resolveError(spec('  - { name: v, entries: [viirs-2012, xw] }'))).toMatch(
      /line 6: series\[0\]\.entries\[1\] entry 'xw' \(test\/fixtures\/pipeline\/data\.yaml line \d+\) is a table entry, but series 'v' needs a raster entry/,
    );
    expect(resolveError(spec('  - { name: v, entries: [viirs-2012, dmsp-f16-2006] }'))).toContain('series[0] mixes sensors viirs-vnl, dmsp-ols');
    expect(resolveError(spec('  - { name: v, sensor: harmonized, entries: [viirs-2012] }'))).toMatch(
      /series\[0\]\.sensor is harmonized, but entry 'viirs-2012' .* is viirs-vnl/,
    );
    const bad = specFromText(`pipeline: 1
name: t
manifests: [data.yaml]
boundaries: { entry: viirs-2012 }
series: [ { name: v, entries: [viirs-2012] } ]
years: [2012]
zonal: { stats: [sum] }
outputs: { dir: out }
`);
    expect(resolveError(bad)).toContain("line 4: boundaries.entry entry 'viirs-2012'");
  });

  it('refuses two entries for one year unless a rule says what to do', () => {
    const series = (rule: string): string => `  - { name: d, select: { sensor: dmsp-ols }${rule} }`;
    expect(resolveError(spec(series(''), '[2005, 2006]'))).toMatch(
      /line 6: series\[0\] has 2 entries for 2005: 'dmsp-f15-2005' \(.*data\.yaml line \d+\), 'dmsp-f16-2005' \(.*\); keep one, or set duplicates: prefer-newer-satellite, prefer-older-satellite, mean or composite/,
    );
    const older = resolvePipeline(spec(series(', duplicates: prefer-older-satellite'), '[2005, 2006]'), [data]);
    expect(older.series[0].inputs[0].entries.map((e) => e.entry.id)).toEqual(['dmsp-f15-2005']);
    const mean = resolvePipeline(spec(series(', duplicates: mean'), '[2005, 2006]'), [data]);
    expect(mean.series[0].inputs[0]).toMatchObject({ year: 2005, combine: 'mean' });
    expect(mean.series[0].inputs[0].entries).toHaveLength(2);
  });

  it('errors on a year no series covers, and on select.years outside coverage', () => {
    expect(resolveError(spec('  - { name: v, entries: [viirs-2012, viirs-2013] }', '{ from: 2011, to: 2013 }'))).toBe(
      'test/fixtures/pipeline/spec.yaml line 7: years year 2011 is not covered by any series (v covers 2012–2013); drop it from years or add an entry for it',
    );
    expect(
      resolveError(spec('  - { name: d, select: { sensor: dmsp-ols, years: { from: 2005, to: 2008 } }, duplicates: mean }', '{ from: 2005, to: 2008 }')),
    ).toContain('line 6: series[0].select.years no dmsp-ols entry for 2007 (entries exist for 2005–2006, 2008)');
    expect(resolveError(spec('  - { name: x, select: { sensor: other } }'))).toContain('line 6: series[0].select matches no raster entry');
  });

  it('warns about unused entries and gaps inside a series', () => {
    // a series none of whose entries falls in the panel years is a mistake, not a warning
    expect(resolveError(spec('  - { name: v, entries: [viirs-2012] }\n  - { name: d, entries: [dmsp-f16-2006] }', '[2012]'))).toContain(
      'line 7: series[1] has no entry for any of the years 2012 (its entries cover 2006)',
    );
    const plan2 = resolvePipeline(
      spec('  - { name: v, entries: [viirs-2012, viirs-2014, viirs-2015] }\n  - { name: w, entries: [viirs-2013] }', '[2012, 2013, 2014]'),
      [data],
    );
    expect(plan2.warnings).toEqual([
      "series v: entry 'viirs-2015' (year 2015) is outside years; not used",
      'series v: no entry for 2013 inside its span 2012–2014',
    ]);
  });

  it('keys monthly series by month and resolves bands of one file', () => {
    const plan = resolvePipeline(spec('  - { name: m, select: { sensor: viirs-monthly } }', '[2014]'), [data]);
    expect(plan.series[0].monthly).toBe(true);
    expect(plan.series[0].inputs.map((x) => [x.year, x.month, x.entries[0].entry.band])).toEqual([
      [2014, 1, 1],
      [2014, 2, 2],
    ]);
  });

  it('rejects url-only entries, crosswalks of the wrong role, and ids repeated across manifests', () => {
    expect(resolveError(spec('  - { name: h, entries: [remote-2013] }', '[2013]'))).toContain(
      "series[0] entry 'remote-2013' in test/fixtures/pipeline/data.yaml has only a url (https://example.org/h2013.tif)",
    );
    expect(resolveError(spec('  - { name: v, entries: [viirs-2012] }', '[2012]', 'hierarchy: { crosswalk: treat }\n'))).toMatch(
      /line 10: hierarchy\.crosswalk entry 'treat' .* has role treatment, not crosswalk/,
    );
    const twice = spec('  - { name: v, entries: [viirs-2012] }', '[2012]');
    expect(resolveError(twice, [data, data])).toContain("line 3: manifests[1] entry id 'viirs-2012' is in both");
  });

  it('reports a missing manifest file at its line in the spec', async () => {
    const s = specFromText(`pipeline: 1
name: t
manifests:
  - data.yaml
  - nowhere.yaml
boundaries: { entry: counties }
series: [ { name: v, entries: [viirs-2012] } ]
years: [2012]
zonal: { stats: [sum] }
outputs: { dir: out }
`);
    await expect(loadPipelineManifests(s)).rejects.toThrow(
      'test/fixtures/pipeline/spec.yaml line 5: manifests[1] manifest file not found: test/fixtures/pipeline/nowhere.yaml; check the path (it is relative to the pipeline file)',
    );
  });
});

describe('formatYears', () => {
  it('compresses runs', () => {
    expect(formatYears([2016, 2012, 2013, 2014, 2018, 2019])).toBe('2012–2014, 2016, 2018–2019');
    expect(formatYears([])).toBe('no years');
  });
});
