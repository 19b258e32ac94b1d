/**
 * The report in a real browser: the hunan demo run (made here with the registered binary) plus the estimate,
 * figure and continuity fixtures of test/fixtures/report/, opened in headless Chromium via playwright-core —
 * the build the devDependency @sparticuz/chromium ships, else a system Chromium (test/helpers/chromium.ts;
 * NTL_TEST_CHROMIUM=npm|system forces one). No console errors, no requests leaving the page, every image
 * decoded, the expected sections and known table values; a full-page screenshot is written. No Chromium that
 * starts is a failure, not a skip.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, writeReport } from '../../src/report/build.js';
import { launchChromium, type ChromiumChoice } from '../helpers/chromium.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIX = join(ROOT, 'test/fixtures/report');

let tmp = '';
let outDir = '';
let context: BrowserContext;
let page: Page;
let browser: ChromiumChoice;
const consoleErrors: string[] = [];
const outsideRequests: string[] = [];
/** A setup failure is rethrown by every test, so a missing Chromium fails each test (vitest would skip them). */
let setupError: unknown = null;
const ready = () => {
  if (setupError) throw setupError;
};

beforeAll(async () => {
  try {
    await setup();
  } catch (e) {
    setupError = e;
  }
}, 180_000);

async function setup(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('report browser test: dist/ is missing; run `npm run build` first (npm test does)');
  tmp = tempDir('report');
  outDir = join(tmp, 'hunan-demo');
  await run(process.execPath, [join(ROOT, 'bin/ntl.js'), 'run', 'pipelines/hunan-demo.yaml', '--out', outDir, '--quiet'], { cwd: ROOT });
  for (const f of ['estimates', 'figures', 'continuity.csv', 'continuity.png']) await cp(join(FIX, f), join(outDir, f), { recursive: true });
  await writeReport(outDir);

  ({ context, choice: browser } = await launchChromium(join(tmp, 'chromium-profile'), { viewport: { width: 1280, height: 900 } }));
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => !/^(file|data):/.test(r.url()) && outsideRequests.push(r.url()));
  await page.goto(pathToFileURL(join(outDir, 'report.html')).href, { waitUntil: 'load' });
}

afterAll(async () => {
  await context?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('runs in the Chromium NTL_TEST_CHROMIUM asks for (npm or system; unset: whichever started)', () => {
    ready();
    const want = process.env.NTL_TEST_CHROMIUM;
    expect(browser.kind).toBe(want === 'npm' || want === 'system' ? want : browser.kind);
  });

  it('loads without console errors or requests outside the file, with no scripts or external links', async () => {
    ready();
    expect(consoleErrors).toEqual([]);
    expect(outsideRequests).toEqual([]);
    const counts = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      links: document.querySelectorAll('link').length,
      nonDataSrc: [...document.querySelectorAll('[src]')].map((e) => e.getAttribute('src') ?? '').filter((s) => !s.startsWith('data:image/png;base64,')),
    }));
    expect(counts).toEqual({ scripts: 0, links: 0, nonDataSrc: [] });
  });

  it('decodes every embedded image', async () => {
    ready();
    const imgs = await page.evaluate(() => [...document.images].map((i) => ({ alt: i.alt, ok: i.complete && i.naturalWidth > 0 && i.naturalHeight > 0 })));
    expect(imgs.length).toBe(30 + 2 + 1); // 30 maps, event study + placebo figures, continuity chart
    expect(imgs.filter((i) => !i.ok)).toEqual([]);
  });

  it('has the expected sections and estimate headings', async () => {
    ready();
    const h2 = await page.locator('section > h2').allTextContents();
    // estimates open the page; every series (the harmonised one too) has its own section row and map block
    expect(h2).toEqual(['Estimates', 'Run summary', 'Series', 'Panel summary', 'Maps', 'Continuity diagnostics', 'Inequality', 'Provenance']);
    const h3 = await page.locator('#estimates h3').allTextContents();
    // the main TWFE table, event study, placebo, staggered estimators (CS, Bacon), then the rest by file name
    expect(h3).toEqual([
      'Two-way FE DID: effect of treatment on y',
      'Event study: y around adoption',
      'Placebo test: 200 random reassignments of treated units',
      'Callaway–Sant’Anna ATT(g,t) aggregations',
      'Goodman-Bacon decomposition of the TWFE estimate',
      // from the demo pipeline's own estimate section (the fixtures above replace its other estimates)
      'DID by treatment stage (cohorts from 2016, 2018): mean_gap (county, viirs_like)',
      'DID with treatment intensity (treat × lit_share): mean_gap (county, viirs_like)',
      'PSM-DID (kernel matching on x1, x2)',
      'Spillover to neighbours of treated units',
    ]);
    expect(await page.locator('#maps h3').allTextContents()).toEqual(['VIIRS-like (viirs_like)', 'DMSP-like (dmsp_like)']);
    expect(await page.locator('#table-series tbody th').allTextContents()).toEqual(['viirs_like', 'dmsp_like', 'dmsp_scale']);
  });

  it('shows known values: the DID coefficient, the flagged VIIRS-like 2013 break, Dagum G, Chinese names', async () => {
    ready();
    const did = page.locator('#table-est_did');
    expect(await did.locator('td').first().textContent()).toBe('0.808***');
    expect(await did.locator('tr.se td').first().textContent()).toBe('(0.121)');
    const flagged = await page.locator('#table-totals_by_year tr.flag').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    // The VIIRS-like 2012→2013 sensor break, and the same break carried into the harmonised DMSP-scale series.
    expect(flagged).toEqual([
      ['dmsp_scale', '2013', '122', '457,191', '2.521', '+152.1%', 'jump > 50%'],
      ['viirs_like', '2013', '122', '111,376', '3.793', '+279.3%', 'jump > 50%'],
    ]);
    const cont = await page.locator('#table-continuity tr.flag th').allTextContents();
    expect(cont).toEqual(['2013']);
    const dagum = await page
      .locator('#table-inequality_dagum tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent).slice(0, 4)));
    expect(dagum).toContainEqual(['viirs_like', '2012', '14', '0.8659']);
    await expect(page.locator('#table-brightest_units td', { hasText: '长沙县' }).count()).resolves.toBeGreaterThan(0);
    const sha = page.locator('#table-inputs code').first();
    expect((await sha.getAttribute('title'))?.length).toBe(64);
  });

  it('writes a full-page screenshot', async () => {
    ready();
    const shot = join(tmp, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(8000); // every section rendered, not a blank first screen
    expect((await stat(shot)).size).toBeGreaterThan(500_000);
  });

  it('is deterministic and matches the written file; tables/ holds the three formats', async () => {
    ready();
    const a = await buildReport(outDir);
    expect(await buildReport(outDir)).toBe(a);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toBe(a);
    expect(a).not.toMatch(/\b20\d\d-\d\d-\d\dT/); // no timestamps
    expect(await readFile(join(outDir, 'tables/est_did.tex'), 'utf8')).toContain('D & 0.808$^{***}$ \\\\');
    expect(await readFile(join(outDir, 'tables/totals_by_year.csv'), 'utf8')).toContain('viirs_like,2013,122,"111,376",3.793,+279.3%,jump > 50%');
    expect(await readFile(join(outDir, 'tables/inequality_dagum.md'), 'utf8')).toMatch(/\| viirs_like \| 2012 \| +14 \| 0\.8659 \|/);
  });
});
