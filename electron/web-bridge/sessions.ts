import { randomBytes } from 'node:crypto';
import { TimedSessionSlot } from '../ipc/session-slot.js';
import { systemClock, type Clock } from '../services/context.js';

/** The cookie that names a browser's session on the bridge. HttpOnly: page script never reads it. */
export const SESSION_COOKIE = 'keyrack_session';

/** One call's session: the slot the handlers use, and what `finish` needs to decide the cookie. */
export interface BridgeCall {
  readonly slot: TimedSessionSlot;
  /** The cookie the browser sent, if it named a live session. */
  readonly cookieId: string | null;
  /** Whether the browser sent a session cookie at all (a stale one is cleared). */
  readonly sentCookie: boolean;
  readonly entry: Entry | null;
}

interface Entry {
  id: string;
  slot: TimedSessionSlot;
  /** The slot's generation when `id` was issued; a change since means a new id. */
  issuedAt: number;
}

/**
 * The bridge's logged-in browser sessions, one SessionSlot each (like one per window in the desktop app).
 *
 * - Only logged-in sessions are stored. A call without a (live) cookie runs on a fresh slot that is kept,
 *   under a new id, only if the call logged someone in: anonymous requests cost no memory and can never
 *   push an administrator's session out (before, 201 cookie-less requests evicted everyone).
 * - A session id is issued at login and again whenever who is logged in or what they may do changes
 *   (logout, expiry, changed permissions): an id obtained before login never becomes the logged-in
 *   session (session fixation, OWASP ASVS V3.2.1).
 * - Sessions end on the server after their idle period and at an absolute limit (TimedSessionSlot).
 * - At most `max` sessions; past that the least recently used logged-in one goes (only a login with a real
 *   password makes one).
 */
export class BridgeSessions {
  private readonly byId = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly max = 200,
  ) {}

  /** The session for a request's cookie, or a fresh anonymous one. Ids are 256-bit random. */
  begin(cookieId: string | null): BridgeCall {
    const entry = cookieId ? this.byId.get(cookieId) : undefined;
    if (cookieId && entry && entry.id === cookieId && entry.slot.live) {
      // Re-insert so Map order is least-recently-used first.
      this.byId.delete(cookieId);
      this.byId.set(cookieId, entry);
      return { slot: entry.slot, cookieId, sentCookie: true, entry };
    }
    if (cookieId && entry) this.byId.delete(cookieId); // expired: gone for good
    const slot = new TimedSessionSlot(this.clock);
    return { slot, cookieId: null, sentCookie: cookieId !== null, entry: null };
  }

  /** After the call: the Set-Cookie header to send, if any (a new id, or clearing a dead one). */
  finish(call: BridgeCall): string | null {
    const { slot } = call;
    if (!slot.live) {
      if (call.entry) this.byId.delete(call.entry.id);
      return call.sentCookie ? CLEAR_COOKIE : null;
    }
    let entry = call.entry;
    if (!entry) {
      entry = { id: newId(), slot, issuedAt: slot.generation };
      this.store(entry);
    } else if (entry.issuedAt !== slot.generation) {
      this.byId.delete(entry.id);
      entry.id = newId();
      entry.issuedAt = slot.generation;
      this.store(entry);
    }
    // Also when another call of this browser renewed the id meanwhile: this answer carries the new one too.
    return entry.id === call.cookieId ? null : sessionCookie(entry.id);
  }

  get size(): number {
    return this.byId.size;
  }

  private store(entry: Entry): void {
    for (const [id, e] of this.byId) if (!e.slot.live) this.byId.delete(id);
    this.byId.set(entry.id, entry);
    while (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value as string);
  }
}

const newId = () => randomBytes(32).toString('base64url');

/** The session id from a Cookie header, or null. Only the first cookie of that name counts. */
export function sessionIdFromCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const id = value.join('=');
      return /^[A-Za-z0-9_-]{43}$/.test(id) ? id : null;
    }
  }
  return null;
}

/** Set-Cookie for a session: no Expires (ends with the browser), Strict so no other site's request carries it. */
export const sessionCookie = (id: string): string => `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`;

/** Set-Cookie that makes the browser forget a session that ended. */
const CLEAR_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
