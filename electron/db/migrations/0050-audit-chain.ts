import { chainHash, GENESIS_HASH, type ChainedRow } from '../../crypto/audit-chain.js';
import type { Migration } from '../migrate.js';

/**
 * Tamper evidence for the audit log: every event carries its predecessor's hash and its own.
 * Existing events are chained in id order, so no history is lost or left unprotected.
 */
export const auditChain: Migration = {
  version: 50,
  name: 'audit-chain',
  up(db) {
    db.exec(`
      ALTER TABLE audit_events ADD COLUMN prev_hash BLOB;
      ALTER TABLE audit_events ADD COLUMN hash BLOB;
      DROP TRIGGER audit_events_no_update;
    `);
    const update = db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?');
    // In batches: a statement cannot update the table another open statement is still iterating.
    const batch = db.prepare<[number], ChainedRow>('SELECT * FROM audit_events WHERE id > ? ORDER BY id LIMIT 1000');
    let prev: Buffer = GENESIS_HASH;
    let lastId = 0;
    for (let rows = batch.all(lastId); rows.length > 0; rows = batch.all(lastId)) {
      for (const row of rows) {
        const hash = chainHash(prev, row);
        update.run(prev, hash, row.id);
        prev = hash;
        lastId = row.id;
      }
    }
    db.exec(`
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `);
  },
  // The same chaining in JavaScript, so both engines hash the same encoding (chainHash) of the same rows.
  async postgres(client) {
    await client.query(`
      ALTER TABLE audit_events ADD COLUMN prev_hash BYTEA, ADD COLUMN hash BYTEA;
      DROP TRIGGER audit_events_no_update ON audit_events;
    `);
    let prev: Buffer = GENESIS_HASH;
    let lastId = 0;
    for (;;) {
      const { rows } = await client.query('SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT 1000', [lastId]);
      if (rows.length === 0) break;
      for (const row of rows as unknown as ChainedRow[]) {
        const hash = chainHash(prev, row);
        await client.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE id = $3', [prev, hash, row.id]);
        prev = hash;
        lastId = row.id;
      }
    }
    await client.query(`
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    `);
  },
};
