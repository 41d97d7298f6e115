import type { ReactNode } from 'react';
import { Stack, Text, ThemeIcon } from '@mantine/core';
import './empty-state.css';

/**
 * What an empty list says: what would be here, and what to do next, with the button or link that does it
 * (issue 13: "No groups yet" told a newcomer nothing). Used as mantine-datatable's `emptyState`, whose box
 * ignores the pointer (it lies over the table): this one takes it back so its action can be clicked. The table
 * keeps that box in the page, transparent, when it has rows; it is `[data-active]` only when shown, and
 * empty-state.css hides this content otherwise.
 */
export function EmptyState({ icon, title, children, action }: { icon: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Stack align="center" gap={6} p="md" maw={460} ta="center" className="keyrack-empty-state">
      <ThemeIcon variant="light" color="gray" size={44} radius="xl" aria-hidden>
        {icon}
      </ThemeIcon>
      <Text fw={600} c="var(--mantine-color-text)">
        {title}
      </Text>
      {children ? (
        <Text size="sm" c="dimmed">
          {children}
        </Text>
      ) : null}
      {action}
    </Stack>
  );
}
