import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CliContext } from '../../electron/cli/context.js';
import { buildProgram } from '../../electron/cli/program.js';
import { tempDir } from '../support/core.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The ```sh blocks under a heading of README.md, up to the next heading of the same or a higher level. */
function shBlocks(heading: string): string[] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const rest = README.slice(start + heading.length + 2);
  const next = new RegExp(`\\n#{1,${level}} `).exec(rest);
  const section = next ? rest.slice(0, next.index) : rest;
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Shell words of one command line: enough for the README (double quotes, no expansions). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

let work: string;
beforeEach(() => {
  work = tempDir('keyrack-readme-');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('README.md', () => {
  test('the quick start runs verbatim, in a shell, on an empty data folder', () => {
    // The built CLI, as an integrator's shell finds it (needs `npm run build` / `tsc -b`, as npm test does).
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'keyrack'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/keyrack.js')}" "$@"\n`);
    chmodSync(join(bin, 'keyrack'), 0o755);
    writeFileSync(join(work, 'password.txt'), 'correct horse battery staple\n');
    const [block] = shBlocks('### Quick start');
    expect(block).toContain('keyrack init');
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, KEYRACK_DATA: join(work, 'data') };
    let output = '';
    try {
      output = execFileSync('bash', ['-euo', 'pipefail', '-c', block!], { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      throw new Error(`the quick start failed:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
    }
    expect(output).toContain('alice is its first administrator');
    expect(output).toContain('The log is intact');
    const file = JSON.parse(readFileSync(join(work, 'crm.json'), 'utf8')) as { issuer: string; scopes: string[]; ca_certificate?: string };
    expect(file.issuer).toBe('https://keyrack.office.lan:8443');
    expect(file.scopes).toEqual(['orders/import:write', 'properties:read']);
    expect(file.ca_certificate).toContain('BEGIN CERTIFICATE');
    expect(existsSync(join(work, 'data', 'keyrack.db'))).toBe(true);
  }, 150_000);

  test('every keyrack line of the command list names a real command and its real flags', () => {
    const io = { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, osUser: 'tester' };
    const root = buildProgram(new CliContext(io));
    const lines = shBlocks('## The `keyrack` CLI').flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n')).filter((l) => l.startsWith('keyrack '));
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      let command: Command = root;
      const tokens = words(line.replace(/\s+<.*$/, '')).slice(1);
      while (tokens.length > 0) {
        const sub = command.commands.find((c) => c.name() === tokens[0]);
        if (!sub) break;
        command = sub;
        tokens.shift();
      }
      expect(command, line).not.toBe(root);
      const known = new Set<string>();
      for (let c: Command | null = command; c; c = c.parent) for (const o of c.options) known.add(o.long!);
      expect(tokens.filter((t) => t.startsWith('--') && !known.has(t)), line).toEqual([]);
    }
  });

  test('no shell block writes alternatives as a pipe (a shell would run them as one)', () => {
    const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const piped = blocks.flatMap((b) => b.split('\n')).filter((l) => /^keyrack\b.*\s\|\s/.test(l));
    expect(piped).toEqual([]);
  });
});
