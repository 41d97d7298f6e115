import { Paper, Progress, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TopApiUser } from '../../../shared/log.dto.js';
import { Link } from '../../app/router.js';
import { topUserHref, userHref } from './overview-model.js';
import { formatCount } from '../../lib/format.js';


/** The busiest API users over the chart's period; names open the user, numbers the matching log. */
export function TopApiUsers({ users, since, periodLabel }: { users: TopApiUser[]; since: number; periodLabel: string }) {
  const { t } = useTranslation('overview');
  const busiest = Math.max(1, ...users.map((u) => u.issued + u.denied));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={t('top.title')} h="100%">
      <Title order={2} size="h4" mb={2}>
        {t('top.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('top.subtitle', { period: periodLabel })}
      </Text>
      {users.length === 0 ? (
        <Text size="sm" c="dimmed" py="md">
          {t('top.none')}
        </Text>
      ) : (
        // Narrow spacing: in this third of the page the German headers ("Ausgestellt", "Abgelehnt") need the room.
        <Table verticalSpacing={6} horizontalSpacing={6} data-testid="top-api-users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('chart.apiUser')}</Table.Th>
              <Table.Th ta="right">{t('chart.issued')}</Table.Th>
              <Table.Th ta="right">{t('chart.refused')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((u) => (
              <Table.Tr key={u.userId}>
                <Table.Td style={{ maxWidth: 180 }}>
                  <Link to={userHref(u.userId)} size="sm" truncate display="block">
                    {u.name}
                  </Link>
                  <Progress.Root size={4} mt={4} aria-hidden>
                    <Progress.Section value={(u.issued / busiest) * 100} color="teal" />
                    <Progress.Section value={(u.denied / busiest) * 100} color="red" />
                  </Progress.Root>
                </Table.Td>
                <Table.Td ta="right">
                  <Link to={topUserHref(u, 'issued', since)} size="sm">
                    {formatCount(u.issued)}
                  </Link>
                </Table.Td>
                <Table.Td ta="right">
                  {u.denied > 0 ? (
                    <Link to={topUserHref(u, 'denied', since)} size="sm" c="red">
                      {formatCount(u.denied)}
                    </Link>
                  ) : (
                    <Text size="sm" c="dimmed">
                      0
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
