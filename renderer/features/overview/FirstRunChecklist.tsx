import { Badge, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import type { FirstRunSteps } from '../../../shared/log.dto.js';
import { Link } from '../../app/router.js';

interface Step {
  key: keyof FirstRunSteps;
  title: string;
  why: string;
  to: string;
  action: string;
}

/** The order a newcomer takes: each step needs the one before it (a group grants rights from the catalogue…). */
const STEPS: Step[] = [
  {
    key: 'describeApis',
    title: 'Describe your APIs',
    why: 'Add each LAN API as a resource, with the actions it offers (read, write, send…).',
    to: '/rights',
    action: 'Open the rights catalogue',
  },
  {
    key: 'makeGroup',
    title: 'Make a group',
    why: 'A group grants rights on those resources; API users get their rights only through groups.',
    to: '/groups/new',
    action: 'New group',
  },
  {
    key: 'apiUser',
    title: 'Create the first API user',
    why: 'One per integration, in the group it needs. Its secret is shown once.',
    to: '/users/new-api',
    action: 'New API user',
  },
  {
    key: 'credentialFile',
    title: 'Hand over its credential file',
    why: 'Export the client id, secret and token endpoint as a file for the integrator (Credentials tab of the API user).',
    to: '/users',
    action: 'Open users',
  },
  {
    key: 'lanAccess',
    title: 'Turn on LAN access',
    why: 'The token server listens only on this machine until you let the office network reach it.',
    to: '/server',
    action: 'Open the token server',
  },
];

/**
 * The first-run checklist on the Overview (issue 13: a fresh Keyrack showed only green ticks and gave no
 * direction). Each step ticks itself off from the store (overview service, firstRunSteps); the whole card
 * goes once every step is done, so it never becomes furniture on an office's home screen.
 */
export function FirstRunChecklist({ steps }: { steps: FirstRunSteps }) {
  const done = STEPS.filter((s) => steps[s.key]).length;
  if (done === STEPS.length) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="first-run-title" data-testid="first-run">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="first-run-title">
            Setting up Keyrack
          </Title>
          <Badge variant="light" color={done === 0 ? 'gray' : 'indigo'}>
            {done} of {STEPS.length} done
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Five steps from a fresh Keyrack to an integration getting tokens. Each ticks itself off when it is done, here or from the command line.
        </Text>
        <List spacing="sm" listStyleType="none" aria-label="Setup steps">
          {STEPS.map((step) => {
            const isDone = steps[step.key];
            return (
              <List.Item
                key={step.key}
                data-done={isDone}
                aria-label={`${step.title}: ${isDone ? 'done' : 'to do'}`}
                icon={
                  <ThemeIcon color={isDone ? 'teal' : 'gray'} variant="light" size={24} radius="xl">
                    {isDone ? <IconCircleCheck size={16} aria-hidden /> : <IconCircleDashed size={16} aria-hidden />}
                  </ThemeIcon>
                }
              >
                <Text size="sm" fw={600} td={isDone ? 'line-through' : undefined} c={isDone ? 'dimmed' : undefined}>
                  {step.title}
                </Text>
                {!isDone && (
                  <Text size="sm">
                    {step.why} <Link to={step.to}>{step.action}</Link>
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
