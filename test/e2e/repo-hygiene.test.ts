/**
 * The repository speaks only of itself: a fresh clone on any machine must not find a symbolic link (a worktree's
 * `node_modules -> /abs/path` once slipped into a commit), an installed package folder, or a path of one machine
 * in a tracked source file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
const inGit = (() => {
  try {
    git('rev-parse', '--is-inside-work-tree');
    return true;
  } catch {
    return false; // an exported tarball: nothing to check
  }
})();

/** `git ls-files -s` lines → [mode, path]. */
function trackedModes(lsFiles: string): [string, string][] {
  return lsFiles
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [meta, path] = l.split('\t');
      return [meta!.split(' ')[0]!, path!];
    });
}

/** Machine paths a source file must not name (string literals, not the regex sources of checks like this one). */
function machinePaths(text: string): string[] {
  return [...text.matchAll(/['"`](\/(?:work|home|root|Users)\/[^'"`\s]*)/g)].map((m) => m[1]!);
}

describe('repository hygiene', () => {
  it('the checks find what they look for', () => {
    expect(trackedModes('120000 abc 0\tnode_modules\n100644 def 0\tsrc/a.ts\n')).toEqual([
      ['120000', 'node_modules'],
      ['100644', 'src/a.ts'],
    ]);
    // the example machine path is assembled so this file does not itself name one
    const machine = `/${'work'}/shared/data`;
    const home = `/${'home'}/x/y`;
    expect(machinePaths(`const d = '${machine}'; const e = "${home}"; const ok = 'data/demo';`)).toEqual([machine, home]);
  });

  it.runIf(inGit)('no tracked symbolic link and nothing under node_modules', () => {
    const entries = trackedModes(git('ls-files', '-s'));
    expect(entries.filter(([mode]) => mode === '120000').map(([, p]) => p)).toEqual([]);
    expect(entries.filter(([, p]) => p === 'node_modules' || p.startsWith('node_modules/')).map(([, p]) => p)).toEqual([]);
  });

  it.runIf(inGit)('no tracked TypeScript/JavaScript/YAML file names a path of one machine', () => {
    const files = git('ls-files', '*.ts', '*.js', '*.mjs', '*.yaml', '*.yml', '*.json', '.ci/*').split('\n').filter(Boolean);
    const found = files.flatMap((f) => machinePaths(readFileSync(root + f, 'utf8')).map((p) => `${f}: ${p}`));
    expect(found).toEqual([]);
  });
});
