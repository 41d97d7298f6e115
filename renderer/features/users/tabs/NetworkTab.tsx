import { Alert, Paper, Stack } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../../../shared/dto.js';
import { useCan } from '../../../app/session.js';
import { AllowlistInput } from '../../../components/AllowlistInput.js';
import { useProviderNotes } from '../provider-notes.js';
import { ProviderWordWarnings } from '../ProviderWordWarnings.js';
import { usePolicy, useSetAllowlist } from '../users.queries.js';
import { SaveSelectionButtons, useSavedSelection } from './saved-selection.js';

export function NetworkTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation('users');
  const setAllowlist = useSetAllowlist();
  const providerNotes = useProviderNotes();
  const policy = usePolicy();
  const saved = user.allowlist.map((e) => e.entry);
  const selection = useSavedSelection({
    saved,
    mutation: setAllowlist,
    toInput: (entries) => ({ id: user.id, entries }),
    savedMessage: t('networkTab.saved', { name: user.name }),
    orderMatters: true,
  });

  return (
    <Paper withBorder p="lg" maw={760}>
      <Stack>
        {saved.length === 0 && (
          <Alert color="blue" icon={<IconWorld size={18} />} title={t('networkTab.openTitle')}>
            {t('networkTab.openHint')}
          </Alert>
        )}
        <AllowlistInput
          value={selection.value}
          onChange={selection.onChange}
          error={selection.error}
          disabled={!canManage}
          providerNotes={providerNotes}
          description={policy.data?.requireAllowlist ? t('networkTab.required') : undefined}
        />
        <ProviderWordWarnings entries={selection.value} />
        {canManage && <SaveSelectionButtons selection={selection} saveLabel={t('networkTab.save')} />}
      </Stack>
    </Paper>
  );
}
