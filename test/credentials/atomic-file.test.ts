import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { writeFileAtomic } from '../../electron/credentials/atomic-file.js';
import { tempDir } from '../support/core.js';

let dir: string;
beforeEach(() => {
  dir = tempDir('keyrack-atomic-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('writes the whole content with mode 0600 and leaves no temp file', () => {
  const file = join(dir, 'creds.json');
  writeFileAtomic(file, '{"a":1}\n');
  expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['creds.json']);
});

test('replacing a world-readable file leaves an owner-only one', () => {
  const file = join(dir, 'creds.env');
  writeFileSync(file, 'old', { mode: 0o644 });
  writeFileAtomic(file, Buffer.from('new'));
  expect(readFileSync(file, 'utf8')).toBe('new');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['creds.env']);
});

test('the mode asked for is the mode set, whatever the umask', () => {
  const previous = process.umask(0o077);
  try {
    writeFileAtomic(join(dir, 'ca.pem'), 'pem', 0o644);
  } finally {
    process.umask(previous);
  }
  expect(statSync(join(dir, 'ca.pem')).mode & 0o777).toBe(0o644);
});

test('a failed rename removes the temp file and leaves the target as it was', () => {
  const target = join(dir, 'taken');
  mkdirSync(join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be replaced by a file
  expect(() => writeFileAtomic(target, 'secret content')).toThrow();
  expect(readdirSync(dir)).toEqual(['taken']);
  expect(readdirSync(target)).toEqual(['inside']);
});

test('a missing folder fails before anything is written', () => {
  expect(() => writeFileAtomic(join(dir, 'no', 'such', 'file'), 'x')).toThrow(/ENOENT/);
  expect(readdirSync(dir)).toEqual([]);
});
