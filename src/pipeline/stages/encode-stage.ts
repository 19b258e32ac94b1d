/** The encode stage: the run's tables in every output format, and harmonisation.json, in run.json order. */
import { encodePanel } from '../../output/panel-writers.js';
import type { Table } from '../../output/table.js';
import { longToWide } from '../../output/wide.js';
import type { OutputFile } from '../commit-outputs.js';
import type { PanelPlan } from '../plan/types.js';
import type { SpatialOutputs } from './analysis-stage.js';

export interface Encodable {
  readonly panel: Table;
  readonly harmonisation: unknown | null;
  readonly inequality: Table | null;
  readonly spatial: SpatialOutputs | null;
}

export function encodeOutputs(plan: PanelPlan, t: Encodable): OutputFile[] {
  const files: OutputFile[] = [];
  const formats = plan.outputs.formats;
  if (t.harmonisation) files.push({ rel: 'harmonisation.json', data: JSON.stringify(t.harmonisation, null, 2) + '\n' });
  if (t.inequality) {
    for (const format of formats)
      files.push({ rel: `inequality.${format}`, data: encodePanel(t.inequality, format, { label: `${plan.name}: inequality by group and year` }) });
  }
  if (t.spatial) {
    files.push(...t.spatial.files);
    if (t.spatial.exposure) {
      for (const format of formats)
        files.push({ rel: `exposure.${format}`, data: encodePanel(t.spatial.exposure, format, { label: `${plan.name}: exposure to treated neighbours` }) });
    }
  }
  for (const format of formats) {
    files.push({ rel: `panel.${format}`, data: encodePanel(t.panel, format, { label: `${plan.name}: county x year night-light panel` }) });
  }
  if (plan.outputs.wide) {
    const statNames = t.panel.columns.slice(t.panel.columns.findIndex((c) => c.name === 'source') + 1).map((c) => c.name);
    const wide = longToWide(t.panel, { id: ['unit_id', 'source'], time: 'year', values: statNames });
    for (const format of formats) files.push({ rel: `panel_wide.${format}`, data: encodePanel(wide, format, { label: `${plan.name}: wide panel` }) });
  }
  return files;
}
