/**
 * Issue 15: a run publishes report.html and tables/ in the same staged set as the panel (a failure after staging
 * leaves the previous report and panel together); a dead run's lock and staging are cleaned up, a live run's
 * staging never; an output folder holding an input of an output's name is refused; `ntl report` respects the lock.
 * In-process runs of a reduced copy of the demo pipeline.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setWriteFaultForTests } from '../../src/output/atomic.js';
import { LOCK_FILE, lockOutputFolder } from '../../src/output/folder-lock.js';
import { setBeforePublishForTests } from '../../src/pipeline/commit-outputs.js';
import { buildReport } from '../../src/report/index.js';
import { runCli } from '../helpers/cli.js';
import { reducedDemo } from '../helpers/demo-copy.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('publish');
afterEach(() => {
  setWriteFaultForTests(null);
  setBeforePublishForTests(null);
});

const tree = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.staging') || n === LOCK_FILE);

describe('the report is published with the rest of the run', () => {
  const dir = join(tmp, 'p');
  const p1 = reducedDemo(dir, { from: 2012, to: 2012, name: 'one.yaml' });
  const p2 = reducedDemo(dir, { from: 2012, to: 2013, name: 'two.yaml' });
  const out = join(dir, 'out');

  it('report.html and tables/ are in the staged set before the rename, and equal `ntl report` of the published folder', async () => {
    let staged: string[] = [];
    let rels: readonly string[] = [];
    setBeforePublishForTests((staging, r) => {
      staged = tree(staging);
      rels = r;
    });
    const r = await runCli(['run', p1, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(staged).toContain('report.html');
    expect(staged).toContain('panel.csv');
    expect(staged).toContain('run.json');
    expect(staged.filter((f) => f.startsWith('tables/')).length).toBeGreaterThan(0);
    expect([...rels].sort()).toEqual([...staged].sort()); // only the set: the links the report read through are gone
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(await buildReport(out));
    expect(leftovers(out)).toEqual([]);
  });

  it('a failure after staging (or while staging the report) leaves the previous report and panel together', async () => {
    const before = { report: readFileSync(join(out, 'report.html')), panel: readFileSync(join(out, 'panel.csv')), run: readFileSync(join(out, 'run.json')) };
    const same = () => {
      expect(readFileSync(join(out, 'report.html')).equals(before.report)).toBe(true);
      expect(readFileSync(join(out, 'panel.csv')).equals(before.panel)).toBe(true);
      expect(readFileSync(join(out, 'run.json')).equals(before.run)).toBe(true);
      expect(leftovers(out)).toEqual([]);
    };
    setBeforePublishForTests(() => {
      throw new Error('killed after staging');
    });
    const killed = await runCli(['run', p2, '--out', out, '--quiet']);
    expect(killed.code).not.toBe(0);
    same();
    setBeforePublishForTests(null);
    setWriteFaultForTests((target) => {
      if (target.endsWith('report.html')) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    const full = await runCli(['run', p2, '--out', out, '--quiet']);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(
      /^ntl: error: cannot write .*report\.html: the disk is full; nothing was published: the previous outputs in .* are unchanged\n$/,
    );
    same();
    setWriteFaultForTests(null);
    const ok = await runCli(['run', p2, '--out', out, '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(out, 'report.html')).equals(before.report)).toBe(false);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(await buildReport(out));
  });
});

describe('locks and staging of other runs', () => {
  it("a dead run's lock is reclaimed with a warning and its staging removed; a live process's staging is left alone", async () => {
    const dir = join(tmp, 'stale');
    const p = reducedDemo(dir, { from: 2012, to: 2012 });
    const out = join(dir, 'out');
    mkdirSync(out, { recursive: true });
    const dead = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('exit', () => resolve(c.pid!));
    });
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
      writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), started: new Date().toISOString(), command: 'ntl run killed.yaml' }));
      mkdirSync(join(out, `.staging-${host}-${dead}`));
      writeFileSync(join(out, `.staging-${host}-${dead}`, 'panel.csv'), 'half');
      mkdirSync(join(out, `.staging-${host}-${live.pid}`));
      const r = await runCli(['run', p, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(
          `^ntl: warning: reclaimed the lock on .*out left by ntl run killed\\.yaml \\(pid ${dead} on host .*, started \\d\\d:\\d\\d:\\d\\d\\), which is no longer running; its unfinished files are removed$`,
          'm',
        ),
      );
      expect(readdirSync(out).filter((n) => n.startsWith('.staging'))).toEqual([`.staging-${host}-${live.pid}`]);
      expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    } finally {
      live.kill();
    }
  });

  it('a run, a panel and a report into a folder another command holds fail at once, naming it', async () => {
    const dir = join(tmp, 'held');
    const p = reducedDemo(dir, { from: 2012, to: 2012 });
    const out = join(dir, 'out');
    const lock = await lockOutputFolder(out, { command: 'ntl run other.yaml' });
    try {
      const r = await runCli(['run', p, '--out', out, '--quiet']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^ntl: error: .*out is being written by ntl run other\\.yaml \\(pid ${process.pid} on host .*, started \\d\\d:\\d\\d:\\d\\d\\); wait for it to finish or choose another --out\\n$`,
        ),
      );
      const rep = await runCli(['report', out]);
      expect(rep.stderr).toMatch(/is being written by ntl run other\.yaml .*; wait for it to finish or choose another folder/);
      expect(readdirSync(out)).toEqual([LOCK_FILE]);
    } finally {
      await lock.release();
    }
  });

  it("an output folder holding an input under an output's name is refused before anything runs", async () => {
    const dir = join(tmp, 'inside');
    const p = reducedDemo(dir, { from: 2012, to: 2012 });
    const manifest = join(dir, 'data-manifests', 'demo.yaml');
    renameSync(join(dir, 'data/demo/hunan_counties.geojson'), join(dir, 'data/demo/run.json'));
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('../data/demo/hunan_counties.geojson', '../data/demo/run.json'));
    const r = await runCli(['run', p, '--out', join(dir, 'data', 'demo'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ntl: error: ntl run: the output folder .*data\/demo would overwrite the input entry hunan-counties .*data\/demo\/run\.json \(same file\) with its run\.json; choose another output folder, or keep the input elsewhere\n$/,
    );
    expect(readdirSync(join(dir, 'data', 'demo')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
