import { DEFAULT_IDLE_LOCK_MINUTES } from '../../shared/domain.js';
import type { Session } from '../../shared/dto.js';
import { systemClock, type Clock } from '../services/context.js';

/** However active, a login lasts at most this long; then the person logs in again. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

/** Where the logged-in person of one window (IPC) or one browser session (HTTP bridge) is kept. */
export interface SessionSlot {
  get(): Session | null;
  /** Replaces the session (a refresh, a logout); a change of person or permissions renews it. */
  set(session: Session | null): void;
  /**
   * A login: always a new session (new id on the bridge, the absolute limit counted from now). `stamp` is
   * the person's credential stamp at login (AuthService.credentialStamp): when their password changes
   * elsewhere, the stamp no longer matches and the session ends (personActor).
   */
  login(session: Session, stamp?: string | null): void;
  /** The credential stamp of the logged-in person, kept in main only; null before a login. */
  readonly stamp: string | null;
  /** A new stamp for the same session: after the person changed their own password in it, it goes on. */
  restamp(stamp: string | null): void;
  /** The idle period after which the server ends the session: the app's idle lock, as the page chose it. */
  setIdleMinutes(minutes: number): void;
}

/**
 * A session with its own clock. Before, expiry lived only in the page's idle timer, so a replayed bridge
 * cookie worked forever: now the server ends a session `idle` after its last call and
 * SESSION_ABSOLUTE_MS after its login, whatever the page does.
 *
 * `generation` counts changes of who is logged in and what they may do (login, logout, expiry, changed
 * permissions). The HTTP bridge issues a new cookie whenever it moves (web-bridge/sessions.ts), so an id
 * obtained before a login never becomes the logged-in session (session fixation).
 */
export class TimedSessionSlot implements SessionSlot {
  private current: Session | null = null;
  private startedAt = 0;
  private lastSeenAt = 0;
  private idleMs = DEFAULT_IDLE_LOCK_MINUTES * 60_000;
  private changes = 0;
  private currentStamp: string | null = null;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly absoluteMs = SESSION_ABSOLUTE_MS,
  ) {}

  /** The session, if it has not expired; reading it counts as activity. */
  get(): Session | null {
    const now = this.clock.now();
    if (this.current && this.expiredAt(now)) {
      this.current = null;
      this.currentStamp = null;
      this.changes++;
    }
    if (this.current) this.lastSeenAt = now;
    return this.current;
  }

  set(session: Session | null): void {
    const now = this.clock.now();
    const before = this.current;
    if (!sameAuthority(before, session)) this.changes++;
    // A login (or another person) starts the absolute limit again; a refresh of the same person does not.
    if (session && (!before || before.userId !== session.userId)) this.startedAt = now;
    // A stamp belongs to the person it was taken for: a logout, or anyone else, drops it.
    if (!session || (before && before.userId !== session.userId)) this.currentStamp = null;
    this.current = session;
    this.lastSeenAt = now;
  }

  login(session: Session, stamp: string | null = null): void {
    this.changes++;
    this.current = session;
    this.currentStamp = stamp;
    this.startedAt = this.lastSeenAt = this.clock.now();
  }

  get stamp(): string | null {
    return this.currentStamp;
  }

  restamp(stamp: string | null): void {
    this.currentStamp = stamp;
  }

  setIdleMinutes(minutes: number): void {
    this.idleMs = minutes * 60_000;
  }

  get generation(): number {
    return this.changes;
  }

  /** Whether a live session is held, without counting as activity (for the bridge's bookkeeping). */
  get live(): boolean {
    return this.current !== null && !this.expiredAt(this.clock.now());
  }

  private expiredAt(now: number): boolean {
    return now - this.lastSeenAt >= this.idleMs || now - this.startedAt >= this.absoluteMs;
  }
}

/** Same person with the same permissions: nothing a session id should be renewed for. */
function sameAuthority(a: Session | null, b: Session | null): boolean {
  if (a === null || b === null) return a === b;
  return a.userId === b.userId && [...a.permissions].sort().join() === [...b.permissions].sort().join();
}
