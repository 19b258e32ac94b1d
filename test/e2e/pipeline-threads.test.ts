/**
 * The pipeline's zonal stage on worker threads: a run with threads 2 (zones cut into chunks even on the small demo
 * rasters, read in row bands of 256 rows so the workers clip their reads too) writes byte-identical outputs to a
 * run with threads 1, and the zonal cache keys do not depend on threads (a threads-2 run into the threads-1 folder
 * takes every period from the cache).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { planFromResolved } from '../../src/pipeline/plan/build.js';
import { loadResolvedPipeline } from '../../src/pipeline/resolve.js';
import { runPlan } from '../../src/pipeline/runner.js';
import { loadPipelineSpec } from '../../src/pipeline/spec.js';
import { tempDir } from '../helpers/tmp.js';

// count the zonal worker threads started (else a run that never split would pass as well)
const started = vi.hoisted(() => ({ zonal: 0 }));
vi.mock('../../src/raster/pool.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/raster/pool.js')>();
  return {
    ...m,
    startModuleWorker: (url: URL, data?: unknown) => {
      if (url.href.includes('zonal-worker')) started.zonal++;
      return m.startModuleWorker(url, data);
    },
  };
});

const tmp = tempDir('pipeline-threads');

/** The demo pipeline cut to its two series' zonal panel over 2019–2020 (CSV only), in a copy of the demo project. */
function pipeline(): string {
  const project = join(tmp, 'project');
  for (const d of ['data/demo', 'data-manifests/demo.yaml']) cpSync(d, join(project, d), { recursive: true });
  mkdirSync(join(project, 'pipelines'), { recursive: true });
  const spec = parse(readFileSync('pipelines/hunan-demo.yaml', 'utf8')) as Record<string, unknown>;
  for (const k of ['harmonise', 'inequality', 'gap', 'spatial', 'treatment', 'estimate']) delete spec[k];
  spec.manifests = ['../data-manifests/demo.yaml'];
  spec.years = { from: 2019, to: 2020 };
  spec.zonal = { ...(spec.zonal as object), stats: ['count', 'sum', 'mean', 'min', 'max', 'lit_count', 'lit_share', 'nodata_count', 'area_km2', 'stdev'] };
  spec.outputs = { dir: '../out', formats: ['csv'], wide: true, maps: false, report: false };
  const file = join(project, 'pipelines', 'threads.yaml');
  writeFileSync(file, stringify(spec));
  return file;
}

async function run(file: string, out: string, threads: number) {
  const plan = planFromResolved(await loadResolvedPipeline(await loadPipelineSpec(file), {}));
  return runPlan(
    { ...plan, outputs: { ...plan.outputs, dir: out } },
    { threads, bandRows: 256, splitLimits: { minCells: 0, minChunkCells: 1 }, progress: null },
  );
}

/** Every output file (not run.json, whose timings differ; not the cache folder) → bytes. */
function outputs(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (f.startsWith('.') || f === 'run.json') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('pipeline zonal stage on threads', () => {
  it('threads 2 = threads 1, byte for byte; the cache keys ignore threads', { timeout: 120_000 }, async () => {
    const file = pipeline();
    const one = join(tmp, 'one'),
      two = join(tmp, 'two');
    started.zonal = 0;
    const r1 = await run(file, one, 1);
    expect(started.zonal).toBe(0);
    const r2 = await run(file, two, 2);
    expect(started.zonal).toBeGreaterThanOrEqual(2); // split on worker threads (kept for the whole stage)
    expect(r2.cache.misses).toBe(r1.cache.misses);
    const a = outputs(one),
      b = outputs(two);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(a.size).toBeGreaterThan(0);
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    // the panel has numbers (not an all-empty run that would match trivially)
    expect(a.get('panel.csv')!.toString().split('\n').length).toBeGreaterThan(100);
    // the threads-2 run into the threads-1 folder: every zonal period from the cache
    const again = await run(file, one, 2);
    expect(again.cache.misses).toBe(0);
  });
});
