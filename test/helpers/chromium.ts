/**
 * A headless Chromium for the report's browser test, with no system prerequisite.
 *
 * First choice: the Chromium that the devDependency @sparticuz/chromium ships inside its npm tarball (Linux x64,
 * brotli-compressed, with the NSS/NSPR/expat libraries it links against and a few fonts). It is unpacked once
 * per version into <cache>/ntl-test-chromium-<version>/ (<cache>: NTL_TEST_CACHE_DIR, which test/helpers/temp-check.ts
 * sets to the temp dir outside the run's own; written to a scratch folder and renamed into place, so an interrupted
 * unpack never leaves a half-written browser behind) and started with those libraries and fonts
 * (LD_LIBRARY_PATH / FONTCONFIG_FILE in the browser's environment only). Fallback: a system Chromium
 * (/usr/bin/chromium, chromium-browser, google-chrome, ... on PATH).
 *
 * NTL_TEST_CHROMIUM=npm or =system forces one of the two (to test each path on a machine that has both);
 * unset, npm is tried first and the system browser second. When none starts, the error says what was tried
 * and why each failed — the test fails, it is never skipped.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';

/** Flags this sandbox needs (no setuid sandbox, no GPU, no network chatter); plus a fresh --user-data-dir per launch. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumChoice {
  readonly kind: 'npm' | 'system';
  readonly executablePath: string;
  /** Extra environment for the browser process (the npm build's libraries and fonts). */
  readonly env: Record<string, string>;
  readonly version?: string;
}

export const SYSTEM_CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const require = createRequire(import.meta.url);

/** The npm-shipped Chromium, unpacked (once per package version). Throws why it cannot be used. */
export async function npmChromium(): Promise<ChromiumChoice> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@sparticuz/chromium ships a Linux x64 build only (this is ${process.platform} ${process.arch})`);
  }
  let pkgDir: string;
  try {
    pkgDir = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  } catch {
    throw new Error('the devDependency @sparticuz/chromium is not installed; run `npm install`');
  }
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const bin = join(pkgDir, 'bin');
  const dir = join(process.env.NTL_TEST_CACHE_DIR ?? tmpdir(), `ntl-test-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) await unpack(bin, dir);
  return {
    kind: 'npm',
    executablePath: join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
    version,
  };
}

async function unpack(bin: string, dir: string): Promise<void> {
  const scratch = `${dir}.unpacking-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(join(scratch, 'lib'), { recursive: true });
  await writeFile(join(scratch, 'chromium'), brotliDecompressSync(await readFile(join(bin, 'chromium.br'))), { mode: 0o755 });
  await untar(brotliDecompressSync(await readFile(join(bin, 'al2023.tar.br'))), scratch); // lib/*.so
  await untar(brotliDecompressSync(await readFile(join(bin, 'fonts.tar.br'))), join(scratch, 'fonts'));
  await writeFile(
    join(scratch, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n` +
      '  <dir>/usr/share/fonts</dir>\n  <dir>/usr/local/share/fonts</dir>\n' +
      `  <cachedir>${join(dir, 'fontconfig-cache')}</cachedir>\n</fontconfig>\n`,
  );
  try {
    await rename(scratch, dir);
  } catch (e) {
    await rm(scratch, { recursive: true, force: true });
    if (!existsSync(join(dir, 'chromium'))) throw e; // else another process unpacked it first
  }
}

/** Regular files of a (trusted, package-shipped) ustar archive, written below `to`. */
async function untar(tar: Buffer, to: string): Promise<void> {
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const name = (field(345, 155) ? `${field(345, 155)}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    if (name.split('/').includes('..') || name.startsWith('/')) throw new Error(`unsafe name in archive: ${name}`);
    if (type === '0') {
      await mkdir(dirname(join(to, name)), { recursive: true });
      await writeFile(join(to, name), tar.subarray(off + 512, off + 512 + size), { mode: parseInt(field(100, 8) || '644', 8) & 0o777 });
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
}

/** The first system Chromium/Chrome found. Throws the list of places looked at. */
export function systemChromium(): ChromiumChoice {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const looked: string[] = [];
  for (const name of SYSTEM_CANDIDATES) {
    for (const d of ['/usr/bin', ...dirs.filter((x) => x !== '/usr/bin')]) {
      const p = join(d, name);
      looked.push(p);
      try {
        accessSync(p, constants.X_OK);
        return { kind: 'system', executablePath: p, env: {} };
      } catch {
        // keep looking
      }
    }
  }
  throw new Error(`no system Chromium (looked for ${SYSTEM_CANDIDATES.join(', ')} in /usr/bin and on PATH)`);
}

/**
 * Launch headless Chromium with a fresh profile in `profileDir`: the npm build, else the system one (or only the
 * one NTL_TEST_CHROMIUM names). Resolves to the context and the choice that started.
 */
export async function launchChromium(
  profileDir: string,
  opts: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; choice: ChromiumChoice }> {
  const want = process.env.NTL_TEST_CHROMIUM ?? '';
  if (want !== '' && want !== 'npm' && want !== 'system') {
    throw new Error(
      `NTL_TEST_CHROMIUM=${want} is not understood: use npm (the @sparticuz/chromium build), system (a Chromium on this machine) or leave it unset (npm, then system)`,
    );
  }
  const order = want === 'npm' ? [npmChromium] : want === 'system' ? [async () => systemChromium()] : [npmChromium, async () => systemChromium()];
  const failures: string[] = [];
  for (const find of order) {
    let choice: ChromiumChoice | null = null;
    try {
      choice = await find();
      const context = await chromium.launchPersistentContext(profileDir, {
        executablePath: choice.executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        env: { ...process.env, ...choice.env } as Record<string, string>,
        ...(opts.viewport ? { viewport: opts.viewport } : {}),
      });
      return { context, choice };
    } catch (e) {
      const what = choice
        ? `${choice.kind} Chromium ${choice.executablePath}`
        : find === npmChromium
          ? 'npm Chromium (@sparticuz/chromium)'
          : 'system Chromium';
      failures.push(`${what}: ${(e as Error).message.split('\n').slice(0, 6).join('\n  ')}`);
    }
  }
  throw new Error(
    `report browser test: no headless Chromium could be started${want ? ` (NTL_TEST_CHROMIUM=${want})` : ''}.\n- ${failures.join('\n- ')}\n` +
      'Fix: `npm install` (brings the devDependency @sparticuz/chromium, Linux x64), or install a system Chromium ' +
      '(Debian: apt-get install -y chromium) and set NTL_TEST_CHROMIUM=system.',
  );
}
