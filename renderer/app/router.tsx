import { useSyncExternalStore, type ComponentPropsWithoutRef, type MouseEvent, type ReactNode } from 'react';
import { Anchor, type AnchorProps } from '@mantine/core';
import { leaveGuard } from './leave-guard.js';

/**
 * A tiny hash router (no dependency): `#/users/12`. Hash URLs work the same from file:// in Electron and
 * from the HTTP bridge, and never make a request, so the CSP and the bridge need no route list.
 */

export type RouteParams = Record<string, string>;

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** `#/users/12` → `/users/12`; anything else is the home, `/`. */
const pathOfHash = (hash: string): string => {
  const path = hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/';
};

export const currentPath = (): string => pathOfHash(window.location.hash);

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/**
 * Opens `path`; while a form holds unsaved changes, asks first (leave-guard.ts, LeaveQuestion).
 * `discardChanges`: the edits no longer matter (the record was just deleted), so nothing is asked.
 */
export function navigate(path: string, { discardChanges = false }: { discardChanges?: boolean } = {}): void {
  if (path === currentPath()) return;
  if (discardChanges) leaveGuard.allowOnce(path);
  if (!leaveGuard.mayLeaveFor(path)) return;
  leaveGuard.allowOnce(path); // the hash change below is this agreed move, not a link to check again
  window.location.hash = path;
}

/** "Leave without saving": makes the move the question held back. */
export function leaveWithoutSaving(): void {
  const path = leaveGuard.leave();
  if (path !== null) window.location.hash = path;
}

/**
 * Connects the leave guard to every way of leaving a page besides navigate(). Called once, before the app
 * first renders (main.tsx), so its hash listener runs before usePath's and a refused move is undone before
 * any page reads it.
 *
 * - A click on an in-app link (`<a href="#/…">`: the navbar, a button rendered as a link) is held before
 *   the browser follows it, so a refused move leaves no history entry behind.
 * - Back, forward or an address typed while a form is changed: the hash has already moved, so the form's
 *   address is put back in place (replaceState fires no hashchange) and the question shows.
 * - Closing or reloading the window: the browser's own question (beforeunload; the desktop app asks in
 *   main: electron/window.ts). Nothing is asked when nothing is changed.
 */
export function guardLeavingUnsavedChanges(): void {
  document.addEventListener(
    'click',
    (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest('a[href^="#/"]') : null;
      const to = anchor ? pathOfHash(anchor.getAttribute('href') ?? '') : null;
      if (to === null || to === currentPath() || leaveGuard.mayLeaveFor(to)) return;
      event.preventDefault();
    },
    // Capture: before the link's own handler (Link calls navigate, which would ask a second time).
    true,
  );
  window.addEventListener('hashchange', (event) => {
    if (leaveGuard.mayLeaveFor(pathOfHash(new URL(event.newURL).hash))) return;
    window.history.replaceState(window.history.state, '', event.oldURL);
  });
  window.addEventListener('beforeunload', (event) => {
    if (!leaveGuard.hasUnsavedChanges()) return;
    event.preventDefault();
    // Chromium before 119 (and so older Electron) asks only when returnValue is set.
    event.returnValue = '';
  });
}

/** `/users/:id` against `/users/12` → `{ id: '12' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('?')[0]!.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

export interface LinkProps extends AnchorProps, Omit<ComponentPropsWithoutRef<'a'>, keyof AnchorProps | 'href' | 'children'> {
  to: string;
  children?: ReactNode;
}

/** An in-app link: a real href (so it works with the keyboard and middle-click) that changes the hash. */
export function Link({ to, children, onClick: onClickProp, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClickProp?.(event);
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <Anchor href={`#${to}`} onClick={onClick} {...rest}>
      {children}
    </Anchor>
  );
}
