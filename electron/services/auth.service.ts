import { createHash } from 'node:crypto';
import type { ParsedInputOf } from '../../shared/contract.js';
import type { Session } from '../../shared/dto.js';
import { accountState } from '../../shared/liveness.js';
import { ConflictError, ForbiddenError, RateLimitedError, UnauthenticatedError, ValidationError } from '../../shared/errors.js';
import { appPermissionsOfUser, findAdministratorsGroupId, insertMembership } from '../repos/groups.repo.js';
import { clearThrottle, findThrottle, saveThrottle } from '../repos/login-throttle.repo.js';
import { countPersons, findUserById, findUserByName, insertUser, updateUser, type UserRecord } from '../repos/users.repo.js';
import type { Queryable } from '../db/store.js';
import { appendEvent, recordEvent } from './audit.js';
import { livePerson } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** Failures before back-off starts, the first delay, and its cap. */
export const LOGIN_BACKOFF = {
  freeFailures: 3,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  /** A name's failures are forgotten after this long without one. */
  resetAfterMs: 60 * 60_000,
} as const;

const WRONG_CREDENTIALS = 'Wrong name or password';

const stampOf = (user: UserRecord): string => createHash('sha256').update(user.passwordHash ?? '').digest('base64url');

/** First-run setup, login with back-off, logout, password change. */
export class AuthService {
  constructor(private readonly deps: ServiceDeps) {}

  async setupNeeded(): Promise<boolean> {
    return (await countPersons(this.deps.store)) === 0;
  }

  /** Creates the first administrator. Only possible while no person exists. */
  async setup(data: ParsedInputOf<'auth.setup'>): Promise<Session> {
    if (!(await this.setupNeeded())) throw new ConflictError('Keyrack is already set up; log in instead');
    const passwordHash = await this.deps.passwords.hash(data.password);
    const now = this.deps.clock.now();
    const id = await this.deps.store.transaction(async (tx) => {
      if ((await countPersons(tx)) > 0) throw new ConflictError('Keyrack is already set up; log in instead');
      const id = await insertUser(tx, {
        kind: 'person',
        name: data.name,
        email: null,
        description: 'First administrator',
        status: 'active',
        expiresAt: null,
        passwordHash,
        tokenLifetimeSeconds: null,
        createdAt: now,
        createdBy: data.name,
      });
      await insertMembership(tx, await findAdministratorsGroupId(tx), id);
      await recordEvent(tx, this.deps, { kind: 'person', userId: id, name: data.name }, {
        type: 'setup.completed',
        target: { id, name: data.name },
      });
      return id;
    });
    return this.sessionOf((await findUserById(this.deps.store, id))!);
  }

  /**
   * Checks a person's password. Unknown names cost the same argon2 work as known ones; repeated
   * failures for a name make it wait longer and longer (kept in the store, so a restart does not reset it).
   */
  async login({ name, password }: ParsedInputOf<'auth.login'>, sourceIp: string | null = null): Promise<Session> {
    const now = this.deps.clock.now();
    const throttle = await findThrottle(this.deps.store, name);
    if (throttle && throttle.blockedUntil > now) {
      await this.logLogin(this.deps.store, name, undefined, 'rate_limited', sourceIp);
      const seconds = Math.ceil((throttle.blockedUntil - now) / 1000);
      throw new RateLimitedError(`Too many failed logins for ${name}; try again in ${seconds} s`, throttle.blockedUntil);
    }

    const user = await findUserByName(this.deps.store, name);
    // An API user's name gets the same answer, after the same argon2 work, as a name that does not exist:
    // a different message (or a faster one) would let anyone at the login form list API user names.
    // The log keeps the real reason.
    if (!user || user.kind === 'api') {
      await this.deps.passwords.dummyVerify(password);
      await this.fail(name, user, user ? 'api_user' : 'unknown_user', sourceIp);
      throw new UnauthenticatedError(WRONG_CREDENTIALS);
    }
    if (!(await this.deps.passwords.verify(user.passwordHash!, password))) {
      await this.fail(name, user, 'wrong_password', sourceIp);
      throw new UnauthenticatedError(WRONG_CREDENTIALS);
    }
    const state = accountState(user, now);
    if (state !== 'live') {
      await this.fail(name, user, state, sourceIp);
      throw new ForbiddenError(`The account ${user.name} is ${state}`);
    }

    const rehash = this.deps.passwords.needsRehash(user.passwordHash!)
      ? await this.deps.passwords.hash(password)
      : undefined;
    await this.deps.store.transaction(async (tx) => {
      await clearThrottle(tx, name);
      if (rehash) await updateUser(tx, user.id, { passwordHash: rehash }, now);
      await this.logLogin(tx, name, user, null, sourceIp, rehash ? { rehashed: true } : undefined);
    });
    return this.sessionOf(user);
  }

  async logout(actor: Actor): Promise<null> {
    if (actor.kind === 'person') {
      await recordEvent(this.deps.store, this.deps, actor, { type: 'auth.logout', target: { id: actor.userId, name: actor.name } });
    }
    return null;
  }

  async changePassword(actor: Actor, data: ParsedInputOf<'auth.changePassword'>): Promise<null> {
    if (actor.kind !== 'person') throw new ForbiddenError('Only a logged-in person can change their password');
    const user = await findUserById(this.deps.store, actor.userId);
    if (!user || user.kind !== 'person') throw new UnauthenticatedError();
    if (!(await this.deps.passwords.verify(user.passwordHash!, data.currentPassword))) {
      await recordEvent(this.deps.store, this.deps, actor, {
        type: 'auth.password_changed',
        target: { id: user.id, name: user.name },
        outcome: 'failure',
        reason: 'wrong_password',
      });
      throw new ValidationError({ currentPassword: 'The current password is wrong' });
    }
    if (data.newPassword === data.currentPassword) {
      throw new ValidationError({ newPassword: 'The new password must differ from the current one' });
    }
    const passwordHash = await this.deps.passwords.hash(data.newPassword);
    await this.deps.store.transaction(async (tx) => {
      await updateUser(tx, user.id, { passwordHash }, this.deps.clock.now());
      await recordEvent(tx, this.deps, actor, { type: 'auth.password_changed', target: { id: user.id, name: user.name } });
    });
    return null;
  }

  /**
   * The session of a person who is still allowed in, or null (disabled, expired, deleted since, or, when
   * the session carries the stamp taken at its login, the password changed since: a reset by an
   * administrator or the CLI ends the person's other sessions at their next call, in any process).
   */
  async refresh(userId: number, stamp: string | null = null): Promise<Session | null> {
    const user = await livePerson(this.deps.store, userId, this.deps.clock.now());
    if (!user) return null;
    if (stamp !== null && stamp !== stampOf(user)) return null;
    return this.sessionOf(user);
  }

  /**
   * What a session remembers of the password it was opened with: a digest of the stored argon2 hash (so a
   * new password, whoever set it, changes it), kept in the main process only, never sent to the page.
   */
  async credentialStamp(userId: number): Promise<string | null> {
    const user = await findUserById(this.deps.store, userId);
    return user ? stampOf(user) : null;
  }

  private async sessionOf(user: UserRecord): Promise<Session> {
    return { userId: user.id, name: user.name, permissions: await appPermissionsOfUser(this.deps.store, user.id) };
  }

  private async fail(name: string, user: UserRecord | undefined, reason: string, sourceIp: string | null): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      const previous = await findThrottle(tx, name);
      const failures =
        previous && now - previous.lastFailureAt < LOGIN_BACKOFF.resetAfterMs ? previous.failures + 1 : 1;
      const over = failures - LOGIN_BACKOFF.freeFailures;
      const delay = over < 0 ? 0 : Math.min(LOGIN_BACKOFF.firstDelayMs * 2 ** over, LOGIN_BACKOFF.maxDelayMs);
      await saveThrottle(tx, name, { failures, lastFailureAt: now, blockedUntil: now + delay });
      await this.logLogin(tx, name, user, reason, sourceIp, { failures });
    });
  }

  /** A login attempt is made by nobody yet: the actor is the name that was typed. */
  private async logLogin(
    tx: Queryable,
    name: string,
    user: UserRecord | undefined,
    reason: string | null,
    sourceIp: string | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await appendEvent(tx, this.deps, {
      at: this.deps.clock.now(),
      actorKind: 'person',
      actorId: user?.id ?? null,
      actorName: name,
      type: 'auth.login',
      targetUserId: user?.id ?? null,
      targetName: user?.name ?? null,
      outcome: reason === null ? 'success' : 'failure',
      reason,
      sourceIp,
      details: details ?? null,
    });
  }
}
