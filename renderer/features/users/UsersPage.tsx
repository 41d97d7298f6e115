import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconRobot, IconSearch, IconUser } from '@tabler/icons-react';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import type { InputOf } from '../../../shared/contract.js';
import type { UserSummary } from '../../../shared/dto.js';
import type { USER_SORTS } from '../../../shared/schemas.js';
import { Link, navigate } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { ExpiryBadge, StatusBadge } from '../../components/badges.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useGroups } from '../groups/groups.queries.js';
import { usePolicy, useSetPolicy, useUsersList } from './users.queries.js';

type Sort = (typeof USER_SORTS)[number];

/**
 * The office's rule "API users must have an allowlist" (off by default). main enforces it on create and on
 * every allowlist change, whoever asks; this switch only changes it (users.manage) and says what it means.
 */
function AllowlistPolicySwitch({ canManage }: { canManage: boolean }) {
  const policy = usePolicy();
  const setPolicy = useSetPolicy();
  if (!policy.data) return null;
  return (
    <Switch
      label="API users must have an allowlist"
      description="On: an API user cannot be created, or its allowlist emptied, without at least one address, range or provider. Existing ones keep theirs until changed."
      checked={policy.data.requireAllowlist}
      disabled={!canManage || setPolicy.isPending}
      onChange={(e) =>
        setPolicy.mutate(
          { requireAllowlist: e.currentTarget.checked },
          {
            onSuccess: (p) => notifySuccess(p.requireAllowlist ? 'Every new or changed API user needs an allowlist now.' : 'An allowlist is optional again.', 'Policy saved'),
            onError: (error) => notifyError(error),
          },
        )
      }
      data-testid="policy-require-allowlist"
    />
  );
}
const PAGE_SIZES = [10, 25, 50, 100];

/** People and API users in one table; search, filters, sort and paging all happen in main. */
export function UsersPage() {
  const canManage = useCan('users.manage');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [sortStatus, setSortStatus] = useState<DataTableSortStatus<UserSummary>>({ columnAccessor: 'name', direction: 'asc' });
  const groups = useGroups();

  const query: InputOf<'users.list'> = {
    ...(debouncedSearch ? { search: debouncedSearch } : {}),
    ...(kind ? { kind: kind as 'person' | 'api' } : {}),
    ...(status ? { status: status as 'active' | 'disabled' | 'expired' } : {}),
    ...(groupId ? { groupId: Number(groupId) } : {}),
    sort: sortStatus.columnAccessor as Sort,
    order: sortStatus.direction,
    page,
    pageSize,
  };
  const list = useUsersList(query);
  const resetPage = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="People who administer Keyrack, and the API users your integrations sign in as."
        actions={
          canManage && (
            <>
              <Button variant="default" leftSection={<IconUser size={16} />} onClick={() => navigate('/users/new-person')}>
                New person
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/users/new-api')}>
                New API user
              </Button>
            </>
          )
        }
      />
      <Stack gap="sm">
        <AllowlistPolicySwitch canManage={canManage} />
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Name, email, description or client id"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => resetPage(setSearch)(e.currentTarget.value)}
            w={320}
          />
          <Select
            label="Kind"
            placeholder="All kinds"
            clearable
            data={[
              { value: 'api', label: 'API users' },
              { value: 'person', label: 'People' },
            ]}
            value={kind}
            onChange={resetPage(setKind)}
            w={150}
          />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={[
              { value: 'active', label: 'Active' },
              { value: 'disabled', label: 'Disabled' },
              { value: 'expired', label: 'Expired' },
            ]}
            value={status}
            onChange={resetPage(setStatus)}
            w={150}
          />
          <Select
            label="Group"
            placeholder="Any group"
            clearable
            searchable
            data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
            value={groupId}
            onChange={resetPage(setGroupId)}
            w={200}
          />
        </Group>
        {list.isError && (
          <Text c="red" role="alert">
            {errorMessage(list.error)}
          </Text>
        )}
        <DataTable<UserSummary>
          withTableBorder
          borderRadius="sm"
          striped
          highlightOnHover
          minHeight={list.data?.rows.length ? undefined : 180}
          records={list.data?.rows ?? []}
          totalRecords={list.data?.total ?? 0}
          fetching={list.isFetching}
          page={page}
          onPageChange={setPage}
          recordsPerPage={pageSize}
          recordsPerPageOptions={PAGE_SIZES}
          onRecordsPerPageChange={resetPage(setPageSize)}
          sortStatus={sortStatus}
          onSortStatusChange={resetPage(setSortStatus)}
          noRecordsText={debouncedSearch || kind || status || groupId ? 'No user matches these filters' : 'No users yet'}
          idAccessor="id"
          columns={[
            {
              accessor: 'name',
              title: 'Name',
              sortable: true,
              render: (u) => (
                <Stack gap={0}>
                  <Group gap={6} wrap="nowrap">
                    {u.kind === 'api' ? <IconRobot size={16} aria-label="API user" /> : <IconUser size={16} aria-label="Person" />}
                    <Link to={`/users/${u.id}`} fw={500}>
                      {u.name}
                    </Link>
                  </Group>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {u.clientId ?? u.email ?? ''}
                  </Text>
                </Stack>
              ),
            },
            { accessor: 'status', title: 'Status', render: (u) => <StatusBadge status={u.status} expired={u.expired} /> },
            {
              accessor: 'groups',
              title: 'Groups',
              render: (u) => (
                <Group gap={4}>
                  {u.groups.map((g) => (
                    <Badge key={g.id} variant="outline" color="gray" tt="none">
                      {g.name}
                    </Badge>
                  ))}
                </Group>
              ),
            },
            {
              accessor: 'lastUsedAt',
              title: 'Last used',
              sortable: true,
              render: (u) =>
                u.kind !== 'api' ? (
                  ''
                ) : u.lastUsedAt ? (
                  <Stack gap={0}>
                    <Text size="sm">{formatTime(u.lastUsedAt)}</Text>
                    <Text size="xs" c="dimmed">
                      from {u.lastUsedIp ?? 'unknown address'}
                    </Text>
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    Never
                  </Text>
                ),
            },
            {
              accessor: 'nextSecretExpiry',
              title: 'Next secret expiry',
              render: (u) => (u.kind === 'api' ? <ExpiryBadge expiresAt={u.nextSecretExpiry} /> : ''),
            },
            { accessor: 'expiresAt', title: 'Account expires', sortable: true, render: (u) => <ExpiryBadge expiresAt={u.expiresAt} /> },
            { accessor: 'createdAt', title: 'Created', sortable: true, render: (u) => formatTime(u.createdAt) },
          ]}
          onRowClick={({ record, event }) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(`/users/${record.id}`);
          }}
        />
      </Stack>
    </>
  );
}
