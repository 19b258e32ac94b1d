/** House rules of the module graph: no import cycles (type imports included), the library never imports the CLI. */
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
