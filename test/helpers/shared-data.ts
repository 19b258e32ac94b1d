/**
 * Files of the workplace's shared data folder that tests read in place (too large to ship). CI has shared/
 * beside the clone (../shared); a missing file fails the test with this message rather than skipping it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function sharedData(rel: string): string {
  const candidates = [resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', rel), resolve('/work/shared/data', rel)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`shared test data not found: ${rel} (looked in ${candidates.join(', ')}); the shared/ folder must sit beside the project`);
  return found;
}
