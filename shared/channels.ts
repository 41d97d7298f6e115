import { LOG_CHANNEL_NAMES } from './channels-log.js';
import { SERVER_CHANNEL_NAMES } from './channels-server.js';
import type { Channel } from './contract.js';

/**
 * The contract's channel names as a plain list, without zod: the Electron preload is bundled from this
 * (a sandboxed preload should carry no schema library; main validates every input anyway). Only types
 * come from contract.ts, so importing this file pulls in no runtime code.
 *
 * Adding a channel to shared/contract.ts: add its name here too; the two checks below fail to compile
 * until the list equals `keyof Contract` exactly (no missing name, no extra one).
 */
export const CHANNEL_NAMES = [
  'auth.status',
  'auth.setup',
  'auth.login',
  'auth.logout',
  'auth.changePassword',
  'auth.setIdleLock',

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

  'secrets.list',
  'secrets.add',
  'secrets.rotate',
  'secrets.revoke',

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

  'mailboxes.list',
  'mailboxes.create',
  'mailboxes.update',
  'mailboxes.delete',
  'mailboxes.assign',
  'mailboxes.unassign',

  'log.search',

  'policy.get',
  'policy.set',

  // Areas with a contract file of their own (contract-log.ts, contract-server.ts) list their names beside it.
  ...LOG_CHANNEL_NAMES,
  ...SERVER_CHANNEL_NAMES,
] as const satisfies readonly Channel[];

type Listed = (typeof CHANNEL_NAMES)[number];
/** Compile-time: every contract channel is listed (an unlisted one shows up in the error as the type). */
export type UnlistedChannels = Exclude<Channel, Listed>;
const everyChannelListed: [UnlistedChannels] extends [never] ? true : UnlistedChannels = true;
void everyChannelListed;
