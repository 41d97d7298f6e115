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
};
