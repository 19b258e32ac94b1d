/**
 * Data directories for manifests (`data_dir:` / --data-dir), `shipped: true` and `download: manual` entries,
 * `ntl fetch --for PIPELINE --mirror URL`, and `ntl run --data-dir`, against a loopback HTTP mirror this test
 * starts (node:http on 127.0.0.1, random port, closed after) serving a folder laid out as the data dir.
 *
 * (a) always: a copy of the shipped demo data as the mirror, a demo manifest with data_dir, a small pipeline:
 *     fetch --for … --mirror → run --data-dir gives the panel of the plain demo manifest; --for fetched only
 *     what the pipeline reads; a wrong byte on the mirror is a checksum error with nothing published; manual
 *     entries and landing pages give instructions, never a saved HTML page; unrecorded entries are refused by run.
 * (b) with NTL_DATA_DIR (a folder in the layout of data-manifests/china.yaml): the whole China recipe, fetch from
 *     the loopback mirror → `ntl run pipelines/china-itz-city-gini.yaml --data-dir <tmp>`.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, verifyManifest } from '../../src/manifest/index.js';
import { loadPipelineManifests, pipelineEntries } from '../../src/pipeline/resolve.js';
import { loadPipelineSpec } from '../../src/pipeline/spec.js';
import { parseCsv, runCli as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// --- the loopback mirror ----------------------------------------------------------------------------

let server: Server;
let base = '';
/** Folder the mirror serves (switchable per test). */
let mirrorRoot = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (path.startsWith('/landing/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Dataverse</title><p>Download</p>');
      return;
    }
    const file = resolve(mirrorRoot, `.${path}`);
    if (!file.startsWith(mirrorRoot + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const data = readFileSync(file);
    res.writeHead(200, { 'content-length': data.length, 'content-type': 'application/octet-stream' }).end(data);
  });
  server.maxConnections = 16;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.NTL_FETCH_BACKOFF_MS = '1';
  delete process.env.NTL_ALLOW_OUTSIDE_PATHS; // every path here must be accepted without it
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Every file under dir, recursively (relative names, '/'-separated). */
function tree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));
}

// --- (a) the demo data through a data dir -------------------------------------------------------------

describe('data_dir, --data-dir, ntl fetch --for / --mirror (demo data on a loopback mirror)', () => {
  const tmp = tempDir('datadir');
  const project = join(tmp, 'project'); // its own project root (package.json)
  const mirror = join(tmp, 'mirror'); // the demo files laid out as in the data dir
  const external = join(tmp, 'elsewhere', 'ntl-data'); // a --data-dir outside the project
  const ddManifest = join(project, 'data-manifests', 'demo-dd.yaml');
  const pipeline = (name: string, manifest: string, series = 'product: chen2021-npp-viirs-like-8bit', years = '{ from: 2020, to: 2022 }') =>
    `pipeline: 1
name: ${name}
manifests: [../data-manifests/${manifest}]
boundaries: { entry: hunan-counties }
series:
  - name: viirs_like
    select: { sensor: harmonized, ${series} }
  - name: dmsp_like
    select: { sensor: harmonized, product: wu2021-dmsp-like }
years: ${years}
zonal: { stats: [count, sum, mean], rule: exact, nodata_as_zero: true }
outputs: { dir: ../out/${name}, formats: [csv] }
`;
  const pipe = (name: string) => join(project, 'pipelines', `${name}.yaml`);

  beforeAll(() => {
    mkdirSync(join(project, 'data-manifests'), { recursive: true });
    mkdirSync(join(project, 'pipelines'));
    writeFileSync(join(project, 'package.json'), '{}');
    cpSync('data/demo', join(project, 'data/demo'), { recursive: true });
    cpSync('data-manifests/demo.yaml', join(project, 'data-manifests/demo.yaml'));
    cpSync('data/demo', mirror, { recursive: true });
    // The demo manifest with a data dir: paths relative to it, plus a manual entry and a landing-page url.
    const demo = readFileSync('data-manifests/demo.yaml', 'utf8');
    expect(demo).toMatch(/^name: demo$/m);
    const terms = '    licence: test\n    citation: test\n';
    writeFileSync(
      ddManifest,
      demo.replace(/^name: demo$/m, 'name: demo-dd\ndata_dir: ../data/downloads/demo').replaceAll('path: ../data/demo/', 'path: ') +
        `  - id: global-2021\n    sensor: harmonized\n    year: 2021\n    product: chen2021-npp-viirs-like\n    path: global/LongNTL_2021.tif\n` +
        `    url: ${base}/landing/YGIVCD\n    download: manual\n    size: null\n    sha256: null\n${terms}` +
        `  - id: landing\n    sensor: other\n    year: 2021\n    path: other/landing.tif\n    url: ${base}/landing/file.tif\n    size: null\n    sha256: null\n${terms}`,
    );
    writeFileSync(pipe('plain'), pipeline('plain', 'demo.yaml'));
    writeFileSync(pipe('dd'), pipeline('dd', 'demo-dd.yaml'));
    writeFileSync(pipe('long'), pipeline('long', 'demo-dd.yaml', 'product: chen2021-npp-viirs-like', '[2021]'));
    mirrorRoot = mirror;
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--for resolves what a pipeline reads without the files; fetch --mirror gets only those into --data-dir', async () => {
    const spec = await loadPipelineSpec(pipe('dd'));
    const used = pipelineEntries(spec, await loadPipelineManifests(spec));
    expect(used.map((u) => u.entry.id)).toEqual([
      'hunan-counties',
      'viirs-like-2020',
      'viirs-like-2021',
      'viirs-like-2022',
      'dmsp-like-2020',
      'dmsp-like-2021',
    ]);

    requests.length = 0;
    const r = await ntl(['fetch', ddManifest, '--for', pipe('dd'), '--mirror', `${base}/`, '--data-dir', external]);
    expect(r.stderr).not.toMatch(/ntl: error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 entries read by .*dd\.yaml from mirror http:\/\/127\.0\.0\.1/);
    expect(r.stdout).toMatch(/6 file\(s\): 6 fetched, 0 already ok/);
    expect(requests.sort()).toEqual([
      '/dmsp_like/DMSP-like2020_hunan.tif',
      '/dmsp_like/DMSP-like2021_hunan.tif',
      '/hunan_counties.geojson',
      '/viirs_like/2020_8bit_hunan.tif',
      '/viirs_like/2021_8bit_hunan.tif',
      '/viirs_like/2022_8bit_hunan.tif',
    ]);
    expect(tree(external).sort()).toEqual([
      'dmsp_like/DMSP-like2020_hunan.tif',
      'dmsp_like/DMSP-like2021_hunan.tif',
      'hunan_counties.geojson',
      'viirs_like/2020_8bit_hunan.tif',
      'viirs_like/2021_8bit_hunan.tif',
      'viirs_like/2022_8bit_hunan.tif',
    ]);
    expect(existsSync(join(project, 'data/downloads'))).toBe(false); // the default data dir was not touched

    // a second fetch finds everything in place and asks the mirror for nothing
    requests.length = 0;
    const again = await ntl(['fetch', ddManifest, '--for', pipe('dd'), '--mirror', `${base}/`, '--data-dir', external]);
    expect(again.stdout).toMatch(/0 fetched, 6 already ok/);
    expect(requests).toEqual([]);
  });

  it('ntl run --data-dir (a folder outside the project, no NTL_ALLOW_OUTSIDE_PATHS) gives the panel of the plain demo manifest', async () => {
    const a = await ntl(['run', pipe('plain'), '--quiet']);
    expect(a.code, a.stderr).toBe(0);
    const b = await ntl(['run', pipe('dd'), '--data-dir', external, '--quiet']);
    expect(b.code, b.stderr).toBe(0);
    const plain = readFileSync(join(project, 'out/plain/panel.csv'), 'utf8');
    const dd = readFileSync(join(project, 'out/dd/panel.csv'), 'utf8');
    expect(parseCsv(dd).rows.length).toBe(122 * 5); // 3 VIIRS-like + 2 DMSP-like years
    expect(dd).toBe(plain);
  });

  it('without --data-dir, run reads the manifest data_dir: missing files name `ntl fetch … --for`', async () => {
    const r = await ntl(['run', pipe('dd'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hunan-counties: .*data[/\\]downloads[/\\]demo[/\\]hunan_counties\.geojson is missing/);
    expect(r.stderr).toMatch(/Download the missing files with `ntl fetch <its manifest> --for .*dd\.yaml`/);
    // the default data dir, fetched from a local-folder mirror (file://)
    const f = await ntl(['fetch', ddManifest, '--for', pipe('dd'), '--mirror', mirror]);
    expect(f.code, f.stderr).toBe(0);
    expect(tree(join(project, 'data/downloads/demo'))).toHaveLength(6);
    const ok = await ntl(['run', pipe('dd'), '--quiet', '--out', join(tmp, 'out-default')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'out-default/panel.csv'), 'utf8')).toBe(readFileSync(join(project, 'out/plain/panel.csv'), 'utf8'));
  });

  it('a wrong byte on the mirror is a checksum error: nothing is published, nothing kept for a resume', async () => {
    const bad = join(tmp, 'bad-mirror');
    cpSync(mirror, bad, { recursive: true });
    const f = join(bad, 'viirs_like/2021_8bit_hunan.tif');
    const bytes = readFileSync(f);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(f, bytes);
    const dir = join(tmp, 'bad-data');
    mirrorRoot = bad;
    try {
      const r = await ntl(['fetch', ddManifest, '--only', 'viirs-like-2020,viirs-like-2021', '--mirror', base, '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /viirs-like-2021 \(.*demo-dd\.yaml line \d+\): checksum mismatch: the downloaded file has sha256 [0-9a-f]{64}, the manifest records [0-9a-f]{64}; nothing was replaced\. The mirror's copy \(http:\/\/127\.0\.0\.1:\d+\/viirs_like\/2021_8bit_hunan\.tif\) is not the recorded file/,
      );
      expect(tree(dir)).toEqual(['viirs_like/2020_8bit_hunan.tif']); // the good one only; no .ntl-fetch leftovers
    } finally {
      mirrorRoot = mirror;
    }
  });

  it('a download: manual entry gets an instruction (where to download, where to save, then --record) and exit 1; nothing is requested', async () => {
    const dir = join(tmp, 'manual-data');
    requests.length = 0;
    const r = await ntl(['fetch', ddManifest, '--only', 'global-2021', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(requests).toEqual([]);
    expect(r.stdout).toMatch(/0 fetched, 0 already ok, 0 present without checksum, 1 to download by hand, 0 failed/);
    expect(r.stderr).toMatch(/1 file\(s\) must be downloaded by hand \(download: manual — the url is a landing page, not the file; nothing was saved\):/);
    expect(r.stderr).toMatch(
      new RegExp(`- global-2021: ${base.replace(/[.]/g, '\\.')}/landing/YGIVCD\\n\\s+→ save as .*manual-data[/\\\\]global[/\\\\]LongNTL_2021\\.tif`),
    );
    expect(r.stderr).toMatch(
      /then run `ntl fetch .*demo-dd\.yaml --only global-2021 --data-dir .*manual-data --record` to verify it and record its size and sha256/,
    );
    expect(tree(dir)).toEqual([]);

    // the user puts the file there by hand; --record measures it and writes size + sha256 (path unchanged)
    mkdirSync(join(dir, 'global'), { recursive: true });
    cpSync(join(mirror, 'viirs_like/2021_8bit_hunan.tif'), join(dir, 'global/LongNTL_2021.tif'));
    const copy = join(project, 'data-manifests', 'demo-dd-record.yaml');
    cpSync(ddManifest, copy);
    const rec = await ntl(['fetch', copy, '--only', 'global-2021', '--data-dir', dir, '--record']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/1 present without checksum/);
    expect(rec.stdout).toMatch(/recorded 1 entry in .*demo-dd-record\.yaml \(1 entry is still unrecorded: pipelines that read it are refused until recorded\)/);
    const m = await loadManifest(copy, { dataDir: dir });
    const e = m.entries.find((x) => x.id === 'global-2021')!;
    expect([e.path, e.size, e.sha256]).toEqual([
      'global/LongNTL_2021.tif',
      readFileSync(join(dir, 'global/LongNTL_2021.tif')).length,
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);
    expect(m.data_dir).toBe('../data/downloads/demo');
    expect(m.entries.find((x) => x.id === 'landing')!.sha256).toBeUndefined(); // still null
  });

  it('a url that answers with a web page is refused, not saved as data', async () => {
    const dir = join(tmp, 'landing-data');
    const r = await ntl(['fetch', ddManifest, '--only', 'landing', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /landing \(.*\): http:\/\/127\.0\.0\.1:\d+\/landing\/file\.tif answered with a web page \(content-type text\/html\), not the file — a landing or login page; nothing was saved\. If the file has to be downloaded by hand from that page, mark the entry `download: manual`/,
    );
    expect(tree(dir)).toEqual([]);
  });

  it('ntl run refuses a pipeline that reads unrecorded entries, naming them and the fetch --for … --record fix', async () => {
    const r = await ntl(['run', pipe('long'), '--data-dir', external, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /long\.yaml line \d+: series\[0\] reads 1 entry whose size and sha256 are not recorded \(null\), so its file cannot be verified: 'global-2021' \(.*demo-dd\.yaml line \d+\); get the files with `ntl fetch .*demo-dd\.yaml --for .*long\.yaml` \(for `download: manual` entries it says where/,
    );
    // --for lists it (unrecorded entries resolve for fetching): the instruction again, exit 1
    const f = await ntl(['fetch', ddManifest, '--for', pipe('long'), '--data-dir', external]);
    expect(f.code).toBe(1);
    expect(f.stdout).toMatch(/3 entries read by .*long\.yaml/); // hunan-counties, global-2021, dmsp-like-2021
    expect(f.stdout).toMatch(/0 fetched, 2 already ok, 0 present without checksum, 1 to download by hand/);
    expect(f.stderr).toMatch(/- global-2021: .*\n\s+→ save as .*ntl-data[/\\]global[/\\]LongNTL_2021\.tif/);
  });

  it('entry paths may not leave the data dir, also with --data-dir; a typo in --data-dir is one error', async () => {
    const m = join(project, 'data-manifests', 'escape.yaml');
    writeFileSync(
      m,
      `manifest: 1\nname: escape\ndata_dir: ../data/downloads/x\nentries:\n  - id: a\n    sensor: other\n    year: 2020\n    path: ../../secret.tif\n    url: ${base}/x.tif\n    size: 1\n    sha256: ${'a'.repeat(64)}\n    licence: t\n    citation: t\n`,
    );
    const v = await ntl(['manifest', 'verify', m, '--data-dir', external]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(
      /escape\.yaml line 8: entries\[0\]\.path '\.\.\/\.\.\/secret\.tif' leads outside .*ntl-data \(through '\.\.'\); keep data inside the data dir \(--data-dir .*ntl-data\)/,
    );
    const f = await ntl(['fetch', m]);
    expect(f.stderr).toMatch(
      /entries\[0\]\.path '\.\.\/\.\.\/secret\.tif' leads outside .*downloads[/\\]x \(through '\.\.'\); keep data inside the data dir \(data_dir \.\.\/data\/downloads\/x\)/,
    );
    const t = await ntl(['run', pipe('dd'), '--data-dir', join(tmp, 'no-such-folder')]);
    expect(t.stderr).toMatch(/ntl run: --data-dir .*no-such-folder: no such folder; check the path/);
    // a data_dir that leaves the project needs --data-dir (or the explicit env permission)
    writeFileSync(m, readFileSync(m, 'utf8').replace('data_dir: ../data/downloads/x', 'data_dir: ../../outside').replace('../../secret.tif', 'a.tif'));
    const o = await ntl(['manifest', 'verify', m]);
    expect(o.stderr).toMatch(
      /escape\.yaml line 3: data_dir '\.\.\/\.\.\/outside' leads outside .* \(through '\.\.'\); keep data inside the project folder \(or name the folder with --data-dir\)/,
    );
  });

  it('--for names a pipeline that does not read the manifest: one error', async () => {
    const r = await ntl(['fetch', join(project, 'data-manifests/demo.yaml'), '--for', pipe('dd')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ntl fetch: .*dd\.yaml does not read .*demo\.yaml \(its manifests: .*demo-dd\.yaml\); give one of those manifests, or drop --for/);
  });

  it('manifest verify --data-dir: fetched files ok, the rest missing, unrecorded entries listed (not failures)', async () => {
    const r = await ntl(['manifest', 'verify', ddManifest, '--data-dir', external]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ok\s+viirs-like-2022\s+viirs_like\/2022_8bit_hunan\.tif/);
    expect(r.stdout).toMatch(/not recorded \(null\)\s+global-2021/);
    expect(r.stdout).toMatch(/18 file\(s\) in 18 entries: 6 ok, 10 missing, 2 not recorded \(null\) — NOT verified/);
    expect(r.stderr).toMatch(/10 of 18 file\(s\) failed verification/);
    expect(r.stderr).not.toMatch(/global-2021/);
  });
});

// --- the format: new keys are checked like every other key ----------------------------------------------

describe('manifest format: data_dir, shipped, download, null checksums', () => {
  const dir = tempDir('dd-schema');
  writeFileSync(join(dir, 'package.json'), '{}');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = async (head: string, entry: string): Promise<string> => {
    const f = join(dir, 'm.yaml');
    writeFileSync(f, `manifest: 1\nname: m\n${head}entries:\n  - id: a\n    sensor: other\n    year: 2020\n${entry}    licence: t\n    citation: t\n`);
    try {
      await loadManifest(f);
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const rec = `    size: 1\n    sha256: ${'a'.repeat(64)}\n`;

  it('accepts data_dir, shipped, download: manual and null checksums; refuses typos and bad values at their line', async () => {
    expect(await load('data_dir: ../data/x\n', `    path: a.tif\n${rec}`)).toBe('ok');
    expect(await load('', `    path: a.tif\n    url: https://doi.org/x\n    download: manual\n    size: null\n    sha256: null\n`)).toBe('ok');
    expect(await load('data-dir: x\n', `    path: a.tif\n${rec}`)).toMatch(/m\.yaml line 3: .*data-dir/);
    expect(await load('data_dir: /abs/data\n', `    path: a.tif\n${rec}`)).toMatch(
      /m\.yaml line 3: data_dir must be relative to the manifest file .*--data-dir/,
    );
    expect(await load('', `    path: a.tif\n    download: maybe\n${rec}`)).toMatch(/m\.yaml line 8: entries\[0\]\.download must be one of auto, manual/);
    expect(await load('', `    path: a.tif\n    download: manual\n${rec}`)).toMatch(/entries\[0\]\.download is manual but the entry has no url/);
    expect(await load('', `    path: a.tif\n    shipped: true\n    size: null\n    sha256: null\n`)).toMatch(
      /entries\[0\]\.size is null, but the entry is shipped/,
    );
    expect(await load('', `    path: a.tif\n    size: 1\n`)).toMatch(/m\.yaml line \d+: entries\[0\]\.sha256/); // null is allowed, missing is not
  });

  it('ntl manifest add records paths relative to the data dir, and refuses a file outside it', async () => {
    const m = join(dir, 'manifests', 'dd.yaml');
    mkdirSync(join(dir, 'manifests'));
    mkdirSync(join(dir, 'store', 'sub'), { recursive: true });
    writeFileSync(m, 'manifest: 1\nname: dd\ndata_dir: ../store\nentries: []\n');
    writeFileSync(join(dir, 'store', 'sub', 'x.tif'), 'xyz');
    writeFileSync(join(dir, 'y.tif'), 'xyz');
    const ok = await ntl([
      'manifest',
      'add',
      m,
      '--file',
      join(dir, 'store', 'sub', 'x.tif'),
      '--id',
      'x',
      '--sensor',
      'other',
      '--year',
      '2020',
      '--licence',
      't',
      '--citation',
      't',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await loadManifest(m)).entries[0]!.path).toBe('sub/x.tif');
    const bad = await ntl([
      'manifest',
      'add',
      m,
      '--file',
      join(dir, 'y.tif'),
      '--id',
      'y',
      '--sensor',
      'other',
      '--year',
      '2020',
      '--licence',
      't',
      '--citation',
      't',
    ]);
    expect(bad.stderr).toMatch(/cannot add .*y\.tif to .*dd\.yaml: the manifest keeps its files in its data dir .*store \(data_dir: \.\.\/store\)/);
  });
});

// --- the China manifest --------------------------------------------------------------------------------

describe('data-manifests/china.yaml', () => {
  it('the China pipelines read the 8-bit rasters 2012–2022 and the shipped boundaries and tables (resolved without the files)', async () => {
    for (const [p, table] of [
      ['pipelines/china-itz-city-gini.yaml', 'industrial-transfer-zones'],
      ['pipelines/china-poverty-county-spillover.yaml', 'poverty-counties-832'],
    ] as const) {
      const spec = await loadPipelineSpec(p);
      const manifests = await loadPipelineManifests(spec);
      expect(manifests.map((m) => m.source.display)).toEqual(['data-manifests/china.yaml']);
      const ids = pipelineEntries(spec, manifests).map((u) => u.entry.id);
      expect(ids).toEqual(['china-counties', ...Array.from({ length: 11 }, (_, i) => `viirs-like-china-${2012 + i}`), table]);
    }
  });

  it('lists the Chen product 2000–2022 (manual, unrecorded), the 8-bit copies and Wu DMSP-like with urls; shipped files verify; the tables agree with treatments.yaml', async () => {
    const m = await loadManifest('data-manifests/china.yaml');
    expect(m.data_dir).toBe('../data/downloads/china');
    const raster = (product: string) => m.entries.filter((e) => e.kind === 'raster' && e.product === product);
    const original = raster('chen2021-npp-viirs-like');
    expect(original.map((e) => (e.kind === 'raster' ? e.year : 0))).toEqual(Array.from({ length: 23 }, (_, i) => 2000 + i));
    for (const e of original) expect([e.download, e.size, e.sha256, e.url]).toEqual(['manual', undefined, undefined, 'https://doi.org/10.7910/DVN/YGIVCD']);
    const copies = raster('chen2021-npp-viirs-like-8bit');
    expect(copies.map((e) => e.path)).toEqual(Array.from({ length: 11 }, (_, i) => `chen2021_npp_viirs_like_china_8bit/full_china/${2012 + i}_8bit.tif`));
    for (const e of copies)
      expect(e.url).toMatch(
        /^https:\/\/raw\.githubusercontent\.com\/LuHaot1an\/CASA0029_Group11_NightLights\/e1ab3b8a334fedd1ffc52caccb1aced3cf1e6855\/assets\/data\/data\/raster\/\d{4}_8bit\.tif$/,
      );
    const wu = raster('wu2021-dmsp-like');
    expect(wu.map((e) => e.path)).toEqual([2018, 2019, 2020, 2021].map((y) => `wu2021_dmsp_like_china/full_china/DMSP-like${y}.tif`));
    for (const e of [...copies, ...wu]) expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const e of m.entries) expect([e.licence, e.citation].every((t) => t.length > 0)).toBe(true);
    // nothing in the manifest names a machine path
    expect(readFileSync('data-manifests/china.yaml', 'utf8')).not.toMatch(/\/work\/|\/home\/|shared\/data/);

    const shipped = m.entries.filter((e) => e.shipped === true);
    expect(shipped.map((e) => e.id)).toEqual(['china-counties', 'poverty-counties-832', 'industrial-transfer-zones']);
    const report = await verifyManifest({ ...m, entries: shipped });
    expect(report.items.filter((i) => i.status !== 'ok')).toEqual([]);
    expect(report.items).toHaveLength(5 + 2); // .shp + 4 companions, two tables

    const t = await loadManifest('data-manifests/treatments.yaml');
    for (const e of t.entries) {
      const c = m.entries.find((x) => x.id === e.id)!;
      expect([c.size, c.sha256, resolve('data-manifests', c.path!)]).toEqual([e.size, e.sha256, resolve('data-manifests', e.path!)]);
    }
  });
});

// --- (b) the whole China recipe, when a copy of the data is at hand -------------------------------------

const chinaData = process.env.NTL_DATA_DIR;

describe.runIf(chinaData !== undefined && chinaData !== '')('the China recipe from a loopback mirror of NTL_DATA_DIR', () => {
  it('ntl fetch data-manifests/china.yaml --for pipelines/china-itz-city-gini.yaml --mirror … --data-dir TMP, then ntl run … --data-dir TMP', async () => {
    const tmp = tempDir('china-recipe');
    const data = join(tmp, 'data');
    mirrorRoot = resolve(chinaData!);
    try {
      requests.length = 0;
      const f = await ntl(['fetch', 'data-manifests/china.yaml', '--for', 'pipelines/china-itz-city-gini.yaml', '--mirror', `${base}/`, '--data-dir', data]);
      expect(f.code, f.stderr).toBe(0);
      expect(f.stdout).toMatch(/13 file\(s\): 11 fetched, 2 already ok/); // the boundaries and the zone table ship with the project
      expect(requests).toHaveLength(11);
      const r = await ntl(['run', 'pipelines/china-itz-city-gini.yaml', '--data-dir', data, '--out', join(tmp, 'out'), '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const did = JSON.parse(readFileSync(join(tmp, 'out/estimates/did.json'), 'utf8')) as { coef: { treat: number }; se: { treat: number }; clusters: number };
      expect(did.clusters).toBe(365);
      expect(did.coef.treat).toBeCloseTo(-0.0245, 4);
      expect(did.se.treat).toBeCloseTo(0.0138, 4);
    } finally {
      mirrorRoot = '';
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
