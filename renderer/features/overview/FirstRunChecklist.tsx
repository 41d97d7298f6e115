import { Badge, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FirstRunSteps } from '../../../shared/log.dto.js';
import { Link } from '../../app/router.js';

interface Step {
  /** The step in the store's answer, and its words in the overview catalogue's `firstRun.step`. */
  key: keyof FirstRunSteps;
  to: string;
}

/** The order a newcomer takes: each step needs the one before it (a group grants rights from the catalogue…). */
const STEPS: Step[] = [
  { key: 'describeApis', to: '/rights' },
  { key: 'makeGroup', to: '/groups/new' },
  { key: 'apiUser', to: '/users/new-api' },
  { key: 'credentialFile', to: '/users' },
  { key: 'lanAccess', to: '/server' },
];

/**
 * The first-run checklist on the Overview (issue 13: a fresh Keyrack showed only green ticks and gave no
 * direction). Each step ticks itself off from the store (overview service, firstRunSteps); the whole card
 * goes once every step is done, so it never becomes furniture on an office's home screen.
 */
export function FirstRunChecklist({ steps }: { steps: FirstRunSteps }) {
  const { t } = useTranslation('overview');
  const done = STEPS.filter((s) => steps[s.key]).length;
  if (done === STEPS.length) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="first-run-title" data-testid="first-run">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="first-run-title">
            {t('firstRun.title')}
          </Title>
          <Badge variant="light" color={done === 0 ? 'gray' : 'indigo'}>
            {t('firstRun.progress', { done, total: STEPS.length })}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t('firstRun.intro')}
        </Text>
        <List spacing="sm" listStyleType="none" aria-label={t('firstRun.steps')}>
          {STEPS.map((step) => {
            const isDone = steps[step.key];
            const title = t(`firstRun.step.${step.key}.title`);
            return (
              <List.Item
                key={step.key}
                data-done={isDone}
                aria-label={isDone ? t('firstRun.done', { step: title }) : t('firstRun.toDo', { step: title })}
                icon={
                  <ThemeIcon color={isDone ? 'teal' : 'gray'} variant="light" size={24} radius="xl">
                    {isDone ? <IconCircleCheck size={16} aria-hidden /> : <IconCircleDashed size={16} aria-hidden />}
                  </ThemeIcon>
                }
              >
                <Text size="sm" fw={600} td={isDone ? 'line-through' : undefined} c={isDone ? 'dimmed' : undefined}>
                  {title}
                </Text>
                {!isDone && (
                  <Text size="sm">
                    {t(`firstRun.step.${step.key}.why`)} <Link to={step.to}>{t(`firstRun.step.${step.key}.action`)}</Link>
                  </Text>
                )}
              </List.Item>
            );
          })}
        </List>
      </Stack>
    </Paper>
  );
}
