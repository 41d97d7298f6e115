import { useRef, useState } from 'react';
import { Group, TagsInput, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { parseAllowlistEntry } from '../../shared/allowlist.js';
import { PROVIDERS } from '../../shared/domain.js';
import { fieldMessage } from '../lib/error-text.js';

interface AllowlistInputProps {
  value: string[];
  onChange: (entries: string[]) => void;
  /** An error for the whole list, from the form or from main. */
  error?: React.ReactNode;
  /** Per provider word, a line about its range snapshot ("snapshot of 2026-01-10"), when known. */
  providerNotes?: Partial<Record<string, string>>;
  label?: string;
  /** A note after the explanation of the entries (the office rule that the list cannot be empty). */
  description?: React.ReactNode;
  disabled?: boolean;
}

/**
 * IP allowlist as tags: each entry is checked as it is typed with the same parser main uses, stored in
 * its canonical spelling (so `aws` becomes AWS and `10.0.0.1/32` becomes 10.0.0.1), and refused with the
 * parser's message when it is not an address, a CIDR range or a provider word.
 */
export function AllowlistInput({ value, onChange, error, providerNotes, label, description, disabled }: AllowlistInputProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [rejected, setRejected] = useState<string | null>(null);
  // TagsInput clears its search after it adds a tag; when we refused that tag, the text stays for fixing.
  const keepSearch = useRef<string | null>(null);
  // The provider suggestions are controlled so they close once a tag is added: TagsInput keeps them open
  // with every unpicked provider listed, covering the fields and buttons below. Typing opens them again.
  const [suggesting, setSuggesting] = useState(false);

  const typed = search.trim();
  const live = typed === '' ? null : parseAllowlistEntry(typed);
  const liveMessage = live && !live.ok ? fieldMessage(live.message) : null;

  const handleChange = (next: string[]) => {
    const accepted: string[] = [];
    let refusal: { text: string; message: string } | null = null;
    for (const raw of next) {
      const parsed = parseAllowlistEntry(raw);
      if (!parsed.ok) {
        refusal ??= { text: raw, message: parsed.message };
        continue;
      }
      if (!accepted.includes(parsed.value.entry)) accepted.push(parsed.value.entry);
    }
    setRejected(refusal ? fieldMessage(refusal.message) : null);
    keepSearch.current = refusal?.text ?? null;
    if (refusal) setSearch(refusal.text);
    if (accepted.length > value.length) setSuggesting(false);
    onChange(accepted);
  };

  const handleSearch = (text: string) => {
    if (text === '' && keepSearch.current !== null) {
      setSearch(keepSearch.current);
      keepSearch.current = null;
      return;
    }
    keepSearch.current = null;
    setRejected(null);
    setSearch(text);
    if (text !== '') setSuggesting(true);
  };

  return (
    <TagsInput
      label={label ?? t('allowlist.label')}
      // A note of the caller's (the office requires an allowlist) follows what the entries may be, never replaces it.
      description={description === undefined ? t('allowlist.description') : <>{t('allowlist.entries')} {description}</>}
      placeholder={value.length === 0 ? t('allowlist.placeholder') : undefined}
      value={value}
      onChange={handleChange}
      searchValue={search}
      onSearchChange={handleSearch}
      data={[...PROVIDERS]}
      dropdownOpened={suggesting}
      onDropdownOpen={() => setSuggesting(true)}
      onDropdownClose={() => setSuggesting(false)}
      splitChars={[',', ' ', ';']}
      acceptValueOnBlur
      clearable={!disabled}
      disabled={disabled}
      isDuplicate={(candidate, current) => {
        const parsed = parseAllowlistEntry(candidate);
        return parsed.ok && current.includes(parsed.value.entry);
      }}
      renderOption={({ option }) => (
        <Group gap="xs" justify="space-between" w="100%" wrap="nowrap">
          <Text size="sm">{option.value}</Text>
          <Text size="xs" c="dimmed">
            {providerNotes?.[option.value] ?? t('allowlist.providerRange')}
          </Text>
        </Group>
      )}
      error={liveMessage ?? rejected ?? error}
      aria-invalid={Boolean(liveMessage ?? rejected ?? error)}
    />
  );
}
