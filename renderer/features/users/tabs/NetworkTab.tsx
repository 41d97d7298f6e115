import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../../../shared/dto.js';
import { ApiError } from '../../../api/call.js';
import { useCan } from '../../../app/session.js';
import { AllowlistInput } from '../../../components/AllowlistInput.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { useProviderNotes } from '../provider-notes.js';
import { usePolicy, useSetAllowlist } from '../users.queries.js';

export function NetworkTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation('users');
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
          notifySuccess(t('networkTab.saved', { name: user.name }));
        },
        onError: (e) => (e instanceof ApiError && e.code === 'validation' ? setError(errorMessage(e)) : notifyError(e)),
      },
    );

  return (
    <Paper withBorder p="lg" maw={760}>
      <Stack>
        {saved.length === 0 && (
          <Alert color="blue" icon={<IconWorld size={18} />} title={t('networkTab.openTitle')}>
            {t('networkTab.openHint')}
          </Alert>
        )}
        <AllowlistInput
          value={entries}
          onChange={setEntries}
          error={error}
          disabled={!canManage}
          providerNotes={providerNotes}
          description={policy.data?.requireAllowlist ? t('networkTab.required') : undefined}
        />
        {canManage && (
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => setEntries(saved)}>
              {t('profile.undo')}
            </Button>
            <Button onClick={save} disabled={!dirty} loading={setAllowlist.isPending}>
              {t('networkTab.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
