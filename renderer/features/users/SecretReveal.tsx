import type { ReactNode } from 'react';
import { ActionIcon, Alert, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** One value with a copy button; the value is selectable text so it can be copied by hand too. */
export function CopyField({ label, copyLabel, value, testId }: { label: string; copyLabel: string; value: string; testId: string }) {
  const { t } = useTranslation('users');
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code block style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all', userSelect: 'all' }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('reveal.copied') : copyLabel} withArrow>
              <ActionIcon variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} size="lg" onClick={copy} aria-label={copyLabel}>
                {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/**
 * A new secret, shown exactly once: main keeps only its hash, so once this closes nobody can show it
 * again. `actions` holds what the person can do with it (export, done).
 */
export function SecretReveal({ clientId, secret, actions }: { clientId: string; secret: string; actions: ReactNode }) {
  const { t } = useTranslation('users');
  return (
    <Stack>
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('reveal.title')}>
        {t('reveal.body')}
      </Alert>
      <CopyField label={t('reveal.clientId')} copyLabel={t('reveal.copyClientId')} value={clientId} testId="reveal-client-id" />
      <CopyField label={t('reveal.clientSecret')} copyLabel={t('reveal.copySecret')} value={secret} testId="reveal-secret" />
      <Group justify="flex-end">{actions}</Group>
    </Stack>
  );
}
