import { EVENT_TYPES, OUTCOMES, type EventType, type LogOrder, type Outcome } from '../../../shared/domain.js';
import { parseDateText } from '../../../shared/time.js';
import { EMPTY_FILTERS, type LogFilterState } from './log-filters.js';

/**
 * The log's filters in its URL (`#/log?type=token.denied&user=12&since=…`), so any page can link to a
 * filtered log, and a filtered view survives a reload or can be copied. Parameter names are short and
 * stable: they appear in links other features build with logHref.
 *
 * Reading is forgiving: an unknown parameter or a value that cannot be right (an event type that does not
 * exist, a user id that is not a positive integer, a time that does not parse) is dropped, so a stale or
 * hand-edited link opens the log with the filters that still make sense instead of an error.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What a link may set: any filter, the order, and one event whose details open on arrival. */
export type LogLink = Partial<LogFilterState> & { event?: number; order?: LogOrder };

export interface LogLocation {
  filters: LogFilterState;
  /** The id of an event to show in the detail drawer. */
  event: number | null;
  /** Newest first (the default, not written in the URL) or oldest first (`order=oldest`). */
  order: LogOrder;
}

const positiveInt = (value: string | null): number | null => {
  if (value === null || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
};

// Strict (shared/time.ts): Date.parse would read since=2026-02-31 as 3 March; such a link is ignored instead.
const instant = (value: string | null): number | null => {
  if (value === null || value === '') return null;
  const parsed = parseDateText(value);
  return parsed?.ok ? parsed.ms : null;
};

const day = (value: string | null): string | null =>
  value !== null && DAY.test(value) && parseDateText(value)?.ok ? value : null;

/** The query part of a hash path (`/log?a=b` → `a=b`), or '' when there is none. */
export function queryOf(path: string): string {
  const at = path.indexOf('?');
  return at === -1 ? '' : path.slice(at + 1);
}

/** The filters (and the event to show) a log URL's query asks for. */
export function parseLogQuery(query: string): LogLocation {
  const p = new URLSearchParams(query);
  const type = p.get('type');
  const outcome = p.get('outcome');
  return {
    filters: {
      range: [day(p.get('from')), day(p.get('to'))],
      actor: p.get('actor') ?? '',
      type: type !== null && (EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : null,
      outcome: outcome !== null && (OUTCOMES as readonly string[]).includes(outcome) ? (outcome as Outcome) : 'all',
      sourceIp: p.get('ip') ?? '',
      text: p.get('q') ?? '',
      since: instant(p.get('since')),
      until: instant(p.get('until')),
      targetUserId: positiveInt(p.get('user')),
      involving: positiveInt(p.get('about')),
    },
    event: positiveInt(p.get('event')),
    order: p.get('order') === 'oldest' ? 'oldest' : 'newest',
  };
}

/** The query for a filter state (only the filters that are set, in a fixed order), without the `?`. */
export function logQueryString(filters: LogFilterState, event: number | null = null, order: LogOrder = 'newest'): string {
  const p = new URLSearchParams();
  if (filters.range[0]) p.set('from', filters.range[0]);
  if (filters.range[1]) p.set('to', filters.range[1]);
  if (filters.actor) p.set('actor', filters.actor);
  if (filters.type) p.set('type', filters.type);
  if (filters.outcome !== 'all') p.set('outcome', filters.outcome);
  if (filters.sourceIp) p.set('ip', filters.sourceIp);
  if (filters.text) p.set('q', filters.text);
  if (filters.since !== null) p.set('since', new Date(filters.since).toISOString());
  if (filters.until !== null) p.set('until', new Date(filters.until).toISOString());
  if (filters.targetUserId !== null) p.set('user', String(filters.targetUserId));
  if (filters.involving !== null) p.set('about', String(filters.involving));
  if (order === 'oldest') p.set('order', order);
  if (event !== null) p.set('event', String(event));
  return p.toString();
}

/** The in-app path of the log with these filters: `logHref({ type: 'token.denied', targetUserId: 12 })`. */
export function logHref(link: LogLink = {}): string {
  const { event = null, order = 'newest', ...filters } = link;
  const query = logQueryString({ ...EMPTY_FILTERS, ...filters }, event, order);
  return query ? `/log?${query}` : '/log';
}
