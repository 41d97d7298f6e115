import { MONTH_NAMES, readMessage, templateReader } from '../../shared/messages.js';
import { ApiError } from '../api/call.js';
import { en } from '../i18n/en/index.js';
import { currentLanguage, i18n } from '../i18n/i18n.js';
import { formatTime } from './format.js';

/**
 * Errors from the core in the person's language. The core speaks English (the CLI shows its words as they
 * are) and tags each error with a code (shared/errors.ts); the renderer finds the words:
 * - a message about one value, from the shared schemas, by its stable key (shared/messages.ts);
 * - a message of the core's services it knows (the `core` catalogue, whose English texts are the services'
 *   own: test/renderer/core-messages.test.ts provokes each one and checks it still reads the same);
 * - anything else by its code: a plain sentence for each (`common:errors.code`).
 * In English the core's own text shows, as it always has.
 */

/** A translated text whose key and values are only known at run time (the typed `t` wants literal keys). */
const translate = i18n.t as unknown as (key: string, values?: Record<string, unknown>) => string;

const readCoreMessage = templateReader(en.core, { seconds: '\\d+', count: '\\d+' });

/** The `core` catalogue key of a message of the core's services, or null for one the renderer does not know. */
export const coreMessageKey = (text: string): string | null => readCoreMessage(text)?.key ?? null;

/** The person's language for a message about one value: the form's own check of a shared schema, or main's. */
export function fieldMessage(text: string): string {
  if (currentLanguage() === 'en') return text;
  const read = readMessage(text);
  if (!read) return coreText(text);
  const values: Record<string, unknown> = { ...read.values };
  if (read.values.label !== undefined) values.label = translate(`messages:labels.${read.values.label}`);
  if (read.values.monthName !== undefined) values.monthName = monthName(read.values.monthName);
  return translate(`messages:${read.key}`, values);
}

/** A message of the core's services it knows, translated; null for one it does not. */
function coreMessage(text: string): string | null {
  const read = readCoreMessage(text);
  return read ? translate(`core:${read.key}`, read.values) : null;
}

/** A text the core wrote (a message, a description): in the person's language when it is one the renderer knows. */
export function coreText(text: string): string {
  if (currentLanguage() === 'en') return text;
  return coreMessage(text) ?? text;
}

/** `February` → `Februar`: the month's name in the app's language. */
function monthName(english: string): string {
  const index = (MONTH_NAMES as readonly string[]).indexOf(english);
  return new Intl.DateTimeFormat(currentLanguage(), { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, index, 1));
}

/** Plain words for any error: the core's own message translated, or a sentence for its code. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('common:errors.unexpected');
  if (currentLanguage() === 'en') return error.message;
  // A refused value: what is wrong with the first one (the message starts "field: " in the core's English).
  const [firstField] = Object.values(error.fields);
  if (error.code === 'validation' && firstField !== undefined) return fieldMessage(firstField);
  const known = coreMessage(error.message);
  if (known) return known;
  if (error.code === 'rate_limited' && error.retryAt !== null) return i18n.t('common:errors.retryAt', { time: formatTime(error.retryAt) });
  return i18n.t(`common:errors.code.${error.code}`);
}
