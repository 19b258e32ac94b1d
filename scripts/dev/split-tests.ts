/**
 * Places every test file in test/unit/ or test/e2e/ by a rule (vitest projects `unit` and `e2e`):
 *   npx tsx scripts/dev/split-tests.ts           git mv misplaced files, fix their relative paths and references
 *   npx tsx scripts/dev/split-tests.ts --check   list misplaced files, exit 1 if any (nothing changes)
 *   npx tsx scripts/dev/split-tests.ts --list    every test file, its kind and why
 *
 * A test file is end-to-end when its own text (comments aside):
 *   - starts a process: node:child_process, runBinary (bin/ntl.js as a child), bin/ntl.js, process.execPath;
 *   - runs a whole pipeline: an argv whose command is `run` or `merge`, or runPlan();
 *   - says it is slow: a timeout of 30 s or more (test/README.md: a long test states a timeout ≥ 3× its time).
 * Everything else is a unit test. Support folders (helpers, fixtures, catalogue, goldens) and the shared
 * non-test modules in test/ stay where they are.
 *
 * A move rewrites, in the moved file, relative module specifiers, `new URL('…', import.meta.url)` and
 * `join|resolve(import.meta.dirname, '…', …)` so they name the same files; any other use of import.meta stops
 * the script before it moves anything. Mentions `test/<old path>` in tracked text files become the new path.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type TestKind = 'unit' | 'e2e';

/** Declared timeouts at or above this are "long" (ms). */
export const LONG_TIMEOUT_MS = 30_000;

const SPAWN: readonly [RegExp, string][] = [
  [/['"](?:node:)?child_process['"]/, 'imports node:child_process'],
  [/\brunBinary\b/, 'runs bin/ntl.js as a child process (runBinary)'],
  [/bin\/ntl\.js/, 'names bin/ntl.js'],
  [/\bprocess\.execPath\b/, 'starts node (process.execPath)'],
];
const PIPELINE: readonly [RegExp, string][] = [
  [/\[\s*['"](?:run|merge)['"]\s*,/, 'runs a whole pipeline (ntl run / merge)'],
  [/\brunPlan\s*\(/, 'runs a whole pipeline (runPlan)'],
];

/** Comments out, strings kept (a `//` after `:` is a URL, not a comment). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[\s;{}()])\/\/.*$/gm, '$1');
}

/** Timeouts the file declares: `{ timeout: N }`, a trailing `}, N)` after a test body, `testTimeout: N`. */
function declaredTimeouts(text: string): number[] {
  const found = [...text.matchAll(/\b(?:timeout|testTimeout|hookTimeout)\s*:\s*([\d_]+)/g), ...text.matchAll(/\}\s*,\s*([\d_]+)\s*\)/g)];
  return found.map((m) => Number(m[1]!.replace(/_/g, '')));
}

export function classify(text: string): { kind: TestKind; reasons: string[] } {
  const c = code(text);
  const reasons = [...SPAWN, ...PIPELINE].filter(([re]) => re.test(c)).map(([, why]) => why);
  const long = Math.max(0, ...declaredTimeouts(c));
  if (long >= LONG_TIMEOUT_MS) reasons.push(`declares a ${long / 1000} s timeout`);
  return { kind: reasons.length ? 'e2e' : 'unit', reasons };
}

export interface Placement {
  /** Repository-relative, POSIX separators. */
  from: string;
  to: string;
  reasons: string[];
}

const TEST_DIRS = ['test', 'test/unit', 'test/e2e'] as const;

/** Every test file and where the rule puts it. */
export function placements(root: string): Placement[] {
  const out: Placement[] = [];
  for (const dir of TEST_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const name of readdirSync(join(root, dir)).sort()) {
      if (!name.endsWith('.test.ts')) continue;
      const from = `${dir}/${name}`;
      const { kind, reasons } = classify(readFileSync(join(root, from), 'utf8'));
      out.push({ from, to: `test/${kind}/${name}`, reasons });
    }
  }
  return out;
}

/** `rel` (relative to fromDir) re-expressed relative to toDir, keeping a leading './' for module specifiers. */
function rebase(rel: string, fromDir: string, toDir: string): string {
  const r = posix.relative(toDir, posix.join(fromDir, rel)) || '.';
  return r.startsWith('.') ? r : `./${r}`;
}

const URL_REF = /new URL\(\s*(['"`])(\.\.?(?:\/[^'"`]*)?)\1(\s*,\s*import\.meta\.url\s*\))/g;
const DIRNAME_REF = /\b(join|resolve)\(\s*import\.meta\.dirname((?:\s*,\s*'[^'$]*')*)/g;

/** The moved file's text with its relative paths fixed; throws on import.meta uses it does not understand. */
export function rewritePaths(text: string, fromDir: string, toDir: string, file: string): string {
  let out = text.replace(
    /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\bvi\.(?:mock|doMock|unmock|importActual|importMock)\s*\(\s*)(['"])(\.\.?\/[^'"]*)\2/g,
    (_m, pre: string, q: string, spec: string) => `${pre}${q}${rebase(spec, fromDir, toDir)}${q}`,
  );
  // new URL('../x/', import.meta.url), template literals too: rebase the part before the last '/' preceding any ${
  out = out.replace(URL_REF, (_m, q: string, lit: string, tail: string) => {
    const dyn = lit.indexOf('${');
    const cut = dyn < 0 ? lit.length : lit.lastIndexOf('/', dyn) + 1;
    const head = lit.slice(0, cut);
    const based = rebase(head, fromDir, toDir);
    return `new URL(${q}${based}${head.endsWith('/') && !based.endsWith('/') ? '/' : ''}${lit.slice(cut)}${q}${tail}`;
  });
  out = out.replace(DIRNAME_REF, (_m, fn: string, segs: string) => {
    const parts = [...segs.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
    const next = posix.relative(toDir, posix.join(fromDir, ...parts));
    return `${fn}(import.meta.dirname${
      next
        ? next
            .split('/')
            .map((p) => `, '${p}'`)
            .join('')
        : ''
    }`;
  });
  const left = code(out)
    .replace(URL_REF, '')
    .replace(DIRNAME_REF, '')
    .match(/import\.meta\.\w+/g);
  if (left) throw new Error(`${file}: ${left.join(', ')} used in a way this script cannot rebase; fix it by hand first`);
  return out;
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** Tracked text files that may mention test paths (docs, code, scripts). */
function textFiles(root: string): string[] {
  return git(root, ['ls-files', '-z'])
    .split('\0')
    .filter((f) => /\.(ts|js|mjs|md|json|jsonc|yaml|yml|sh)$/.test(f) || f === '.ci/run')
    .filter((f) => f !== 'package-lock.json' && !f.startsWith('test/fixtures/') && !f.startsWith('test/goldens/') && !f.startsWith('data/'));
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const check = process.argv.includes('--check');
  const all = placements(root);
  if (process.argv.includes('--list')) {
    for (const p of all) console.log(`${p.to.split('/')[1]}\t${p.from}${p.reasons.length ? `\t${p.reasons.join('; ')}` : ''}`);
    return;
  }
  const moves = all.filter((p) => p.from !== p.to);
  if (check) {
    for (const m of moves) console.log(`${m.from} belongs in ${m.to}${m.reasons.length ? ` (${m.reasons.join('; ')})` : ''}`);
    process.exitCode = moves.length ? 1 : 0;
    return;
  }
  // Rewrite everything in memory first, so an unhandled file stops the script before anything moves.
  const rewritten = moves.map((m) => ({
    ...m,
    text: rewritePaths(readFileSync(join(root, m.from), 'utf8'), posix.dirname(m.from), posix.dirname(m.to), m.from),
  }));
  for (const m of rewritten) {
    mkdirSync(join(root, posix.dirname(m.to)), { recursive: true });
    git(root, ['mv', m.from, m.to]);
    writeFileSync(join(root, m.to), m.text);
    console.log(`${m.from} → ${m.to}${m.reasons.length ? `  (${m.reasons.join('; ')})` : ''}`);
  }
  if (!rewritten.length) return;
  const edited: string[] = [];
  for (const f of textFiles(root)) {
    const path = join(root, f);
    if (!existsSync(path)) continue;
    const before = readFileSync(path, 'utf8');
    let after = before;
    for (const m of rewritten) after = after.replace(new RegExp(`(?<![\\w./-])${m.from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`, 'g'), m.to);
    if (after !== before) {
      writeFileSync(path, after);
      edited.push(f);
    }
  }
  git(root, ['add', '--', ...rewritten.map((m) => m.to), ...edited]);
  if (edited.length) console.log(`references updated in: ${edited.join(', ')}`);
  console.log(`${rewritten.length} file(s) moved; check with: npx tsx scripts/dev/split-tests.ts --check && npx vitest run --project unit`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
