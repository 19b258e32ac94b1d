/**
 * `ntl manifest verify|add` as a user runs them (the compiled binary, a real process), the shipped
 * manifests' checksums, and template manifests (`template: true`).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBinary } from '../helpers/cli.js';
import { loadManifest, templateManifestSchema } from '../../src/manifest/index.js';
import { parseYamlText } from '../../src/pipeline/yaml-errors.js';
import { tempDir } from '../helpers/tmp.js';

const TIF = 'data/demo/viirs_like/2012_8bit_hunan.tif';
const DMSP_TEMPLATE = 'data-manifests/templates/eog-dmsp-v4-annual.yaml';
const VNL_TEMPLATE = 'data-manifests/templates/eog-vnl-v2-annual.yaml';

const ntl = runBinary;

const tmp = tempDir('cli-manifest');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  const d = join(tmp, `case${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
}

const RASTER_FIELDS = ['--sensor', 'harmonized', '--year', '2012', '--licence', 'CC0-1.0', '--citation', 'Chen et al. (2021) ESSD 13:889-906'];

function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1];
}

describe('ntl manifest --help', () => {
  it('documents both subcommands and the template flag', async () => {
    const r = await ntl(['manifest', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ntl manifest verify <manifest\.yaml>/);
    expect(r.stdout).toMatch(/ntl manifest add <manifest\.yaml> --file <path> --id <id>/);
    expect(r.stdout).toMatch(/--companion/);
    expect(r.stdout).toMatch(/template: true/);
  });

  it('is listed by `ntl --help`', async () => {
    const r = await ntl(['--help']);
    expect(r.stdout).toMatch(/^\s+manifest\s/m);
  });

  it('rejects an unknown subcommand with what to use instead', async () => {
    const r = await ntl(['manifest', 'check', 'x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ntl: error: ntl manifest: unknown subcommand "check"; use verify or add/);
  });
});

describe('shipped manifests', () => {
  it('data-manifests/demo.yaml and treatments.yaml verify against the files in data/', async () => {
    const r = await ntl(['manifest', 'verify', 'data-manifests/demo.yaml', 'data-manifests/treatments.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const okLines = r.stdout.split('\n').filter((l) => /^\s+ok\s/.test(l));
    expect(okLines).toHaveLength(18);
    expect(r.stdout).toMatch(/16 file\(s\) in 16 entries: 16 ok — all verified/);
    expect(r.stdout).toMatch(/2 file\(s\) in 2 entries: 2 ok — all verified/);
  });

  it('demo.yaml has the boundaries, 11 VIIRS-like and 4 DMSP-like entries with their metadata', async () => {
    const m = await loadManifest('data-manifests/demo.yaml');
    const b = m.entries.find((e) => e.id === 'hunan-counties');
    expect(b).toMatchObject({
      kind: 'boundaries',
      id_field: 'Code_County',
      name_field: 'Name_County',
      parent_field: 'Code_Perfecture',
      province_field: 'Code_Province',
      crs: 'EPSG:4326',
      vintage: 2019,
    });
    const rasters = m.entries.filter((e) => e.kind === 'raster');
    const viirs = rasters.filter((e) => e.kind === 'raster' && e.product === 'chen2021-npp-viirs-like-8bit');
    const dmsp = rasters.filter((e) => e.kind === 'raster' && e.product === 'wu2021-dmsp-like');
    expect(viirs.map((e) => (e.kind === 'raster' ? e.year : 0))).toEqual([2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]);
    expect(dmsp.map((e) => (e.kind === 'raster' ? e.year : 0))).toEqual([2018, 2019, 2020, 2021]);
    for (const e of rasters) {
      expect(e.kind === 'raster' && e.sensor).toBe('harmonized');
      expect(e.notes ?? '').not.toBe('');
    }
    // The PROVENANCE lists the same checksum for the 2012 clip.
    expect(viirs[0].sha256).toBe('5b74ff1294005b7ec1d3b4ae541696eecff2105573f7f9acd27752cc294326a0');
  });

  it('treatments.yaml records both tables as role treatment', async () => {
    const m = await loadManifest('data-manifests/treatments.yaml');
    expect(m.entries.map((e) => [e.id, e.kind, e.kind === 'table' ? e.role : undefined])).toEqual([
      ['poverty-counties-832', 'table', 'treatment'],
      ['industrial-transfer-zones', 'table', 'treatment'],
    ]);
  });
});

describe('ntl manifest add', () => {
  it('creates a new manifest (manifest: 1, name = file name), prints what it recorded, and the result verifies', async () => {
    const d = freshDir();
    copyFileSync(TIF, join(d, 'lights.tif'));
    const manifest = join(d, 'my-data.yaml');
    const r = await ntl(['manifest', 'add', manifest, '--file', join(d, 'lights.tif'), '--id', 'lights-2012', ...RASTER_FIELDS, '--product', 'test']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created manifest and recorded 'lights-2012'/);
    expect(r.stdout).toMatch(/path\s+lights\.tif/);
    expect(r.stdout).toMatch(/size\s+25488 bytes/);
    expect(r.stdout).toMatch(/sha256\s+5b74ff1294005b7ec1d3b4ae541696eecff2105573f7f9acd27752cc294326a0/);
    const text = readFileSync(manifest, 'utf8');
    expect(text).toMatch(/^manifest: 1$/m);
    expect(text).toMatch(/^name: my-data$/m);
    const v = await ntl(['manifest', 'verify', manifest]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\s+ok\s+lights-2012\s+lights\.tif$/m);
  });

  it('refuses a duplicate id without --replace, and records the new file with --replace', async () => {
    const d = freshDir();
    copyFileSync(TIF, join(d, 'a.tif'));
    writeFileSync(join(d, 'b.tif'), 'another file');
    const manifest = join(d, 'm.yaml');
    expect((await ntl(['manifest', 'add', manifest, '--file', join(d, 'a.tif'), '--id', 'x', ...RASTER_FIELDS])).code).toBe(0);
    const dup = await ntl(['manifest', 'add', manifest, '--file', join(d, 'b.tif'), '--id', 'x', ...RASTER_FIELDS]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^ntl: error: .*m\.yaml line \d+: entry 'x' already exists; choose another id, or pass --replace/);
    expect(readFileSync(manifest, 'utf8')).toMatch(/path: a\.tif/);
    const rep = await ntl(['manifest', 'add', manifest, '--file', join(d, 'b.tif'), '--id', 'x', ...RASTER_FIELDS, '--replace']);
    expect(rep.code).toBe(0);
    const text = readFileSync(manifest, 'utf8');
    expect(text).toMatch(/path: b\.tif/);
    expect(text).not.toMatch(/path: a\.tif/);
  });

  it('lists every missing required field in one error and writes nothing', async () => {
    const d = freshDir();
    copyFileSync(TIF, join(d, 'a.tif'));
    const manifest = join(d, 'm.yaml');
    const r = await ntl(['manifest', 'add', manifest, '--file', join(d, 'a.tif'), '--id', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/missing --sensor, --year \(required for a raster entry\)/);
    const t = await ntl(['manifest', 'add', manifest, '--file', join(d, 'a.tif'), '--kind', 'table', '--licence', 'x']);
    expect(t.stderr).toMatch(/missing --id, --role \(required for a table entry\)/);
    const b = await ntl(['manifest', 'add', manifest, '--id', 'b', '--kind', 'boundaries', '--licence', 'x', '--citation', 'y']);
    expect(b.stderr).toMatch(/missing --file, --id-field \(required for a boundaries entry\)/);
    expect(() => readFileSync(manifest)).toThrow();
  });

  it('adds the sibling .dbf/.shx/.prj of a shapefile as companions, and verify checks them', async () => {
    const d = freshDir();
    for (const ext of ['shp', 'shx', 'dbf', 'prj']) writeFileSync(join(d, `zones.${ext}`), `fake ${ext} content`);
    const manifest = join(d, 'm.yaml');
    const r = await ntl([
      'manifest',
      'add',
      manifest,
      '--file',
      join(d, 'zones.shp'),
      '--id',
      'zones',
      '--kind',
      'boundaries',
      '--id-field',
      'code',
      '--licence',
      'x',
      '--citation',
      'y',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/companion /g)).toHaveLength(3);
    const text = readFileSync(manifest, 'utf8');
    for (const ext of ['dbf', 'shx', 'prj']) expect(text).toContain(`path: zones.${ext}`);
    expect((await ntl(['manifest', 'verify', manifest])).code).toBe(0);
    writeFileSync(join(d, 'zones.dbf'), 'fake dbf CONTENT'); // same size, other bytes
    const v = await ntl(['manifest', 'verify', manifest]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/CHECKSUM MISMATCH\s+zones \(companion\)\s+zones\.dbf/);
    expect(v.stderr).toMatch(/zones \(companion zones\.dbf\): checksum mismatch/);
  });

  it('takes the fields of a template entry with --from-template (matched by the official file name)', async () => {
    const d = freshDir();
    const official = join(d, 'F182010.v4d_web.stable_lights.avg_vis.tif');
    writeFileSync(official, 'stand-in for the real composite');
    const manifest = join(d, 'mine.yaml');
    const r = await ntl(['manifest', 'add', manifest, '--from-template', DMSP_TEMPLATE, '--file', official]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = await loadManifest(manifest);
    expect(m.entries[0]).toMatchObject({ id: 'dmsp-F182010', kind: 'raster', sensor: 'dmsp-ols', satellite: 'F18', year: 2010, product: 'stable_lights' });
    expect(m.entries[0].citation).toMatch(/National Geophysical Data Center/);
    expect((await ntl(['manifest', 'verify', manifest])).code).toBe(0);
    // A renamed file is not found by name: the error says to give --id.
    writeFileSync(join(d, 'renamed.tif'), 'x');
    const miss = await ntl(['manifest', 'add', manifest, '--from-template', DMSP_TEMPLATE, '--file', join(d, 'renamed.tif')]);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toMatch(/no template entry matches the file name renamed\.tif; give --id/);
    const byId = await ntl(['manifest', 'add', manifest, '--from-template', DMSP_TEMPLATE, '--file', join(d, 'renamed.tif'), '--id', 'dmsp-F101992']);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/dmsp-ols F10, year 1992/);
  });
});

describe('ntl manifest verify', () => {
  async function oneFileManifest(): Promise<{ d: string; manifest: string; file: string }> {
    const d = freshDir();
    const file = join(d, 'lights.tif');
    copyFileSync(TIF, file);
    const manifest = join(d, 'm.yaml');
    const r = await ntl(['manifest', 'add', manifest, '--file', file, '--id', 'lights-2012', ...RASTER_FIELDS]);
    expect(r.code).toBe(0);
    return { d, manifest, file };
  }

  it('a modified copy: CHECKSUM MISMATCH, exit 1, and the last line names the entry and file and says what to do', async () => {
    const { manifest, file } = await oneFileManifest();
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff; // same size, one byte changed
    writeFileSync(file, bytes);
    const r = await ntl(['manifest', 'verify', manifest]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^\s+CHECKSUM MISMATCH\s+lights-2012\s+lights\.tif\s+\(sha256 \[[0-9a-f]\][0-9a-f]{11}…, recorded \[5\]b74ff129400…: first difference at character 1, in \[ \]; size as recorded\)$/m,
    );
    expect(r.stdout).toMatch(/1 checksum mismatch — NOT verified/);
    expect(r.stderr).toMatch(/^ntl: error: .*m\.yaml: 1 of 1 file\(s\) failed verification:/);
    expect(r.stderr).toMatch(/- lights-2012: checksum mismatch: lights\.tif has sha256/);
    expect(lastLine(r.stderr)).toMatch(/re-download the listed files, or run `ntl manifest add` to record a new file deliberately/);
  });

  it('reports SIZE MISMATCH and MISSING files', async () => {
    const { d, manifest, file } = await oneFileManifest();
    truncateSync(file, 100);
    const s = await ntl(['manifest', 'verify', manifest]);
    expect(s.code).toBe(1);
    expect(s.stdout).toMatch(/SIZE MISMATCH\s+lights-2012\s+lights\.tif\s+\(100 bytes, recorded 25488: 25388 fewer\)/);
    rmSync(file);
    const m = await ntl(['manifest', 'verify', manifest]);
    expect(m.code).toBe(1);
    expect(m.stdout).toMatch(/MISSING\s+lights-2012\s+lights\.tif/);
    expect(m.stderr).toMatch(/lights-2012: missing: lights\.tif not found/);
    expect(d).toBeTruthy();
  });

  it('reports url-only entries as "no local copy (url only)" and exits 1', async () => {
    const d = freshDir();
    const manifest = join(d, 'url.yaml');
    writeFileSync(
      manifest,
      [
        'manifest: 1',
        'name: url-only',
        'entries:',
        '  - id: remote',
        '    sensor: other',
        '    year: 2020',
        '    url: https://example.org/remote.tif',
        `    size: 10`,
        `    sha256: ${'a'.repeat(64)}`,
        '    licence: x',
        '    citation: y',
        '',
      ].join('\n'),
    );
    const r = await ntl(['manifest', 'verify', manifest]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no local copy \(url only\)\s+remote\s+https:\/\/example\.org\/remote\.tif/);
    expect(r.stderr).toMatch(/remote: no local copy/);
  });

  it('verifies several manifests and fails when any one fails, naming it', async () => {
    const { manifest, file } = await oneFileManifest();
    rmSync(file);
    const r = await ntl(['manifest', 'verify', 'data-manifests/treatments.yaml', manifest]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 ok — all verified/);
    expect(r.stderr).toMatch(/m\.yaml: 1 of 1 file\(s\) failed verification/);
    expect(r.stderr).not.toMatch(/treatments/);
  });

  it('a schema error names the file and line', async () => {
    const d = freshDir();
    const manifest = join(d, 'bad.yaml');
    writeFileSync(
      manifest,
      'manifest: 1\nname: bad\nentries:\n  - id: a\n    sensor: other\n    year: 2020\n    path: a.tif\n    size: 1\n    licence: x\n    citation: y\n',
    );
    const r = await ntl(['manifest', 'verify', manifest]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml line 4: entries\[0\]\.sha256 is required/);
  });
});

describe('template manifests (template: true)', () => {
  it('the DMSP template lists the 34 V4 composites (+ F152008, F162010) with official names, no checksums', () => {
    const t = templateManifestSchema.parse(parseYamlText(readFileSync(DMSP_TEMPLATE, 'utf8'), DMSP_TEMPLATE, 'manifest').data);
    expect(t.template).toBe(true);
    expect(t.entries).toHaveLength(36);
    const byId = new Map(t.entries.map((e) => [e.id, e]));
    expect(byId.get('dmsp-F101992')?.path).toBe('F101992.v4b_web.stable_lights.avg_vis.tif');
    expect(byId.get('dmsp-F182010')?.path).toBe('F182010.v4d_web.stable_lights.avg_vis.tif');
    expect(byId.get('dmsp-F182013')?.path).toBe('F182013.v4c_web.stable_lights.avg_vis.tif');
    expect(byId.get('dmsp-F162010')?.path).toBeUndefined(); // name unconfirmed: url + notes only
    expect(byId.get('dmsp-F162010')?.notes).toMatch(/could NOT be confirmed/);
    for (const e of t.entries) {
      expect(e).toMatchObject({ kind: 'raster', sensor: 'dmsp-ols' });
      expect(e.sha256).toBeUndefined();
      if (e.kind === 'raster' && e.path) expect(e.path.startsWith(`${e.satellite}${e.year}.v4`)).toBe(true);
    }
  });

  it('the VNL template lists 2012–2022 with official names', () => {
    const t = templateManifestSchema.parse(parseYamlText(readFileSync(VNL_TEMPLATE, 'utf8'), VNL_TEMPLATE, 'manifest').data);
    expect(t.entries.map((e) => (e.kind === 'raster' ? e.year : 0))).toEqual([2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]);
    expect(t.entries[0].path).toBe('VNL_v2_npp_201204-201303_global_vcmcfg_c202102150000.average_masked.tif');
    expect(t.entries[0].url).toBe(
      'https://eogdata.mines.edu/nighttime_light/annual/v20/2012/VNL_v2_npp_201204-201303_global_vcmcfg_c202102150000.average_masked.tif.gz',
    );
  });

  it("verify lists a template's entries and exits 1 saying there is nothing to verify and what to run", async () => {
    const r = await ntl(['manifest', 'verify', VNL_TEMPLATE]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^\s+template\s+vnl-v2-\d{4}\s.*run `ntl manifest add` on your copy$/gm)).toHaveLength(11);
    expect(r.stderr).toMatch(/is a template \(template: true\): it names 11 official file\(s\) but records no checksums/);
    expect(r.stderr).toMatch(/ntl manifest add <your\.yaml> --from-template/);
  });

  it('cannot be loaded as pipeline input: one clear error at the template line', async () => {
    await expect(loadManifest(DMSP_TEMPLATE)).rejects.toThrow(
      /eog-dmsp-v4-annual\.yaml line \d+: template is true: this manifest is a template .*cannot be used as input; download the files/,
    );
    await expect(loadManifest(DMSP_TEMPLATE)).rejects.not.toThrow(/sha256/);
  });

  it('template entries are still checked strictly (unknown keys, wrong sensor)', async () => {
    const d = freshDir();
    const bad = join(d, 't.yaml');
    writeFileSync(
      bad,
      'manifest: 1\nname: t\ntemplate: true\nentries:\n  - id: a\n    sensor: dmsp\n    year: 2000\n    url: https://example.org/a\n    licence: x\n    citation: y\n    checksum: abc\n',
    );
    const r = await ntl(['manifest', 'verify', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/t\.yaml line \d+: entries\[0\]\.sensor must be one of dmsp-ols/);
    expect(r.stderr).toMatch(/unknown key 'checksum'/);
  });
});
