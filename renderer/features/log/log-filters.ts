import dayjs from 'dayjs';
import type { EventType, Outcome } from '../../../shared/domain.js';
import { message } from '../../../shared/messages.js';
import { logQueryInput } from '../../../shared/schemas.js';
import { fieldErrors } from '../../../shared/validate.js';
import type { InputOf } from '../../../shared/contract.js';
import { fieldMessage } from '../../lib/error-text.js';

/** The filters of a log query (everything but its order and paging): what search and export apply. */
export type LogFilters = Omit<InputOf<'log.search'>, 'order' | 'before' | 'after' | 'limit'>;

/**
 * What the filter bar holds: dates as the date picker gives them (YYYY-MM-DD), blanks for "any".
 * Adding a filter: add it here, to EMPTY_FILTERS, to toLogFilters, and to both directions in log-url.ts.
 */
export interface LogFilterState {
  range: [string | null, string | null];
  actor: string;
  type: EventType | null;
  outcome: Outcome | 'all';
  sourceIp: string;
  text: string;
  /**
   * Exact bounds (epoch ms) that arrive with a link, such as the overview's "denials in the last 24 hours";
   * the day picker cannot express an hour. They narrow whatever the day range allows.
   */
  since: number | null;
  until: number | null;
  /** "Concerning": events whose target is this user (the filter bar's picker, or a link from the overview). */
  targetUserId: number | null;
  /** Done by or concerning this user: the "everything about this user" link of a user's page. */
  involving: number | null;
}

export const EMPTY_FILTERS: LogFilterState = {
  range: [null, null],
  actor: '',
  type: null,
  outcome: 'all',
  sourceIp: '',
  text: '',
  since: null,
  until: null,
  targetUserId: null,
  involving: null,
};

/** Whether any filter is set (the empty-state text and the Clear button depend on it). */
export function hasFilters(state: LogFilterState): boolean {
  return (
    state.range[0] !== null ||
    state.range[1] !== null ||
    state.actor.trim() !== '' ||
    state.type !== null ||
    state.outcome !== 'all' ||
    state.sourceIp.trim() !== '' ||
    state.text.trim() !== '' ||
    state.since !== null ||
    state.until !== null ||
    state.targetUserId !== null ||
    state.involving !== null
  );
}

export const SOURCE_IP_MESSAGE = message('oneIp');

const tighter = (a: number | undefined, b: number | null, pick: (x: number, y: number) => number): number | undefined =>
  a === undefined ? (b ?? undefined) : b === null ? a : pick(a, b);

/**
 * The filter bar as a log.search query, checked with the schema main uses; a bad filter gives a message
 * per filter field instead of a query. The range covers whole local days, first to last inclusive.
 */
export function toLogFilters(state: LogFilterState): { ok: true; filters: LogFilters } | { ok: false; errors: Record<string, string> } {
  const [from, to] = state.range;
  const since = tighter(from ? dayjs(from).startOf('day').valueOf() : undefined, state.since, Math.max);
  const until = tighter(to ? dayjs(to).endOf('day').valueOf() : undefined, state.until, Math.min);
  const candidate: LogFilters = {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(state.actor.trim() ? { actor: state.actor.trim() } : {}),
    ...(state.type ? { type: state.type } : {}),
    ...(state.outcome !== 'all' ? { outcome: state.outcome } : {}),
    ...(state.sourceIp.trim() ? { sourceIp: state.sourceIp.trim() } : {}),
    ...(state.text.trim() ? { text: state.text.trim() } : {}),
    ...(state.targetUserId !== null ? { targetUserId: state.targetUserId } : {}),
    ...(state.involving !== null ? { involving: state.involving } : {}),
  };
  const parsed = logQueryInput.safeParse(candidate);
  if (parsed.success) return { ok: true, filters: candidate };
  const errors: Record<string, string> = {};
  for (const [path, text] of Object.entries(fieldErrors(parsed.error))) {
    errors[path === 'since' || path === 'until' ? 'range' : path] ??= text;
  }
  // The schema's IPv4-or-IPv6 union reports zod's generic "Invalid input" rather than its members' words.
  if (errors.sourceIp === 'Invalid input') errors.sourceIp = SOURCE_IP_MESSAGE;
  // In the person's language (the shared schema's messages carry keys: lib/error-text.ts).
  for (const [field, text] of Object.entries(errors)) errors[field] = fieldMessage(text);
  return { ok: false, errors };
}
