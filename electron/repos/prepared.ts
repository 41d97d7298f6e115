import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per connection and SQL text, for the queries the token server runs on every
 * request (preparing costs more than running them). The connection's statements go with it.
 */
export function prepared<P extends unknown[], R = unknown>(db: Db, sql: string): Statement<P, R> {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let statement = byText.get(sql);
  if (!statement) byText.set(sql, (statement = db.prepare(sql)));
  return statement as unknown as Statement<P, R>;
}
