/** The hierarchy stage: county → prefecture → province of every unit (GB/T 2260 codes or the boundary fields). */
import { buildHierarchy, unitsFromZones, type Hierarchy } from '../../panel/hierarchy.js';
import type { ZoneSet } from '../../vector/types.js';
import type { PlannedBoundaries } from '../plan/types.js';

/** The hierarchy; units it cannot place are one warning (their parent_id/province_id stay empty). */
export function unitHierarchy(zoneSet: ZoneSet, b: PlannedBoundaries, warnings: string[]): Hierarchy {
  const hierarchy = buildHierarchy(unitsFromZones(zoneSet.zones, { name: b.nameField, parent: b.parentField, province: b.provinceField }));
  if (hierarchy.unplaced.length > 0) {
    const list = hierarchy.unplaced
      .slice(0, 5)
      .map((u) => `${u.id} (${u.reason})`)
      .join('; ');
    warnings.push(
      `${hierarchy.unplaced.length} unit(s) could not be placed in the county → prefecture → province hierarchy; their parent_id/province_id are empty: ${list}${hierarchy.unplaced.length > 5 ? '; …' : ''}`,
    );
  }
  return hierarchy;
}
