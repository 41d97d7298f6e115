import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { loadOnce } from '../lib/load-once.js';

export interface LazyPage<P extends object> {
  Component: LazyExoticComponent<ComponentType<P>>;
  /** Starts loading the page's code now (idempotent), so a later visit does not wait for it. */
  preload: () => Promise<unknown>;
}

const preloads = new Set<() => Promise<unknown>>();

/**
 * A page whose code is a chunk of its own, loaded when first shown (Layout's Suspense shows a loader
 * meanwhile) or earlier through preloadPages. The first screen then parses only the code it draws: the
 * home page, the shell and the login, not every form and table of the app.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  const preload = loadOnce(load);
  preloads.add(preload);
  return { Component: lazy(async () => ({ default: await preload() })), preload };
}

/** Loads every lazy page's code; Layout calls it once the first screen is drawn and the browser is idle. */
export function preloadPages(): void {
  // A failed preload is forgotten (loadOnce), so the visit loads again; if that fails too, the page says so
  // (PageErrorBoundary in Layout) and offers a reload.
  for (const preload of preloads) void preload().catch(() => undefined);
}
