import type { Migration } from '../migrate.js';

/**
 * "Everything about this user" (log.search `involving`) looks events up by who did them through the
 * actor's id, not their name: a renamed user keeps their history, and an API user's token requests (whose
 * actor name is the user's name at the time) are found too. The (actor_id, id) index lets that side of the
 * query walk newest first and stop after a page, like every other filter (docs/log.md).
 */
export const auditActorId: Migration = {
  version: 91,
  name: 'audit-actor-id',
  up(db) {
    db.exec(`CREATE INDEX audit_events_actor_id ON audit_events (actor_id, id);`);
  },
  postgres: 'CREATE INDEX audit_events_actor_id ON audit_events (actor_id, id);',
};
