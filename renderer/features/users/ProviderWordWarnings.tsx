import { useState } from 'react';
import { Stack, ThemeIcon, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { RangeProblemAlert } from '../server/RangeProblemAlert.js';
import { useRangeProblems } from '../server/range-problems.js';

/**
 * Under an allowlist field: each chosen provider word whose ranges are missing, unreadable or stale, with
 * the download or import that fixes it (issue 13: such a word matched nothing, and only grey text in the
 * dropdown hinted at it). Nothing shows while every word's snapshot is current.
 */
export function ProviderWordWarnings({ entries }: { entries: readonly string[] }) {
  // The snapshots' age is judged against the time the field was opened; a re-render need not move it.
  const [now] = useState(Date.now);
  const problems = useRangeProblems(entries, now);
  if (problems.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="allowlist-range-problems">
      {problems.map((problem) => (
        <RangeProblemAlert key={problem.provider} problem={problem} now={now} />
      ))}
    </Stack>
  );
}

/** On the Network tab's label: the saved allowlist names a provider word that needs its ranges fixed. */
export function ProviderWordsMark({ entries }: { entries: readonly string[] }) {
  const { t } = useTranslation('users');
  const [now] = useState(Date.now);
  const problems = useRangeProblems(entries, now);
  if (problems.length === 0) return null;
  const words = problems.map((p) => p.provider).join(', ');
  const label = t('networkTab.rangeProblems', { count: problems.length, words });
  return (
    <Tooltip label={label}>
      <ThemeIcon size="xs" radius="xl" variant="light" color={problems.some((p) => p.freshness !== 'stale') ? 'red' : 'yellow'} aria-label={label} data-testid="network-tab-range-problems">
        <IconAlertTriangle size={12} />
      </ThemeIcon>
    </Tooltip>
  );
}
