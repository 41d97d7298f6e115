import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type Core } from '../../electron/core.js';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import type { Actor, Clock } from '../../electron/services/context.js';

/** Cheap argon2id parameters so tests stay fast; the production ones are tested on their own. */
export const TEST_HASH_PARAMS = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)): TestClock {
  let now = start;
  return { now: () => now, set: (ms) => void (now = ms), advance: (ms) => void (now += ms) };
}

export interface TestCore extends Core {
  clock: TestClock;
  cleanup(): void;
}

export function tempDir(prefix = 'keyrack-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function makeCore(dataDir = tempDir()): TestCore {
  const clock = testClock();
  const core = openCore({ dataDir, clock, passwords: createPasswordHasher(TEST_HASH_PARAMS) });
  return Object.assign(core, {
    clock,
    cleanup() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export const cli: Actor = { kind: 'cli', name: 'cli:tester' };

/**
 * Runs `call` inside a promise, so that a synchronous throw becomes a rejection too: a call's input is
 * parsed before its service runs (parseInputOf), and bad input is refused there, before any promise exists.
 */
export const inPromise = <T>(call: () => T | Promise<T>): Promise<T> => Promise.resolve().then(call);

/** A core with a first administrator; returns the admin as an actor. */
export async function coreWithAdmin(): Promise<{ core: TestCore; admin: Actor }> {
  const core = makeCore();
  const session = await core.auth.setup({ name: 'alice', password: 'correct horse battery' });
  return { core, admin: { kind: 'person', userId: session.userId, name: session.name } };
}
