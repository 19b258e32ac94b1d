/** Panel assembly: one row per unit × period × series, the units' names and hierarchy in front of the statistics. */
import type { Table } from '../../output/table.js';
import { assemblePanel, unitsFromHierarchy } from '../../panel/assemble.js';
import type { Hierarchy } from '../../panel/hierarchy.js';
import type { ZoneSet } from '../../vector/types.js';
import type { PeriodStats } from './zonal-stage.js';

export function panelOf(zoneSet: ZoneSet, hierarchy: Hierarchy, periods: readonly PeriodStats[], nameField: string | undefined): Table {
  const names = new Map(zoneSet.zones.map((z) => [z.id, nameOf(z.attributes, nameField)]));
  return assemblePanel(
    unitsFromHierarchy(
      hierarchy.units,
      names,
      zoneSet.zones.map((z) => z.id),
    ),
    periods,
  );
}

function nameOf(attrs: Readonly<Record<string, unknown>>, field: string | undefined): string | null {
  if (!field) return null;
  const v = attrs[field];
  return v === null || v === undefined ? null : String(v);
}
