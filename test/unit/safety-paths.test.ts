/**
 * Paths from manifests and pipelines stay inside the project folder ('..', symlinks), unless the user
 * allows it with NTL_ALLOW_OUTSIDE_PATHS=1; YAML is parsed without executable tags or alias bombs.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import { entryFile, loadManifest, verifyManifest } from '../../src/manifest/index.js';
import { loadResolvedPipeline } from '../../src/pipeline/resolve.js';
import { loadPipelineSpec } from '../../src/pipeline/spec.js';
import { escapeOf, projectRoot } from '../../src/safety/paths.js';
import { tempDir } from '../helpers/tmp.js';

const SHA = 'a'.repeat(64);
let n = 0;
function project(): string {
  const dir = tempDir(`safety-${n++}`);
  writeFileSync(join(dir, 'package.json'), '{}');
  mkdirSync(join(dir, 'data-manifests'));
  return dir;
}
function manifest(dir: string, path: string): string {
  const file = join(dir, 'data-manifests', 'm.yaml');
  writeFileSync(
    file,
    `manifest: 1\nname: m\nentries:\n  - id: a\n    sensor: other\n    year: 2015\n    path: ${path}\n    size: 1\n    sha256: ${SHA}\n    licence: x\n    citation: x\n`,
  );
  return file;
}
async function error(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isNtlError(e)) return e.message;
    throw e;
  }
  return 'no error';
}

afterEach(() => {
  delete process.env.NTL_ALLOW_OUTSIDE_PATHS;
});

describe('manifest paths', () => {
  it("'..' out of the project is refused, naming the file, line and the way out", async () => {
    const dir = project();
    const m = await loadManifest(manifest(dir, '../../../etc/passwd'));
    const msg = await error(verifyManifest(m));
    expect(msg).toMatch(
      /data-manifests\/m\.yaml line 7: entries\[0\]\.path '\.\.\/\.\.\/\.\.\/etc\/passwd' leads outside .*ntl-test-safety-\d+-\w+ \(through '\.\.'\); keep data inside the project folder, or .* NTL_ALLOW_OUTSIDE_PATHS=1/,
    );
  });

  it("'..' that stays inside the project (data-manifests/ → data/) is fine", async () => {
    const dir = project();
    const m = await loadManifest(manifest(dir, '../data/a.tif'));
    expect(entryFile(m, m.entries[0])).toBe(join(dir, 'data', 'a.tif'));
  });

  it('a symlink inside the project that leads outside is refused', async () => {
    const dir = project();
    const outside = tempDir('outside');
    writeFileSync(join(outside, 'secret.tif'), 'x');
    symlinkSync(outside, join(dir, 'data'));
    const m = await loadManifest(manifest(dir, '../data/secret.tif'));
    expect(() => entryFile(m, m.entries[0])).toThrow(/leads outside .* through a symbolic link/);
    process.env.NTL_ALLOW_OUTSIDE_PATHS = '1';
    expect(entryFile(m, m.entries[0])).toBe(join(dir, 'data', 'secret.tif'));
  });

  it('absolute paths are rejected by the schema, archive members with .. too', async () => {
    const dir = project();
    expect(await error(loadManifest(manifest(dir, '/etc/passwd')))).toMatch(/path must be relative to the manifest file/);
    const file = manifest(dir, 'a.tif').replace(/$/, '');
    writeFileSync(
      file,
      `manifest: 1\nname: t\ntemplate: true\nentries:\n  - id: a\n    sensor: other\n    year: 2015\n    path: a.tif\n    archive_member: ../x.tif\n    licence: x\n    citation: x\n`,
    );
    const { templateManifestSchema } = await import('../../src/manifest/schema.js');
    const { parseYamlText } = await import('../../src/pipeline/yaml-errors.js');
    const parsed = templateManifestSchema.safeParse(parseYamlText((await import('node:fs')).readFileSync(file, 'utf8'), file, 'manifest').data);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/without '\.\.'/);
  });

  it('the project root is the nearest folder with package.json / .git, else the parent of the manifest folder', () => {
    const dir = project();
    expect(projectRoot(join(dir, 'data-manifests', 'm.yaml'))).toBe(dir);
    expect(escapeOf(dir, join(dir, 'data-manifests'), '../data/x.tif')).toBeNull();
    expect(escapeOf(dir, join(dir, 'data-manifests'), '../../x.tif')).toBe('parent');
    expect(escapeOf(dir, dir, '/x.tif')).toBe('absolute');
  });
});

describe('pipeline paths', () => {
  function pipeline(dir: string, manifests: string, out: string): string {
    mkdirSync(join(dir, 'pipelines'), { recursive: true });
    const file = join(dir, 'pipelines', 'p.yaml');
    writeFileSync(
      file,
      [
        'pipeline: 1',
        'name: p',
        `manifests: [${manifests}]`,
        'boundaries: { entry: b }',
        'series:',
        '  - name: s',
        '    entries: [a]',
        'years: [2015]',
        'zonal: { stats: [sum] }',
        `outputs: { dir: ${out} }`,
        '',
      ].join('\n'),
    );
    return file;
  }

  it('a manifest outside the project is refused at its line', async () => {
    const dir = project();
    const spec = await loadPipelineSpec(pipeline(dir, '../../elsewhere/m.yaml', '../out/p'));
    expect(await error(loadResolvedPipeline(spec))).toMatch(/pipelines\/p\.yaml line 3: manifests\[0\] '\.\.\/\.\.\/elsewhere\/m\.yaml' leads outside/);
  });

  it('an output folder outside the project is refused at its line', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'data-manifests', 'm.yaml'),
      [
        'manifest: 1',
        'name: m',
        'entries:',
        `  - { id: a, sensor: other, year: 2015, path: ../data/a.tif, size: 1, sha256: '${SHA}', licence: x, citation: x }`,
        `  - { id: b, kind: boundaries, id_field: code, path: ../data/b.geojson, size: 1, sha256: '${SHA}', licence: x, citation: x }`,
        '',
      ].join('\n'),
    );
    const spec = await loadPipelineSpec(pipeline(dir, '../data-manifests/m.yaml', '../../../tmp/ntl-out'));
    expect(await error(loadResolvedPipeline(spec))).toMatch(/pipelines\/p\.yaml line 10: outputs\.dir '\.\.\/\.\.\/\.\.\/tmp\/ntl-out' leads outside/);
    const ok = await loadPipelineSpec(pipeline(dir, '../data-manifests/m.yaml', '../out/p'));
    expect((await loadResolvedPipeline(ok)).outputs.dir).toBe(join(dir, 'out', 'p'));
  });
});

describe('YAML is parsed safely', () => {
  it('a custom tag runs nothing: it is plain data the schema rejects', async () => {
    const dir = project();
    const file = join(dir, 'data-manifests', 'tag.yaml');
    writeFileSync(file, 'manifest: 1\nname: !!js/function "function () { process.exit(3) }"\nentries: []\n');
    expect(await error(loadManifest(file))).toMatch(/tag\.yaml line 2: (name|invalid YAML)/);
  });

  it('an alias bomb ("billion laughs") is one error, not a memory blow-up', async () => {
    const dir = project();
    const file = join(dir, 'data-manifests', 'bomb.yaml');
    const lines = ['manifest: 1', 'name: bomb', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('entries: []', '');
    writeFileSync(file, lines.join('\n'));
    expect(await error(loadManifest(file))).toMatch(/bomb\.yaml.*(alias|Excessive)/i);
  });
});
