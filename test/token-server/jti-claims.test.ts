import { afterEach, beforeEach, expect, test } from 'vitest';
import { JtiClaims } from '../../electron/token-server/jti-claims.js';
import { pruneAssertionJtis } from '../../electron/repos/client-assertion-jtis.repo.js';
import { parseInputOf } from '../../shared/contract.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';

let core: TestCore;
let clientId: string;
beforeEach(async () => {
  let admin;
  ({ core, admin } = await coreWithAdmin());
  clientId = (await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM' }))).clientId;
});
afterEach(() => core.cleanup());

const rows = () => core.db.prepare('SELECT count(*) AS n FROM client_assertion_jtis').get() as { n: number };

test('claims of one turn share a commit; the same jti twice in it: the first wins, the second is a replay', async () => {
  const claims = new JtiClaims(core.deps.store);
  const later = core.clock.now() + 60_000;
  const results = await Promise.all([claims.claim(clientId, 'a', later), claims.claim(clientId, 'b', later), claims.claim(clientId, 'a', later)]);
  expect(results).toEqual([true, true, false]);
  expect(rows().n).toBe(2);
  // A later turn, and a new JtiClaims (a restarted server): still a replay.
  expect(await new JtiClaims(core.deps.store).claim(clientId, 'b', later)).toBe(false);
});

test('a failed commit fails every claim of its batch, and the next batch works', async () => {
  const claims = new JtiClaims(core.deps.store);
  const later = core.clock.now() + 60_000;
  // No such client: the foreign key refuses the whole batch.
  const failed = await Promise.allSettled([claims.claim('keyrack-nobody', 'x', later), claims.claim(clientId, 'y', later)]);
  expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(await claims.claim(clientId, 'y', later)).toBe(true);
});

test('pruning forgets only jtis whose assertions have expired', async () => {
  const claims = new JtiClaims(core.deps.store);
  const now = core.clock.now();
  await Promise.all([claims.claim(clientId, 'old', now - 1), claims.claim(clientId, 'live', now + 60_000)]);
  expect(await pruneAssertionJtis(core.deps.store, now)).toBe(1);
  expect(await claims.claim(clientId, 'live', now + 60_000)).toBe(false);
});
