/**
 * `ntl slurm` without a cluster: the scripts it writes, and what it submits (a fake sbatch records its
 * arguments): the array of N shards, the merge depending on it, and --resubmit naming only unfinished shards.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { slurmCommand } from '../../src/cli/slurm-command.js';
import { runCommand } from '../../src/cli/run-command.js';
import { arrayList } from '../../src/slurm/scripts.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('slurm');
const calls = join(tmp, 'calls.txt');
const fake = join(tmp, 'sbatch');
writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${calls}\necho $(( $(wc -l < ${calls}) + 100 ))\n`);
chmodSync(fake, 0o755);
process.env.NTL_SBATCH = fake;
afterAll(() => void delete process.env.NTL_SBATCH);

async function cli(cmd: typeof slurmCommand, argv: string[]) {
  let stdout = '';
  const code = await cmd(argv, { stdout: (t) => void (stdout += t), stderr: () => {} });
  return { code, stdout };
}

describe('ntl slurm', () => {
  const out = join(tmp, 'out');
  it('writes an array script over SLURM_ARRAY_TASK_ID and a merge that depends on it', async () => {
    const r = await cli(slurmCommand, [
      'pipelines/hunan-demo.yaml',
      '--shards',
      '4',
      '--partition',
      'debug',
      '--out',
      out,
      '--band-rows',
      '256',
      '--ntl',
      'node /opt/ntl/bin/ntl.js',
    ]);
    expect(r.code).toBe(0);
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^--parsable --array=1-4 .*shards\.sbatch$/);
    expect(lines[1]).toMatch(/^--parsable --dependency=afterok:101 .*merge\.sbatch$/);
    const script = readFileSync(join(out, '.slurm/shards.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --partition=debug');
    expect(script).toMatch(/node \/opt\/ntl\/bin\/ntl\.js run \S+hunan-demo\.yaml --shard "\$SLURM_ARRAY_TASK_ID\/4" --out \S+ --band-rows 256 --quiet/);
    expect(readFileSync(join(out, '.slurm/merge.sbatch'), 'utf8')).toMatch(/ntl\.js merge \S+hunan-demo\.yaml --out \S+ --band-rows 256/);
  });

  it('--resubmit submits only the shards with missing units', async () => {
    for (const i of [1, 2, 4]) {
      let err = '';
      const code = await runCommand(['pipelines/hunan-demo.yaml', '--out', out, '--band-rows', '256', '--shard', `${i}/4`, '--quiet'], {
        stdout: () => {},
        stderr: (t) => void (err += t),
      });
      expect(code, err).toBe(0);
    }
    writeFileSync(calls, '');
    const r = await cli(slurmCommand, ['pipelines/hunan-demo.yaml', '--shards', '4', '--out', out, '--band-rows', '256', '--resubmit', '--ntl', 'ntl']);
    expect(r.stdout).toMatch(/resubmitting shard\(s\) 3\n/);
    expect(readFileSync(calls, 'utf8').trim().split('\n')[0]).toMatch(/^--parsable --array=3 /);
  });

  it('--time-limit goes to #SBATCH --time; the old slurm spelling --time still works, with one warning', async () => {
    for (const [flag, dir] of [
      ['--time-limit', 'tl-new'],
      ['--time', 'tl-old'],
    ] as const) {
      let err = '';
      const code = await slurmCommand(['pipelines/hunan-demo.yaml', '--shards', '2', flag, '2:00:00', '--out', join(tmp, dir), '--dry-run', '--ntl', 'ntl'], {
        stdout: () => {},
        stderr: (t) => void (err += t),
      });
      expect(code).toBe(0);
      expect(readFileSync(join(tmp, dir, '.slurm/shards.sbatch'), 'utf8')).toContain('#SBATCH --time=2:00:00');
      expect(err).toBe(flag === '--time' ? 'ntl: warning: --time is deprecated; use --time-limit (see docs/flags.md)\n' : '');
    }
  });

  it('array lists compress runs', () => {
    expect(arrayList([7, 1, 2, 3, 5])).toBe('1-3,5,7');
  });
});
