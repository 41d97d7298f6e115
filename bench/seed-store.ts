/**
 * Builds a store with a year (by default) of realistic log for the UI's browser test and for
 * `npm run bench:log`: N events about --api-users real API users (created a little before the period,
 * some with secrets expiring within days so the overview has something to show), their secrets' last use
 * set from the seeded issuances. Run it on a new data folder, then `keyrack init` for the admin: seeded
 * times must come before anything already in the log (times never go back in the log).
 */
import { openCore } from '../electron/core.js';
import { cliActor } from '../electron/services/context.js';
import { seedLog } from './seed-log.js';
import { parseInputOf } from '../shared/contract.js';

const DAY = 86_400_000;

export async function seedStore(options: { dataDir: string; events: number; apiUsers: number; days: number; log: (line: string) => void }): Promise<void> {
  const end = Date.now();
  const span = options.days * DAY;
  let now = end - span - DAY;
  const core = openCore({ dataDir: options.dataDir, clock: { now: () => now } });
  try {
    const newest = core.db.prepare<[], { at: number }>('SELECT at FROM audit_events ORDER BY id DESC LIMIT 1').get();
    if (newest && newest.at > end - span) {
      throw new Error('this store already has recent events; seed a new data folder (then run keyrack init)');
    }
    const actor = cliActor('seed');
    const users: { id: number; name: string; clientId: string }[] = [];
    const existing = core.db.prepare<[], { id: number; name: string; client_id: string }>(
      `SELECT u.id, u.name, c.client_id FROM users u JOIN credentials c ON c.user_id = u.id WHERE u.kind = 'api' ORDER BY u.id`,
    ).all();
    users.push(...existing.map((u) => ({ id: u.id, name: u.name, clientId: u.client_id })));
    for (let i = users.length; i < options.apiUsers; i++) {
      // Every tenth secret expires within the next three weeks: the overview's "expiring soon".
      const secretExpiresAt = i % 10 === 0 ? end + ((i % 21) + 1) * DAY : undefined;
      const created = await core.users.createApiUser(actor, parseInputOf('users.createApiUser', { name: `Integration ${i + 1}`, ...(secretExpiresAt ? { secretExpiresAt } : {}) }));
      users.push({ id: created.user.id, name: created.user.name, clientId: created.clientId });
      now += 1;
    }
    const started = Date.now();
    // A throwaway store being filled: a large page cache for the index inserts, and no fsync per batch
    // (a crash mid-seed means seeding again). Restored before the store is used.
    core.db.pragma('cache_size = -262144');
    core.db.pragma('synchronous = OFF');
    seedLog(core.db, {
      count: options.events,
      end,
      spanMs: span,
      apiUsers: users,
      onProgress: (written) => options.log(`seeded ${written} / ${options.events} events (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    });
    core.db.pragma('synchronous = FULL');
    // Last use as the token server would have recorded it: the newest issuance per API user.
    core.db.prepare(
      `UPDATE client_secrets SET last_used_at = (
         SELECT max(at) FROM audit_events e WHERE e.target_user_id = client_secrets.user_id AND e.type = 'token.issued')`,
    ).run();
  } finally {
    core.close();
  }
}
