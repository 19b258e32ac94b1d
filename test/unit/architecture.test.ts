/**
 * House rules of the module graph: no import cycles (type imports included), the library never imports the CLI, and
 * `ntl` starts without loading any command's implementation or any npm package (they load when a command runs).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SRC = resolve('src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of each file (static `import`/`export … from`, type-only ones too). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of sources(SRC)) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)].map((m) => resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')));
    g.set(f, deps);
  }
  return g;
}

describe('module graph', () => {
  it('has no import cycle', () => {
    const g = graph();
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      stack.push(f);
      for (const d of g.get(f) ?? []) {
        if (!g.has(d)) continue;
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(SRC, x)).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of g.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
  it('no library module imports the CLI (src/cli is a front end only)', () => {
    const offenders = [...graph()]
      .filter(([f, deps]) => !f.startsWith(join(SRC, 'cli')) && deps.some((d) => d.startsWith(join(SRC, 'cli') + '/')))
      .map(([f]) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});

describe('global flags', () => {
  it('--version on its own and after a command; --debug accepted by every command', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect((await runCli(['--version'])).stdout).toContain(`ntl ${pkg.version}`);
    expect((await runCli(['did', '--version'])).stdout).toContain(`ntl ${pkg.version}`);
    const r = await runCli(['gap', '--debug', '--help']);
    expect(r.code).toBe(0);
    const bad = await runCli(['did', '--debug', '--panel', 'no-such.csv', '--y', 'y', '--treat', 'D', '--unit', 'u', '--time', 't']);
    expect(bad.stderr).toMatch(/^ntl: error: cannot read no-such\.csv/);
  });
});

/**
 * What a module loads when it is imported: its static value imports (`import type`, and imports naming only
 * types, are erased by tsc), relative ones resolved to files, others as package names.
 */
function valueImports(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const files: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(?:([^;'"]*?)\s+from\s+)?'([^']+)'/gm)) {
    const clause = (m[2] ?? '').trim();
    if (/^type\s/.test(clause)) continue;
    if (
      /^\{[^}]*\}$/.test(clause) &&
      clause
        .slice(1, -1)
        .split(',')
        .every((n) => n.trim() === '' || /^type\s/.test(n.trim()))
    )
      continue;
    if (m[1] === 'export' && clause === '') continue;
    const spec = m[3]!;
    if (spec.startsWith('.')) files.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    else if (!spec.startsWith('node:')) packages.push(spec);
  }
  return { files, packages };
}

/** Every module and package `entry` loads before any of its code runs (the static value-import closure). */
function startupClosure(entry: string): { files: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    const d = valueImports(f);
    for (const p of d.packages) packages.add(p);
    for (const g of d.files) visit(g);
  };
  visit(entry);
  return { files: [...seen].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

describe('start-up (the CLI loads a command only when it runs)', () => {
  const closure = startupClosure(join(SRC, 'cli', 'main.ts'));
  it('main.ts and the command table reach no command implementation through static imports', () => {
    // src/cli/specs/ and calibrate/verb.ts hold specs and help; *-command.ts, calibrate/<verb>.ts and
    // estimate-args.ts are implementations, imported by `await import()` in commands.ts when their command runs.
    const implementations = closure.files.filter(
      (f) => /^cli\/[\w-]+-command\.ts$/.test(f) || f === 'cli/estimate-args.ts' || (f.startsWith('cli/calibrate/') && f !== 'cli/calibrate/verb.ts'),
    );
    expect(implementations).toEqual([]);
    expect(closure.files).toContain('cli/commands.ts');
  });
  it('main.ts and the command table load no npm package (zod, proj4, yaml, sharp, … load with the command that needs them)', () => {
    expect(closure.packages).toEqual([]);
  });
  it('the closure walk sees static imports (a command module reaches its implementation and packages)', () => {
    const zonal = startupClosure(join(SRC, 'cli', 'zonal-command.ts'));
    expect(zonal.files).toContain('cli/zonal-command.ts');
    expect(zonal.files).toContain('zonal/index.ts');
    expect(zonal.packages.length).toBeGreaterThan(0);
  });
});
