/**
 * Which boundary units enter the run. `boundaries.units: mainland` (the pipeline default) drops Hong Kong,
 * Macau and Taiwan units (hierarchy `mainland: false`, GB/T 2260 codes 81xxxx, 82xxxx, 71xxxx) right after the
 * boundaries are read, so zonal statistics, the panel, national medians, inequality and estimates all use the
 * same mainland units. Units the hierarchy cannot place (no GB/T 2260 code) are kept.
 */
import { buildHierarchy, unitsFromZones } from '../../panel/hierarchy.js';
import type { ZoneSet } from '../../vector/types.js';
import type { PlannedBoundaries } from '../plan/types.js';

export function selectUnits(set: ZoneSet, b: PlannedBoundaries): ZoneSet {
  if (b.units !== 'mainland') return set;
  const h = buildHierarchy(unitsFromZones(set.zones, { name: b.nameField, parent: b.parentField, province: b.provinceField }));
  const outside = new Map(h.units.filter((u) => !u.mainland).map((u) => [u.county_id, u.region]));
  if (outside.size === 0) return set;
  const byRegion = new Map<string, number>();
  for (const r of outside.values()) byRegion.set(r, (byRegion.get(r) ?? 0) + 1);
  const counts = [...byRegion]
    .sort(([a], [b2]) => (a < b2 ? -1 : 1))
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  const warning = `boundaries.units is mainland: ${outside.size} unit(s) outside mainland China left out of every output (${counts}); set boundaries.units: all to keep them`;
  return { ...set, zones: set.zones.filter((z) => !outside.has(z.id)), warnings: [...set.warnings, warning] };
}
