/**
 * The shared shard folder: one file per finished unit, `<out>/.shards/<unit-key>.json`, written atomically
 * (a killed task leaves a whole file or none). A file whose embedded key differs from its name's unit is
 * ignored, so a stale or foreign file is recomputed, never merged.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../output/atomic.js';
import type { UnitPartial } from './partial.js';

const FORMAT = 1;
type Encoded = number | string | null;

const enc = (v: number | null): Encoded => (v === null ? null : Object.is(v, -0) || !Number.isFinite(v) ? String(v) : v);
const dec = (v: Encoded): number | null => (v === null ? null : typeof v === 'string' ? (v === '-0' ? -0 : Number(v)) : v);

export class ShardStore {
  constructor(readonly dir: string) {}

  path(key: string): string {
    return join(this.dir, `${key.slice(0, 40)}.json`);
  }

  async put(key: string, label: string, shard: string, p: UnitPartial): Promise<void> {
    const body = {
      format: FORMAT,
      key,
      label,
      shard,
      columns: p.columns,
      requested: p.requested,
      ids: p.ids,
      values: p.values.map((r) => r.map(enc)),
      warnings: p.warnings,
    };
    await writeFileAtomic(this.path(key), JSON.stringify(body));
  }

  async get(key: string): Promise<UnitPartial | undefined> {
    let parsed: { format: number; key: string; columns: string[]; requested: number; ids: string[]; values: Encoded[][]; warnings: string[] };
    try {
      parsed = JSON.parse(await readFile(this.path(key), 'utf8')) as typeof parsed;
    } catch {
      return undefined;
    }
    if (parsed.format !== FORMAT || parsed.key !== key || !Array.isArray(parsed.values) || parsed.values.length !== parsed.ids?.length) return undefined;
    return { columns: parsed.columns, requested: parsed.requested, ids: parsed.ids, values: parsed.values.map((r) => r.map(dec)), warnings: parsed.warnings };
  }
}
