import { expect, test } from 'vitest';
import { CONTROL_CHARACTER } from '../../shared/text.js';
import { safeFileName } from '../../electron/shell/export-file-name.js';

test('control characters are C0, DEL and C1; printable text of any script is not', () => {
  for (const c of ['\u0000', '\t', '\n', '\u001f', '\u007f', '\u0085', '\u009f']) expect(CONTROL_CHARACTER.test(`a${c}b`)).toBe(true);
  for (const text of ['plain', 'Zoë Ødegård', '名前', 'a b', '\u00a0']) expect(CONTROL_CHARACTER.test(text)).toBe(false);
});

test('an export file name loses control characters and path characters alike', () => {
  expect(safeFileName('CRM\u0000/Sync\u0085<1>')).toBe('CRM-Sync-1-');
});
