import { Alert, Paper, Stack } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import type { UserDetail } from '../../../../shared/dto.js';
import { useCan } from '../../../app/session.js';
import { AllowlistInput } from '../../../components/AllowlistInput.js';
import { useProviderNotes } from '../provider-notes.js';
import { usePolicy, useSetAllowlist } from '../users.queries.js';
import { SaveSelectionButtons, useSavedSelection } from './saved-selection.js';

export function NetworkTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const setAllowlist = useSetAllowlist();
  const providerNotes = useProviderNotes();
  const policy = usePolicy();
  const saved = user.allowlist.map((e) => e.entry);
  const selection = useSavedSelection({
    saved,
    mutation: setAllowlist,
    toInput: (entries) => ({ id: user.id, entries }),
    savedMessage: `Allowlist of ${user.name} saved.`,
    orderMatters: true,
  });

  return (
    <Paper withBorder p="lg" maw={760}>
      <Stack>
        {saved.length === 0 && (
          <Alert color="blue" icon={<IconWorld size={18} />} title="Any address may use these credentials">
            Add the addresses the integration calls from, so a leaked secret is useless anywhere else.
          </Alert>
        )}
        <AllowlistInput
          value={selection.value}
          onChange={selection.onChange}
          error={selection.error}
          disabled={!canManage}
          providerNotes={providerNotes}
          description={policy.data?.requireAllowlist ? 'Required by this office: it cannot be left empty.' : undefined}
        />
        {canManage && <SaveSelectionButtons selection={selection} saveLabel="Save allowlist" />}
      </Stack>
    </Paper>
  );
}
