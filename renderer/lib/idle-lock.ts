import { useEffect } from 'react';
import { DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_CHOICES, type IdleLockMinutes } from '../../shared/domain.js';

export { IDLE_LOCK_CHOICES };

/**
 * Idle lock preference: per machine (like a screen lock), so it lives in the renderer's local storage; the
 * page tells the server (`auth.setIdleLock`), which ends the session after the same idle period.
 */
const STORAGE_KEY = 'keyrack.idleLockMinutes';

export function readIdleLockMinutes(): IdleLockMinutes {
  const stored = Number(window.localStorage.getItem(STORAGE_KEY));
  return IDLE_LOCK_CHOICES.find((m) => m === stored) ?? DEFAULT_IDLE_LOCK_MINUTES;
}

export function writeIdleLockMinutes(minutes: number): void {
  window.localStorage.setItem(STORAGE_KEY, String(minutes));
}

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once after `minutes` without keyboard or pointer activity in this window, and `onActive`
 * at most every half idle period (a minute at most) while there is activity: the server counts idleness
 * from the last call it sees, so a person reading a page without clicking anything is not logged out there.
 */
export function useIdleTimer(minutes: number, onIdle: () => void, onActive: () => void): void {
  useEffect(() => {
    const every = Math.min(60_000, (minutes * 60_000) / 2);
    let lastActive = Date.now();
    let timer = window.setTimeout(onIdle, minutes * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onIdle, minutes * 60_000);
      if (Date.now() - lastActive >= every) {
        lastActive = Date.now();
        onActive();
      }
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, reset);
    };
  }, [minutes, onIdle, onActive]);
}
