import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadPipelineSpec, pipelineHash, pipelineSpecFromSource } from '../../src/pipeline/spec.js';
import type { PipelineSpec } from '../../src/pipeline/spec.js';
import { parseYamlText } from '../../src/pipeline/yaml-errors.js';
import { NtlError } from '../../src/errors.js';

const fx = (name: string): string => fileURLToPath(new URL(`../fixtures/pipeline/${name}`, import.meta.url));

/** Parse a spec given as text, as if it were test/fixtures/pipeline/spec.yaml. */
function specFromText(text: string): PipelineSpec {
  return pipelineSpecFromSource(parseYamlText(text, fx('spec.yaml'), 'pipeline spec'));
}

function specError(text: string): string {
  try {
    specFromText(text);
  } catch (e) {
    expect(e).toBeInstanceOf(NtlError);
    return (e as NtlError).message;
  }
  throw new Error('spec parsed without error');
}

const minimal = (extra = '', years = '{ from: 2012, to: 2014 }'): string =>
  `pipeline: 1
name: t
manifests: [data.yaml]
boundaries: { entry: counties }
series:
  - { name: v, entries: [viirs-2012] }
years: ${years}
zonal: { stats: [sum] }
outputs: { dir: out }
${extra}`;

describe('loadPipelineSpec', () => {
  it('parses the full example and fills defaults', async () => {
    const spec = await loadPipelineSpec(fx('good.yaml'));
    expect(spec.name).toBe('fixture-demo');
    expect(spec.years).toEqual([2005, 2006, 2012, 2013, 2014, 2015, 2016]);
    expect(spec.series[1].select?.years).toEqual([2005, 2006]);
    expect(spec.series[0].duplicates).toBe('error');
    expect(spec.zonal.stats).toEqual(['count', 'sum', 'mean', 'lit_count', 'quantile:0.9']);
    expect(spec.hierarchy).toEqual({ crosswalk: 'xw' });
    expect(spec.outputs).toEqual({ dir: 'out/fixture-demo', formats: ['csv', 'parquet', 'dta'], wide: false, maps: true, report: false });
    expect(spec.source.display).toBe('test/fixtures/pipeline/good.yaml');
  });

  it('fills defaults for optional sections', () => {
    const spec = specFromText(minimal());
    expect(spec.years).toEqual([2012, 2013, 2014]);
    expect(spec.zonal).toEqual({ stats: ['sum'], rule: 'exact', nodata_as_zero: false, lit_threshold: 0 });
    expect(spec.calibrate).toEqual([]);
    expect(spec.hierarchy).toEqual({});
    expect(spec.outputs.formats).toEqual(['csv']);
    expect(spec.concurrency).toBe(2);
  });

  it('accepts year steps and rejects an ambiguous two-year list', () => {
    expect(specFromText(minimal('', '{ from: 2002, to: 2022, step: 10 }')).years).toEqual([2002, 2012, 2022]);
    expect(specFromText(minimal('', '[2012, 2013]')).years).toEqual([2012, 2013]);
    expect(specError(minimal('', '[2012, 2022]'))).toBe(
      'test/fixtures/pipeline/spec.yaml line 7: years [2012, 2022] is ambiguous: write { from: 2012, to: 2022 } for the range, or { from: 2012, to: 2022, step: 10 } for just these two years',
    );
    expect(specError(minimal('', '[2014, 2013, 2015]'))).toContain('line 7: years[1] years must be listed in increasing order');
    expect(specError(minimal('', '{ from: 2012, unto: 2014 }'))).toContain("line 7: years.unto unknown key 'unto'");
    expect(specError(minimal('', '{ from: 2012, unto: 2014 }'))).toContain('years.to is required');
    expect(specError(minimal('', 'soon'))).toContain('line 7: years must be a list of years ([2012, 2013]) or a range');
  });

  it('keeps calibration steps open-ended but requires a step name', () => {
    const spec = specFromText(minimal('calibrate:\n  - { step: intercalibrate, reference: F16, years: [2000, 2001] }\n'));
    expect(spec.calibrate).toEqual([{ step: 'intercalibrate', reference: 'F16', years: [2000, 2001] }]);
    expect(specError(minimal('calibrate:\n  - { reference: F16 }\n'))).toContain('line 11: calibrate[0].step is required');
  });

  it('reports shape problems with lines, all at once', () => {
    const msg = specError(
      `pipeline: 2
name: t
manifests: []
boundaries: { entry: counties }
series:
  - { name: Viirs, entries: [viirs-2012], select: { sensor: viirs-vnl } }
  - { name: d }
years: { from: 2012, to: 2014 }
zonal: { stats: [sum, total, sum], rule: nearest }
outputs: { dir: /tmp/out, map_stat: mean }
concurrency: 0
`,
    );
    const lines = msg.split('\n');
    expect(lines).toContain('test/fixtures/pipeline/spec.yaml line 1: pipeline must be 1 (the pipeline format version)');
    expect(lines).toContain('test/fixtures/pipeline/spec.yaml line 3: manifests must list at least one manifest file');
    expect(msg).toContain('line 6: series[0].name must start with a lower-case letter');
    expect(msg).toContain('line 6: series[0].entries give exactly one of `entries`');
    expect(msg).toContain('line 7: series[1].entries give exactly one of `entries`');
    expect(msg).toContain('line 9: zonal.stats[1] must be one of count, sum, mean');
    expect(msg).toContain('line 9: zonal.rule must be exact or centre');
    expect(msg).toContain('line 10: outputs.dir must be relative to the pipeline file');
    expect(msg).toContain('line 11: concurrency must be at least 1');
  });

  it('cross-checks map_stat, duplicate stats and duplicate series names', () => {
    const msg = specError(
      minimal().replace('zonal: { stats: [sum] }', 'zonal: { stats: [sum, sum] }').replace('outputs: { dir: out }', 'outputs: { dir: out, map_stat: mean }') +
        '',
    );
    expect(msg).toContain('line 8: zonal.stats[1] lists sum twice');
    const msg2 = specError(minimal().replace('outputs: { dir: out }', 'outputs: { dir: out, map_stat: mean }'));
    expect(msg2).toBe("test/fixtures/pipeline/spec.yaml line 9: outputs.map_stat 'mean' is not in zonal.stats (sum)");
    const msg3 = specError(minimal().replace('series:\n', 'series:\n  - { name: v, entries: [viirs-2013] }\n'));
    expect(msg3).toContain("line 7: series[1].name 'v' is already used by series[0]");
  });
});

describe('pipelineHash', () => {
  it('is stable across formatting, key order and equivalent year notations', () => {
    const a = specFromText(minimal());
    const b = specFromText(
      `# same run, other layout
name: t
pipeline: 1
outputs: { formats: [csv], dir: out }
zonal: { rule: exact, stats: [sum] }
years: [2012, 2013, 2014]
series: [ { entries: [viirs-2012], name: v } ]
boundaries: { entry: counties }
manifests: [data.yaml]
concurrency: 2
`,
    );
    expect(pipelineHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(pipelineHash(b)).toBe(pipelineHash(a));
    expect(pipelineHash(specFromText(minimal('', '{ from: 2012, to: 2015 }')))).not.toBe(pipelineHash(a));
    expect(pipelineHash(specFromText(minimal('zonal_typo: 1\n').replace('zonal_typo: 1\n', 'calibrate: [{ step: x }]\n')))).not.toBe(pipelineHash(a));
    // concurrency cannot change results, so it does not change the hash
    expect(pipelineHash(specFromText(minimal('concurrency: 3\n')))).toBe(pipelineHash(a));
  });
});
