import type { Channel } from './contract.js';

/**
 * The contract's channel names as a plain list, without zod: the Electron preload is bundled from this
 * (a sandboxed preload should carry no schema library; main validates every input anyway). Only types
 * come from contract.ts, so importing this file pulls in no runtime code.
 *
 * Adding a channel to an area's contract module (shared/contract-<area>.ts): add its name here too, in the
 * area's block; the two checks below fail to compile until the list equals `keyof Contract` exactly (no
 * missing name, no extra one).
 */
export const CHANNEL_NAMES = [
  // contract-auth.ts
  'auth.status',
  'auth.setup',
  'auth.login',
  'auth.logout',
  'auth.changePassword',
  'auth.setIdleLock',

  // contract-users.ts
  'users.list',
  'users.show',
  'users.createApiUser',
  'users.createPerson',
  'users.update',
  'users.setGroups',
  'users.setMailboxes',
  'users.setAllowlist',
  'users.disable',
  'users.enable',
  'users.delete',
  'users.effectiveRights',
  'users.resetPassword',
  'users.export',
  'secrets.list',
  'secrets.add',
  'secrets.rotate',
  'secrets.revoke',
  'clientKeys.list',
  'clientKeys.add',
  'clientKeys.revoke',
  'policy.get',
  'policy.set',

  // contract-groups.ts
  'groups.list',
  'groups.show',
  'groups.create',
  'groups.update',
  'groups.delete',
  'groups.addMember',
  'groups.removeMember',
  'groups.grant',
  'groups.revoke',
  'rights.list',
  'rights.addResource',
  'rights.updateResource',
  'rights.removeResource',

  // contract-mailboxes.ts
  'mailboxes.list',
  'mailboxes.create',
  'mailboxes.update',
  'mailboxes.delete',
  'mailboxes.assign',
  'mailboxes.unassign',

  // contract-activations.ts
  'activations.list',
  'activations.create',
  'activations.revoke',
  'registrations.list',
  'registrations.pending',
  'registrations.approve',
  'registrations.refuse',
  // contract-mail.ts
  'mail.settings',
  'mail.setSettings',
  'mail.setUpstream',
  'mail.clearUpstream',
  'mail.testUpstream',
  'mail.stats',
  'mail.queue',
  'mail.retry',
  'mail.drop',
  'mail.relayStatus',
  'mail.updateRelaySettings',

  // contract-log.ts
  'log.search',
  'log.verify',
  'log.export',
  'log.exportStatus',
  'log.exportCancel',
  'log.retention',
  'log.setRetention',
  'log.prune',
  'overview.get',
  'users.expiring',

  // contract-server.ts
  'server.status',
  'server.start',
  'server.stop',
  'server.updateSettings',
  'server.rotateKey',
  'server.saveCaCertificate',
  'ranges.status',
  'ranges.update',
  'ranges.progress',
  'ranges.import',
  'credentials.export',
  'credentials.exportKey',
  'credentials.destination',

  // contract-store.ts
  'store.status',
  'store.choose',
] as const satisfies readonly Channel[];

type Listed = (typeof CHANNEL_NAMES)[number];
/** Compile-time: every contract channel is listed (an unlisted one shows up in the error as the type). */
export type UnlistedChannels = Exclude<Channel, Listed>;
const everyChannelListed: [UnlistedChannels] extends [never] ? true : UnlistedChannels = true;
void everyChannelListed;
