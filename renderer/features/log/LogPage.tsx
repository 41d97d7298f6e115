import { useMemo } from 'react';
import { Badge, Button, CloseButton, Group, Input, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArchive, IconArrowDown, IconArrowUp, IconFileText, IconSearch } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { Trans, useTranslation } from 'react-i18next';
import type { EventType, LogOrder, Outcome } from '../../../shared/domain.js';
import { Link } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage } from '../../lib/notify.js';
import { eventTypeLabel, eventTypeOptions, reasonLabel } from './event-labels.js';
import { ExportLogButton } from './ExportLogButton.js';
import { ActorCell, OutcomeBadge } from './event-cells.js';
import { LogDetailDrawer } from './LogDetailDrawer.js';
import { EMPTY_FILTERS, hasFilters, toLogFilters, type LogFilterState } from './log-filters.js';
import { useLogEvent, useLogSearch } from './log.queries.js';
import { useLogLocation } from './use-log-location.js';
import { VerifyLogButton } from './VerifyLogButton.js';
import { ConcerningPicker, DoneByPicker } from './UserPickers.js';
import { useUser } from '../users/users.queries.js';

const NO_FILTERS = {};

/**
 * Everything that happened, newest (or oldest) first, filtered, sorted and paged in main; a row opens its details. The
 * filters and the open event live in the URL, so other pages link to a filtered log (log-url.ts).
 */
export function LogPage() {
  const [location, setLocation] = useLogLocation();
  const { t } = useTranslation('log');
  const state = location.filters;
  // Typing in the text fields asks main once the typing pauses, not on every key.
  const [debounced] = useDebouncedValue(state, 300);
  // With the language: a bad filter's message is in the words of the moment it was checked.
  const checked = useMemo(() => toLogFilters(debounced), [debounced, t]);
  const filters = checked.ok ? checked.filters : NO_FILTERS;
  const order = location.order;
  const log = useLogSearch(filters, order, checked.ok);
  const rows = useMemo(() => log.data?.pages.flatMap((p) => p.rows) ?? [], [log.data]);
  const openId = location.event;
  const inPage = openId === null ? undefined : rows.find((r) => r.id === openId);
  const linked = useLogEvent(openId, inPage === undefined);
  const errors = checked.ok ? {} : checked.errors;
  const set = <K extends keyof LogFilterState>(key: K, value: LogFilterState[K]) =>
    setLocation({ ...location, filters: { ...state, [key]: value } });
  const openEvent = (id: number | null) => setLocation({ ...location, event: id });
  const filtered = hasFilters(state);

  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        actions={
          <>
            <Button component="a" href="#/log/retention" variant="default" leftSection={<IconArchive size={16} />}>
              {t('page.retention')}
            </Button>
            <VerifyLogButton />
            <ExportLogButton filters={filters} disabled={!checked.ok} />
          </>
        }
      />
      <Paper withBorder p="md" radius="md" mb="md" component="section" aria-label={t('filter.label')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          <DatePickerInput
            type="range"
            label={t('filter.days')}
            placeholder={t('filter.anyTime')}
            clearable
            allowSingleDateInRange
            value={state.range}
            onChange={(v) => set('range', [v[0] ? String(v[0]) : null, v[1] ? String(v[1]) : null])}
            error={errors.range}
          />
          <DoneByPicker value={state.actor} onChange={(v) => set('actor', v)} error={errors.actor} />
          <ConcerningPicker value={state.targetUserId} onChange={(v) => set('targetUserId', v)} />
          <Select
            label={t('filter.event')}
            placeholder={t('filter.anyEvent')}
            searchable
            clearable
            data={eventTypeOptions()}
            value={state.type}
            onChange={(v) => set('type', (v as EventType | null) ?? null)}
            error={errors.type}
          />
          <div>
            <Input.Label id="log-outcome-label" mb={4}>
              {t('filter.outcome')}
            </Input.Label>
            <SegmentedControl
              aria-labelledby="log-outcome-label"
              fullWidth
              value={state.outcome}
              onChange={(v) => set('outcome', v as Outcome | 'all')}
              data={[
                { value: 'all', label: t('filter.all') },
                { value: 'success', label: t('outcome.success') },
                { value: 'failure', label: t('outcome.failure') },
              ]}
            />
          </div>
          <TextInput
            label={t('filter.search')}
            placeholder={t('filter.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={state.text}
            onChange={(e) => set('text', e.currentTarget.value)}
            error={errors.text}
          />
          <TextInput
            label={t('filter.sourceIp')}
            placeholder={t('filter.sourceIpPlaceholder')}
            value={state.sourceIp}
            onChange={(e) => set('sourceIp', e.currentTarget.value)}
            error={errors.sourceIp}
          />
        </SimpleGrid>
        <Group justify="space-between" mt="sm" gap="xs">
          <LinkedFilters state={state} onChange={(filters) => setLocation({ ...location, filters })} />
          <Button variant="subtle" onClick={() => setLocation({ ...location, filters: EMPTY_FILTERS, event: null })} disabled={!filtered}>
            {t('filter.clear')}
          </Button>
        </Group>
      </Paper>

      {log.isError ? (
        <Text c="red" role="alert">
          {errorMessage(log.error)}
        </Text>
      ) : (
        <Stack gap="sm">
          <DataTable
            withTableBorder
            borderRadius="sm"
            highlightOnHover
            striped
            minHeight={rows.length ? undefined : 240}
            // As on the Users page: a visible scrollbar when the columns are wider than the window.
            scrollAreaProps={{ type: 'auto' }}
            fetching={log.isLoading}
            records={rows}
            emptyState={
              filtered ? (
                <EmptyState
                  icon={<IconFileText size={24} stroke={1.4} />}
                  title={t('empty.noMatch')}
                  action={
                    <Button size="xs" variant="default" onClick={() => setLocation({ ...location, filters: EMPTY_FILTERS, event: null })}>
                      {t('filter.clear')}
                    </Button>
                  }
                >
                  {t('empty.noMatchHint')}
                </EmptyState>
              ) : (
                <EmptyState icon={<IconFileText size={24} stroke={1.4} />} title={t('empty.nothingYet')}>
                  <Trans t={t} i18nKey="empty.nothingYetHint" components={{ overview: <Link to="/overview" /> }} />
                </EmptyState>
              )
            }
            onRowClick={({ record }) => openEvent(record.id)}
            columns={[
              {
                accessor: 'at',
                // Only time sorts, in main (a log of millions of events is read in time order; the other columns filter).
                title: <TimeOrderToggle order={order} onChange={(next) => setLocation({ ...location, order: next })} />,
                width: 140,
                noWrap: true,
                render: (e) => formatTime(e.at),
              },
              {
                accessor: 'type',
                title: t('column.event'),
                // The name wraps rather than push the last columns off the table (German names run long).
                render: (e) => (
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    px={4}
                    h="auto"
                    py={2}
                    styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
                    onClick={(click) => { click.stopPropagation(); openEvent(e.id); }} aria-label={t('page.detailsOf', { id: e.id })}>
                    {eventTypeLabel(e.type)}
                  </Button>
                ),
              },
              {
                accessor: 'actorName',
                title: t('column.doneBy'),
                // The drawer shows the name whole.
                render: (e) => <ActorCell event={e} />,
              },
              {
                accessor: 'targetName',
                title: t('column.concerning'),
                render: (e) =>
                  e.targetName ? (
                    <Text size="sm" truncate="end" maw={130} title={e.targetName}>
                      {e.targetName}
                    </Text>
                  ) : (
                    <Text c="dimmed" size="sm">—</Text>
                  ),
              },
              { accessor: 'outcome', title: t('column.outcome'), render: (e) => <OutcomeBadge outcome={e.outcome} /> },
              {
                accessor: 'reason',
                title: t('column.reason'),
                // The same words as the Overview, whole (they wrap: at 1024×768 one line cut them to "Addre…"),
                // with the code (what the search matches) in the tooltip.
                render: (e) =>
                  e.reason ? (
                    <Tooltip label={`${reasonLabel(e.reason)} (${e.reason})`}>
                      <Text size="sm" miw={110}>
                        {reasonLabel(e.reason)}
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text c="dimmed" size="sm">—</Text>
                  ),
              },
              { accessor: 'sourceIp', title: t('column.sourceIp'), width: 140, render: (e) => e.sourceIp ?? <Text c="dimmed" size="sm">—</Text> },
            ]}
          />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {!log.hasNextPage
                ? t('page.shown', { count: rows.length })
                : order === 'oldest'
                  ? t('page.shownMoreNewer', { count: rows.length })
                  : t('page.shownMore', { count: rows.length })}
            </Text>
            {log.hasNextPage ? (
              <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                {order === 'oldest' ? t('page.newer') : t('page.older')}
              </Button>
            ) : null}
          </Group>
        </Stack>
      )}
      <LogDetailDrawer
        eventId={openId}
        event={inPage ?? linked.data ?? null}
        loading={inPage === undefined && linked.isPending}
        onClose={() => openEvent(null)}
      />
    </>
  );
}

/**
 * The Time heading as the log's one sort: newest first or oldest first. A button of our own rather than the
 * table's sortable column, whose screen-reader words are fixed in English; this one names, in the app's
 * language, the order shown and the order a press gives.
 */
function TimeOrderToggle({ order, onChange }: { order: LogOrder; onChange: (next: LogOrder) => void }) {
  const { t } = useTranslation('log');
  const next: LogOrder = order === 'newest' ? 'oldest' : 'newest';
  const Arrow = order === 'newest' ? IconArrowDown : IconArrowUp;
  return (
    <Tooltip label={t(next === 'oldest' ? 'order.toOldest' : 'order.toNewest')}>
      <UnstyledButton
        onClick={() => onChange(next)}
        aria-label={`${t('column.time')}, ${t(order === 'newest' ? 'order.newest' : 'order.oldest')}. ${t(next === 'oldest' ? 'order.toOldest' : 'order.toNewest')}`}
        data-testid="log-time-order"
        data-order={order}
        fw={700}
        fz="sm"
      >
        <Group gap={4} wrap="nowrap">
          {t('column.time')}
          <Arrow size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Tooltip>
  );
}

/**
 * The filters only a link sets (an exact time window, everything about one user), as removable chips: the
 * filter bar has no field for them, and the admin must still see that they narrow the list.
 */
function LinkedFilters({ state, onChange }: { state: LogFilterState; onChange: (next: LogFilterState) => void }) {
  const about = useUser(state.involving ?? 0, state.involving !== null);
  const { t } = useTranslation('log');
  const chips: { key: string; label: string; clear: Partial<LogFilterState> }[] = [];
  if (state.since !== null) chips.push({ key: 'since', label: t('chip.from', { time: formatTime(state.since) }), clear: { since: null } });
  if (state.until !== null) chips.push({ key: 'until', label: t('chip.until', { time: formatTime(state.until) }), clear: { until: null } });
  if (state.involving !== null) {
    const name = about.data?.name ?? t('chip.userNumber', { id: state.involving });
    chips.push({ key: 'about', label: t('chip.involving', { name }), clear: { involving: null } });
  }
  if (chips.length === 0) return <span />;
  return (
    <Group gap="xs" aria-label={t('chip.label')}>
      {chips.map((chip) => (
        <Badge
          key={chip.key}
          variant="light"
          size="lg"
          tt="none"
          rightSection={<CloseButton size="xs" aria-label={t('chip.remove', { label: chip.label })} onClick={() => onChange({ ...state, ...chip.clear })} />}
        >
          {chip.label}
        </Badge>
      ))}
    </Group>
  );
}
