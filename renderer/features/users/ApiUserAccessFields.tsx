import type { ReactNode } from 'react';
import { MultiSelect } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { isGroupForPeopleOnly } from '../../../shared/domain.js';
import { AllowlistInput } from '../../components/AllowlistInput.js';
import { useGroups } from '../groups/groups.queries.js';
import { useMailboxes } from '../mailboxes/mailboxes.queries.js';
import { ProviderWordWarnings } from './ProviderWordWarnings.js';
import { useProviderNotes } from './provider-notes.js';
import { usePolicy } from './users.queries.js';

export interface ApiUserAccessFieldsProps {
  /** The groups MultiSelect's props from the form (values are group ids as strings). */
  groups: GetInputPropsReturnType;
  /** The mailboxes MultiSelect's props (mailbox ids as strings). */
  mailboxes: GetInputPropsReturnType;
  allowlist: { value: string[]; onChange: (entries: string[]) => void; error?: ReactNode };
  /** What the groups and mailboxes mean here (an API user's own, or every API user an activation creates). */
  groupsHint: string;
  mailboxesHint: string;
}

/**
 * What an API user may reach: its groups, mailboxes and network allowlist (with the provider words'
 * snapshot notes and warnings). The same pickers in the new API user form and in an activation's template,
 * so both offer the same choices and say the same about them.
 */
export function ApiUserAccessFields({ groups: groupProps, mailboxes: mailboxProps, allowlist, groupsHint, mailboxesHint }: ApiUserAccessFieldsProps) {
  const { t } = useTranslation(['users', 'common']);
  const groups = useGroups();
  const groupChoices = (groups.data ?? []).filter((g) => !isGroupForPeopleOnly(g));
  const mailboxes = useMailboxes();
  const providerNotes = useProviderNotes();
  const policy = usePolicy();
  return (
    <>
      <MultiSelect
        label={t('field.groups')}
        description={groupsHint}
        placeholder={groupChoices.length ? t('field.chooseGroups') : t('field.noGroupsYet')}
        data={groupChoices.map((g) => ({ value: String(g.id), label: g.name }))}
        searchable
        // Opens on a click, typing or the arrow keys, not on Tab: an open list covered the next field
        // (the allowlist) while a person tabbed through the form (issue 13).
        openOnFocus={false}
        clearable
        nothingFoundMessage={t('field.noGroupByName')}
        {...groupProps}
      />
      <MultiSelect
        label={t('field.mailboxes')}
        description={mailboxesHint}
        placeholder={mailboxes.data?.length ? t('field.chooseMailboxes') : t('field.noMailboxesYet')}
        data={(mailboxes.data ?? []).map((m) => ({ value: String(m.id), label: m.displayName ? `${m.displayName} <${m.address}>` : m.address }))}
        searchable
        openOnFocus={false}
        clearable
        nothingFoundMessage={t('field.noMailboxByAddress')}
        {...mailboxProps}
      />
      <AllowlistInput
        value={allowlist.value}
        onChange={allowlist.onChange}
        error={allowlist.error}
        providerNotes={providerNotes}
        description={policy.data?.requireAllowlist ? t('newApiUser.allowlistRequired') : undefined}
      />
      <ProviderWordWarnings entries={allowlist.value} />
    </>
  );
}
