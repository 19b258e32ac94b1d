/**
 * docs/pipeline.md is the text scripts/docs/pipeline-reference.ts generates from the pipeline schema, so a key added
 * to src/pipeline/spec.ts (or a changed default) cannot go undocumented: regenerate with
 * `npx tsx scripts/docs/pipeline-reference.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXAMPLE, pipelineReference } from '../../scripts/docs/pipeline-reference.js';
import { pipelineSpecSchema } from '../../src/pipeline/spec.js';
import { REPO_ROOT } from '../helpers/data-dir.js';

type Node = { properties?: Record<string, Node>; items?: Node; anyOf?: Node[] };

/** Every key path of the schema (`series[].select.sensor`), from the schema itself. */
function keyPaths(node: Node, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, child] of Object.entries(node.properties ?? {})) {
    const here = prefix ? `${prefix}.${k}` : k;
    out.push(here);
    const inner = child.properties ? child : child.items?.properties ? child.items : child.anyOf?.find((a) => a.properties);
    // years is a value (list or range); calibrate steps have their own table (## Calibration steps)
    if (inner && here !== 'years' && !here.endsWith('.years') && here !== 'calibrate') out.push(...keyPaths(inner, inner === child.items ? `${here}[]` : here));
  }
  return out;
}

describe('docs/pipeline.md', () => {
  const text = pipelineReference();

  it('is what scripts/docs/pipeline-reference.ts generates (run it after changing the pipeline schema)', () => {
    expect(readFileSync(join(REPO_ROOT, 'docs/pipeline.md'), 'utf8')).toBe(text);
  });

  it('documents every key of the schema in the section of its parent', () => {
    const json = z.toJSONSchema(pipelineSpecSchema, { io: 'input', unrepresentable: 'any' }) as Node;
    const paths = keyPaths(json);
    expect(paths).toContain('estimate.placebo.draws');
    const missing = paths.filter((p) => {
      const cut = p.lastIndexOf('.');
      const parent = cut < 0 ? '## Keys' : `### ${p.slice(0, cut)}\n`;
      const key = p.slice(cut + 1);
      const at = text.indexOf(parent);
      const next = text.indexOf('\n### ', at + parent.length);
      return at < 0 || !text.slice(at, next < 0 ? undefined : next).includes(`| \`${key}\` |`);
    });
    expect(missing).toEqual([]);
  });

  it('shows the defaults the schema applies', () => {
    const defaults = pipelineSpecSchema.shape.concurrency.parse(undefined);
    expect(text).toContain(`| \`concurrency\` | whole number (≥ 1, ≤ 64) | default \`${defaults}\` |`);
    expect(text).toContain('| `draws` | whole number (≥ 1, ≤ 1000000) | default `500` |');
  });

  it('has an annotated example that the schema accepts', () => {
    const r = pipelineSpecSchema.safeParse(parse(EXAMPLE));
    expect(r.success, r.success ? '' : JSON.stringify(r.error.issues)).toBe(true);
    expect(text).toContain(EXAMPLE.trimEnd());
  });
});
