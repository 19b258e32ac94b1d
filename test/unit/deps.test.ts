/**
 * Dependencies earn their place: every runtime dependency in package.json is imported by src/ (a package only a
 * script or a test uses belongs in devDependencies), and npm's install-script policy is written down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('package.json dependencies', () => {
  const src = sources(join(ROOT, 'src'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  for (const dep of Object.keys(pkg.dependencies)) {
    it(`${dep} is imported by src/`, () => {
      // static or dynamic import, or a resolve of the package (geotiff's decoder registry is loaded by file)
      const used = new RegExp(`(from |import\\(|resolve\\()'${esc(dep)}(/[^']*)?'`).test(src);
      expect(used, `${dep} is a runtime dependency but nothing in src/ imports it: remove it, or move it to devDependencies`).toBe(true);
    });
  }

  it('no package is both a dependency and a devDependency', () => {
    expect(Object.keys(pkg.dependencies).filter((d) => d in pkg.devDependencies)).toEqual([]);
  });

  it('install scripts have a decision in allowScripts (npm 11 warns about undecided ones)', () => {
    expect(pkg.allowScripts).toEqual({ esbuild: false });
  });
});
