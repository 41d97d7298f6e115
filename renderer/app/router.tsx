import { useSyncExternalStore, type ComponentPropsWithoutRef, type MouseEvent, type ReactNode } from 'react';
import { Anchor, type AnchorProps } from '@mantine/core';

/**
 * A tiny hash router (no dependency): `#/users/12`. Hash URLs work the same from file:// in Electron and
 * from the HTTP bridge, and never make a request, so the CSP and the bridge need no route list.
 */

export type RouteParams = Record<string, string>;

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export const currentPath = (): string => {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
};

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string): void {
  window.location.hash = path;
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
