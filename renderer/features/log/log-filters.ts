import dayjs from 'dayjs';
import type { EventType, Outcome } from '../../../shared/domain.js';
import { logQueryInput } from '../../../shared/schemas.js';
import { fieldErrors } from '../../../shared/validate.js';
import type { LogFilters } from './log-export.js';

/** What the filter bar holds: dates as the date picker gives them (YYYY-MM-DD), blanks for "any". */
export interface LogFilterState {
  range: [string | null, string | null];
  actor: string;
  type: EventType | null;
  outcome: Outcome | 'all';
  text: string;
  /** Set when the log is opened for one user (from a user's page). */
  targetUserId?: number | undefined;
}

export const EMPTY_FILTERS: LogFilterState = { range: [null, null], actor: '', type: null, outcome: 'all', text: '' };

/**
 * The filter bar as a log.search query, checked with the schema main uses; a bad filter gives a message
 * per filter field instead of a query. The range covers whole local days, first to last inclusive.
 */
export function toLogFilters(state: LogFilterState): { ok: true; filters: LogFilters } | { ok: false; errors: Record<string, string> } {
  const [from, to] = state.range;
  const candidate: LogFilters = {
    ...(from ? { since: dayjs(from).startOf('day').valueOf() } : {}),
    ...(to ? { until: dayjs(to).endOf('day').valueOf() } : {}),
    ...(state.actor.trim() ? { actor: state.actor.trim() } : {}),
    ...(state.type ? { type: state.type } : {}),
    ...(state.outcome !== 'all' ? { outcome: state.outcome } : {}),
    ...(state.text.trim() ? { text: state.text.trim() } : {}),
    ...(state.targetUserId ? { targetUserId: state.targetUserId } : {}),
  };
  const parsed = logQueryInput.safeParse(candidate);
  if (parsed.success) return { ok: true, filters: candidate };
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(parsed.error))) {
    errors[path === 'since' || path === 'until' ? 'range' : path] ??= message;
  }
  return { ok: false, errors };
}
