import { expect, test } from 'vitest';
import { CONTROL_CHARACTER, nameProblem } from '../../shared/text.js';
import { safeFileName } from '../../electron/shell/export-file-name.js';

test('control characters are C0, DEL and C1; printable text of any script is not', () => {
  for (const c of ['\u0000', '\t', '\n', '\u001f', '\u007f', '\u0085', '\u009f']) expect(CONTROL_CHARACTER.test(`a${c}b`)).toBe(true);
  for (const text of ['plain', 'Zoë Ødegård', '名前', 'a b', '\u00a0']) expect(CONTROL_CHARACTER.test(text)).toBe(false);
});

test('an export file name loses control characters and path characters alike', () => {
  expect(safeFileName('CRM\u0000/Sync\u0085<1>')).toBe('CRM-Sync-1-');
});

test('names refuse invisible and text-direction characters, and U+FFFD; real names of any script pass', () => {
  const hidden = ['\u202e', '\u202a', '\u2066', '\u2069', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u061c', '\u00ad', '\u2060', '\ufeff', '\u3164', '\ufe0f', '\u{e0001}'];
  for (const c of hidden) expect(nameProblem(`a${c}b`, 'Name'), c.codePointAt(0)!.toString(16)).toMatch(/invisible or text-direction/);
  expect(nameProblem('crm\u202egnp.exe', 'Name')).toBe('Name cannot contain invisible or text-direction characters (it has U+202E)');
  expect(nameProblem('CRM\ufffd', 'Group name')).toMatch(/^Group name contains U\+FFFD/);
  for (const name of ['CRM Sync', 'Zoë Ødegård', '名前', 'مزامنة', 'שלום', 'a\u00a0b', 'Ünïcode']) expect(nameProblem(name, 'Name'), name).toBeNull();
});
