import { Badge, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface ScopesPreviewProps {
  scopes: string[];
  filters: { resource: string; names: string[] }[];
  mailboxes?: string[];
  loading?: boolean;
  title?: string;
  empty?: string;
}

/** The scopes (and record filters, and mailboxes) a token for this API user would carry. */
export function ScopesPreview({ scopes, filters, mailboxes, loading, title, empty }: ScopesPreviewProps) {
  const { t } = useTranslation('users');
  return (
    <Paper withBorder p="sm" radius="sm" bg="var(--mantine-color-default-hover)" aria-live="polite" data-testid="scopes-preview">
      <Stack gap={6}>
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {title ?? t('scopes.title')}
          </Text>
          {loading && <Loader size="xs" />}
        </Group>
        {scopes.length === 0 ? (
          <Text size="sm" c="dimmed">
            {empty ?? t('scopes.empty')}
          </Text>
        ) : (
          <Group gap={4}>
            {scopes.map((s) => (
              <Badge key={s} variant="light" tt="none" ff="monospace">
                {s}
              </Badge>
            ))}
          </Group>
        )}
        {filters.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('scopes.recordFilters', { filters: filters.map((f) => `${f.resource} (${f.names.join(', ')})`).join('; ') })}
          </Text>
        )}
        {mailboxes && mailboxes.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('scopes.maySendAs', { addresses: mailboxes.join(', ') })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
