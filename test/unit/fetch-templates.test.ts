/** The shipped EOG templates are fetchable as they stand: names, urls, members and unpack steps line up. */
import { describe, expect, it } from 'vitest';
import { loadForFetch } from '../../src/fetch/fetch.js';
import { inferUnpack } from '../../src/fetch/unpack.js';

describe('EOG templates for ntl fetch', () => {
  it('DMSP v4: the 34 satellite-years (+F152008) are .tar downloads whose .tif.gz member becomes path', async () => {
    const t = await loadForFetch('data-manifests/templates/eog-dmsp-v4-annual.yaml');
    expect(t.template).toBe(true);
    const fetchable = t.entries.filter((e) => e.path !== undefined);
    expect(fetchable).toHaveLength(35);
    for (const e of fetchable) {
      expect(e.url).toMatch(/^https:\/\/ngdc\.noaa\.gov\/eog\/data\/web_data\/v4composites\/F1\d{5}\.v4\.tar$/);
      expect(e.archive_member).toBe(`${e.path}.gz`);
      expect(e.url).toContain(e.id.replace('dmsp-', ''));
      expect(inferUnpack(e.url, e.archive_member)).toBe('tar+gz');
      expect(e.sha256).toBeUndefined();
    }
    // F162010 has no confirmed file name: no path, so fetch reports it instead of guessing
    expect(t.entries.find((e) => e.id === 'dmsp-F162010')?.path).toBeUndefined();
  });

  it('VNL v2 annual 2012–2022: .tif.gz downloads gunzipped to path', async () => {
    const t = await loadForFetch('data-manifests/templates/eog-vnl-v2-annual.yaml');
    expect(t.entries.map((e) => e.id)).toEqual(Array.from({ length: 11 }, (_, i) => `vnl-v2-${2012 + i}`));
    for (const e of t.entries) {
      expect(e.url).toBe(`https://eogdata.mines.edu/nighttime_light/annual/${e.id.endsWith('2022') ? 'v22' : 'v20'}/${e.id.slice(-4)}/${e.path}.gz`);
      expect(inferUnpack(e.url, e.archive_member)).toBe('gz');
    }
  });
});

describe('NASA Black Marble template for ntl fetch', () => {
  it('VNP46A4 2012–2023 × the four Hunan tiles: manual downloads from the LAADS year folders, read as blackmarble', async () => {
    const t = await loadForFetch('data-manifests/templates/blackmarble-vnp46a4.yaml');
    expect(t.template).toBe(true);
    expect(t.entries).toHaveLength(12 * 4);
    for (const e of t.entries) {
      const m = /^bm-vnp46a4-(\d{4})-(h\d\dv\d\d)$/.exec(e.id)!;
      expect(m).not.toBeNull();
      expect(e.url).toBe(`https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/5000/VNP46A4/${m[1]}/001/`);
      expect(e.path).toBe(`VNP46A4/VNP46A4.A${m[1]}001.${m[2]}.h5`);
      expect(e.download).toBe('manual');
      expect(e.sha256).toBeUndefined();
    }
  });
});
