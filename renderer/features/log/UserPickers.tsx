import { useState } from 'react';
import { Autocomplete, Group, Select, Text, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../shared/dto.js';
import { call } from '../../api/call.js';
import { i18n } from '../../i18n/i18n.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useUser } from '../users/users.queries.js';

/**
 * The users matching what was typed (users.list searches name, email, description and client id), at most
 * 20, asked of main once typing pauses: an office may have hundreds of API users, and the list is paged there.
 */
function useUserSuggestions(search: string) {
  const [debounced] = useDebouncedValue(search.trim(), 250);
  return useQuery({
    queryKey: queryKeys.users.suggestions(debounced),
    queryFn: () => call('users.list', { search: debounced || undefined, pageSize: 20 }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** Main already matched the text (also on the client id, which is not in the option's value): show them all. */
const allFromMain: OptionsFilter = ({ options }) => options;

const kindLabel = (u: Pick<UserSummary, 'kind' | 'clientId'>) =>
  u.kind === 'api' ? `${i18n.t('users:kind.api')} · ${u.clientId ?? ''}` : i18n.t('users:kind.person');

function Option({ name, detail }: { name: string; detail: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{name}</Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </Group>
  );
}

/**
 * "Done by": events are logged with the actor's name as it was, so the filter stays a name (people type
 * `system`, `cli:…` or a name that failed to log in too); the suggestions are the people and API users
 * whose name or client id match what is typed, so nobody has to know an exact name.
 */
export function DoneByPicker({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string | undefined }) {
  const { t } = useTranslation(['log', 'users']);
  const users = useUserSuggestions(value);
  const rows = users.data?.rows ?? [];
  const details = new Map(rows.map((u) => [u.name, kindLabel(u)]));
  return (
    <Autocomplete
      label={t('column.doneBy')}
      placeholder={t('filter.doneByPlaceholder')}
      value={value}
      onChange={onChange}
      data={rows.map((u) => u.name)}
      filter={allFromMain}
      renderOption={({ option }) => <Option name={option.value} detail={details.get(option.value) ?? ''} />}
      error={error}
      clearable
    />
  );
}

/** "Concerning": the user an event is about (its target), by id, so a renamed user keeps their history. */
export function ConcerningPicker({ value, onChange }: { value: number | null; onChange: (value: number | null) => void }) {
  const { t } = useTranslation(['log', 'users']);
  const [search, setSearch] = useState('');
  const users = useUserSuggestions(search);
  // The chosen user may not be among the suggestions (a link opened the log with it): fetch its name.
  const chosen = useUser(value ?? 0, value !== null);
  const rows = users.data?.rows ?? [];
  const options: (ComboboxItem & { detail: string })[] = rows.map((u) => ({ value: String(u.id), label: u.name, detail: kindLabel(u) }));
  if (value !== null && chosen.data && !options.some((o) => o.value === String(value))) {
    options.unshift({ value: String(value), label: chosen.data.name, detail: kindLabel(chosen.data) });
  }
  const details = new Map(options.map((o) => [o.value, o.detail]));
  return (
    <Select
      label={t('column.concerning')}
      placeholder={t('filter.anyUser')}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      data={options.map(({ value: v, label }) => ({ value: v, label }))}
      filter={allFromMain}
      renderOption={({ option }) => <Option name={option.label} detail={details.get(option.value) ?? ''} />}
      value={value === null ? null : String(value)}
      onChange={(v) => onChange(v === null ? null : Number(v))}
      nothingFoundMessage={users.isFetching ? t('filter.searching') : t('filter.noSuchUser')}
    />
  );
}
