import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addManifestEntry, loadManifest, verifyManifest } from '../../src/manifest/index.js';
import { tempDir } from '../helpers/tmp.js';

const fixtures = fileURLToPath(new URL('../fixtures/manifest/', import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = tempDir('manifest-add');
  await cp(fixtures, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const terms = { licence: 'CC0-1.0', citation: 'Synthetic' };

describe('addManifestEntry', () => {
  it('appends a measured entry, keeping order and comments, and the result verifies', async () => {
    const manifest = join(dir, 'good.yaml');
    await writeFile(join(dir, 'files/r2014.bin'), 'raster 2014!\n');
    const entry = await addManifestEntry(manifest, { id: 'ras-2014', sensor: 'viirs-vnl', year: 2014, ...terms }, join(dir, 'files/r2014.bin'));
    expect(entry).toMatchObject({ id: 'ras-2014', kind: 'raster', path: 'files/r2014.bin', size: 13 });
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = await readFile(manifest, 'utf8');
    expect(text).toContain('# Test manifest: every file under files/');
    expect(text).toContain('# raster is the default kind');
    expect(text).toContain('# upper case is accepted');
    expect(text).not.toContain('kind: raster\n    sensor: viirs-vnl\n    year: 2014');
    const m = await loadManifest(manifest);
    expect(m.entries.map((e) => e.id)).toEqual(['ras-2012', 'ras-2013', 'units', 'xw', 'ras-2014']);
    expect((await verifyManifest(m)).ok).toBe(true);
  });

  it('refuses an existing id unless replace is set', async () => {
    const manifest = join(dir, 'good.yaml');
    const before = await readFile(manifest, 'utf8');
    await writeFile(join(dir, 'files/r2012-v2.bin'), 'reprocessed 2012\n');
    const fields = { id: 'ras-2012', sensor: 'viirs-vnl' as const, year: 2012, ...terms };
    await expect(addManifestEntry(manifest, fields, join(dir, 'files/r2012-v2.bin'))).rejects.toThrow(
      /good\.yaml line 7: entry 'ras-2012' already exists; choose another id, or pass --replace/,
    );
    expect(await readFile(manifest, 'utf8')).toBe(before);
    await addManifestEntry(manifest, fields, join(dir, 'files/r2012-v2.bin'), { replace: true });
    const m = await loadManifest(manifest);
    expect(m.entries.map((e) => e.id)).toEqual(['ras-2012', 'ras-2013', 'units', 'xw']);
    expect(m.entries[0]).toMatchObject({ path: 'files/r2012-v2.bin', size: 17 });
  });

  it('creates a new manifest, records companions, and validates the fields', async () => {
    const manifest = join(dir, 'new', 'fresh.yaml');
    await expect(addManifestEntry(manifest, { id: 'm', sensor: 'viirs-monthly', year: 2014, ...terms }, join(dir, 'files/r2012.bin'))).rejects.toThrow(
      /cannot add 'm' to .*fresh\.yaml: month: is required for sensor viirs-monthly/,
    );
    const e = await addManifestEntry(manifest, { id: 'shp', kind: 'boundaries', id_field: 'Code_County', ...terms }, join(dir, 'files/units.geojson'), {
      companions: [join(dir, 'files/xw.csv')],
    });
    expect(e.path).toBe('../files/units.geojson');
    const m = await loadManifest(manifest);
    expect(m.name).toBe('fresh');
    expect(m.entries[0].companions?.[0]).toMatchObject({ path: '../files/xw.csv', size: 52 });
    expect((await verifyManifest(m)).ok).toBe(true);
  });
});
