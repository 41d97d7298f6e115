import { chainWalker, parseChainAnchor, type StoredChainRow } from '../repos/audit.repo.js';
import type { PostgresClient } from './migrate.js';
import type { Db } from './open.js';
import { StoreCopyError } from './store-copy-plan.js';

/** Events per keyset page: constant memory for a log of millions. */
const PAGE = 5000;

/**
 * The copied log's hash chain, recomputed over the PostgreSQL rows in id order with the same walker as
 * `keyrack log verify` (audit.repo.ts), from the copied chain anchor (where retention last cut the log).
 * The walk proves every copied event's content and order; the head's hash, compared with the source's,
 * proves none is missing at the end. Returns how many events it verified.
 */
export async function verifyCopiedChain(sqlite: Db, pg: PostgresClient, onProgress?: (checked: number) => void): Promise<number> {
  const { rows: anchorRows } = await pg.query(`SELECT value FROM settings WHERE key = 'audit.chain_anchor'`);
  const anchor = anchorRows[0] ? parseChainAnchor(anchorRows[0].value as string) : undefined;
  const walker = chainWalker(anchor);
  let head: Buffer | null = null;
  for (let after = 0; ; ) {
    const { rows } = await pg.query('SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2', [after, PAGE]);
    for (const row of rows as unknown as StoredChainRow[]) {
      const problem = walker.step(row);
      if (problem) {
        throw new StoreCopyError(
          `The copied log's hash chain does not verify at event ${problem.id} (${problem.problem}); nothing was kept. ` +
            'Run `keyrack log verify` on the SQLite store: its own log may be damaged.',
        );
      }
      head = row.hash;
    }
    if (rows.length < PAGE) break;
    after = (rows.at(-1) as unknown as StoredChainRow).id;
    onProgress?.(walker.checked);
  }
  onProgress?.(walker.checked);
  const source = sqlite.prepare('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { hash: Buffer | null } | undefined;
  const sameHead = source === undefined ? head === null : head !== null && source.hash !== null && head.equals(source.hash);
  if (!sameHead) throw new StoreCopyError("The copied log does not end where the SQLite store's log ends; nothing was kept.");
  return walker.checked;
}
