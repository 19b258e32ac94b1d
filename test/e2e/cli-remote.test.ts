/**
 * Remote rasters as a user meets them: `ntl zonal --raster <url>` (the compiled binary) and `ntl panel` with URLs,
 * against a loopback server: the same CSV as the local files, byte for byte; run.json saying what was verified;
 * `--weights <url>` read the same way; a server that ignores Range. (Pipelines with `access: remote` entries: pipeline-remote.test.ts.)
 * The binary tests need `npx tsc -p tsconfig.json` first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shutdownDecodePool } from '../../src/raster/index.js';
import { zonalCommand } from '../../src/cli/zonal-command.js';
import { panelCommand } from '../../src/cli/panel-command.js';
import { runBinary, type CliRun } from '../helpers/cli.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';
import { tempDir } from '../helpers/tmp.js';

const YEARS = [2020, 2022] as const;
const local = (y: number) => `data/demo/viirs_like/${y}_8bit_hunan.tif`;
const files = Object.fromEntries(YEARS.map((y) => [`v${y}.tif`, readFileSync(local(y))]));

const tmp = tempDir('cli-remote');
let srv: RangeServer;
const url = (y: number) => `${srv.base}/v${y}.tif`;

const HUNAN = JSON.parse(readFileSync('data/demo/hunan_counties.geojson', 'utf8')) as { features: { properties: Record<string, unknown> }[] };
const ZONES = join(tmp, 'xiangtan-zhangjiajie.geojson'); // 9 counties in two prefectures
writeFileSync(ZONES, JSON.stringify({ ...HUNAN, features: HUNAN.features.filter((f) => /^43(03|08)/.test(String(f.properties.Code_County))) }));

/** A command run in-process (its own module, not the whole CLI: faster to load); errors are thrown NtlErrors. */
async function run(command: typeof zonalCommand, argv: string[]): Promise<CliRun> {
  let stdout = '',
    stderr = '';
  const code = await command(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  srv = await startRangeServer(files);
});
afterAll(async () => {
  await srv.close();
  await shutdownDecodePool();
});
beforeEach(() => srv.reset());

describe('ntl zonal --raster <url> (the binary)', () => {
  const args = (raster: string, extra: string[] = []) => [
    '--raster',
    raster,
    '--zones',
    ZONES,
    '--id',
    'Code_County',
    '--stats',
    'count,sum,mean,max,median',
    ...extra,
  ];

  let want = '';

  it('writes the same CSV as for the local file, fetching part of it', async () => {
    const l = await run(zonalCommand, args(local(2022)));
    expect(l.code, l.stderr).toBe(0);
    want = l.stdout;
    const got = await runBinary(['zonal', ...args(url(2022))]);
    expect(got.stderr).toBe('');
    expect(got.code).toBe(0);
    expect(got.stdout).toBe(want);
    expect(got.stdout.split('\n').length).toBe(11);
    expect(srv.bytesSent).toBeLessThan(files['v2022.tif']!.length * 0.75);
  });

  it('a server that ignores Range: an error offering a download; --download-if-no-range downloads with a warning', async () => {
    srv.ranges = false;
    const e = await run(zonalCommand, args(url(2022))).catch((x: unknown) => x);
    expect((e as Error).name).toBe('NtlError');
    expect((e as Error).message).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/v2022\.tif cannot be read in place: the server ignores HTTP range requests .*--download-if-no-range/,
    );
    const d = await run(zonalCommand, args(url(2022), ['--download-if-no-range']));
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toMatch(
      /^ntl: warning: http:\/\/127\.0\.0\.1:\d+\/v2022\.tif: the server ignores range requests, so the whole file \(82962 bytes\) was downloaded to a temporary file/,
    );
    expect(d.stdout).toBe(want);
  });

  it('--help says a URL is read in place and how the token is handled', async () => {
    const r = await run(zonalCommand, ['--help']);
    expect(r.stdout).toMatch(/--raster <file\|url>/);
    expect(r.stdout).toMatch(/--download-if-no-range/);
    expect(r.stdout).toMatch(/never\s+after a redirect to another host/);
  });
});

describe('ntl zonal --weights <url> (the binary)', () => {
  // values: the local 2022 raster; weights: the 2020 raster (same grid, same CRS), local or served
  const args = (weights: string) => [
    'zonal',
    '--raster',
    local(2022),
    '--zones',
    ZONES,
    '--id',
    'Code_County',
    '--stats',
    'count,sum,weighted_sum,weighted_mean,weight_sum,per_weight',
    '--weights',
    weights,
    '--default-weight',
    '0',
    '--threads',
    '1',
  ];

  it('writes the same CSV as with the local weighting raster, fetching part of it', async () => {
    const l = await runBinary(args(local(2020)));
    expect(l.stderr).toBe('');
    expect(l.code).toBe(0);
    expect(l.stdout.split('\n').length).toBe(11);
    const got = await runBinary(args(url(2020)));
    expect(got.stderr).toBe('');
    expect(got.code).toBe(0);
    expect(got.stdout).toBe(l.stdout);
    expect(srv.seen.length).toBeGreaterThan(0);
    expect(srv.seen.every((s) => s.path === 'v2020.tif')).toBe(true);
    expect(srv.bytesSent).toBeLessThan(files['v2020.tif']!.length * 0.75);
  });
});

describe('ntl panel with URLs', () => {
  it('the same panel as with the local files; run.json records the remote inputs and what was verified', async () => {
    const panel = async (raster: (y: number) => string, dir: string) =>
      run(panelCommand, [
        '--zones',
        ZONES,
        '--id',
        'Code_County',
        ...YEARS.flatMap((y) => ['--raster', `v:${y}=${raster(y)}`]),
        '--stats',
        'count,sum,mean',
        '--out-dir',
        join(tmp, dir),
        '--quiet',
        '--threads',
        '1',
      ]);
    const a = await panel(local, 'panel-local');
    expect(a.code, a.stderr).toBe(0);
    const b = await panel(url, 'panel-remote');
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'panel-remote', 'panel.csv'), 'utf8')).toBe(readFileSync(join(tmp, 'panel-local', 'panel.csv'), 'utf8'));
    const record = JSON.parse(readFileSync(join(tmp, 'panel-remote', 'run.json'), 'utf8')) as { inputs: Record<string, unknown>[] };
    const v2022 = record.inputs.find((i) => i.file === url(2022))!;
    expect(v2022).toMatchObject({ id: 'v2022.tif', access: 'remote', size: 82962, sha256: null, verified: ['size'], not_verified: [], etag: '"v1"' });
    expect((v2022.fetched as { bytes: number }).bytes).toBeGreaterThan(0);
    expect(v2022.note).toMatch(/sha256 .* is not verified/);
  });
});
