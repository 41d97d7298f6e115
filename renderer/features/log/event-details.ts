import { EVENT_TYPES, USER_KINDS, type EventType, type UserKind } from '../../../shared/domain.js';

/**
 * An event's details (the free-form object each service logs) as labelled fields for people: what each
 * value is (a time, a count, a yes/no, a list, a change from one value to another, a group or mailbox by id)
 * so the view can format it in the reader's language. Pure: no i18n and no lookups here, so it is tested
 * on its own; EventDetails.tsx renders it (labels from the catalogue's `detail` keys, names by lookup).
 *
 * Nothing is hidden: a key this module does not know becomes a field under its own name with its value
 * as text, and the raw JSON stays one click away for support.
 */

export type RefEntity = 'group' | 'mailbox' | 'secret' | 'event';

/**
 * The lists of codes a detail's value can come from, by the key it is logged under: the OAuth error the
 * token server answered with (RFC 6749 §5.2), how a client sent its credentials, the setting that changed.
 * The catalogue has words for each code (`detail.code.<family>.<code>`); a code it does not know shows as
 * itself. Adding a key whose value is a code: add it here and its words to both catalogues.
 */
export type CodeFamily = 'error' | 'method' | 'setting' | 'area' | 'action' | 'how' | 'what' | 'purpose';
const CODE_KEYS: Record<string, CodeFamily> = {
  error: 'error',
  method: 'method',
  setting: 'setting',
  area: 'area',
  action: 'action',
  how: 'how',
  what: 'what',
  purpose: 'purpose',
};
/** A code, not a sentence: the ranges service logs a download's error as a message under the same `error` key. */
const isCode = (v: unknown): v is string => typeof v === 'string' && /^[a-z][A-Za-z0-9_.]*$/.test(v);

export type DetailValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; n: number }
  | { kind: 'yesNo'; value: boolean }
  | { kind: 'time'; ms: number }
  | { kind: 'never' }
  | { kind: 'none' }
  | { kind: 'eventType'; type: EventType }
  /** A code from a fixed list (CODE_KEYS), shown in words. */
  | { kind: 'code'; family: CodeFamily; code: string }
  /** The name of a field that changed (`changed: ['name', 'expiresAt']`), shown by its label. */
  | { kind: 'fieldName'; key: string }
  | { kind: 'userKind'; userKind: UserKind }
  | { kind: 'list'; items: DetailValue[] }
  | { kind: 'change'; from: DetailValue; to: DetailValue }
  /** Something named by its id; `name` when the event itself carries it (the name at that time). */
  | { kind: 'ref'; entity: RefEntity; id: number; name: string | null }
  | { kind: 'fields'; fields: DetailField[] };

export interface DetailField {
  /** The detail's key: the catalogue's label key (`detail.<key>`), or the label itself when unknown. */
  key: string;
  value: DetailValue;
}

/** Epoch milliseconds. */
const TIME_KEYS = new Set(['expiresAt', 'graceUntil', 'since', 'until', 'at']);
/** A missing expiry means it never expires, not that it is unknown. */
const NEVER_WHEN_NULL = new Set(['expiresAt']);
/** Epoch seconds (JWT claims, RFC 7519 NumericDate). */
const SECONDS_KEYS = new Set(['exp', 'iat', 'nbf']);
const REF_KEYS: Record<string, RefEntity> = {
  groupId: 'group',
  groupIds: 'group',
  mailboxId: 'mailbox',
  mailboxIds: 'mailbox',
  secretId: 'secret',
  oldSecretId: 'secret',
  newSecretId: 'secret',
  firstId: 'event',
  lastId: 'event',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isEventType = (v: unknown): v is EventType => typeof v === 'string' && (EVENT_TYPES as readonly string[]).includes(v);

/** One value, read by its key (times, references) or else by its shape. */
export function detailValue(key: string, value: unknown, name: string | null = null): DetailValue {
  if (value === null || value === undefined) return NEVER_WHEN_NULL.has(key) ? { kind: 'never' } : { kind: 'none' };
  const entity = REF_KEYS[key];
  if (entity !== undefined) {
    if (isId(value)) return { kind: 'ref', entity, id: value, name };
    if (Array.isArray(value) && value.every(isId)) return { kind: 'list', items: value.map((id) => ({ kind: 'ref', entity, id, name: null })) };
  }
  const family = CODE_KEYS[key];
  if (family !== undefined && isCode(value)) return { kind: 'code', family, code: value };
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (TIME_KEYS.has(key)) return { kind: 'time', ms: value };
    if (SECONDS_KEYS.has(key)) return { kind: 'time', ms: value * 1000 };
    // Ids read as written (no thousands separator); amounts as counts.
    return /id$/i.test(key) ? { kind: 'text', text: String(value) } : { kind: 'number', n: value };
  }
  if (typeof value === 'boolean') return { kind: 'yesNo', value };
  if (key === 'type' && isEventType(value)) return { kind: 'eventType', type: value };
  if (key === 'kind' && (USER_KINDS as readonly unknown[]).includes(value)) return { kind: 'userKind', userKind: value as UserKind };
  if (key === 'changed' && Array.isArray(value) && value.every(isCode)) return { kind: 'list', items: value.map((name) => ({ kind: 'fieldName', key: name })) };
  if (Array.isArray(value)) return { kind: 'list', items: value.map((item) => detailValue('', item)) };
  if (isRecord(value)) return { kind: 'fields', fields: eventDetailFields(value) };
  return { kind: 'text', text: String(value) };
}

/**
 * The fields of one event's details, in the order the service wrote them, with the pairs that mean one
 * thing read as one: `from`/`to` and `before`/`after` as changes, a mailbox's `previous` address with
 * its new one, an id with the name the event carries beside it.
 */
export function eventDetailFields(details: Record<string, unknown>): DetailField[] {
  const taken = new Set<string>();
  const fields: DetailField[] = [];
  const has = (key: string) => Object.hasOwn(details, key);
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);

  // Names the event carries for its ids: shown with the reference, not again on their own.
  const groupName = text('group') ?? (has('groupId') ? text('name') : null);
  if (groupName !== null && has('groupId')) taken.add(has('group') ? 'group' : 'name');
  const secretLabel = has('secretId') ? text('label') : null;
  if (secretLabel !== null) taken.add('label');
  // The address is what a person knows a mailbox by; its id adds nothing beside it.
  if (has('mailboxId') && text('address') !== null) taken.add('mailboxId');

  for (const [key, value] of Object.entries(details)) {
    if (taken.has(key)) continue;
    if ((key === 'from' || key === 'to') && has('from') && has('to')) {
      if (key === 'from') fields.push({ key: 'change', value: change('', details.from, details.to) });
      continue;
    }
    if ((key === 'before' || key === 'after') && isRecord(details.before) && isRecord(details.after)) {
      if (key === 'before') fields.push({ key: 'change', value: changes(details.before, details.after) });
      continue;
    }
    // The list of changed names says again what the before/after change shows.
    if (key === 'changed' && isRecord(details.before) && isRecord(details.after)) continue;
    if (key === 'address' && has('previous') && details.previous !== value) {
      fields.push({ key, value: change(key, details.previous, value) });
      continue;
    }
    if (key === 'previous' && has('address')) continue;
    const name = key === 'groupId' ? groupName : key === 'secretId' ? secretLabel : null;
    fields.push({ key, value: detailValue(key, value, name) });
  }
  return fields;
}

const change = (key: string, from: unknown, to: unknown): DetailValue => ({ kind: 'change', from: detailValue(key, from), to: detailValue(key, to) });

/** Before and after of several settings: one change per setting, under the setting's name. */
function changes(before: Record<string, unknown>, after: Record<string, unknown>): DetailValue {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return { kind: 'fields', fields: keys.map((key) => ({ key, value: change(key, before[key], after[key]) })) };
}

/** The references a list of fields holds, per kind, for the view to look names up once. */
export function referencedIds(fields: DetailField[], entity: RefEntity): number[] {
  const ids = new Set<number>();
  const visit = (value: DetailValue) => {
    if (value.kind === 'ref' && value.entity === entity && value.name === null) ids.add(value.id);
    else if (value.kind === 'list') value.items.forEach(visit);
    else if (value.kind === 'change') [value.from, value.to].forEach(visit);
    else if (value.kind === 'fields') value.fields.forEach((f) => visit(f.value));
  };
  fields.forEach((f) => visit(f.value));
  return [...ids];
}
