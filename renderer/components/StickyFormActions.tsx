import { useEffect, useRef, type ReactNode } from 'react';
import { Group } from '@mantine/core';

/**
 * A long form's buttons, kept in view at the bottom of the window while the form scrolls (issue 13: on the
 * New API user form "Create" was below the fold at 1440×900). Sticky, not fixed: the bar keeps its own place
 * after the last field, so scrolled to the end it covers nothing. While it is shown, the page's scroll
 * padding is its height, so a field reached with Tab or an error scrolled to stops above the bar, not under it.
 */
export function StickyFormActions({ children }: { children: ReactNode }) {
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const root = document.documentElement;
    const pad = () => (root.style.scrollPaddingBottom = `${element.offsetHeight}px`);
    pad();
    const observer = new ResizeObserver(pad);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.scrollPaddingBottom = '';
    };
  }, []);
  return (
    <Group
      ref={bar}
      justify="flex-end"
      gap="sm"
      py="sm"
      mt="md"
      data-testid="form-actions"
      style={{
        position: 'sticky',
        bottom: 0,
        zIndex: 2,
        background: 'var(--mantine-color-body)',
        borderTop: '1px solid var(--mantine-color-default-border)',
      }}
    >
      {children}
    </Group>
  );
}
