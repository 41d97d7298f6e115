import { randomBytes } from 'node:crypto';
import { memorySessionSlot, type SessionSlot } from '../ipc/handlers.js';

/** The cookie that names a browser's session on the bridge. HttpOnly: page script never reads it. */
export const SESSION_COOKIE = 'keyrack_session';

/**
 * One SessionSlot per browser session, like one per window in the desktop app. Ids are 256-bit random;
 * the oldest session is dropped when there are too many, so a loop of cookie-less requests cannot grow memory.
 */
export class BridgeSessions {
  private readonly slots = new Map<string, SessionSlot>();

  constructor(private readonly max = 200) {}

  /** The slot for a cookie value, or a new session (and its id) when the cookie is absent or unknown. */
  resolve(cookieId: string | null): { id: string; slot: SessionSlot; created: boolean } {
    const existing = cookieId ? this.slots.get(cookieId) : undefined;
    if (cookieId && existing) {
      // Re-insert so Map order is least-recently-used first.
      this.slots.delete(cookieId);
      this.slots.set(cookieId, existing);
      return { id: cookieId, slot: existing, created: false };
    }
    const id = randomBytes(32).toString('base64url');
    const slot = memorySessionSlot();
    this.slots.set(id, slot);
    while (this.slots.size > this.max) {
      const oldest = this.slots.keys().next().value as string;
      this.slots.delete(oldest);
    }
    return { id, slot, created: true };
  }

  get size(): number {
    return this.slots.size;
  }
}

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
