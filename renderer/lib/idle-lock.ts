import { useEffect } from 'react';

/** Idle lock preference: per machine (like a screen lock), so it lives in the renderer's local storage. */
const STORAGE_KEY = 'keyrack.idleLockMinutes';
export const IDLE_LOCK_CHOICES = [1, 5, 15, 30, 60] as const;
export const DEFAULT_IDLE_LOCK_MINUTES = 15;

export function readIdleLockMinutes(): number {
  const stored = Number(window.localStorage.getItem(STORAGE_KEY));
  return (IDLE_LOCK_CHOICES as readonly number[]).includes(stored) ? stored : DEFAULT_IDLE_LOCK_MINUTES;
}

export function writeIdleLockMinutes(minutes: number): void {
  window.localStorage.setItem(STORAGE_KEY, String(minutes));
}

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Calls `onIdle` once after `minutes` without keyboard or pointer activity in this window. */
export function useIdleTimer(minutes: number, onIdle: () => void): void {
  useEffect(() => {
    let timer = window.setTimeout(onIdle, minutes * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onIdle, minutes * 60_000);
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, reset);
    };
  }, [minutes, onIdle]);
}
