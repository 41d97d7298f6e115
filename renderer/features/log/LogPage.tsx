import { useMemo, useState } from 'react';
import { Badge, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileText, IconSearch } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import type { EventType, Outcome } from '../../../shared/domain.js';
import type { AuditEvent } from '../../../shared/dto.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage } from '../../lib/notify.js';
import { ACTOR_KIND_LABELS, EVENT_TYPE_OPTIONS, eventTypeLabel } from './event-labels.js';
import { ExportLogButton } from './ExportLogButton.js';
import { LogDetailDrawer, OutcomeBadge } from './LogDetailDrawer.js';
import { EMPTY_FILTERS, toLogFilters, type LogFilterState } from './log-filters.js';
import { useLogSearch } from './log.queries.js';

const NO_FILTERS = {};

/** Everything that happened, newest first, filtered and paged in main; a row opens its details. */
export function LogPage() {
  const [state, setState] = useState<LogFilterState>(EMPTY_FILTERS);
  // Typing in the text fields asks main once the typing pauses, not on every key.
  const [debounced] = useDebouncedValue(state, 300);
  const checked = useMemo(() => toLogFilters(debounced), [debounced]);
  const filters = checked.ok ? checked.filters : NO_FILTERS;
  const log = useLogSearch(filters);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const rows = useMemo(() => log.data?.pages.flatMap((p) => p.rows) ?? [], [log.data]);
  const errors = checked.ok ? {} : checked.errors;
  const set = <K extends keyof LogFilterState>(key: K, value: LogFilterState[K]) => setState((s) => ({ ...s, [key]: value }));
  const filtered = JSON.stringify(state) !== JSON.stringify(EMPTY_FILTERS);

  return (
    <>
      <PageHeader
        title="Log"
        description="Every change, login and token request, with who did it and from where. Newest first."
        actions={<ExportLogButton filters={filters} disabled={!checked.ok} />}
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
          <TextInput
            label="Done by"
            placeholder="Exact name, like alice or crm-sync"
            value={state.actor}
            onChange={(e) => set('actor', e.currentTarget.value)}
            error={errors.actor}
          />
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
            <Text size="sm" fw={500} mb={4} id="log-outcome-label">
              Outcome
            </Text>
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
          <Group align="flex-end">
            <Button variant="subtle" onClick={() => setState(EMPTY_FILTERS)} disabled={!filtered}>
              Clear filters
            </Button>
          </Group>
        </SimpleGrid>
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
            minHeight={rows.length ? undefined : 200}
            fetching={log.isLoading}
            records={rows}
            noRecordsText={filtered ? 'No event matches these filters' : 'Nothing has happened yet'}
            noRecordsIcon={<IconFileText size={32} stroke={1.4} />}
            onRowClick={({ record }) => setSelected(record)}
            columns={[
              { accessor: 'at', title: 'Time', width: 150, render: (e) => formatTime(e.at) },
              {
                accessor: 'type',
                title: 'Event',
                render: (e) => (
                  <Button variant="subtle" size="compact-sm" px={4} onClick={(click) => { click.stopPropagation(); setSelected(e); }} aria-label={`Details of event ${e.id}`}>
                    {eventTypeLabel(e.type)}
                  </Button>
                ),
              },
              {
                accessor: 'actorName',
                title: 'Done by',
                render: (e) => (
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{e.actorName}</Text>
                    {e.actorKind !== 'person' ? (
                      <Badge size="xs" variant="light" color={e.actorKind === 'api' ? 'violet' : 'gray'}>
                        {ACTOR_KIND_LABELS[e.actorKind]}
                      </Badge>
                    ) : null}
                  </Group>
                ),
              },
              { accessor: 'targetName', title: 'Concerning', render: (e) => e.targetName ?? <Text c="dimmed" size="sm">—</Text> },
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
      <LogDetailDrawer event={selected} onClose={() => setSelected(null)} />
    </>
  );
}
