/**
 * Fuzz case runner (a child process, so a hang can be killed and a crash does not take the fuzzer down):
 * for each {id, file} message, open the raster and read every band of it, then answer with the outcome.
 * Decoding runs inline (threads: 0) so the parent's watchdog covers all of it.
 */
import { isNtlError } from '../../src/errors.js';
import { openRaster } from '../../src/raster/index.js';

export interface CaseRequest {
  readonly id: number;
  readonly file: string;
}
export interface CaseReply {
  readonly id: number;
  readonly kind: 'ok' | 'ntl-error' | 'other-error';
  readonly message: string;
  /** Growth of the process's peak RSS during this case, MB. */
  readonly peakGrowthMb: number;
}

async function runCase(file: string): Promise<Omit<CaseReply, 'id' | 'peakGrowthMb'>> {
  try {
    const src = await openRaster(file, { threads: 0 });
    try {
      let pixels = 0;
      for await (const band of src.bands()) pixels += band.data.length;
      return { kind: 'ok', message: `${src.info.width}x${src.info.height} ${src.info.dtype}, ${pixels} px` };
    } finally {
      await src.close();
    }
  } catch (e) {
    if (isNtlError(e)) return { kind: 'ntl-error', message: e.message };
    const err = e as Error;
    return { kind: 'other-error', message: `${err?.name}: ${err?.message}\n${err?.stack?.split('\n').slice(1, 4).join('\n')}` };
  }
}

process.on('message', (msg: CaseRequest) => {
  const before = process.resourceUsage().maxRSS;
  void runCase(msg.file).then((r) => {
    const peakGrowthMb = (process.resourceUsage().maxRSS - before) / 1024;
    process.send!({ id: msg.id, ...r, peakGrowthMb } satisfies CaseReply);
  });
});
process.send!({ id: -1, kind: 'ok', message: 'ready', peakGrowthMb: 0 } satisfies CaseReply);
