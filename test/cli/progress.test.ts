import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

let data: string;
beforeEach(async () => {
  data = tempDir('keyrack-progress-');
  await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
  await keyrack(data, ['mailboxes', 'create', 'info@example.com']);
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

describe('progress on stderr', () => {
  test('not a terminal: one line per update, no carriage return', async () => {
    const run = await keyrack(data, ['log', 'export', '--format', 'jsonl', '--out', join(data, 'log.jsonl')]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('\r');
    const lines = run.stderr.split('\n');
    expect(lines.at(-1)).toBe(''); // ends with a newline
    expect(lines.slice(0, -1).every((l) => /^exported \d+ \/ \d+ events$/.test(l))).toBe(true);
    expect(lines.at(-2)).toMatch(/^exported (\d+) \/ \1 events$/);

    const verify = await keyrack(data, ['log', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stderr).not.toContain('\r');
    expect(verify.stderr.split('\n').slice(0, -1).every((l) => /^checked \d+ events$/.test(l))).toBe(true);
  });

  test('a terminal: the line is rewritten in place and ended once', async () => {
    const run = await keyrack(data, ['log', 'export', '--format', 'jsonl', '--out', join(data, 'log.jsonl')], '', { stderrIsTTY: true });
    expect(run.code).toBe(0);
    const ERASE_TO_END = '\u001b[K';
    const updates = run.stderr.split(ERASE_TO_END);
    expect(updates.at(-1)).toBe('\n');
    expect(updates.slice(0, -1).every((u) => /^\rexported \d+ \/ \d+ events$/.test(u))).toBe(true);
  });
});
