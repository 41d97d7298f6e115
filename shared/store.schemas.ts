import { z } from 'zod';
import { message as m } from './messages.js';
import { CONTROL_CHARACTER } from './text.js';

/**
 * The Store card's input (issue 10): the data folder's SQLite file, or a PostgreSQL database by URL. The
 * form checks the shape here; main reads the URL itself (electron/db/postgres.ts parseStoreUrl: a password in
 * it, no database, …) and connects before anything is written, and says what is wrong on the `url` field.
 */

/** Far beyond any real `postgres://user@host:port/database`; bounds what main parses. */
export const STORE_URL_MAX = 1024;

const storeUrl = z
  .string({ error: m('mustBeText', { label: 'Store URL' }) })
  .trim()
  .max(STORE_URL_MAX, m('tooLong', { label: 'Store URL', max: STORE_URL_MAX }))
  .refine((v) => !CONTROL_CHARACTER.test(v), m('controlCharacters', { label: 'Store URL' }))
  .pipe(z.string().min(1, m('required', { label: 'Store URL' })));

export const chooseStoreInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sqlite') }),
  z.strictObject({ kind: z.literal('postgres'), url: storeUrl }),
]);
