import type { Queryable } from '../db/store.js';
import { sameName } from './dialect.js';

/** The login back-off per name, case-insensitive (PostgreSQL's key is a unique index on lower(name), migration 0010). */

export interface ThrottleState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export async function findThrottle(q: Queryable, name: string): Promise<ThrottleState | undefined> {
  return q.get<ThrottleState>(
    `SELECT failures, last_failure_at AS "lastFailureAt", blocked_until AS "blockedUntil"
     FROM login_throttle WHERE ${sameName(q, 'name')}`,
    [name],
  );
}

export async function saveThrottle(q: Queryable, name: string, state: ThrottleState): Promise<void> {
  await q.run(
    `INSERT INTO login_throttle (name, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?)
     ON CONFLICT ${q.dialect === 'postgres' ? '((lower(name)))' : '(name)'} DO UPDATE SET failures = excluded.failures,
       last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
    [name, state.failures, state.lastFailureAt, state.blockedUntil],
  );
}

export async function clearThrottle(q: Queryable, name: string): Promise<void> {
  await q.run(`DELETE FROM login_throttle WHERE ${sameName(q, 'name')}`, [name]);
}
