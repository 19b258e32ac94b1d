/**
 * Before any work: every file the plan uses must be byte-identical to what its manifest recorded.
 * A changed file is an error (never a silent rerun on different data).
 */
import pLimit from 'p-limit';
import { NtlError } from '../../errors.js';
import { fileSize, sha256File } from '../../manifest/hash.js';
import type { PanelPlan, PinnedFile } from '../plan/types.js';
import type { RemoteReport } from '../../raster/http-source.js';
import { checkRemoteInput, filesRead } from '../remote-inputs.js';

export function planFiles(plan: PanelPlan): PinnedFile[] {
  const files: PinnedFile[] = [plan.boundaries.file, ...plan.boundaries.companions];
  for (const s of plan.series) for (const i of s.inputs) for (const f of i.files) files.push(...filesRead(f));
  if (plan.crosswalk) files.push(plan.crosswalk.file);
  if (plan.spatial?.exposure) files.push(plan.spatial.exposure.file);
  if (plan.treatment) files.push(plan.treatment.file);
  if (plan.estimate?.covariates) files.push(plan.estimate.covariates.file);
  const seen = new Set<string>();
  return files.filter((f) => (seen.has(f.file) ? false : (seen.add(f.file), true)));
}

/**
 * Local files: size, then sha256. Remote rasters (remote-inputs.ts): size and any recorded ETag / Last-Modified,
 * from one range request each — their sha256 is not verified. Returns what each remote server reported.
 */
export async function verifyPlanInputs(plan: PanelPlan, onDone?: () => void): Promise<Map<string, RemoteReport>> {
  const limit = pLimit(2);
  const remote = new Map<string, RemoteReport>();
  const files = planFiles(plan);
  const problems = await Promise.all(
    files.map((f) =>
      limit(async (): Promise<string | null> => {
        if (f.remote) {
          try {
            remote.set(f.file, await checkRemoteInput(f));
            return null;
          } catch (e) {
            if (!(e instanceof NtlError)) throw e;
            return `${f.id}: ${e.message.replace(/\.$/, '')}`;
          } finally {
            onDone?.();
          }
        }
        const size = await fileSize(f.file);
        let problem: string | null = null;
        if (size === undefined) problem = `${f.id}: ${f.file} is missing`;
        else if (size !== f.size) problem = `${f.id}: ${f.file} has ${size} bytes, the manifest says ${f.size}`;
        else if ((await sha256File(f.file)) !== f.sha256) problem = `${f.id}: ${f.file} does not match its recorded sha256`;
        onDone?.();
        return problem;
      }),
    ),
  );
  // a remote input that is not as recorded: its message already says what to do
  const remoteBad = problems.filter((p, i): p is string => p !== null && files[i]!.remote !== undefined);
  const bad = problems.filter((p, i): p is string => p !== null && files[i]!.remote === undefined);
  if (remoteBad.length > 0 && bad.length === 0) {
    throw new NtlError(
      `${plan.origin}: ${remoteBad.length} remote input${remoteBad.length === 1 ? '' : 's'} cannot be read as recorded: ${remoteBad.join('; ')}`,
    );
  }
  if (bad.length > 0) {
    const missing = bad.filter((p) => p.endsWith(' is missing')).length;
    throw new NtlError(
      `${plan.origin}: ${bad.length} input file(s) differ from their manifest: ${bad.join('; ')}. ` +
        (remoteBad.length > 0 ? `Remote inputs: ${remoteBad.join('; ')}. ` : '') +
        (missing > 0
          ? `Download the missing files with \`ntl fetch <its manifest> --for ${plan.origin}\` (with the same --data-dir, if you gave one)` +
            (missing < bad.length ? '; restore the changed ones, or record them deliberately with `ntl manifest add --replace`' : '')
          : 'Restore the original files, or record the new ones deliberately with `ntl manifest add --replace`'),
    );
  }
  return remote;
}
