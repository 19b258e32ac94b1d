/**
 * sbatch scripts for a sharded pipeline run: an array job (one task per shard; task id = shard number
 * 1..N from SLURM_ARRAY_TASK_ID) and a merge job. Pure text, so it is testable without Slurm.
 */
export interface SlurmJobSpec {
  readonly name: string;
  /** The command that starts ntl, e.g. ["/usr/bin/node", "/opt/ntl/bin/ntl.js"]. */
  readonly ntl: readonly string[];
  readonly pipeline: string;
  readonly outDir: string;
  readonly workDir: string;
  readonly shards: number;
  readonly bandRows?: number;
  readonly partition?: string;
  readonly time?: string;
  readonly cpus?: number;
  readonly mem?: string;
  readonly logDir: string;
}

export const q = (s: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function header(spec: SlurmJobSpec, name: string, log: string): string[] {
  const lines = ['#!/bin/bash', `#SBATCH --job-name=${name}`, `#SBATCH --output=${spec.logDir}/${log}`];
  if (spec.partition) lines.push(`#SBATCH --partition=${spec.partition}`);
  if (spec.time) lines.push(`#SBATCH --time=${spec.time}`);
  if (spec.cpus) lines.push(`#SBATCH --cpus-per-task=${spec.cpus}`);
  if (spec.mem) lines.push(`#SBATCH --mem=${spec.mem}`);
  return lines;
}

function common(spec: SlurmJobSpec): string[] {
  return ['--out', spec.outDir, ...(spec.bandRows ? ['--band-rows', String(spec.bandRows)] : []), '--quiet'];
}

export function arrayScript(spec: SlurmJobSpec): string {
  const cmd = [...spec.ntl, 'run', spec.pipeline, '--shard', `"$SLURM_ARRAY_TASK_ID/${spec.shards}"`, ...common(spec)];
  return [
    ...header(spec, `${spec.name}-shard`, 'shard-%a.log'),
    'set -euo pipefail',
    `cd ${q(spec.workDir)}`,
    cmd.map((c) => (c.startsWith('"$') ? c : q(c))).join(' '),
    '',
  ].join('\n');
}

export function mergeScript(spec: SlurmJobSpec): string {
  return [
    ...header(spec, `${spec.name}-merge`, 'merge-%j.log'),
    'set -euo pipefail',
    `cd ${q(spec.workDir)}`,
    [...spec.ntl, 'merge', spec.pipeline, ...common(spec)].map(q).join(' '),
    '',
  ].join('\n');
}

/** Slurm's --array list: "1-8" or "2,5,7". */
export function arrayList(shards: readonly number[]): string {
  const s = [...shards].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(i === j ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
