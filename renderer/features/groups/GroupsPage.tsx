import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { Trans, useTranslation } from 'react-i18next';
import { Link, navigate } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { builtInDescription } from '../../lib/builtin-text.js';
import { errorMessage } from '../../lib/notify.js';
import { useGroups } from './groups.queries.js';

/** Every group, as main sorts them (by name). Groups are few, so main sends the whole list. */
export function GroupsPage() {
  const groups = useGroups();
  const canManage = useCan('groups.manage');
  const { t } = useTranslation('groups');
  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/groups/new')}>
              {t('list.new')}
            </Button>
          ) : null
        }
      />
      {canManage && groups.data && groups.data.every((g) => g.builtin) ? (
        // Only the built-in Administrators group: nothing yet gives an API user a right.
        <Alert color="indigo" variant="light" mb="md" title={t('list.hintTitle')} data-testid="groups-hint">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              <Trans t={t} i18nKey="list.hint" components={{ rights: <Link to="/rights" /> }} />
            </Text>
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => navigate('/groups/new')}>
              {t('list.makeFirst')}
            </Button>
          </Stack>
        </Alert>
      ) : null}
      {groups.isError ? (
        <Text c="red" role="alert">
          {errorMessage(groups.error)}
        </Text>
      ) : (
        <DataTable
          withTableBorder
          borderRadius="sm"
          highlightOnHover
          minHeight={groups.data?.length ? undefined : 200}
          fetching={groups.isLoading}
          records={groups.data ?? []}
          emptyState={<EmptyState icon={<IconUsersGroup size={24} stroke={1.4} />} title={t('list.empty')} />}
          onRowClick={({ record }) => navigate(`/groups/${record.id}`)}
          columns={[
            {
              accessor: 'name',
              title: t('list.column.name'),
              render: (g) => (
                <Group gap={6} wrap="nowrap">
                  <Link to={`/groups/${g.id}`} fw={500} onClick={(e) => e.stopPropagation()}>
                    {g.name}
                  </Link>
                  {g.builtin ? (
                    <Badge size="xs" variant="light" color="gray">
                      {t('builtIn')}
                    </Badge>
                  ) : null}
                </Group>
              ),
            },
            {
              accessor: 'description',
              title: t('list.column.description'),
              render: (g) => (
                <Text size="sm" c={g.description ? undefined : 'dimmed'} lineClamp={2}>
                  {builtInDescription(g) || '—'}
                </Text>
              ),
            },
            { accessor: 'memberCount', title: t('list.column.members'), textAlign: 'right', width: 110 },
          ]}
        />
      )}
    </>
  );
}
