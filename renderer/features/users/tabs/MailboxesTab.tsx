import { useState } from 'react';
import { Button, Group, MultiSelect, Paper, Stack } from '@mantine/core';
import type { UserDetail } from '../../../../shared/dto.js';
import { ApiError } from '../../../api/call.js';
import { useCan } from '../../../app/session.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { useMailboxes } from '../../mailboxes/mailboxes.queries.js';
import { useSetMailboxes } from '../users.queries.js';

export function MailboxesTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const mailboxes = useMailboxes();
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
          notifySuccess(`Mailboxes of ${user.name} saved.`);
        },
        onError: (e) => (e instanceof ApiError && e.code === 'validation' ? setError(errorMessage(e)) : notifyError(e)),
      },
    );

  return (
    <Paper withBorder p="lg" maw={640}>
      <Stack>
        <MultiSelect
          label="Mailboxes"
          description="The addresses this API user may send mail as. They travel in its tokens, so the mail service can enforce them."
          data={(mailboxes.data ?? []).map((m) => ({ value: String(m.id), label: m.displayName ? `${m.displayName} <${m.address}>` : m.address }))}
          value={chosen}
          onChange={setChosen}
          searchable
          clearable
          disabled={!canManage}
          error={error}
          // Mantine keeps a placeholder beside the chosen pills; "None" beside a chosen mailbox would contradict it.
          placeholder={mailboxes.data?.length === 0 ? 'No mailboxes exist yet' : chosen.length === 0 ? 'None: it may not send mail' : undefined}
        />
        {canManage && (
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => setChosen(saved)}>
              Undo changes
            </Button>
            <Button onClick={save} disabled={!dirty} loading={setMailboxes.isPending}>
              Save mailboxes
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
