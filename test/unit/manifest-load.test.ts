import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadManifest, entryFile, entryLine } from '../../src/manifest/index.js';
import { NtlError } from '../../src/errors.js';

const fx = (name: string): string => fileURLToPath(new URL(`../fixtures/manifest/${name}`, import.meta.url));

async function loadError(name: string): Promise<NtlError> {
  try {
    await loadManifest(fx(name));
  } catch (e) {
    expect(e).toBeInstanceOf(NtlError);
    return e as NtlError;
  }
  throw new Error(`${name} loaded without error`);
}

describe('loadManifest', () => {
  it('parses all three entry kinds, defaulting kind to raster', async () => {
    const m = await loadManifest(fx('good.yaml'));
    expect(m.name).toBe('fixture-good');
    expect(m.entries.map((e) => [e.id, e.kind])).toEqual([
      ['ras-2012', 'raster'],
      ['ras-2013', 'raster'],
      ['units', 'boundaries'],
      ['xw', 'table'],
    ]);
    const r13 = m.entries[1];
    expect(r13.kind === 'raster' && r13.satellite).toBe('F18');
    // checksums are normalised to lower case
    expect(r13.sha256).toBe('895ffbb310ba88bb34924b460cf964226eac4553e111678e8dba00664485197f');
    expect(entryFile(m, m.entries[0])).toBe(fx('files/r2012.bin'));
    expect(entryLine(m, 'units')).toBe(26);
    expect(m.source.display).toBe('test/fixtures/manifest/good.yaml');
  });

  it('reports a bad sha256 with file, YAML line and entry path', async () => {
    const e = await loadError('bad-sha.yaml');
    expect(e.message).toBe('test/fixtures/manifest/bad-sha.yaml line 17: entries[1].sha256 must be 64 hex characters (the sha256 of the file)');
  });

  it('rejects unknown keys at the line of the key', async () => {
    const e = await loadError('unknown-key.yaml');
    expect(e.message).toContain("unknown-key.yaml line 11: entries[0].citaton unknown key 'citaton'");
    // licence and citation are optional (private data); a misspelt key is still an error
    expect(e.message).not.toContain('citation is required');
  });

  it('rejects duplicate entry ids', async () => {
    const e = await loadError('duplicate-id.yaml');
    expect(e.message).toBe("test/fixtures/manifest/duplicate-id.yaml line 12: entries[1].id 'ras' is already used by entries[0]; ids must be unique");
  });

  it('enforces the sensor rules (month, satellite, relative path, kind)', async () => {
    const msg = (await loadError('monthly-rules.yaml')).message;
    expect(msg).toContain('line 4: entries[0].month is required for sensor viirs-monthly');
    expect(msg).toContain('line 14: entries[1].satellite is only for sensor dmsp-ols, not viirs-vnl');
    expect(msg).toContain('line 16: entries[1].path must be relative to the manifest file');
    expect(msg).toContain('line 22: entries[2].kind must be one of raster, boundaries, table');
  });

  it('reports YAML syntax errors and duplicate keys with a line', async () => {
    expect((await loadError('syntax.yaml')).message).toMatch(
      /^test\/fixtures\/manifest\/syntax\.yaml line \d+: invalid YAML in manifest: .*fix the YAML syntax$/,
    );
    expect((await loadError('dup-key.yaml')).message).toMatch(/dup-key\.yaml line 3: invalid YAML in manifest: Map keys must be unique/);
  });

  it('explains wrong value types in plain words', async () => {
    expect((await loadError('empty.yaml')).message).toBe('test/fixtures/manifest/empty.yaml line 1: must be a mapping (key: value lines), not empty');
    const msg = (await loadError('types.yaml')).message;
    expect(msg).toContain("line 4: entries[0].id must be text, not 2012 (quote it: '2012')");
    expect(msg).toContain('line 6: entries[0].year must be a whole year');
    expect(msg).toContain("line 8: entries[0].size must be a number, not 'big'");
  });

  it('reports a missing manifest file plainly', async () => {
    expect((await loadError('nope.yaml')).message).toBe('test/fixtures/manifest/nope.yaml: cannot read manifest: file not found; check the path');
  });
});
