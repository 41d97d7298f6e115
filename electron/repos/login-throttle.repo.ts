import type { Db } from '../db/open.js';

export interface ThrottleState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export function findThrottle(db: Db, name: string): ThrottleState | undefined {
  return db
    .prepare<[string], ThrottleState>(
      `SELECT failures, last_failure_at AS lastFailureAt, blocked_until AS blockedUntil
       FROM login_throttle WHERE name = ?`,
    )
    .get(name);
}

export function saveThrottle(db: Db, name: string, state: ThrottleState): void {
  db.prepare(
    `INSERT INTO login_throttle (name, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET failures = excluded.failures,
       last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
  ).run(name, state.failures, state.lastFailureAt, state.blockedUntil);
}

export function clearThrottle(db: Db, name: string): void {
  db.prepare('DELETE FROM login_throttle WHERE name = ?').run(name);
}
