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

/** A translation by a key built at run time (the typed t() takes only literal keys), or null when there is none. */
function lookup(key: string): string | null {
  return i18n.exists(key) ? (i18n.t as unknown as (key: string) => string)(key) : null;
}

/** The label of an event detail's key; a key the catalogue does not know shows as itself, so nothing is hidden. */
export const detailLabel = (key: string): string => lookup(`log:detail.label.${key}`) ?? key;

/**
 * The words for a code in an event's details (event-details.ts, CodeFamily), or null when the catalogue
 * has none (a newer core): the view then shows the code itself.
 */
export const detailCodeLabel = (family: string, code: string): string | null => lookup(`log:detail.code.${family}.${code}`);

/**
 * Codes a support person may be asked about by their code: an integrator's OAuth library shows the error
 * code the server answered with, so the log shows it beside the words.
 */
export const CODE_SHOWN_WITH_WORDS: ReadonlySet<string> = new Set(['error']);

/** A short plain explanation of a technical detail (scope, audience, ES256…), or null where none is needed. */
export const detailHelp = (key: string): string | null => lookup(`log:detail.help.${key}`);

/** The same for a technical word in an event type's name (introspection). */
export const eventTypeHelp = (type: EventType): string | null => lookup(`log:detail.eventHelp.${type}`);
