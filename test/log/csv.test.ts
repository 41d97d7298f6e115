import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { csvCell, csvRecord } from '../../electron/services/csv.js';
import { parseCsv } from './parse-csv.js';

describe('csvCell', () => {
  test.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('makes a formula start inert: %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  test.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('quotes only what RFC 4180 needs: %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  test('writes numbers as they are (ids and times are ours, never typed text) and null as empty', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  test('any text round-trips through an RFC 4180 reader, inert when it starts like a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), (cells) => {
        const [parsed] = parseCsv(csvRecord(cells));
        expect(parsed).toHaveLength(cells.length);
        parsed!.forEach((out, i) => {
          const input = cells[i]!;
          if (/^[=+\-@\t\r]/.test(input)) expect(out).toBe(`'${input}`);
          else expect(out).toBe(input);
        });
      }),
      { numRuns: 300 },
    );
  });
});

test('csvRecord ends with CRLF and separates with commas', () => {
  expect(csvRecord(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
});
