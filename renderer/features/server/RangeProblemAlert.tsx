import type { ReactNode } from 'react';
import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconClockExclamation } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { problemConsequence, problemTitle, type RangeProblem } from './range-problems.js';
import { RangesFix } from './RangesFix.js';

/**
 * One provider word's problem, said plainly, with the fix beside it. A word that matches nothing is red;
 * a stale list (it still matches, just not the newest addresses) is yellow. `children` names who is affected.
 */
export function RangeProblemAlert({ problem, now, children }: { problem: RangeProblem; now: number; children?: ReactNode }) {
  // The texts come from range-problems.ts (plain functions over i18n): subscribing here re-renders them when
  // the language is switched.
  useTranslation('server');
  const stale = problem.freshness === 'stale';
  return (
    <Alert
      color={stale ? 'yellow' : 'red'}
      icon={stale ? <IconClockExclamation size={18} /> : <IconAlertTriangle size={18} />}
      title={problemTitle(problem, now)}
      data-testid={`range-problem-${problem.provider}`}
    >
      <Stack gap="xs">
        <Text size="sm">{problemConsequence(problem)}</Text>
        {children}
        <RangesFix provider={problem.provider} />
      </Stack>
    </Alert>
  );
}
