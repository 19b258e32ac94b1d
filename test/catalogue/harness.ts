/**
 * Runs one bad-input case in-process: creates its files in a fresh temp folder, runs `ntl <command> …` through
 * runCli, and reports what a user would see plus what changed on disk (hashes of the setup files and of the paths
 * the case names, and every file that appeared).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';
import type { BadInputCase, SetupFile } from './types.js';

export const REPO = resolve(import.meta.dirname, '..', '..');

export interface Placeholders {
  readonly tmp: string;
  readonly server?: string;
}

/** {tmp}, {demo}, {fixtures}, {repo}, {server}, {sha256:repo/relative/path} and {size:repo/relative/path}. */
export function fill(text: string, p: Placeholders): string {
  return text
    .replace(/\{sha256:([^}]+)\}/g, (_, f: string) => sha256(readFileSync(join(REPO, f))))
    .replace(/\{size:([^}]+)\}/g, (_, f: string) => String(statSync(join(REPO, f)).size))
    .replaceAll('{tmp}', p.tmp)
    .replaceAll('{demo}', join(REPO, 'data', 'demo'))
    .replaceAll('{fixtures}', join(REPO, 'test', 'fixtures'))
    .replaceAll('{repo}', REPO)
    .replaceAll('{server}', p.server ?? 'http://127.0.0.1:9');
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function materialise(path: string, f: SetupFile, p: Placeholders): void {
  mkdirSync(dirname(path), { recursive: true });
  if (typeof f === 'string') writeFileSync(path, fill(f, p));
  else if ('copy' in f) {
    const bytes = readFileSync(join(REPO, f.copy));
    writeFileSync(path, f.slice ? bytes.subarray(f.slice[0], f.slice[1]) : bytes);
  } else if ('bytes' in f) writeFileSync(path, Buffer.from(f.bytes, 'hex'));
  else if ('dir' in f) mkdirSync(path, { recursive: true });
  else cpSync(join(REPO, f.copyDir), path, { recursive: true });
}

/** Every file and folder below dir (relative paths), folders with a trailing slash. */
export function tree(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      const rel = relative(base, p);
      return lstatSync(p).isDirectory() ? [`${rel}/`, ...tree(p, base)] : [rel];
    });
}

function hashes(paths: readonly string[]): Map<string, string | null> {
  return new Map(paths.map((p) => [p, existsSync(p) && !lstatSync(p).isDirectory() ? sha256(readFileSync(p)) : null]));
}

export interface CaseRun extends CliRun {
  readonly tmp: string;
  /** Files whose hash differs after the run (setup files and `unchanged`). */
  readonly changed: string[];
  /** `absent` paths that exist after the run. */
  readonly present: string[];
  /** Files and folders in {tmp} after the run that were not there before. */
  readonly created: string[];
  readonly ms: number;
}

export async function runCase(c: BadInputCase, root: string, server?: string): Promise<CaseRun> {
  const tmp = mkdtempSync(join(root, `${c.id.replace(/[^A-Za-z0-9]+/g, '_')}-`));
  const p: Placeholders = { tmp, server };
  for (const [rel, f] of Object.entries(c.setup ?? {})) materialise(join(tmp, rel), f, p);
  const watched = [...Object.keys(c.setup ?? {}).map((rel) => join(tmp, rel)), ...(c.unchanged ?? []).map((x) => fill(x, p))];
  const before = hashes(watched);
  const treeBefore = new Set(tree(tmp));
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(c.env ?? {})) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = fill(v, p);
  }
  const t0 = performance.now();
  let r: CliRun;
  try {
    r = await runCli([c.command, ...c.argv.map((a) => fill(a, p))]);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const ms = performance.now() - t0;
  const after = hashes(watched);
  const changed = [...before].filter(([f, h]) => after.get(f) !== h).map(([f]) => f);
  const present = (c.absent ?? []).map((x) => fill(x, p)).filter((x) => existsSync(x));
  const created = tree(tmp).filter((f) => !treeBefore.has(f));
  return { ...r, tmp, changed, present, created, ms };
}

/**
 * The loopback server of the network cases ({server}): /login* an HTML login page (served as a file, as many
 * sites do), /private a 401, /files/2012.tif the demo raster, anything else a 404. Resolves to its base URL.
 */
export async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const tif = readFileSync(join(REPO, 'data/demo/viirs_like/2012_8bit_hunan.tif'));
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/login')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Log in to download</body></html>\n');
    } else if (req.url?.startsWith('/private')) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('unauthorised\n');
    } else if (req.url === '/files/2012.tif') {
      res.writeHead(200, { 'content-type': 'image/tiff', 'content-length': String(tif.length) });
      res.end(tif);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
