/**
 * GeoTIFF reader fuzzer: deterministic, seeded mutations of real small files (test/fixtures/raster/*.tif and
 * the data/demo clips) — header bytes, IFD entry counts, tag counts and offsets, tile/strip offsets and byte
 * counts, compression/predictor/size tags, corrupted block data, truncation — each run through openRaster
 * plus a full band read in a child process under a watchdog. Every case must end in a result or one
 * NtlError within the time bound, without the child crashing or its peak memory growing past the guard.
 *
 *   npx tsx scripts/fuzz/geotiff-fuzz.ts [--iterations 2000] [--seed 1] [--timeout-ms 5000] [--max-mb 512] [--only jpeg|lerc]
 * (--only: a regular expression; only seed files whose name matches it are mutated)
 *
 * Exit code 0 when every case passed; failing cases are written to out/fuzz/ for reproduction.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseReply } from './fuzz-child.js';
import { mulberry32 } from '../../src/estimate/prng.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

export type Outcome = CaseReply['kind'] | 'timeout' | 'crash' | 'memory';

export interface FuzzCase {
  readonly iteration: number;
  readonly seedFile: string;
  readonly mutation: string;
  readonly outcome: Outcome;
  readonly message: string;
}

export interface FuzzOptions {
  readonly iterations: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** Peak-RSS growth (MB) one case may cause before it counts as an unbounded allocation. */
  readonly maxMb: number;
  readonly log?: (line: string) => void;
  /** Mutate only the seed files whose path matches. */
  readonly only?: RegExp;
}

export interface FuzzReport {
  readonly cases: readonly FuzzCase[];
  readonly counts: Readonly<Record<Outcome, number>>;
  /** Cases that are neither a result nor an NtlError. */
  readonly failures: readonly FuzzCase[];
}

/** mulberry32: small, seedable, the same sequence everywhere. */
const prng = mulberry32;

export function seedFiles(): string[] {
  const fx = join(ROOT, 'test/fixtures/raster');
  const files = readdirSync(fx)
    .filter((f) => f.endsWith('.tif'))
    .map((f) => join(fx, f));
  files.push(join(ROOT, 'data/demo/viirs_like/2012_8bit_hunan.tif'), join(ROOT, 'data/demo/dmsp_like/DMSP-like2018_hunan.tif'));
  return files.sort();
}

export interface Entry {
  readonly at: number;
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  readonly valueAt: number;
}
export interface Layout {
  readonly le: boolean;
  readonly big: boolean;
  readonly ifd: number;
  readonly entries: readonly Entry[];
}

/** Where the first IFD's entries are, to aim mutations at real fields (best effort on any bytes). */
export function layoutOf(b: Buffer): Layout | null {
  if (b.length < 16) return null;
  const le = b.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const big = u16(2) === 43;
  const ifd = big ? u64(8) : u32(4);
  const es = big ? 20 : 12;
  if (ifd + (big ? 8 : 2) > b.length) return null;
  const n = big ? u64(ifd) : u16(ifd);
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const at = ifd + (big ? 8 : 2) + i * es;
    if (at + es > b.length) break;
    entries.push({ at, tag: u16(at), type: u16(at + 2), count: big ? u64(at + 4) : u32(at + 4), valueAt: at + (big ? 12 : 8) });
  }
  return { le, big, ifd, entries };
}

const INTERESTING = [0, 1, 2, 7, 8, 255, 256, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];
const COMPRESSIONS = [0, 1, 2, 5, 6, 7, 8, 9, 32773, 32946, 34712, 34925, 50000, 50001, 65535];
const BLOCK_TAGS = [273, 279, 324, 325];
const SIZE_TAGS = [256, 257, 258, 277, 278, 284, 317, 322, 323, 339];

/** One mutation of `src`; returns the new bytes and a description. */
export function mutate(src: Buffer, rnd: () => number): { bytes: Buffer; what: string } {
  const b = Buffer.from(src);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const L = layoutOf(b);
  const w32 = (o: number, v: number) => {
    if (o + 4 > b.length) return;
    if (L?.le ?? true) b.writeUInt32LE(v >>> 0, o);
    else b.writeUInt32BE(v >>> 0, o);
  };
  const w16 = (o: number, v: number) => {
    if (o + 2 > b.length) return;
    if (L?.le ?? true) b.writeUInt16LE(v & 0xffff, o);
    else b.writeUInt16BE(v & 0xffff, o);
  };
  const entry = (tags?: readonly number[]) => {
    const list = L?.entries.filter((e) => !tags || tags.includes(e.tag)) ?? [];
    return list.length > 0 ? pick(list) : undefined;
  };
  const value = () => (rnd() < 0.6 ? pick(INTERESTING) : Math.floor(rnd() * 2 ** 32));
  const kind = Math.floor(rnd() * 11);
  switch (kind) {
    case 0: {
      // header: byte order, version, first IFD offset
      const o = pick([0, 1, 2, 3, 4, 5, 6, 7]);
      b[o] = Math.floor(rnd() * 256);
      return { bytes: b, what: `header byte ${o} = ${b[o]}` };
    }
    case 1: {
      // IFD entry count
      if (!L) break;
      const v = pick([0, 1, 2, 0xff, 0xffff, Math.floor(rnd() * 0x10000)]);
      if (L.big) w32(L.ifd, v);
      else w16(L.ifd, v);
      return { bytes: b, what: `IFD entry count = ${v}` };
    }
    case 2: {
      // a tag's count
      const e = entry();
      if (!e || L!.big) break;
      const v = value();
      w32(e.at + 4, v);
      return { bytes: b, what: `tag ${e.tag} count = ${v}` };
    }
    case 3: {
      // a tag's value or value offset
      const e = entry();
      if (!e) break;
      const v = value();
      w32(e.valueAt, v);
      return { bytes: b, what: `tag ${e.tag} value/offset = ${v}` };
    }
    case 4:
    case 5: {
      // tile/strip offsets and byte counts
      const e = entry(BLOCK_TAGS);
      if (!e) break;
      const size = e.type === 3 ? 2 : e.type === 16 ? 8 : 4;
      const inline = e.count * size <= (L!.big ? 8 : 4);
      const base = inline ? e.valueAt : L!.le ? b.readUInt32LE(e.valueAt) : b.readUInt32BE(e.valueAt);
      const i = Math.floor(rnd() * Math.max(1, e.count));
      const v = pick([0, 1, b.length - 1, b.length, b.length + 1, 0x7fffffff, 0xffffffff, Math.floor(rnd() * b.length * 2)]);
      if (size === 2) w16(base + i * 2, v);
      else w32(base + i * size, v);
      return { bytes: b, what: `tag ${e.tag}[${i}] = ${v}` };
    }
    case 6: {
      // compression / predictor
      const e = entry([259, 317]);
      if (!e) break;
      const v = e.tag === 259 ? pick(COMPRESSIONS) : pick([0, 1, 2, 3, 4, 65535]);
      w16(e.valueAt, v);
      return { bytes: b, what: `tag ${e.tag} = ${v}` };
    }
    case 7: {
      // image / tile size, bits, samples, planar
      const e = entry(SIZE_TAGS);
      if (!e) break;
      const v = pick([0, 1, 3, 7, 16, 64, 65535, 0x10000, 0x7fffffff, 0xffffffff]);
      if (e.type === 3) w16(e.valueAt, v);
      else w32(e.valueAt, v);
      return { bytes: b, what: `tag ${e.tag} = ${v}` };
    }
    case 8: {
      // flip bytes after the header (block data, tag arrays)
      const n = 1 + Math.floor(rnd() * 16);
      for (let k = 0; k < n; k++) b[8 + Math.floor(rnd() * (b.length - 8))] = Math.floor(rnd() * 256);
      return { bytes: b, what: `${n} random byte(s) changed` };
    }
    case 9: {
      // truncation
      const len = Math.floor(rnd() * b.length);
      return { bytes: b.subarray(0, len), what: `truncated to ${len} bytes` };
    }
    default: {
      // a tag's type
      const e = entry();
      if (!e) break;
      const v = pick([0, 1, 2, 3, 4, 5, 10, 11, 12, 16, 17, 19, 0xffff]);
      w16(e.at + 2, v);
      return { bytes: b, what: `tag ${e.tag} type = ${v}` };
    }
  }
  b[Math.floor(rnd() * b.length)] ^= 0xff;
  return { bytes: b, what: 'one byte inverted' };
}

class Runner {
  private child: ChildProcess | null = null;
  private seq = 0;

  private async start(): Promise<ChildProcess> {
    const child = fork(join(HERE, 'fuzz-child.ts'), [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.resume();
    await new Promise<void>((ok, fail) => {
      child.once('message', () => ok());
      child.once('exit', (code) => fail(new Error(`fuzz child exited with code ${code} before it was ready`)));
    });
    this.child = child;
    return child;
  }

  async run(file: string, timeoutMs: number): Promise<{ outcome: Outcome; message: string; peakGrowthMb: number }> {
    const child = this.child ?? (await this.start());
    const id = ++this.seq;
    return new Promise((done) => {
      const finish = (r: { outcome: Outcome; message: string; peakGrowthMb: number }, kill: boolean) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (kill) {
          child.kill('SIGKILL');
          this.child = null;
        }
        done(r);
      };
      const onMessage = (m: CaseReply) => {
        if (m.id === id) finish({ outcome: m.kind, message: m.message, peakGrowthMb: m.peakGrowthMb }, false);
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.child = null;
        finish({ outcome: 'crash', message: `child died (code ${code}, signal ${signal})`, peakGrowthMb: 0 }, false);
      };
      const timer = setTimeout(() => finish({ outcome: 'timeout', message: `no answer within ${timeoutMs} ms`, peakGrowthMb: 0 }, true), timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, file });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const rnd = prng(o.seed);
  const seeds = seedFiles()
    .filter((f) => !o.only || o.only.test(f))
    .map((f) => ({ f, bytes: readFileSync(f) }));
  if (seeds.length === 0) throw new Error(`no seed file matches ${o.only}`);
  const dir = mkdtempSync(join(tmpdir(), 'ntl-fuzz-'));
  const runner = new Runner();
  const cases: FuzzCase[] = [];
  const counts: Record<Outcome, number> = { ok: 0, 'ntl-error': 0, 'other-error': 0, timeout: 0, crash: 0, memory: 0 };
  try {
    for (let i = 0; i < o.iterations; i++) {
      const seed = seeds[Math.floor(rnd() * seeds.length)];
      // one to three stacked mutations
      let m = mutate(seed.bytes, rnd);
      const what = [m.what];
      for (let k = rnd() < 0.3 ? 1 + Math.floor(rnd() * 2) : 0; k > 0; k--) {
        m = mutate(m.bytes, rnd);
        what.push(m.what);
      }
      const file = join(dir, `case-${i}.tif`);
      writeFileSync(file, m.bytes);
      const r = await runner.run(file, o.timeoutMs);
      const outcome: Outcome = r.peakGrowthMb > o.maxMb ? 'memory' : r.outcome;
      const message = outcome === 'memory' ? `peak memory grew by ${r.peakGrowthMb.toFixed(0)} MB (${r.message})` : r.message;
      counts[outcome]++;
      const c: FuzzCase = { iteration: i, seedFile: seed.f.slice(ROOT.length + 1), mutation: what.join('; '), outcome, message };
      cases.push(c);
      if (outcome !== 'ok' && outcome !== 'ntl-error') {
        o.log?.(`FAIL #${i} ${c.seedFile} [${c.mutation}] → ${outcome}: ${message.split('\n')[0]}`);
        const keep = join(ROOT, 'out/fuzz');
        mkdirSync(keep, { recursive: true });
        writeFileSync(join(keep, `case-${o.seed}-${i}.tif`), m.bytes);
      }
      rmSync(file, { force: true });
    }
  } finally {
    runner.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { cases, counts, failures: cases.filter((c) => c.outcome !== 'ok' && c.outcome !== 'ntl-error') };
}

async function main(): Promise<void> {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : def;
  };
  const only = process.argv.indexOf('--only');
  const o: FuzzOptions = {
    iterations: arg('iterations', 2000),
    seed: arg('seed', 1),
    timeoutMs: arg('timeout-ms', 5000),
    maxMb: arg('max-mb', 512),
    log: (l) => console.log(l),
    ...(only >= 0 ? { only: new RegExp(process.argv[only + 1]) } : {}),
  };
  const t0 = Date.now();
  const r = await runFuzz(o);
  console.log(
    `geotiff fuzz: ${o.iterations} iterations, seed ${o.seed}, ${((Date.now() - t0) / 1000).toFixed(1)} s: ` +
      Object.entries(r.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  process.exitCode = r.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
