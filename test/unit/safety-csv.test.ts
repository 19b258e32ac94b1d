/** CSV outputs never carry a cell a spreadsheet would execute; numbers and ordinary text are unchanged. */
import { describe, expect, it } from 'vitest';
import { csvField, csvText, escapeFormula } from '../../src/output/csv.js';

describe('formula-like CSV cells', () => {
  it('neutralises =, +, -, @, tab and CR prefixes with an apostrophe', () => {
    expect(escapeFormula('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(escapeFormula('+cmd|/C calc!A0')).toBe(`'+cmd|/C calc!A0`);
    expect(escapeFormula('-2+3')).toBe(`'-2+3`);
    expect(escapeFormula('@SUM(A1:A9)')).toBe(`'@SUM(A1:A9)`);
    expect(escapeFormula('\t=1')).toBe(`'\t=1`);
    // quoting still applies on top
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
  });

  it('leaves numbers-as-text, codes and names as they are', () => {
    for (const s of ['-3.5', '+12', '-1e-5', '430100', '长沙县', 'a=b', '']) expect(escapeFormula(s)).toBe(s);
    expect(csvField(-3)).toBe('-3');
    expect(csvText(['unit_name'], [['=cmd'], ['ok']])).toBe("unit_name\n'=cmd\nok\n");
  });
});
