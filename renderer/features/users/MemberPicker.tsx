import { useState, type ReactNode } from 'react';
import { Button, Group, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../shared/dto.js';
import type { UserOptionsScope } from '../../lib/query-keys.js';
import { useUserOptions } from './users.queries.js';

interface MemberPickerProps {
  /** Whom main searches: people, API users or both. */
  scope: UserOptionsScope;
  /** Who is on the list already: not offered again. */
  members: readonly { id: number }[];
  /** An option's text; the name unless the list mixes people and API users. */
  optionLabel?: (user: UserSummary) => string;
  label: string;
  placeholder: string;
  nothingFound: string;
  addLabel: string;
  addIcon: ReactNode;
  /** Adds the picked user. Resolves once added (the picker clears); rejects after telling the person why (the pick stays). */
  onAdd: (user: UserSummary) => Promise<unknown>;
  /** The field's width; without one it takes the row's free space. */
  width?: number;
}

/**
 * "Add someone to this list": a field that searches users in main as the person types (an office may have
 * hundreds), with those already on the list left out, and the button that adds the one picked. A group's
 * members and a mailbox's senders are added with it.
 */
export function MemberPicker({ scope, members, optionLabel = (u) => u.name, label, placeholder, nothingFound, addLabel, addIcon, onAdd, width }: MemberPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  // The user itself, not only its id: picking puts the option's text in the field, and the search for that
  // text may no longer find the user.
  const [picked, setPicked] = useState<UserSummary | null>(null);
  const [adding, setAdding] = useState(false);
  const candidates = useUserOptions(scope, debounced);
  const memberIds = new Set(members.map((m) => m.id));
  const offered = (candidates.data?.rows ?? []).filter((u) => !memberIds.has(u.id));

  const add = async () => {
    if (!picked) return;
    setAdding(true);
    try {
      await onAdd(picked);
      setPicked(null);
      setSearch('');
    } catch {
      // onAdd has said why; the pick stays so the person can try again.
    } finally {
      setAdding(false);
    }
  };

  return (
    <Group align="flex-end" gap="xs">
      <Select
        label={label}
        placeholder={placeholder}
        searchable
        clearable
        data={offered.map((u) => ({ value: String(u.id), label: optionLabel(u) }))}
        value={picked === null ? null : String(picked.id)}
        onChange={(id) => setPicked(offered.find((u) => String(u.id) === id) ?? null)}
        searchValue={search}
        onSearchChange={setSearch}
        nothingFoundMessage={candidates.isFetching ? t('searching') : nothingFound}
        // Main already matched the text: show every candidate it sent.
        filter={({ options }) => options}
        {...(width === undefined ? { style: { flex: 1 } } : { w: width })}
      />
      <Button leftSection={addIcon} onClick={() => void add()} disabled={!picked} loading={adding}>
        {addLabel}
      </Button>
    </Group>
  );
}
