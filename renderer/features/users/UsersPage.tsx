import { useRef, useState } from 'react';
import { Badge, Button, Center, Group, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconKey, IconPlus, IconRobot, IconSearch, IconUser } from '@tabler/icons-react';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useSortIconLabels } from '../../lib/use-sort-icon-labels.js';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../shared/contract.js';
import type { UserSummary } from '../../../shared/dto.js';
import type { USER_SORTS } from '../../../shared/schemas.js';
import { Link, navigate } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { ExpiryBadge, StatusBadge } from '../../components/badges.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useGroups } from '../groups/groups.queries.js';
import { BulkActions } from './BulkActions.js';
import { LastUse } from './tabs/credential-columns.js';
import { usePolicy, useSetPolicy, useUsersList } from './users.queries.js';

type Sort = (typeof USER_SORTS)[number];

/**
 * The office's rule "API users must have an allowlist" (off by default). main enforces it on create and on
 * every allowlist change, whoever asks; this switch only changes it (users.manage) and says what it means.
 */
function AllowlistPolicySwitch({ canManage }: { canManage: boolean }) {
  const policy = usePolicy();
  const setPolicy = useSetPolicy();
  const { t } = useTranslation(['users', 'common']);
  if (!policy.data) return null;
  return (
    <Switch
      label={t('policy.label')}
      description={t('policy.description')}
      checked={policy.data.requireAllowlist}
      disabled={!canManage || setPolicy.isPending}
      onChange={(e) =>
        setPolicy.mutate(
          { requireAllowlist: e.currentTarget.checked },
          {
            onSuccess: (p) => notifySuccess(p.requireAllowlist ? t('policy.nowRequired') : t('policy.nowOptional'), t('policy.saved')),
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
  const { t } = useTranslation(['users', 'common', 'activations']);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [sortStatus, setSortStatus] = useState<DataTableSortStatus<UserSummary>>({ columnAccessor: 'name', direction: 'asc' });
  const tableRoot = useRef<HTMLDivElement>(null);
  useSortIconLabels(tableRoot);
  const groups = useGroups();
  // Kept across pages and filters: a run acts on exactly the rows the admin ticked.
  const [selected, setSelected] = useState<UserSummary[]>([]);
  // Whether any API user exists at all, for the first-run hint (one row is enough to know).
  const apiUsers = useUsersList({ kind: 'api', pageSize: 1 });

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
  const filtered = Boolean(debouncedSearch || kind || status || groupId);
  const clearFilters = () => {
    setSearch('');
    setKind(null);
    setStatus(null);
    setGroupId(null);
    setPage(1);
  };
  const resetPage = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          <>
            <Button variant="default" leftSection={<IconKey size={16} />} onClick={() => navigate('/users/activations')}>
              {t('activations:toActivations')}
            </Button>
            {canManage && (
              <>
                <Button variant="default" leftSection={<IconUser size={16} />} onClick={() => navigate('/users/new-person')}>
                  {t('list.newPerson')}
                </Button>
                <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/users/new-api')}>
                  {t('list.newApiUser')}
                </Button>
              </>
            )}
          </>
        }
      />
      <Stack gap="sm">
        <AllowlistPolicySwitch canManage={canManage} />
        <Group gap="sm" align="flex-end">
          <TextInput
            label={t('list.search')}
            placeholder={t('list.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => resetPage(setSearch)(e.currentTarget.value)}
            w={320}
          />
          <Select
            label={t('list.kind')}
            placeholder={t('list.allKinds')}
            clearable
            data={[
              { value: 'api', label: t('list.apiUsers') },
              { value: 'person', label: t('list.people') },
            ]}
            value={kind}
            onChange={resetPage(setKind)}
            w={150}
          />
          <Select
            label={t('list.status')}
            placeholder={t('list.anyStatus')}
            clearable
            data={[
              { value: 'active', label: t('common:status.active') },
              { value: 'disabled', label: t('common:status.disabled') },
              { value: 'expired', label: t('common:status.expired') },
            ]}
            value={status}
            onChange={resetPage(setStatus)}
            w={150}
          />
          <Select
            label={t('list.group')}
            placeholder={t('list.anyGroup')}
            clearable
            searchable
            data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
            value={groupId}
            onChange={resetPage(setGroupId)}
            w={200}
          />
        </Group>
        {canManage && apiUsers.data?.total === 0 && !filtered ? (
          <Paper withBorder py="md" data-testid="no-api-users">
            <Center>
              <EmptyState
                icon={<IconRobot size={24} stroke={1.4} />}
                title={t('list.noApiUsersTitle')}
                action={
                  <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => navigate('/users/new-api')}>
                    {t('list.createFirstApiUser')}
                  </Button>
                }
              >
                {t('list.noApiUsersHint')}
              </EmptyState>
            </Center>
          </Paper>
        ) : null}
        {canManage ? <BulkActions selected={selected} onFinished={() => setSelected([])} onClear={() => setSelected([])} /> : null}
        {list.isError && (
          <Text c="red" role="alert">
            {errorMessage(list.error)}
          </Text>
        )}
        <div ref={tableRoot}>
          <DataTable<UserSummary>
            withTableBorder
            borderRadius="sm"
            striped
            highlightOnHover
            minHeight={list.data?.rows.length ? undefined : 240}
            // A scrollbar whenever the columns are wider than the window (1024×768): hidden until hovered,
            // the last columns read as cut off rather than as there to scroll to.
            scrollAreaProps={{ type: 'auto' }}
            records={list.data?.rows ?? []}
            totalRecords={list.data?.total ?? 0}
            fetching={list.isFetching}
            page={page}
            onPageChange={setPage}
            recordsPerPage={pageSize}
            recordsPerPageOptions={PAGE_SIZES}
            recordsPerPageLabel={t('common:table.recordsPerPage')}
            getPaginationControlProps={(control) =>
              control === 'previous' || control === 'next' ? { 'aria-label': t(`common:table.${control}Page`) } : {}
            }
            onRecordsPerPageChange={resetPage(setPageSize)}
            sortStatus={sortStatus}
            onSortStatusChange={resetPage(setSortStatus)}
            emptyState={
              filtered ? (
                <EmptyState
                  icon={<IconFilterOff size={24} stroke={1.4} />}
                  title={t('list.noMatch')}
                  action={
                    <Button size="xs" variant="default" onClick={clearFilters}>
                      {t('list.clearFilters')}
                    </Button>
                  }
                >
                  {t('list.noMatchHint')}
                </EmptyState>
              ) : (
                <EmptyState icon={<IconUser size={24} stroke={1.4} />} title={t('list.empty')} />
              )
            }
            idAccessor="id"
            {...(canManage
              ? {
                  selectedRecords: selected,
                  onSelectedRecordsChange: setSelected,
                  allRecordsSelectionCheckboxProps: { 'aria-label': t('list.selectPage') },
                  getRecordSelectionCheckboxProps: (u: UserSummary) => ({ 'aria-label': t('list.selectRow', { name: u.name }) }),
                }
              : {})}
            columns={[
              {
                accessor: 'name',
                title: t('list.column.name'),
                sortable: true,
                render: (u) => (
                  <Stack gap={0}>
                    <Group gap={6} wrap="nowrap">
                      {u.kind === 'api' ? <IconRobot size={16} aria-label={t('kind.api')} /> : <IconUser size={16} aria-label={t('kind.person')} />}
                      <Link to={`/users/${u.id}`} fw={500}>
                        {u.name}
                      </Link>
                    </Group>
                    {/* Whole, never ending in "…": a long client id or address widens the column (the table scrolls sideways). */}
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {u.clientId ?? u.email ?? ''}
                    </Text>
                  </Stack>
                ),
              },
              { accessor: 'status', title: t('list.column.status'), render: (u) => <StatusBadge status={u.status} expired={u.expired} /> },
              {
                accessor: 'groups',
                title: t('list.column.groups'),
                render: (u) => (
                  <Group gap={4}>
                    {u.groups.map((g) => (
                      // max-content: a squeezed column wraps its badges onto more lines rather than cutting "Administrators".
                      <Badge key={g.id} variant="outline" color="gray" tt="none" miw="max-content">
                        {g.name}
                      </Badge>
                    ))}
                  </Group>
                ),
              },
              {
                accessor: 'lastUsedAt',
                title: t('list.column.lastUsed'),
                sortable: true,
                render: (u) => (u.kind !== 'api' ? '' : <LastUse at={u.lastUsedAt} ip={u.lastUsedIp} t={t} />),
              },
              {
                accessor: 'nextSecretExpiry',
                title: t('list.column.nextSecretExpiry'),
                render: (u) => (u.kind === 'api' ? <ExpiryBadge expiresAt={u.nextSecretExpiry} /> : ''),
              },
              {
                accessor: 'expiresAt',
                title: t('list.column.accountExpires'),
                sortable: true,
                render: (u) => <ExpiryBadge expiresAt={u.expiresAt} />,
              },
              {
                accessor: 'createdAt',
                title: t('list.column.created'),
                sortable: true,
                render: (u) => formatTime(u.createdAt),
              },
            ]}
            onRowClick={({ record, event }) => {
              if ((event.target as HTMLElement).closest('a')) return;
              navigate(`/users/${record.id}`);
            }}
          />
        </div>
      </Stack>
    </>
  );
}
