/**
 * `ntl manifest add --glob` (many files, years from the names, all or nothing), licence/citation optional for
 * private data, and the paths `add` writes: whatever it records, `verify` and `run` accept — or it refuses up
 * front with their reason (regression: add stored '../../rasters/x.tif' from a manifest in proj/data-manifests/
 * and the next run refused it as leaving the project folder).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeOwnData, ZONES_FILE } from '../helpers/own-data.js';
import { expandGlob, idFromFileName, loadManifest, segmentRegExp, yearFromName, yearMonthFromName } from '../../src/manifest/index.js';
import { ALLOW_OUTSIDE_ENV } from '../../src/safety/paths.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('manifest-glob');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  const d = join(tmp, `case${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
}
function touch(path: string, text = path): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

// The escape hatch must not leak in from the environment running the tests.
let savedAllow: string | undefined;
beforeEach(() => {
  savedAllow = process.env[ALLOW_OUTSIDE_ENV];
  delete process.env[ALLOW_OUTSIDE_ENV];
});
afterEach(() => {
  if (savedAllow === undefined) delete process.env[ALLOW_OUTSIDE_ENV];
  else process.env[ALLOW_OUTSIDE_ENV] = savedAllow;
});

describe('file names → year, month, id', () => {
  it('takes the one 4-digit year 1970–2100 of the file name only', () => {
    expect(yearFromName('rasters/2012_8bit_hunan.tif')).toEqual({ ok: true, value: 2012 });
    expect(yearFromName('dl/VNL_v2_npp_2015_global_vcmslcfg_c202102150000.average_masked.tif')).toEqual({ ok: true, value: 2015 });
    expect(yearFromName('2019/lights_2015_2015.tif')).toEqual({ ok: true, value: 2015 }); // folder ignored; same year twice is one
    expect(yearFromName('x/F101992.v4b_web.stable_lights.avg_vis.tif')).toMatchObject({
      ok: false,
      problem: 'no 4-digit year (1970–2100) in the file name "F101992.v4b_web.stable_lights.avg_vis.tif"',
    });
    expect(yearFromName('lights_1969_v3000.tif')).toMatchObject({ ok: false });
    expect(yearFromName('diff_2012_2022.tif')).toMatchObject({ ok: false, problem: 'more than one year in the file name "diff_2012_2022.tif" (2012, 2022)' });
  });

  it('takes the one YYYYMM or YYYY-MM month', () => {
    expect(yearMonthFromName('m_201503_avg.tif')).toEqual({ ok: true, value: { year: 2015, month: 3 } });
    expect(yearMonthFromName('m_2015-11.tif')).toEqual({ ok: true, value: { year: 2015, month: 11 } });
    expect(yearMonthFromName('m_2015.tif')).toMatchObject({ ok: false, problem: 'no month (YYYYMM or YYYY-MM) in the file name "m_2015.tif"' });
    expect(yearMonthFromName('m_201513.tif')).toMatchObject({ ok: false });
    expect(yearMonthFromName('m_201501_201502.tif')).toMatchObject({ ok: false, problem: expect.stringMatching(/more than one month .*2015-01, 2015-02/) });
  });

  it('makes ids from file stems', () => {
    expect(idFromFileName('a/lights 2015 (v2).tif')).toBe('lights-2015-v2');
    expect(idFromFileName('_x_2015.tif')).toBe('x_2015');
    expect(idFromFileName('灯光.tif')).toBeUndefined();
  });
});

describe('glob matcher (Node 20 has no fs.glob)', () => {
  it('*, ?, [..] within a folder name, ** across folders, sorted, dot files left out', async () => {
    const d = freshDir();
    for (const f of [
      'r/b_2016.tif',
      'r/a_2017.tif',
      'r/a_2015.tif',
      'r/a_2015.tif.aux.xml',
      'r/.hidden_2015.tif',
      'r/sub/c_2014.tif',
      'r/sub/deep/d_2013.tif',
      'r/.git/e_2012.tif',
    ])
      touch(join(d, f));
    const rel = async (p: string): Promise<string[]> => (await expandGlob(p, d)).files.map((f) => f.slice(d.length + 1));
    expect(await rel('r/*.tif')).toEqual(['r/a_2015.tif', 'r/a_2017.tif', 'r/b_2016.tif']);
    expect(await rel('r/a_201?.tif')).toEqual(['r/a_2015.tif', 'r/a_2017.tif']);
    expect(await rel('r/[ab]_201[56].tif')).toEqual(['r/a_2015.tif', 'r/b_2016.tif']);
    expect(await rel('r/**/*.tif')).toEqual(['r/a_2015.tif', 'r/a_2017.tif', 'r/b_2016.tif', 'r/sub/c_2014.tif', 'r/sub/deep/d_2013.tif']);
    expect(await rel(join(d, 'r/sub/*/*.tif'))).toEqual(['r/sub/deep/d_2013.tif']); // absolute pattern
    expect(await rel('r/sub')).toEqual([]); // a folder is not a file
    expect(segmentRegExp('a.b+(c)*').test('a.b+(c)xyz')).toBe(true);
    expect(segmentRegExp('a.b').test('axb')).toBe(false);
    const missing = await expandGlob('nope/*.tif', d);
    expect(missing).toMatchObject({ files: [], baseExists: false, base: join(d, 'nope') });
  });
});

describe('ntl manifest add --glob', () => {
  it('one entry per file, sorted, ids <prefix><year>, measured; one warning for the missing licence; verify accepts it', async () => {
    const d = freshDir();
    await writeOwnData(d, [2017, 2015, 2016]);
    const m = join(d, 'data-manifests', 'mine.yaml');
    const r = await runCli([
      'manifest',
      'add',
      m,
      '--glob',
      join(d, 'rasters', 'lights_*.tif'),
      '--year-from-name',
      '--sensor',
      'other',
      '--product',
      'mine',
      '--id-prefix',
      'l-',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^created manifest and recorded 3 entries in .*mine\.yaml:\n {2}l-2015 {2}other 2015 {2}\.\.\/rasters\/lights_2015\.tif {2}418 bytes {2}sha256 [0-9a-f]{12}…\n/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^ntl: warning: no licence\/citation recorded for l-2015, l-2016, l-2017 in .*fine for private data; .*add `licence:` and `citation:` lines to those entries \(or re-run this command with --licence "…" --citation "…" --replace\)/,
    );
    const manifest = await loadManifest(m);
    expect(manifest.entries.map((e) => [e.id, e.kind === 'raster' && e.year, e.path])).toEqual([
      ['l-2015', 2015, '../rasters/lights_2015.tif'],
      ['l-2016', 2016, '../rasters/lights_2016.tif'],
      ['l-2017', 2017, '../rasters/lights_2017.tif'],
    ]);
    expect(manifest.entries.every((e) => e.licence === undefined && e.size === 418 && /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
    const v = await runCli(['manifest', 'verify', m]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/3 file\(s\) in 3 entries: 3 ok — all verified\n {2}note: 3 entries have no licence\/citation \(l-2015, l-2016, l-2017\)/);

    // ids from the file stems when there is no prefix; with --licence and --citation there is no warning
    const m2 = join(d, 'data-manifests', 'terms.yaml');
    const t = await runCli([
      'manifest',
      'add',
      m2,
      '--glob',
      join(d, 'rasters', '*.tif'),
      '--year-from-name',
      '--sensor',
      'viirs-vnl',
      '--licence',
      'CC-BY-4.0',
      '--citation',
      'Me (2024)',
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toBe('');
    expect((await loadManifest(m2)).entries.map((e) => e.id)).toEqual(['lights_2015', 'lights_2016', 'lights_2017']);
  });

  it('months from the names (YYYYMM, YYYY-MM)', async () => {
    const d = freshDir();
    for (const f of ['m/viirs_2015-02.tif', 'm/viirs_201501.tif']) touch(join(d, f));
    const m = join(d, 'm.yaml');
    const r = await runCli([
      'manifest',
      'add',
      m,
      '--glob',
      join(d, 'm', '*.tif'),
      '--month-from-name',
      '--sensor',
      'viirs-monthly',
      '--id-prefix',
      'vm-',
      '--licence',
      'x',
      '--citation',
      'y',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const entries = (await loadManifest(m)).entries;
    expect(entries.map((e) => [e.id, e.kind === 'raster' && e.year, e.kind === 'raster' && e.month])).toEqual([
      ['vm-2015-02', 2015, 2],
      ['vm-2015-01', 2015, 1],
    ]);
  });

  it('all or nothing: one error lists every problem, the manifest is untouched', async () => {
    const d = freshDir();
    await writeOwnData(d);
    touch(join(d, 'rasters', 'lights_final.tif'));
    touch(join(d, 'rasters', 'diff_2012_2022.tif'));
    const m = join(d, 'm.yaml');
    expect(
      (await runCli(['manifest', 'add', m, '--file', join(d, 'rasters', 'lights_2015.tif'), '--id', 'l-2015', '--sensor', 'other', '--year', '2015'])).code,
    ).toBe(0);
    const before = readFileSync(m, 'utf8');
    const r = await runCli(['manifest', 'add', m, '--glob', join(d, 'rasters', '*.tif'), '--year-from-name', '--sensor', 'other', '--id-prefix', 'l-']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ntl: error: cannot add 5 file\(s\) to .*m\.yaml: 3 problem\(s\), nothing was written:\n/);
    expect(r.stderr).toMatch(
      /\n {2}- .*rasters\/diff_2012_2022\.tif: more than one year in the file name "diff_2012_2022\.tif" \(2012, 2022\); rename the file, or record it alone with `ntl manifest add --file … --year …`\n/,
    );
    expect(r.stderr).toMatch(/\n {2}- .*rasters\/lights_2015\.tif: entry 'l-2015' already exists \(.*m\.yaml line 4\); choose other ids, or pass --replace\n/);
    expect(r.stderr).toMatch(/\n {2}- .*rasters\/lights_final\.tif: no 4-digit year \(1970–2100\) in the file name "lights_final\.tif"/);
    expect(readFileSync(m, 'utf8')).toBe(before);

    // two files, one year: the ids collide
    rmSync(join(d, 'rasters', 'lights_final.tif'));
    rmSync(join(d, 'rasters', 'diff_2012_2022.tif'));
    copyFileSync(join(d, 'rasters', 'lights_2016.tif'), join(d, 'rasters', 'lights_2016_v2.tif'));
    const dup = await runCli([
      'manifest',
      'add',
      join(d, 'new.yaml'),
      '--glob',
      join(d, 'rasters', '*.tif'),
      '--year-from-name',
      '--sensor',
      'other',
      '--id-prefix',
      'l-',
    ]);
    expect(dup.stderr).toMatch(/lights_2016_v2\.tif: id 'l-2016' is also the id of .*lights_2016\.tif; ids must be unique/);
    expect(existsSync(join(d, 'new.yaml'))).toBe(false);
  });

  it('usage errors: a pattern matching nothing names pattern and folder; shell-expanded patterns; --glob with --file or --id', async () => {
    const d = freshDir();
    await writeOwnData(d);
    const m = join(d, 'm.yaml');
    const none = await runCli(['manifest', 'add', m, '--glob', join(d, 'rasters', '*_8bit.tif'), '--year-from-name', '--sensor', 'other']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^ntl: error: ntl manifest add: --glob '.*rasters\/\*_8bit\.tif' matches no file in .*rasters\/; check the pattern/);
    const nofolder = await runCli(['manifest', 'add', m, '--glob', join(d, 'rasterz', '*.tif'), '--year-from-name', '--sensor', 'other']);
    expect(nofolder.stderr).toMatch(/--glob '.*rasterz\/\*\.tif': the folder .*rasterz does not exist/);
    const expanded = await runCli([
      'manifest',
      'add',
      m,
      '--glob',
      join(d, 'rasters', 'lights_2015.tif'),
      join(d, 'rasters', 'lights_2016.tif'),
      '--sensor',
      'other',
    ]);
    expect(expanded.stderr).toMatch(/the shell expanded the --glob pattern into file names; put the pattern in quotes/);
    const both = await runCli(['manifest', 'add', m, '--glob', 'x/*.tif', '--file', 'x/a.tif']);
    expect(both.stderr).toMatch(/give --file \(one file\) or --glob \(many\), not both/);
    const noYear = await runCli(['manifest', 'add', m, '--glob', join(d, 'rasters', '*.tif'), '--sensor', 'other']);
    expect(noYear.stderr).toMatch(/missing --year-from-name \(or --year\) \(required for a raster entry\)/);
    expect(existsSync(m)).toBe(false);
  });

  it("--glob with --from-template takes each file's template entry by its official name", async () => {
    const d = freshDir();
    for (const f of ['F101992.v4b_web.stable_lights.avg_vis.tif', 'F101993.v4b_web.stable_lights.avg_vis.tif']) touch(join(d, 'dl', f));
    const m = join(d, 'dmsp.yaml');
    const r = await runCli(['manifest', 'add', m, '--from-template', 'data-manifests/templates/eog-dmsp-v4-annual.yaml', '--glob', join(d, 'dl', '*.tif')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // the template brings licence and citation
    const entries = (await loadManifest(m)).entries;
    expect(entries.map((e) => e.kind === 'raster' && [e.sensor, e.satellite, e.year])).toEqual([
      ['dmsp-ols', 'F10', 1992],
      ['dmsp-ols', 'F10', 1993],
    ]);
  });
});

describe('licence and citation are optional (private data)', () => {
  it('add --file without them writes the entry and warns once on stderr; run accepts the manifest', async () => {
    const d = freshDir();
    await writeOwnData(d, [2015]);
    const m = join(d, 'm.yaml');
    const r = await runCli(['manifest', 'add', m, '--file', join(d, 'gis', ZONES_FILE), '--id', 'zones', '--kind', 'boundaries', '--id-field', 'code']);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/^ntl: warning: no licence\/citation recorded for zones in /gm)).toHaveLength(1);
    expect(readFileSync(m, 'utf8')).not.toMatch(/licence|citation/);
    await runCli(['manifest', 'add', m, '--file', join(d, 'rasters', 'lights_2015.tif'), '--id', 'l-2015', '--sensor', 'other', '--year', '2015']);
    const p = join(d, 'p.yaml');
    writeFileSync(
      p,
      'pipeline: 1\nname: p\nmanifests: [m.yaml]\nboundaries: { entry: zones }\nseries: [{ name: l, entries: [l-2015] }]\nyears: [2015]\nzonal: { stats: [count] }\noutputs: { dir: out }\n',
    );
    const run = await runCli(['run', p, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('paths: what add writes, verify and run accept', () => {
  it("regression: a file outside the manifest's project folder is refused up front with run's reason, nothing written", async () => {
    // proj/ is a project (package.json); the user's rasters sit next to it, as in the issue
    const d = freshDir();
    await writeOwnData(d, [2015]);
    mkdirSync(join(d, 'proj', 'data-manifests'), { recursive: true });
    writeFileSync(join(d, 'proj', 'package.json'), '{}');
    const m = join(d, 'proj', 'data-manifests', 'mine.yaml');
    const r = await runCli(['manifest', 'add', m, '--file', join(d, 'rasters', 'lights_2015.tif'), '--id', 'l', '--sensor', 'other', '--year', '2015']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^ntl: error: cannot add .*rasters\/lights_2015\.tif to .*mine\.yaml: its path from the manifest, '\.\.\/\.\.\/rasters\/lights_2015\.tif', leads outside .*proj \(through '\.\.'\), so `ntl manifest verify` and `ntl run` would refuse it; move or copy the data into .*proj .*NTL_ALLOW_OUTSIDE_PATHS=1/,
    );
    expect(existsSync(m)).toBe(false);

    // with the data moved into the project, add writes a path run accepts
    copyFileSync(join(d, 'rasters', 'lights_2015.tif'), join(d, 'proj', 'lights_2015.tif'));
    expect((await runCli(['manifest', 'add', m, '--file', join(d, 'proj', 'lights_2015.tif'), '--id', 'l', '--sensor', 'other', '--year', '2015'])).code).toBe(
      0,
    );
    expect(readFileSync(m, 'utf8')).toContain('path: ../lights_2015.tif');
    expect((await runCli(['manifest', 'verify', m])).code).toBe(0);

    // the explicit escape hatch still works, for add and verify alike
    process.env[ALLOW_OUTSIDE_ENV] = '1';
    expect(
      (await runCli(['manifest', 'add', m, '--file', join(d, 'rasters', 'lights_2015.tif'), '--id', 'outside', '--sensor', 'other', '--year', '2015'])).code,
    ).toBe(0);
    expect((await runCli(['manifest', 'verify', m])).code).toBe(0);
  });

  it('a data folder that is a symbolic link to elsewhere: refused, saying so', async () => {
    const d = freshDir();
    await writeOwnData(join(d, 'elsewhere'), [2015]);
    mkdirSync(join(d, 'proj'));
    writeFileSync(join(d, 'proj', 'package.json'), '{}');
    symlinkSync(join(d, 'elsewhere', 'rasters'), join(d, 'proj', 'rasters'));
    const m = join(d, 'proj', 'm.yaml');
    const r = await runCli(['manifest', 'add', m, '--glob', join(d, 'proj', 'rasters', '*.tif'), '--year-from-name', '--sensor', 'other']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/leads outside .*proj through a symbolic link, so `ntl manifest verify` and `ntl run` would refuse it/);
    expect(existsSync(m)).toBe(false);
  });

  it('manifest and file named through different symlinked folders: add stores the real relation, verify accepts it', async () => {
    const d = freshDir();
    await writeOwnData(join(d, 'real', 'proj'), [2015]);
    writeFileSync(join(d, 'real', 'proj', 'package.json'), '{}');
    symlinkSync(join(d, 'real'), join(d, 'link')); // e.g. a symlinked home, or macOS /tmp → /private/tmp
    const m = join(d, 'link', 'proj', 'data-manifests', 'mine.yaml');
    const r = await runCli([
      'manifest',
      'add',
      m,
      '--glob',
      join(d, 'real', 'proj', 'rasters', '*.tif'),
      '--year-from-name',
      '--sensor',
      'other',
      '--id-prefix',
      'l-',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(m, 'utf8')).toContain('path: ../rasters/lights_2015.tif'); // was ../../../real/proj/rasters/…, refused by run
    expect((await runCli(['manifest', 'verify', m])).code).toBe(0);
  });

  it('paths are stored with forward slashes, relative to the manifest, for every layout add accepts', async () => {
    const d = freshDir();
    await writeOwnData(d, [2015]);
    const layouts = [join(d, 'm.yaml'), join(d, 'rasters', 'm.yaml'), join(d, 'a', 'b', 'm.yaml')];
    for (const [i, m] of layouts.entries()) {
      const r = await runCli(['manifest', 'add', m, '--file', join(d, 'rasters', 'lights_2015.tif'), '--id', `l${i}`, '--sensor', 'other', '--year', '2015']);
      if (r.code !== 0) {
        expect(r.stderr).toMatch(/would refuse it/); // refused up front, never written
        expect(existsSync(m)).toBe(false);
        continue;
      }
      const path = (await loadManifest(m)).entries[0]!.path!;
      expect(path).not.toMatch(/\\|^\//);
      expect((await runCli(['manifest', 'verify', m])).code).toBe(0);
    }
  });
});
