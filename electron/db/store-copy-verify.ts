import { chainWalker, parseChainAnchor, type StoredChainRow } from '../repos/audit.repo.js';
import { StoreCopyError } from './store-copy-plan.js';

/** Events per keyset page: constant memory for a log of millions. */
export const CHAIN_PAGE = 5000;

/** How the chain check reads the copied log, on whichever engine the copy wrote. */
export interface CopiedChain {
  /** The copied `audit.chain_anchor` setting's value (where retention last cut the log), if any. */
  anchor(): Promise<string | undefined>;
  /** Up to `limit` events with ids above `after`, in id order, every column (BLOBs as Buffers). */
  page(after: number, limit: number): Promise<StoredChainRow[]>;
}

/**
 * The copied log's hash chain, recomputed over the target's rows in id order with the same walker as
 * `keyrack log verify` (audit.repo.ts), from the copied chain anchor. The walk proves every copied event's
 * content and order; the head's hash, compared with the source's (`sourceHead`: the newest event's hash of
 * the snapshot, null for an empty log), proves none is missing at the end. Returns how many it verified.
 * `source` names the store read, for the refusal ("the SQLite store", "the PostgreSQL store").
 */
export async function verifyCopiedChain(
  copy: CopiedChain,
  sourceHead: Buffer | null,
  source: string,
  onProgress?: (checked: number) => void,
): Promise<number> {
  const anchorValue = await copy.anchor();
  const walker = chainWalker(anchorValue ? parseChainAnchor(anchorValue) : undefined);
  let head: Buffer | null = null;
  for (let after = 0; ; ) {
    const rows = await copy.page(after, CHAIN_PAGE);
    for (const row of rows) {
      const problem = walker.step(row);
      if (problem) {
        throw new StoreCopyError(
          `The copied log's hash chain does not verify at event ${problem.id} (${problem.problem}); nothing was kept. ` +
            `Run \`keyrack log verify\` on ${source}: its own log may be damaged.`,
        );
      }
      head = row.hash;
    }
    if (rows.length < CHAIN_PAGE) break;
    after = rows.at(-1)!.id;
    onProgress?.(walker.checked);
  }
  onProgress?.(walker.checked);
  const sameHead = sourceHead === null ? head === null : head !== null && head.equals(sourceHead);
  if (!sameHead) throw new StoreCopyError(`The copied log does not end where ${source}'s log ends; nothing was kept.`);
  return walker.checked;
}
