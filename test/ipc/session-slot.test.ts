import { describe, expect, test } from 'vitest';
import { SESSION_ABSOLUTE_MS, TimedSessionSlot } from '../../electron/ipc/session-slot.js';
import { testClock } from '../support/core.js';

const MINUTE = 60_000;
const alice = { userId: 1, name: 'alice', permissions: ['users.manage' as const] };

describe('TimedSessionSlot: sessions end on the server, not only in the page', () => {
  test('after the idle period without a call (15 minutes until the page says otherwise)', () => {
    const clock = testClock();
    const slot = new TimedSessionSlot(clock);
    slot.login(alice);
    clock.advance(14 * MINUTE);
    expect(slot.get()).toEqual(alice); // a call: the idle period starts again
    clock.advance(14 * MINUTE);
    expect(slot.get()).toEqual(alice);
    clock.advance(15 * MINUTE);
    expect(slot.get()).toBeNull();
    expect(slot.live).toBe(false);
  });

  test('the idle period is the one the page chose', () => {
    const clock = testClock();
    const slot = new TimedSessionSlot(clock);
    slot.login(alice);
    slot.setIdleMinutes(1);
    clock.advance(MINUTE);
    expect(slot.get()).toBeNull();

    slot.login(alice);
    slot.setIdleMinutes(60);
    clock.advance(59 * MINUTE);
    expect(slot.get()).toEqual(alice);
  });

  test('at the absolute limit however active, counted from the login, not from a refresh', () => {
    const clock = testClock();
    const slot = new TimedSessionSlot(clock);
    slot.login(alice);
    for (let t = 10 * MINUTE; t < SESSION_ABSOLUTE_MS; t += 10 * MINUTE) {
      clock.advance(10 * MINUTE);
      expect(slot.get(), `after ${t / MINUTE} minutes`).toEqual(alice);
      slot.set({ ...alice }); // what every call's refresh does
    }
    clock.advance(10 * MINUTE);
    expect(slot.get()).toBeNull();
    slot.login(alice); // logging in again starts a new one
    expect(slot.get()).toEqual(alice);
  });

  test('the generation moves on login, logout, expiry and a change of permissions, not on a refresh', () => {
    const clock = testClock();
    const slot = new TimedSessionSlot(clock);
    const seen = () => slot.generation;
    const g0 = seen();
    slot.login(alice);
    const g1 = seen();
    expect(g1).toBeGreaterThan(g0);
    slot.set({ ...alice, permissions: ['users.manage'] });
    expect(seen()).toBe(g1);
    slot.set({ ...alice, permissions: ['users.manage', 'log.view'] });
    const g2 = seen();
    expect(g2).toBeGreaterThan(g1);
    clock.advance(16 * MINUTE);
    slot.get();
    expect(seen()).toBeGreaterThan(g2);
  });
});
