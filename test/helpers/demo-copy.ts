/**
 * A reduced copy of the demo pipeline (pipelines/hunan-demo.yaml) in a folder of its own: the demo data and
 * manifest copied beside it (so paths stay inside that project), only the viirs_like series over the given
 * years, no estimation or spatial sections; quick enough for tests of how runs publish their outputs.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface DemoCopyOptions {
  readonly from: number;
  readonly to: number;
  readonly report?: boolean;
  readonly maps?: boolean;
  /** File name of the pipeline under <dir>/pipelines (default demo.yaml). */
  readonly name?: string;
}

/** Writes <dir>/{package.json, data/demo, data-manifests/demo.yaml, pipelines/<name>}; returns the pipeline path. */
export function reducedDemo(dir: string, o: DemoCopyOptions): string {
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  mkdirSync(join(dir, 'data-manifests'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{}\n');
  cpSync('data/demo', join(dir, 'data', 'demo'), { recursive: true });
  cpSync('data-manifests/demo.yaml', join(dir, 'data-manifests', 'demo.yaml'));
  const spec = parse(readFileSync('pipelines/hunan-demo.yaml', 'utf8')) as Record<string, unknown>;
  for (const k of ['harmonise', 'inequality', 'gap', 'spatial', 'treatment', 'estimate']) delete spec[k];
  spec.manifests = ['../data-manifests/demo.yaml'];
  spec.series = (spec.series as { name: string }[]).filter((s) => s.name === 'viirs_like');
  spec.years = { from: o.from, to: o.to };
  spec.outputs = { dir: '../out/demo', formats: ['csv'], maps: o.maps === true, map_stat: 'sum', report: o.report !== false };
  const file = join(dir, 'pipelines', o.name ?? 'demo.yaml');
  writeFileSync(file, stringify(spec));
  return file;
}
