import type { Migration } from '../migrate.js';
import { initial } from './0010-initial.js';
import { tokenRevocations } from './0020-token-revocations.js';
import { auditChain } from './0050-audit-chain.js';
import { auditSearch } from './0060-audit-search.js';
import { auditRetentionActivity } from './0070-audit-retention-activity.js';
import { auditActorIndexes } from './0071-audit-actor-indexes.js';
import { auditActivityDaily } from './0072-audit-activity-daily.js';
import { auditIndexCatchUp } from './0080-audit-index-catch-up.js';
import { auditFtsAutomerge } from './0081-audit-fts-automerge.js';
import { auditFtsDeletemerge } from './0082-audit-fts-deletemerge.js';
import { clientAddresses } from './0090-client-addresses.js';
import { auditActorId } from './0091-audit-actor-id.js';
import { clientKeys } from './0100-client-keys.js';
import { activations } from './0110-activations.js';
import { mail } from './0120-mail.js';
import { storeNodes } from './0130-store-nodes.js';
import { tlsAuthorities } from './0140-tls-authorities.js';

/** Every migration, in order. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  initial, tokenRevocations, auditChain, auditSearch, auditRetentionActivity, auditActorIndexes, auditActivityDaily,
  auditIndexCatchUp, auditFtsAutomerge, auditFtsDeletemerge, clientAddresses, auditActorId, clientKeys,
  activations, mail, storeNodes, tlsAuthorities,
];
