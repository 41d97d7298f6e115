import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { Link, navigate } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { errorMessage } from '../../lib/notify.js';
import { useGroups } from './groups.queries.js';

/** Every group, as main sorts them (by name). Groups are few, so main sends the whole list. */
export function GroupsPage() {
  const groups = useGroups();
  const canManage = useCan('groups.manage');
  return (
    <>
      <PageHeader
        title="Groups"
        description="Groups give people app permissions and API users API rights. A user holds what all their groups give."
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/groups/new')}>
              New group
            </Button>
          ) : null
        }
      />
      {canManage && groups.data && groups.data.every((g) => g.builtin) ? (
        // Only the built-in Administrators group: nothing yet gives an API user a right.
        <Alert color="indigo" variant="light" mb="md" title="Only the built-in group so far" data-testid="groups-hint">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              API users get their rights only through groups. Make one per kind of integration (say “CRM sync”), grant it rights on your APIs,
              then put API users in it. The rights come from the <Link to="/rights">rights catalogue</Link>: describe your APIs there first.
            </Text>
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => navigate('/groups/new')}>
              Make the first group
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
          emptyState={<EmptyState icon={<IconUsersGroup size={24} stroke={1.4} />} title="No groups you can see" />}
          onRowClick={({ record }) => navigate(`/groups/${record.id}`)}
          columns={[
            {
              accessor: 'name',
              title: 'Name',
              render: (g) => (
                <Group gap={6} wrap="nowrap">
                  <Link to={`/groups/${g.id}`} fw={500} onClick={(e) => e.stopPropagation()}>
                    {g.name}
                  </Link>
                  {g.builtin ? (
                    <Badge size="xs" variant="light" color="gray">
                      built in
                    </Badge>
                  ) : null}
                </Group>
              ),
            },
            {
              accessor: 'description',
              title: 'Description',
              render: (g) => (
                <Text size="sm" c={g.description ? undefined : 'dimmed'} lineClamp={2}>
                  {g.description || '—'}
                </Text>
              ),
            },
            { accessor: 'memberCount', title: 'Members', textAlign: 'right', width: 110 },
          ]}
        />
      )}
    </>
  );
}
