/**
 * `ntl zonal` as a user runs it (the compiled binary, a real process): output format, and bad input giving
 * one line that names the problem and the file, a non-zero exit, no stack trace and no output file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const VIIRS = 'data/demo/viirs_like/2022_8bit_hunan.tif';
const DMSP = 'data/demo/dmsp_like/DMSP-like2021_hunan.tif';
const ZONES = 'data/demo/hunan_counties.geojson';
const BAD_RASTER = 'test/fixtures/raster/bad';

const ntl = runBinary;

const tmp = tempDir('cli');

/** A minimal valid shapefile triple with no records (what an empty export from a GIS looks like). */
function writeEmptyShapefile(base: string): void {
  const header = (lengthWords: number) => {
    const b = Buffer.alloc(100);
    b.writeInt32BE(9994, 0);
    b.writeInt32BE(lengthWords, 24);
    b.writeInt32LE(1000, 28);
    b.writeInt32LE(5, 32); // polygon
    return b;
  };
  writeFileSync(`${base}.shp`, header(50));
  writeFileSync(`${base}.shx`, header(50));
  const dbf = Buffer.alloc(32 + 32 + 1 + 1);
  dbf.writeUInt8(3, 0);
  dbf.writeUInt32LE(0, 4); // records
  dbf.writeUInt16LE(65, 8); // header length
  dbf.writeUInt16LE(11, 10); // record length (deletion flag + 10)
  dbf.write('code', 32, 'latin1');
  dbf.write('C', 43, 'latin1');
  dbf.writeUInt8(10, 48);
  dbf.writeUInt8(0x0d, 64);
  dbf.writeUInt8(0x1a, 65);
  writeFileSync(`${base}.dbf`, dbf);
  writeFileSync(
    `${base}.prj`,
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  );
}

function geojson(name: string, features: { id: string; ring: number[][] }[]): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    JSON.stringify({
      type: 'FeatureCollection',
      features: features.map((f) => ({ type: 'Feature', properties: { code: f.id }, geometry: { type: 'Polygon', coordinates: [f.ring] } })),
    }),
  );
  return path;
}

const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

describe('ntl zonal on the demo data', () => {
  it('writes one row per county with the id column first and the statistics in the order asked', async () => {
    const out = join(tmp, 'hunan.csv');
    const r = await ntl(['zonal', '--raster', VIIRS, '--zones', ZONES, '--id', 'Code_County', '--stats', 'max,sum,count', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toEqual(['Code_County', 'max', 'sum', 'count']);
    expect(rows.length).toBe(122);
    const furong = rows.find((row) => row[0] === '430102')!; // 芙蓉区, Changsha's brightest district
    expect(Number(furong[1])).toBeGreaterThan(50);
  });

  it('prints CSV to standard output with --out - and without --out', async () => {
    const a = await ntl(['zonal', '--raster', VIIRS, '--zones', ZONES, '--id', 'Code_County', '--out', '-']);
    const b = await ntl(['zonal', '--raster', VIIRS, '--zones', ZONES, '--id', 'Code_County']);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')[0]).toBe('Code_County,count,sum,mean,min,max');
    expect(b.stdout).toBe(a.stdout); // deterministic, byte for byte
  });

  it('a zone outside the raster gets empty fields and a warning, not 0 or NaN', async () => {
    const zones = geojson('outside.geojson', [
      { id: 'far', ring: square(10, 10, 1) },
      { id: 'in', ring: square(112.9, 28.1, 0.1) },
    ]);
    const r = await ntl(['zonal', '--raster', VIIRS, '--zones', zones, '--id', 'code', '--stats', 'count,sum,mean']);
    expect(r.code).toBe(0);
    const { rows } = parseCsv(r.stdout);
    expect(rows[0]).toEqual(['far', '', '', '']);
    expect(Number(rows[1]![1])).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/warning: .*1 zone.*far/);
  });
});

interface BadCase {
  name: string;
  args: string[];
  /** Every pattern must match the one error line. */
  message: RegExp[];
}

describe('ntl zonal bad input: one clear line, exit ≠ 0, no output file', () => {
  const base = ['zonal', '--raster', VIIRS, '--zones', ZONES, '--id', 'Code_County'];
  const withOverrides = (over: string[]): string[] => {
    const args = [...base];
    for (let i = 0; i < over.length; i += 2) {
      const at = args.indexOf(over[i]!);
      if (at >= 0) args[at + 1] = over[i + 1]!;
      else args.push(over[i]!, over[i + 1]!);
    }
    return args;
  };

  const dupIds = geojson('dups.geojson', [
    { id: 'a', ring: square(112, 28, 0.1) },
    { id: 'a', ring: square(113, 28, 0.1) },
  ]);
  const bowtie = geojson('bowtie.geojson', [
    {
      id: 'x',
      ring: [
        [112, 28],
        [112.2, 28.2],
        [112.2, 28],
        [112, 28.2],
        [112, 28],
      ],
    },
  ]);
  const emptyGeo = join(tmp, 'empty.geojson');
  writeFileSync(emptyGeo, JSON.stringify({ type: 'FeatureCollection', features: [] }));
  writeEmptyShapefile(join(tmp, 'empty'));

  // zones covering the small GDAL-written fixtures (x 100–116, y 32–40)
  const fixtureZones = geojson('fixture-cover.geojson', [{ id: 'all', ring: square(100.05, 32.05, 7.9) }]);
  const onFixture = (file: string) => ['--raster', `${BAD_RASTER}/${file}`, '--raster-crs', 'EPSG:4326', '--zones', fixtureZones, '--id', 'code'];
  const cases: BadCase[] = [
    { name: 'truncated raster', args: onFixture('truncated.tif'), message: [/truncated\.tif is truncated/, /fetch or write the file again/] },
    { name: 'corrupt tile', args: onFixture('corrupt_deflate.tif'), message: [/corrupt DEFLATE data in tile .* of .*corrupt_deflate\.tif/] },
    { name: 'unsupported codec', args: ['--raster', `${BAD_RASTER}/codec_lzma.tif`], message: [/LZMA/, /codec_lzma\.tif/] },
    { name: 'no georeferencing', args: ['--raster', `${BAD_RASTER}/no_georef.tif`], message: [/no_georef\.tif has no georeferencing/] },
    {
      name: 'raster without CRS and no --raster-crs',
      args: ['--raster', `${BAD_RASTER}/truncated.tif`],
      message: [/truncated\.tif has a geotransform but no coordinate system/, /--raster-crs/],
    },
    {
      name: 'zones without .prj',
      args: ['--raster', DMSP, '--zones', 'test/fixtures/vector/noprj/changsha.shp', '--id', 'Code_Count'],
      message: [/changsha\.shp has no \.prj/, /--zones-crs/],
    },
    { name: 'unknown --id field', args: ['--id', 'county_code'], message: [/hunan_counties\.geojson has no field "county_code"/, /Code_County/] },
    { name: 'unknown statistic', args: ['--stats', 'sum,total'], message: [/"total"/, /count/] },
    { name: 'unknown flag', args: ['--rulez', 'exact'], message: [/--rulez/] },
    { name: 'duplicate ids', args: ['--zones', dupIds, '--id', 'code'], message: [/dups\.geojson/, /duplicate values: a\b/] },
    { name: 'invalid geometry (bow-tie)', args: ['--zones', bowtie, '--id', 'code'], message: [/bowtie\.geojson/, /\bx\b/] },
    { name: 'empty GeoJSON', args: ['--zones', emptyGeo, '--id', 'code'], message: [/empty\.geojson/, /no features|empty/i] },
    { name: 'empty shapefile', args: ['--zones', join(tmp, 'empty.shp'), '--id', 'code'], message: [/empty\.(shp|dbf)/] },
    {
      name: 'wrong encoding',
      // the id field holds the GBK names (zonal decodes only the id field)
      args: ['--zones', 'test/fixtures/vector/gbk-nocpg/changsha.shp', '--id', 'Name_Count', '--encoding', 'utf-8'],
      message: [/changsha\.dbf/, /wrong encoding\?/, /--encoding gbk/],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const out = join(tmp, `${c.name.replace(/\W+/g, '_')}.csv`);
      const r = await ntl([...withOverrides(c.args), '--out', out]);
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length, r.stderr).toBe(1);
      expect(lines[0]).toMatch(/^ntl: error: /);
      for (const m of c.message) expect(lines[0]).toMatch(m);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(out)).toBe(false);
    });
  }
});
