/** The boundaries stage: read the boundary file, check the fields the plan names, select the run's units. */
import { NtlError } from '../../errors.js';
import { readZones } from '../../vector/index.js';
import type { ZoneSet } from '../../vector/types.js';
import type { PanelPlan } from '../plan/types.js';
import { selectUnits } from './units-stage.js';

export async function readBoundaries(plan: PanelPlan): Promise<ZoneSet> {
  const b = plan.boundaries;
  const set = await readZones(b.file.file, { idField: b.idField, encoding: b.encoding, crs: b.crs });
  const missing = [b.nameField, b.parentField, b.provinceField].filter((f): f is string => f !== undefined && !set.fields.includes(f));
  if (missing.length > 0) {
    throw new NtlError(
      `${b.file.file} has no field ${missing.map((m) => `"${m}"`).join(', ')} (named in ${plan.origin}); available fields: ${set.fields.join(', ')}; fix the boundaries field names`,
    );
  }
  return selectUnits(set, b);
}
