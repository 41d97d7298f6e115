import { useState } from 'react';
import { Button, Group, MultiSelect, Paper, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../../../shared/dto.js';
import { ApiError } from '../../../api/call.js';
import { useCan } from '../../../app/session.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { useMailboxOptions, useSetMailboxes } from '../users.queries.js';

export function MailboxesTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation('users');
  const mailboxes = useMailboxOptions();
  const setMailboxes = useSetMailboxes();
  const saved = user.mailboxes.map((m) => String(m.id));
  const [chosen, setChosen] = useState<string[]>(saved);
  const [error, setError] = useState<string | null>(null);
  const dirty = chosen.length !== saved.length || chosen.some((id) => !saved.includes(id));

  const save = () =>
    setMailboxes.mutate(
      { id: user.id, mailboxIds: chosen.map(Number) },
      {
        onSuccess: () => {
          setError(null);
          notifySuccess(t('mailboxesTab.saved', { name: user.name }));
        },
        onError: (e) => (e instanceof ApiError && e.code === 'validation' ? setError(errorMessage(e)) : notifyError(e)),
      },
    );

  return (
    <Paper withBorder p="lg" maw={640}>
      <Stack>
        <MultiSelect
          label={t('field.mailboxes')}
          description={t('mailboxesTab.hint')}
          data={(mailboxes.data ?? []).map((m) => ({ value: String(m.id), label: m.displayName ? `${m.displayName} <${m.address}>` : m.address }))}
          value={chosen}
          onChange={setChosen}
          searchable
          clearable
          disabled={!canManage}
          error={error}
          // Mantine keeps a placeholder beside the chosen pills; "None" beside a chosen mailbox would contradict it.
          placeholder={mailboxes.data?.length === 0 ? t('mailboxesTab.noneExist') : chosen.length === 0 ? t('mailboxesTab.none') : undefined}
        />
        {canManage && (
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => setChosen(saved)}>
              {t('profile.undo')}
            </Button>
            <Button onClick={save} disabled={!dirty} loading={setMailboxes.isPending}>
              {t('mailboxesTab.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
