/**
 * Rasters a pipeline reads in place (manifest `access: remote`; URLs given to `ntl panel`). What is verified, and
 * when: before any work the verify stage opens each one (one range request for its first 16 KiB) and checks its
 * size against the recorded size, and its ETag / Last-Modified against the recorded `etag` / `last_modified` when
 * the entry pins them; every later open checks them again, and every range answer must describe the same
 * version. The recorded sha256 is NOT verified — that would need the whole file — and run.json says so.
 */
import { safeUrl } from '../fetch/http.js';
import { openRemote, remoteTraffic, type RemoteOptions, type RemoteReport } from '../raster/http-source.js';
import type { PanelPlan, PinnedFile } from './plan/types.js';

/** Every raster opened to read a file's values: the file, the rasters its calibration reads, its weighting raster. */
export function filesRead(f: PinnedFile): PinnedFile[] {
  return [f, ...Object.values(f.aux ?? {}), ...(f.weights ? [f.weights.file] : [])];
}

/** Open options for a pinned file (undefined for local files): value and weighting rasters alike. */
export function remoteOptionsOf(f: PinnedFile): RemoteOptions | undefined {
  if (!f.remote) return undefined;
  return {
    pin: {
      size: f.size,
      ...(f.remote.etag !== undefined ? { etag: f.remote.etag } : {}),
      ...(f.remote.lastModified !== undefined ? { lastModified: f.remote.lastModified } : {}),
      ...(f.remote.seen ? { seen: f.remote.seen } : {}),
    },
    label: `input ${f.id}`,
    noRangeAdvice: 'It cannot be an `access: remote` input: drop access: remote from its manifest entry, give it a path and download it with `ntl fetch`.',
  };
}

/** Open a remote input once (header only): its size and pins are checked; returns what the server reported. */
export async function checkRemoteInput(f: PinnedFile): Promise<RemoteReport> {
  const src = await openRemote(f.file, remoteOptionsOf(f));
  try {
    return src.report();
  } finally {
    await src.close();
  }
}

/** The version of a remote file as its cache-key part: ETag, else Last-Modified, else the header bytes' sha256. */
export function versionOf(r: RemoteReport): string {
  return r.etag !== undefined ? `etag:${r.etag}` : r.lastModified !== undefined ? `last-modified:${r.lastModified}` : `header-sha256:${r.headerSha256}`;
}

/** The plan with every remote raster's observed version filled in (cache keys then change when the file does). */
export function withRemoteVersions(plan: PanelPlan, reports: ReadonlyMap<string, RemoteReport>): PanelPlan {
  if (reports.size === 0) return plan;
  const pin = (f: PinnedFile): PinnedFile => {
    const r = f.remote ? reports.get(f.file) : undefined;
    const aux = f.aux ? Object.fromEntries(Object.entries(f.aux).map(([k, a]) => [k, pin(a)])) : undefined;
    const weights = f.weights ? { ...f.weights, file: pin(f.weights.file) } : undefined;
    const seen = r
      ? {
          ...(r.etag !== undefined ? { etag: r.etag } : {}),
          ...(r.lastModified !== undefined ? { lastModified: r.lastModified } : {}),
          headerSha256: r.headerSha256,
        }
      : undefined;
    return { ...f, ...(r ? { remote: { ...f.remote, version: versionOf(r), seen } } : {}), ...(aux ? { aux } : {}), ...(weights ? { weights } : {}) };
  };
  return { ...plan, series: plan.series.map((s) => ({ ...s, inputs: s.inputs.map((i) => ({ ...i, files: i.files.map(pin) })) })) };
}

/** Check every remote raster of a plan (header request each) and fill in the versions seen (shards, --plan). */
export async function observeRemoteInputs(plan: PanelPlan): Promise<PanelPlan> {
  const seen = new Map<string, RemoteReport>();
  for (const s of plan.series) {
    for (const i of s.inputs) {
      for (const f of i.files) {
        for (const x of filesRead(f)) {
          if (x.remote && !seen.has(x.file)) seen.set(x.file, await checkRemoteInput(x));
        }
      }
    }
  }
  return withRemoteVersions(plan, seen);
}

/** run.json's record of a remote input: what was checked, what was not, and what was fetched during the run. */
export function remoteInputRecord(
  f: PinnedFile,
  seen: RemoteReport | undefined,
  fetched: { requests: number; bytes: number } | undefined,
): Record<string, unknown> {
  const pins = [...(f.remote?.etag !== undefined ? ['etag'] : []), ...(f.remote?.lastModified !== undefined ? ['last_modified'] : [])];
  return {
    id: f.id,
    file: safeUrl(f.file),
    access: 'remote',
    size: f.size,
    sha256: f.sha256 === '' ? null : f.sha256,
    verified: ['size', ...pins],
    not_verified: f.sha256 === '' ? [] : ['sha256'],
    note: 'read in place with HTTP range requests; the size (and any recorded etag / last_modified) was checked against the server before and during the run; a recorded sha256 describes the remote file but is not verified (that would need the whole file)',
    ...(seen?.etag !== undefined ? { etag: seen.etag } : {}),
    ...(seen?.lastModified !== undefined ? { last_modified: seen.lastModified } : {}),
    ...(seen ? { header_sha256: seen.headerSha256 } : {}),
    ...(fetched ? { fetched: { requests: fetched.requests, bytes: fetched.bytes } } : {}),
  };
}

/** Requests and bytes per URL since `before` (a remoteTraffic() snapshot). */
export function trafficSince(
  before: ReadonlyMap<string, { readonly requests: number; readonly bytes: number }>,
): Map<string, { requests: number; bytes: number }> {
  const out = new Map<string, { requests: number; bytes: number }>();
  for (const [k, v] of remoteTraffic()) {
    const b = before.get(k) ?? { requests: 0, bytes: 0 };
    out.set(k, { requests: v.requests - b.requests, bytes: v.bytes - b.bytes });
  }
  return out;
}
