import { useMemo } from 'react';
import { Badge, Button, CloseButton, Group, Input, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArchive, IconFileText, IconSearch } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import type { EventType, Outcome } from '../../../shared/domain.js';
import { Link } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage } from '../../lib/notify.js';
import { EVENT_TYPE_OPTIONS, eventTypeLabel } from './event-labels.js';
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
 * Everything that happened, newest first, filtered and paged in main; a row opens its details. The
 * filters and the open event live in the URL, so other pages link to a filtered log (log-url.ts).
 */
export function LogPage() {
  const [location, setLocation] = useLogLocation();
  const state = location.filters;
  // Typing in the text fields asks main once the typing pauses, not on every key.
  const [debounced] = useDebouncedValue(state, 300);
  const checked = useMemo(() => toLogFilters(debounced), [debounced]);
  const filters = checked.ok ? checked.filters : NO_FILTERS;
  const log = useLogSearch(filters, checked.ok);
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
        title="Log"
        description="Every change, login and token request, with who did it and from where. Newest first."
        actions={
          <>
            <Button component="a" href="#/log/retention" variant="default" leftSection={<IconArchive size={16} />}>
              Retention
            </Button>
            <VerifyLogButton />
            <ExportLogButton filters={filters} disabled={!checked.ok} />
          </>
        }
      />
      <Paper withBorder p="md" radius="md" mb="md" component="section" aria-label="Filters">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          <DatePickerInput
            type="range"
            label="Days"
            placeholder="Any time"
            clearable
            allowSingleDateInRange
            value={state.range}
            onChange={(v) => set('range', [v[0] ? String(v[0]) : null, v[1] ? String(v[1]) : null])}
            error={errors.range}
          />
          <DoneByPicker value={state.actor} onChange={(v) => set('actor', v)} error={errors.actor} />
          <ConcerningPicker value={state.targetUserId} onChange={(v) => set('targetUserId', v)} />
          <Select
            label="Event"
            placeholder="Any event"
            searchable
            clearable
            data={EVENT_TYPE_OPTIONS}
            value={state.type}
            onChange={(v) => set('type', (v as EventType | null) ?? null)}
            error={errors.type}
          />
          <div>
            <Input.Label id="log-outcome-label" mb={4}>
              Outcome
            </Input.Label>
            <SegmentedControl
              aria-labelledby="log-outcome-label"
              fullWidth
              value={state.outcome}
              onChange={(v) => set('outcome', v as Outcome | 'all')}
              data={[
                { value: 'all', label: 'All' },
                { value: 'success', label: 'Success' },
                { value: 'failure', label: 'Failure' },
              ]}
            />
          </div>
          <TextInput
            label="Search"
            placeholder="Names, IPs, reasons, details"
            leftSection={<IconSearch size={16} />}
            value={state.text}
            onChange={(e) => set('text', e.currentTarget.value)}
            error={errors.text}
          />
          <TextInput
            label="Source IP"
            placeholder="Exact address, like 203.0.113.7"
            value={state.sourceIp}
            onChange={(e) => set('sourceIp', e.currentTarget.value)}
            error={errors.sourceIp}
          />
        </SimpleGrid>
        <Group justify="space-between" mt="sm" gap="xs">
          <LinkedFilters state={state} onChange={(filters) => setLocation({ ...location, filters })} />
          <Button variant="subtle" onClick={() => setLocation({ filters: EMPTY_FILTERS, event: null })} disabled={!filtered}>
            Clear filters
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
            fetching={log.isLoading}
            records={rows}
            emptyState={
              filtered ? (
                <EmptyState
                  icon={<IconFileText size={24} stroke={1.4} />}
                  title="No event matches these filters"
                  action={
                    <Button size="xs" variant="default" onClick={() => setLocation({ filters: EMPTY_FILTERS, event: null })}>
                      Clear filters
                    </Button>
                  }
                >
                  Widen the days, or remove a filter. Events older than the retention period are in the archive.
                </EmptyState>
              ) : (
                <EmptyState icon={<IconFileText size={24} stroke={1.4} />} title="Nothing has happened yet">
                  Every change, login and token request shows here as it happens. Start on the <Link to="/overview">Overview</Link>: its checklist
                  walks you through setting Keyrack up.
                </EmptyState>
              )
            }
            onRowClick={({ record }) => openEvent(record.id)}
            columns={[
              { accessor: 'at', title: 'Time', width: 140, noWrap: true, render: (e) => formatTime(e.at) },
              {
                accessor: 'type',
                title: 'Event',
                noWrap: true,
                render: (e) => (
                  <Button variant="subtle" size="compact-sm" px={4} onClick={(click) => { click.stopPropagation(); openEvent(e.id); }} aria-label={`Details of event ${e.id}`}>
                    {eventTypeLabel(e.type)}
                  </Button>
                ),
              },
              {
                accessor: 'actorName',
                title: 'Done by',
                // The drawer shows the name whole.
                render: (e) => <ActorCell event={e} />,
              },
              {
                accessor: 'targetName',
                title: 'Concerning',
                render: (e) =>
                  e.targetName ? (
                    <Text size="sm" truncate="end" maw={130} title={e.targetName}>
                      {e.targetName}
                    </Text>
                  ) : (
                    <Text c="dimmed" size="sm">—</Text>
                  ),
              },
              { accessor: 'outcome', title: 'Outcome', width: 100, render: (e) => <OutcomeBadge outcome={e.outcome} /> },
              {
                accessor: 'reason',
                title: 'Reason',
                render: (e) =>
                  e.reason ? (
                    <Tooltip label={e.reason}>
                      <Text size="sm" lineClamp={1}>
                        {e.reason}
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text c="dimmed" size="sm">—</Text>
                  ),
              },
              { accessor: 'sourceIp', title: 'Source IP', width: 140, render: (e) => e.sourceIp ?? <Text c="dimmed" size="sm">—</Text> },
            ]}
          />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {rows.length} event{rows.length === 1 ? '' : 's'} shown{log.hasNextPage ? ', more are older' : ''}
            </Text>
            {log.hasNextPage ? (
              <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                Show older events
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
 * The filters only a link sets (an exact time window, everything about one user), as removable chips: the
 * filter bar has no field for them, and the admin must still see that they narrow the list.
 */
function LinkedFilters({ state, onChange }: { state: LogFilterState; onChange: (next: LogFilterState) => void }) {
  const about = useUser(state.involving ?? 0, state.involving !== null);
  const chips: { key: string; label: string; clear: Partial<LogFilterState> }[] = [];
  if (state.since !== null) chips.push({ key: 'since', label: `From ${formatTime(state.since)}`, clear: { since: null } });
  if (state.until !== null) chips.push({ key: 'until', label: `Until ${formatTime(state.until)}`, clear: { until: null } });
  if (state.involving !== null) {
    const name = about.data?.name ?? `user #${state.involving}`;
    chips.push({ key: 'about', label: `Done by or concerning ${name}`, clear: { involving: null } });
  }
  if (chips.length === 0) return <span />;
  return (
    <Group gap="xs" aria-label="Filters from the link">
      {chips.map((chip) => (
        <Badge
          key={chip.key}
          variant="light"
          size="lg"
          tt="none"
          rightSection={<CloseButton size="xs" aria-label={`Remove filter: ${chip.label}`} onClick={() => onChange({ ...state, ...chip.clear })} />}
        >
          {chip.label}
        </Badge>
      ))}
    </Group>
  );
}
