import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Overview } from '../../../shared/log.dto.js';
import { Link } from '../../app/router.js';
import { RangeProblemAlert } from '../server/RangeProblemAlert.js';
import { firstOf, userHref } from './overview-model.js';

/** API users named per provider; the rest are a count (each user's Network tab shows the same warning). */
const MAX_USERS = 8;

/**
 * The attention panel's provider words: each word that active API users' allowlists name while its ranges
 * are missing, unreadable or stale, who names it, and the download or import that fixes it. Shown only
 * when there is something to fix: an office that uses no provider words never sees it.
 */
export function ProviderWordsWarnings({ overview }: { overview: Overview }) {
  const { t } = useTranslation('overview');
  if (overview.providerWords.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-label={t('attention.providerWords.label')} data-testid="attention-provider-words">
      {overview.providerWords.map((warning) => {
        const { shown, more } = firstOf(warning.users, MAX_USERS);
        return (
          <RangeProblemAlert key={warning.provider} problem={warning} now={overview.generatedAt}>
            <Group gap={6}>
              <Text size="sm">{t('attention.providerWords.namedBy', { count: warning.users.length })}</Text>
              {shown.map((user) => (
                <Link key={user.userId} to={userHref(user.userId, 'network')} size="sm" fw={500}>
                  {user.name}
                </Link>
              ))}
              {more > 0 ? (
                <Text size="sm" c="dimmed">
                  {t('attention.andMore', { count: more })}
                </Text>
              ) : null}
            </Group>
          </RangeProblemAlert>
        );
      })}
    </Stack>
  );
}
