/**
 * YAML files the user writes (manifests, pipeline specs): read, parse, and turn every problem —
 * syntax or schema — into one NtlError that names the file and the YAML line of the offending node.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { NtlError } from '../errors.js';

/** A path into parsed YAML data: keys and list indexes, e.g. ['entries', 3, 'sha256']. */
export type DataPath = readonly PropertyKey[];

export interface YamlSource {
  /** Absolute path of the file. */
  readonly file: string;
  /** How to name the file in messages: relative to the working folder when inside it. */
  readonly display: string;
  /** The parsed data (plain JS values). */
  readonly data: unknown;
  /** 1-based line of every node, keyed by formatPath (e.g. "entries[3].sha256"); "" is the document. */
  readonly lines: Readonly<Record<string, number>>;
}

/** "entries[3].sha256" — the notation used in every message. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

export function displayPath(file: string): string {
  const abs = resolve(file);
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Read and parse a YAML file; missing files and syntax errors become NtlErrors with a line. */
export async function readYamlSource(path: string, what: string): Promise<YamlSource> {
  const file = resolve(path);
  const display = displayPath(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : (e as Error).message;
    throw new NtlError(`${display}: cannot read ${what}: ${why}; check the path`);
  }
  return parseYamlText(text, file, what);
}

export function parseYamlText(text: string, file: string, what: string): YamlSource {
  const display = displayPath(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
    const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new NtlError(`${display} line ${line}: invalid YAML in ${what}: ${msg}; fix the YAML syntax`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // the yaml library refuses alias bombs ("billion laughs") with a ReferenceError: make it the user's error
    throw new NtlError(`${display}: invalid YAML in ${what}: ${(e as Error).message} (too many aliases); remove the repeated *alias references`);
  }
  return { file, display, data, lines: nodeLines(doc, lineCounter) };
}

/** Walk the document once and record the line where every node (or its key) starts. */
export function nodeLines(doc: Document, lineCounter: LineCounter): Record<string, number> {
  const lines: Record<string, number> = {};
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const visit = (node: unknown, path: PropertyKey[], keyOffset?: number): void => {
    const here = keyOffset ?? (node as YamlNode | null)?.range?.[0];
    if (here !== undefined) lines[formatPath(path)] = lineAt(here);
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? item.key.value : item.key;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        const keyStart = isScalar(item.key) ? item.key.range?.[0] : undefined;
        visit(item.value, [...path, String(key)], keyStart);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(doc.contents, []);
  return lines;
}

/** The line of the deepest existing node along `path` (falls back to parents, then line 1). */
export function lineOf(source: Pick<YamlSource, 'lines'>, path: DataPath): number {
  for (let n = path.length; n >= 0; n--) {
    const line = source.lines[formatPath(path.slice(0, n))];
    if (line !== undefined) return line;
  }
  return 1;
}

/** An NtlError pointing at one node: "<file> line N: <path> <message>". */
export function errorAt(source: Pick<YamlSource, 'display' | 'lines'>, path: DataPath, message: string): NtlError {
  const where = path.length > 0 ? `${formatPath(path)} ` : '';
  return new NtlError(`${source.display} line ${lineOf(source, path)}: ${where}${message}`);
}

const MAX_LISTED = 10;

/** Turn zod issues into one NtlError listing each problem with its YAML line. */
export function schemaError(source: Pick<YamlSource, 'display' | 'lines' | 'data'>, issues: readonly z.core.$ZodIssue[]): NtlError {
  const lines = issues.slice(0, MAX_LISTED).map((issue) => describeIssue(source, issue));
  if (issues.length > MAX_LISTED) lines.push(`(and ${issues.length - MAX_LISTED} more problems)`);
  return new NtlError(lines.join('\n'));
}

function valueAt(data: unknown, path: DataPath): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describeIssue(source: Pick<YamlSource, 'display' | 'lines' | 'data'>, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  const at = (p: DataPath, msg: string): string => {
    const where = p.length > 0 ? `${formatPath(p)} ` : '';
    return `${source.display} line ${lineOf(source, p)}: ${where}${msg}`;
  };
  const value = valueAt(source.data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      // Point at the first unknown key itself, not at its parent object.
      const keyPath = [...path, issue.keys[0]];
      const keys = issue.keys.map((k) => `'${k}'`).join(', ');
      return at(
        keyPath.length > 0 ? keyPath : path,
        `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} at ${formatPath(path) || 'the top level'}; check the spelling (unknown keys are errors)`,
      );
    }
    case 'invalid_type': {
      if (value === undefined) return at(path, 'is required');
      if (isCustom(issue.message)) return at(path, issue.message);
      const expected = EXPECTED_NAMES[String(issue.expected)] ?? `a ${String(issue.expected)}`;
      const hint = issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean') ? ` (quote it: '${String(value)}')` : '';
      return at(path, `must be ${expected}, not ${describeValue(value)}${hint}`);
    }
    case 'invalid_value':
      if (isCustom(issue.message)) return at(path, issue.message);
      return at(
        path,
        `must be ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}, not ${describeValue(value)}`,
      );
    case 'invalid_union':
      if ('options' in issue && issue.options !== undefined && !isCustom(issue.message)) {
        return at(path, `must be one of ${issue.options.map(String).join(', ')}, not ${describeValue(value)}`);
      }
      {
        // When only one alternative has the right shape, its own problems are the useful ones.
        const fitting = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
        if (fitting.length === 1 && fitting[0].length > 0) {
          return fitting[0].map((i) => describeIssue(source, { ...i, path: [...path, ...i.path] })).join('\n');
        }
      }
      return at(path, issue.message);
    case 'too_small':
    case 'too_big':
      if (isCustom(issue.message)) return at(path, issue.message);
      return at(path, sizeMessage(issue));
    default:
      return at(path, issue.message);
  }
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** zod's built-in messages start with "Invalid" / "Too"; ours are written as "must ...". */
function isCustom(message: string): boolean {
  return !/^(Invalid|Too (small|big)|Expected|Unrecognized)/.test(message);
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  const strict = issue.inclusive === false;
  if (issue.origin === 'array') return `must have ${small ? 'at least' : 'at most'} ${String(bound)} item(s)`;
  if (issue.origin === 'string')
    return small && Number(bound) === 1 ? 'must not be empty' : `must be ${small ? 'at least' : 'at most'} ${String(bound)} characters`;
  return `must be ${small ? (strict ? 'greater than' : 'at least') : strict ? 'less than' : 'at most'} ${String(bound)}`;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return String(v);
}
