import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Queryable } from '../db/store.js';
import { findUserById, type UserRecord } from '../repos/users.repo.js';

/**
 * The API user a credential call names: refused when there is none (404) or it is a person (a form error on
 * `userId`, saying what persons do not have: "client secrets", "client keys", "credential files").
 */
export async function requireApiUser(q: Queryable, userId: number, theyHave: string): Promise<UserRecord> {
  const user = await findUserById(q, userId);
  if (!user) throw new NotFoundError(`User ${userId}`);
  if (user.kind !== 'api') throw new ValidationError({ userId: `${user.name} is a person; only API users have ${theyHave}` });
  return user;
}
