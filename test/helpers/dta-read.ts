/**
 * A minimal Stata dta-118 reader for tests: variable names, storage types, variable labels and value-label
 * names, read straight from the file's sections (independent of src/output/dta.ts).
 */
export interface DtaVariable {
  readonly name: string;
  /** str<N>, strL, long or double. */
  readonly type: string;
  readonly label: string;
  /** Name of the attached value label ('' for none). */
  readonly valueLabel: string;
}

export function readDtaVariables(bytes: Uint8Array): { label: string; variables: DtaVariable[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (tag: string): number => {
    const i = buf.indexOf(`<${tag}>`, 0, 'latin1');
    if (i < 0) throw new Error(`no <${tag}> in the .dta file`);
    return i + tag.length + 2;
  };
  if (buf.toString('latin1', at('release'), at('release') + 3) !== '118') throw new Error('not a dta-118 file');
  const k = buf.readUInt16LE(at('K'));
  const labelLength = buf.readUInt16LE(at('label'));
  const label = buf.toString('utf8', at('label') + 2, at('label') + 2 + labelLength);
  const cstr = (start: number, width: number): string => {
    const field = buf.subarray(start, start + width);
    const end = field.indexOf(0);
    return field.toString('utf8', 0, end < 0 ? width : end);
  };
  const types = at('variable_types');
  const names = at('varnames');
  const labels = at('variable_labels');
  const valueLabels = at('value_label_names');
  const variables: DtaVariable[] = [];
  for (let v = 0; v < k; v++) {
    const code = buf.readUInt16LE(types + 2 * v);
    const type = code <= 2045 ? `str${code}` : code === 32768 ? 'strL' : code === 65528 ? 'long' : code === 65526 ? 'double' : `type${code}`;
    variables.push({ name: cstr(names + 129 * v, 129), type, label: cstr(labels + 321 * v, 321), valueLabel: cstr(valueLabels + 129 * v, 129) });
  }
  return { label, variables };
}
