import { MultiSelect, Paper, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../../../shared/dto.js';
import { useCan } from '../../../app/session.js';
import { useMailboxes } from '../../mailboxes/mailboxes.queries.js';
import { useSetMailboxes } from '../users.queries.js';
import { SaveSelectionButtons, useSavedSelection } from './saved-selection.js';

export function MailboxesTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation('users');
  const mailboxes = useMailboxes();
  const setMailboxes = useSetMailboxes();
  const selection = useSavedSelection({
    saved: user.mailboxes.map((m) => String(m.id)),
    mutation: setMailboxes,
    toInput: (chosen) => ({ id: user.id, mailboxIds: chosen.map(Number) }),
    savedMessage: t('mailboxesTab.saved', { name: user.name }),
  });

  return (
    <Paper withBorder p="lg" maw={640}>
      <Stack>
        <MultiSelect
          label={t('field.mailboxes')}
          description={t('mailboxesTab.hint')}
          data={(mailboxes.data ?? []).map((m) => ({ value: String(m.id), label: m.displayName ? `${m.displayName} <${m.address}>` : m.address }))}
          value={selection.value}
          onChange={selection.onChange}
          searchable
          // Opens on a click, typing or the arrow keys, not on Tab: an open list covers the fields below it
          // while a person tabs through the form (issue 13; as on the New API user form).
          openOnFocus={false}
          clearable
          disabled={!canManage}
          error={selection.error}
          // Mantine keeps a placeholder beside the chosen pills; "None" beside a chosen mailbox would contradict it.
          placeholder={mailboxes.data?.length === 0 ? t('mailboxesTab.noneExist') : selection.value.length === 0 ? t('mailboxesTab.none') : undefined}
        />
        {canManage && <SaveSelectionButtons selection={selection} saveLabel={t('mailboxesTab.save')} />}
      </Stack>
    </Paper>
  );
}
