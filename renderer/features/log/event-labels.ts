import { EVENT_TYPES, type ActorKind, type EventType, type Outcome } from '../../../shared/domain.js';
import { i18n } from '../../i18n/i18n.js';

/**
 * Plain words for the log's codes, from the log catalogue (renderer/i18n/<language>/log.ts). The keys are
 * typed: an event type in shared/domain.ts without a label in `eventType` fails to compile here.
 */
const t = () => i18n.getFixedT(null, 'log');

export const eventTypeLabel = (type: EventType): string => t()(`eventType.${type}`);

/** The options of the event type filter, in the order of the domain list. */
export const eventTypeOptions = (): { value: EventType; label: string }[] =>
  EVENT_TYPES.map((value) => ({ value, label: `${eventTypeLabel(value)} (${value})` }));

export const actorKindLabel = (kind: ActorKind): string => t()(`actorKind.${kind}`);

export const outcomeLabel = (outcome: Outcome): string => t()(`outcome.${outcome}`);

/**
 * Plain words for the token server's denial reasons and the login's failure reasons. The log keeps the
 * codes; a code the catalogue does not know (a newer core) shows as itself, with spaces for underscores.
 */
export function reasonLabel(reason: string): string {
  const key = `log:reason.${reason}`;
  return i18n.exists(key) ? (i18n.t as unknown as (key: string) => string)(key) : reason.replaceAll('_', ' ');
}
