import { Grid, MultiSelect, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isGroupForPeopleOnly } from '../../../../shared/domain.js';
import type { UserDetail } from '../../../../shared/dto.js';
import { useCan } from '../../../app/session.js';
import { errorMessage } from '../../../lib/notify.js';
import { ScopesPreview } from '../ScopesPreview.js';
import { useGroups } from '../../groups/groups.queries.js';
import { useEffectiveRights, useSetGroups } from '../users.queries.js';
import { SaveSelectionButtons, useSavedSelection } from './saved-selection.js';

export function GroupsTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation('users');
  const groups = useGroups();
  const rights = useEffectiveRights(user.id, user.kind === 'api');
  const setGroups = useSetGroups();
  const saved = user.groups.map((g) => String(g.id));
  const selection = useSavedSelection({
    saved,
    mutation: setGroups,
    toInput: (chosen) => ({ id: user.id, groupIds: chosen.map(Number) }),
    savedMessage: t('groupsTab.saved', { name: user.name }),
  });
  // An API user is not offered people-only groups; one it is already in (from before the rule) stays
  // listed so that it can be removed.
  const offered = (groups.data ?? []).filter(
    (g) => user.kind !== 'api' || !isGroupForPeopleOnly(g) || saved.includes(String(g.id)),
  );

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="lg">
          <Stack>
            <MultiSelect
              label={t('field.groups')}
              description={user.kind === 'api' ? t('groupsTab.apiHint') : t('groupsTab.personHint')}
              data={offered.map((g) => ({ value: String(g.id), label: g.name }))}
              value={selection.value}
              onChange={selection.onChange}
              searchable
              // Opens on a click, typing or the arrow keys, not on Tab: an open list covers the fields below it
              // while a person tabs through the form (issue 13; as on the New API user form).
              openOnFocus={false}
              clearable
              disabled={!canManage}
              error={selection.error}
              // Mantine keeps a placeholder beside the chosen pills; it only says something when there are none.
              placeholder={selection.value.length === 0 ? t('groupsTab.none') : undefined}
            />
            {canManage && <SaveSelectionButtons selection={selection} saveLabel={t('groupsTab.save')} />}
          </Stack>
        </Paper>
      </Grid.Col>
      {user.kind === 'api' && (
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="xs">
            {rights.isError ? (
              <Text c="red">{errorMessage(rights.error)}</Text>
            ) : (
              <ScopesPreview
                title={t('groupsTab.effective')}
                scopes={rights.data?.scopes ?? []}
                filters={Object.entries(rights.data?.filters ?? {}).map(([resource, names]) => ({ resource, names }))}
                mailboxes={rights.data?.mailboxes ?? []}
                loading={rights.isPending}
                empty={t('groupsTab.noScopes')}
              />
            )}
          </Stack>
        </Grid.Col>
      )}
    </Grid>
  );
}
