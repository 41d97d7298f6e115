import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import type { UserDetail } from '../../../../shared/dto.js';
import { ApiError } from '../../../api/call.js';
import { useCan } from '../../../app/session.js';
import { AllowlistInput } from '../../../components/AllowlistInput.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { useProviderNotes } from '../provider-notes.js';
import { usePolicy, useSetAllowlist } from '../users.queries.js';

export function NetworkTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const setAllowlist = useSetAllowlist();
  const providerNotes = useProviderNotes();
  const policy = usePolicy();
  const saved = user.allowlist.map((e) => e.entry);
  const [entries, setEntries] = useState<string[]>(saved);
  const [error, setError] = useState<string | null>(null);
  const dirty = entries.length !== saved.length || entries.some((e, i) => e !== saved[i]);

  const save = () =>
    setAllowlist.mutate(
      { id: user.id, entries },
      {
        onSuccess: () => {
          setError(null);
          notifySuccess(`Allowlist of ${user.name} saved.`);
        },
        onError: (e) => (e instanceof ApiError && e.code === 'validation' ? setError(errorMessage(e)) : notifyError(e)),
      },
    );

  return (
    <Paper withBorder p="lg" maw={760}>
      <Stack>
        {saved.length === 0 && (
          <Alert color="blue" icon={<IconWorld size={18} />} title="Any address may use these credentials">
            Add the addresses the integration calls from, so a leaked secret is useless anywhere else.
          </Alert>
        )}
        <AllowlistInput
          value={entries}
          onChange={setEntries}
          error={error}
          disabled={!canManage}
          providerNotes={providerNotes}
          description={policy.data?.requireAllowlist ? 'Required by this office: it cannot be left empty.' : undefined}
        />
        {canManage && (
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => setEntries(saved)}>
              Undo changes
            </Button>
            <Button onClick={save} disabled={!dirty} loading={setAllowlist.isPending}>
              Save allowlist
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
