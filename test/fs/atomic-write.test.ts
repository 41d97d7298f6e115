import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openAtomicWriteStream, writeFileAtomic } from '../../electron/fs/atomic-write.js';
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

test('a stream is written to a temp file and put in place, owner-only, on commit', async () => {
  const file = join(dir, 'log.csv');
  writeFileSync(file, 'old', { mode: 0o644 });
  const out = openAtomicWriteStream(file);
  out.stream.write('id,time\n');
  expect(readFileSync(file, 'utf8')).toBe('old');
  await out.commit();
  expect(readFileSync(file, 'utf8')).toBe('id,time\n');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['log.csv']);
});

test('an aborted stream leaves the target as it was and no temp file', async () => {
  const file = join(dir, 'log.csv');
  writeFileSync(file, 'old');
  const out = openAtomicWriteStream(file);
  out.stream.write('half an export');
  await out.abort();
  expect(readFileSync(file, 'utf8')).toBe('old');
  expect(readdirSync(dir)).toEqual(['log.csv']);
});

test('a write in progress keeps its temp file while another write of the same file runs; the last to commit wins', async () => {
  const file = join(dir, 'snapshot.json');
  const streamed = openAtomicWriteStream(file);
  streamed.stream.write('streamed');
  writeFileAtomic(file, 'whole');
  // A temp file named after another live process (the one that started this test) is its write in progress.
  const othersTemp = join(dir, `.snapshot.json.${process.ppid}.0123456789ab.tmp`);
  writeFileSync(othersTemp, 'theirs');
  writeFileAtomic(file, 'whole again');
  expect(readFileSync(othersTemp, 'utf8')).toBe('theirs');
  await streamed.commit();
  expect(readFileSync(file, 'utf8')).toBe('streamed');
});

/**
 * Durability: a process killed (SIGKILL, so nothing of its own cleans up) at each step of a write leaves the
 * old content or the complete new one, never a mix; the next write then removes the temp file it left. A
 * failure at each step leaves the same, and no temp file at once. The write runs in a child process
 * (atomic-write-child.mjs) that intercepts node:fs at the step chosen. POSIX only: the folder fsync whose
 * failure one case injects does not exist on Windows (see fsyncFolder).
 */
describe.skipIf(process.platform === 'win32')('a crash or a failure at any step', () => {
  const OLD = 'old content\n'.repeat(20_000);
  const NEW = 'new content, longer than the old\n'.repeat(20_000);
  let module: string;
  beforeAll(() => {
    // The child runs JavaScript, and vitest's TypeScript stays in this process. The module imports only node
    // built-ins, so transpiling this one file is all it takes, and the child runs the source as it is now.
    const source = readFileSync(fileURLToPath(new URL('../../electron/fs/atomic-write.ts', import.meta.url)), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    module = join(tempDir('keyrack-atomic-module-'), 'atomic-write.mjs');
    writeFileSync(module, outputText);
  });
  afterAll(() => rmSync(join(module, '..'), { recursive: true, force: true }));

  function writeInChild(kind: 'buffer' | 'stream', step: string, action: 'crash' | 'fail', target: string) {
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(new URL('./atomic-write-child.mjs', import.meta.url)), JSON.stringify({ module: pathToFileURL(module).href, target, kind, step, action })],
      { input: NEW, encoding: 'utf8', timeout: 20_000 },
    );
    if (child.error) throw child.error;
    return child;
  }

  /** The steps of each kind of write (atomic-write-child.mjs); only from 'renamed' on may the new content show. */
  const steps = [
    ['buffer', 'created'],
    ['buffer', 'half-written'],
    ['buffer', 'written'],
    ['buffer', 'synced'],
    ['buffer', 'renamed'],
    ['stream', 'half-written'],
    ['stream', 'written'],
    ['stream', 'synced'],
    ['stream', 'renamed'],
  ] as const;
  const contentAfter = (step: string) => (step === 'renamed' ? NEW : OLD);

  test.each(steps)('%s write killed when %s: the file holds the old or the complete new content', (kind, step) => {
    const target = join(dir, 'creds.json');
    writeFileSync(target, OLD);
    const child = writeInChild(kind, step, 'crash', target);
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(readFileSync(target, 'utf8')).toBe(contentAfter(step));
    // Killed before the rename, the temp file is still there (the crash really came mid-write)…
    expect(readdirSync(dir)).toHaveLength(step === 'renamed' ? 1 : 2);
    // …and the next write of the file removes it.
    writeFileAtomic(target, 'next');
    expect(readdirSync(dir)).toEqual(['creds.json']);
    expect(readFileSync(target, 'utf8')).toBe('next');
  });

  // A stream's half-way point is the caller's own writes: nothing of the module's to fail there.
  const failures = steps.filter(([kind, step]) => !(kind === 'stream' && step === 'half-written'));
  test.each(failures)('%s write failing when %s: the error is thrown, the file holds the old or the new content, no temp file', (kind, step) => {
    const target = join(dir, 'creds.json');
    writeFileSync(target, OLD);
    const child = writeInChild(kind, step, 'fail', target);
    expect(child.stdout, child.stderr).toBe(`failed: injected failure at ${step}`);
    expect(readFileSync(target, 'utf8')).toBe(contentAfter(step));
    expect(readdirSync(dir)).toEqual(['creds.json']);
  });
});
