import { expect, test } from 'vitest';
import { withNode, type MailRelayContext } from '../../electron/mail/relay-context.js';

const relayOn = (node: string | null) => ({ server: { config: { node } } }) as unknown as Pick<MailRelayContext, 'server'>;

test("the relay's events name the node on a shared store, as the token server's do; on SQLite they stay as they were", () => {
  expect(withNode(relayOn('site-a'), { messageId: 7, clientId: 'keyrack-crm' })).toEqual({ messageId: 7, clientId: 'keyrack-crm', node: 'site-a' });
  const details = { messageId: 7 };
  expect(withNode(relayOn(null), details)).toBe(details);
});
