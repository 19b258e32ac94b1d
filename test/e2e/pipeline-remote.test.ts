/**
 * A pipeline whose manifest marks raster entries `access: remote`, read from a loopback server: the same panel as
 * from local copies, byte for byte; run.json saying what was verified (size, pins) and what not (sha256); a rerun
 * answered from the cache; and the errors — a size or ETag that is not the recorded one, a server that ignores
 * Range, manifest entries that cannot be remote, an unrecorded size. A series' weighting raster (`weights:`) given by
 * a remote entry: read in place, checked like a value raster before the run and on every open.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shutdownDecodePool } from '../../src/raster/index.js';
import { runCli } from '../helpers/cli.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';
import { tempDir } from '../helpers/tmp.js';

const YEARS = [2020, 2022] as const;
const local = (y: number) => `data/demo/viirs_like/${y}_8bit_hunan.tif`;
const files: Record<string, Buffer> = { ...Object.fromEntries(YEARS.map((y) => [`v${y}.tif`, readFileSync(local(y))])), 'pop.tif': readFileSync(local(2020)) };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const tmp = tempDir('pipeline-remote');
let srv: RangeServer;
const url = (y: number) => `${srv.base}/v${y}.tif`;

const HUNAN = JSON.parse(readFileSync('data/demo/hunan_counties.geojson', 'utf8')) as { features: { properties: Record<string, unknown> }[] };
const ZONES = join(tmp, 'xiangtan-zhangjiajie.geojson'); // 9 counties in two prefectures
writeFileSync(ZONES, JSON.stringify({ ...HUNAN, features: HUNAN.features.filter((f) => /^43(03|08)/.test(String(f.properties.Code_County))) }));

beforeAll(async () => {
  srv = await startRangeServer(files);
});
afterAll(async () => {
  await srv.close();
  await shutdownDecodePool();
});
beforeEach(() => srv.reset());

describe('a pipeline with access: remote raster entries', () => {
  const proj = join(tmp, 'proj');
  mkdirSync(join(proj, 'data'), { recursive: true });
  copyFileSync(ZONES, join(proj, 'data', 'zones.geojson'));
  const zonesBytes = readFileSync(ZONES);

  function write(name: string, rasters: (y: number) => Record<string, unknown>, boundaries: Record<string, unknown> = {}): string {
    const manifest = {
      manifest: 1,
      name,
      entries: [
        {
          id: 'zones',
          kind: 'boundaries',
          id_field: 'Code_County',
          path: 'data/zones.geojson',
          size: zonesBytes.length,
          sha256: sha(zonesBytes),
          ...boundaries,
        },
        ...YEARS.map((y) => ({ id: `v${y}`, sensor: 'harmonized', year: y, ...rasters(y) })),
      ],
    };
    writeFileSync(join(proj, `${name}.manifest.json`), JSON.stringify(manifest, null, 1));
    const pipeline = [
      'pipeline: 1',
      `name: ${name}`,
      `manifests: [${name}.manifest.json]`,
      'boundaries: { entry: zones }',
      'series:',
      '  - name: viirs_like',
      '    select: { sensor: harmonized }',
      'years: { from: 2020, to: 2022, step: 2 }',
      'zonal: { stats: [count, sum, mean, max], rule: exact, nodata_as_zero: true }',
      `outputs: { dir: out/${name}, formats: [csv] }`,
      'concurrency: 1',
    ].join('\n');
    writeFileSync(join(proj, `${name}.yaml`), pipeline + '\n');
    return join(proj, `${name}.yaml`);
  }
  const remoteEntry = (y: number, extra: Record<string, unknown> = {}) => ({
    access: 'remote',
    url: url(y),
    size: files[`v${y}.tif`]!.length,
    sha256: sha(files[`v${y}.tif`]!),
    ...extra,
  });

  it('writes the same panel as from local copies, reading only part of each file; run.json says what was checked', async () => {
    for (const y of YEARS) copyFileSync(local(y), join(proj, 'data', `v${y}.tif`));
    const localRun = await runCli([
      'run',
      write('local', (y) => ({ path: `data/v${y}.tif`, size: files[`v${y}.tif`]!.length, sha256: sha(files[`v${y}.tif`]!) })),
      '--quiet',
      '--threads',
      '1',
    ]);
    expect(localRun.code, localRun.stderr).toBe(0);
    const r = await runCli(['run', write('remote', (y) => remoteEntry(y, y === 2022 ? { etag: '"v1"' } : {})), '--quiet', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(proj, 'out/remote/panel.csv'), 'utf8')).toBe(readFileSync(join(proj, 'out/local/panel.csv'), 'utf8'));
    const total = YEARS.reduce((n, y) => n + files[`v${y}.tif`]!.length, 0);
    expect(srv.bytesSent).toBeLessThan(total);
    const run = JSON.parse(readFileSync(join(proj, 'out/remote/run.json'), 'utf8')) as { inputs: Record<string, unknown>[] };
    expect(run.inputs.find((i) => i.id === 'v2022')).toMatchObject({
      access: 'remote',
      file: url(2022),
      size: 82962,
      sha256: sha(files['v2022.tif']!),
      verified: ['size', 'etag'],
      not_verified: ['sha256'],
      etag: '"v1"',
    });
    expect(run.inputs.find((i) => i.id === 'v2020')).toMatchObject({ verified: ['size'], not_verified: ['sha256'] });
    expect(run.inputs.find((i) => i.id === 'zones')).toMatchObject({ file: expect.stringMatching(/zones\.geojson$/), sha256: sha(zonesBytes) });
    // a rerun is answered from the cache (keyed by the version the server reports), fetching headers only
    srv.reset();
    const again = await runCli(['run', join(proj, 'remote.yaml'), '--threads', '1']);
    expect(again.stdout).toMatch(/2 reused, 0 computed/);
    expect(srv.seen.every((s) => s.range === 'bytes=0-16383')).toBe(true);
  });

  it('ntl manifest verify and ntl fetch --for leave remote entries in place', async () => {
    const pipeline = join(proj, 'remote.yaml');
    const manifest = join(proj, 'remote.manifest.json');
    const v = await runCli(['manifest', 'verify', manifest]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/remote \(read in place\)\s+v2020/);
    srv.reset();
    const f = await runCli(['fetch', manifest, '--for', pipeline]);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/3 file\(s\): 0 fetched, 3 already ok/);
    expect(srv.seen).toEqual([]); // nothing downloaded
  });

  it('a remote file whose size or ETag is not the recorded one stops the run before any work', async () => {
    const bad = await runCli(['run', write('bad-size', (y) => remoteEntry(y, y === 2020 ? { size: 1000 } : {})), '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /1 remote input cannot be read as recorded: v2020: http:\/\/127\.0\.0\.1:\d+\/v2020\.tif \(input v2020\) is not the file the manifest describes: it has 71599 bytes, the manifest records size 1000/,
    );
    const etag = await runCli(['run', write('bad-etag', (y) => remoteEntry(y, { etag: '"v0"' })), '--quiet']);
    expect(etag.code).toBe(1);
    expect(etag.stderr).toMatch(/2 remote inputs cannot be read as recorded: .*its ETag is "v1", the manifest records etag "v0"/);
  });

  it('a server that ignores Range: the error says to fetch the entry instead', async () => {
    srv.ranges = false;
    const r = await runCli(['run', write('norange', (y) => remoteEntry(y)), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ignores HTTP range requests .*It cannot be an `access: remote` input: drop access: remote from its manifest entry, give it a path and download it with `ntl fetch`/,
    );
  });

  it('manifest entries that cannot be remote are refused at their line', async () => {
    const cases: [string, (y: number) => Record<string, unknown>, Record<string, unknown>, RegExp][] = [
      ['no-url', (y) => ({ ...remoteEntry(y), url: undefined, path: `data/v${y}.tif` }), {}, /entries\[1\]\.access is remote but the entry has no url/],
      ['ftp', (y) => remoteEntry(y, { url: 'ftp://example.org/x.tif' }), {}, /entries\[1\]\.url must be an http:\/\/ or https:\/\/ address for access: remote/],
      ['gz', (y) => remoteEntry(y, { url: `${url(y)}.gz` }), {}, /entries\[1\]\.access is remote, but the url is an archive or compressed download/],
      [
        'etag-local',
        (y) => ({ path: `data/v${y}.tif`, size: 1, sha256: sha(Buffer.alloc(0)), etag: '"x"' }),
        {},
        /entries\[1\]\.etag pins the version of a remote file; it is only for entries with access: remote/,
      ],
      [
        'boundaries',
        (y) => remoteEntry(y),
        { access: 'remote', url: 'https://example.org/zones.geojson' },
        /entries\[0\]\.access is remote, but only raster entries are read in place/,
      ],
    ];
    for (const [name, raster, boundaries, message] of cases) {
      const r = await runCli(['run', write(name, raster, boundaries), '--quiet']);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    const unrecorded = await runCli(['run', write('no-size', (y) => remoteEntry(y, { size: null, sha256: null })), '--quiet']);
    expect(unrecorded.stderr).toMatch(/in place \(access: remote\), but its size is not recorded \(null\); record the size of the remote file in bytes/);
    // sha256 may stay unrecorded for a remote entry (it is never verified)
    const noSha = await runCli(['run', write('no-sha', (y) => remoteEntry(y, { sha256: null })), '--quiet', '--threads', '1']);
    expect(noSha.code, noSha.stderr).toBe(0);
  });
});

describe('a series whose weighting raster is an access: remote entry', () => {
  const proj = join(tmp, 'proj-weights');
  mkdirSync(join(proj, 'data'), { recursive: true });
  copyFileSync(ZONES, join(proj, 'data', 'zones.geojson'));
  copyFileSync(local(2022), join(proj, 'data', 'v2022.tif'));
  copyFileSync(local(2020), join(proj, 'data', 'pop.tif'));
  const zonesBytes = readFileSync(ZONES);
  const pop = files['pop.tif']!; // the 2020 raster as weights (same grid as the values)

  function write(name: string, popEntry: Record<string, unknown>, stats: string): string {
    const manifest = {
      manifest: 1,
      name,
      entries: [
        { id: 'zones', kind: 'boundaries', id_field: 'Code_County', path: 'data/zones.geojson', size: zonesBytes.length, sha256: sha(zonesBytes) },
        { id: 'v2022', sensor: 'harmonized', year: 2022, path: 'data/v2022.tif', size: files['v2022.tif']!.length, sha256: sha(files['v2022.tif']!) },
        { id: 'pop', sensor: 'other', year: 2020, size: pop.length, sha256: sha(pop), ...popEntry },
      ],
    };
    writeFileSync(join(proj, `${name}.manifest.json`), JSON.stringify(manifest, null, 1));
    const pipeline = [
      'pipeline: 1',
      `name: ${name}`,
      `manifests: [${name}.manifest.json]`,
      'boundaries: { entry: zones }',
      'series:',
      '  - { name: viirs_like, entries: [v2022], weights: pop, default_weight: 0 }',
      'years: [2022]',
      `zonal: { stats: [${stats}], rule: exact, nodata_as_zero: false }`,
      'calibrate: []',
      `outputs: { dir: out/${name}, formats: [csv], wide: false, maps: false, report: false }`,
      'concurrency: 1',
    ].join('\n');
    writeFileSync(join(proj, `${name}.yaml`), pipeline + '\n');
    return join(proj, `${name}.yaml`);
  }
  const popRemote = () => ({ access: 'remote', url: `${srv.base}/pop.tif` });
  const STATS = 'sum, weighted_mean, weight_sum, per_weight';

  it('the same panel as with the local weighting raster, fetching part of it; run.json lists it as a remote input', async () => {
    const l = await runCli(['run', write('w-local', { path: 'data/pop.tif' }, STATS), '--quiet', '--threads', '1']);
    expect(l.code, l.stderr).toBe(0);
    const r = await runCli(['run', write('w-remote', popRemote(), STATS), '--quiet', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(proj, 'out/w-remote/panel.csv'), 'utf8')).toBe(readFileSync(join(proj, 'out/w-local/panel.csv'), 'utf8'));
    expect(srv.seen.every((s) => s.path === 'pop.tif')).toBe(true);
    expect(srv.bytesSent).toBeLessThan(pop.length);
    const run = JSON.parse(readFileSync(join(proj, 'out/w-remote/run.json'), 'utf8')) as { inputs: Record<string, unknown>[] };
    expect(run.inputs.find((i) => i.id === 'pop')).toMatchObject({ access: 'remote', size: pop.length, verified: ['size'], etag: '"v1"' });
  });

  /** From the `from`-th request for pop.tif on, the server holds a copy 1000 bytes longer (still a valid GeoTIFF). */
  const grownFrom = (from: number) => {
    const grown = Buffer.concat([pop, Buffer.alloc(1000)]);
    let n = 0;
    srv.behave = (req, res) => {
      if (!req.url?.endsWith('/pop.tif') || ++n < from) return false;
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')!;
      const a = Number(m[1]);
      const b = Math.min(m[2] === '' ? grown.length - 1 : Number(m[2]), grown.length - 1);
      const body = grown.subarray(a, b + 1);
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${grown.length}`, 'content-length': body.length, etag: '"v1"' });
      srv.bytesSent += body.length;
      res.end(body);
      return true;
    };
  };

  it('a server copy whose size changed stops the run before any work, in one error line', async () => {
    grownFrom(1);
    const r = await runCli(['run', write('w-grown', popRemote(), STATS), '--quiet', '--threads', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^ntl: error: .*1 remote input cannot be read as recorded: pop: http://127\\.0\\.0\\.1:\\d+/pop\\.tif \\(input pop\\) is not the file the manifest describes: it has ${pop.length + 1000} bytes, the manifest records size ${pop.length}`,
      ),
    );
  });

  it('a server copy that changes size after the check is refused when the weights are opened, in one error line', async () => {
    // request 1 is the verify stage's header read; the zonal stage's open then meets the grown copy.
    // (Different statistics than above, so the period is not answered from the cache.)
    grownFrom(2);
    const r = await runCli(['run', write('w-grown-later', popRemote(), `count, ${STATS}`), '--quiet', '--threads', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^ntl: error: http://127\\.0\\.0\\.1:\\d+/pop\\.tif \\(input pop\\) is not the file the manifest describes: it has ${pop.length + 1000} bytes, the manifest records size ${pop.length}\\. The remote file was replaced`,
      ),
    );
    expect(existsSync(join(proj, 'out/w-grown-later/panel.csv'))).toBe(false);
  });
});
