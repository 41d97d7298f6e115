import { useState } from 'react';
import { Button, Grid, Group, MultiSelect, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isGroupForPeopleOnly } from '../../../../shared/domain.js';
import type { UserDetail } from '../../../../shared/dto.js';
import { useCan } from '../../../app/session.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { ApiError } from '../../../api/call.js';
import { ScopesPreview } from '../ScopesPreview.js';
import { useEffectiveRights, useGroupOptions, useSetGroups } from '../users.queries.js';

export function GroupsTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation('users');
  const groups = useGroupOptions();
  const rights = useEffectiveRights(user.id, user.kind === 'api');
  const setGroups = useSetGroups();
  const saved = user.groups.map((g) => String(g.id));
  const [chosen, setChosen] = useState<string[]>(saved);
  const [error, setError] = useState<string | null>(null);
  // An API user is not offered people-only groups; one it is already in (from before the rule) stays
  // listed so that it can be removed.
  const offered = (groups.data ?? []).filter(
    (g) => user.kind !== 'api' || !isGroupForPeopleOnly(g) || saved.includes(String(g.id)),
  );
  const dirty = chosen.length !== saved.length || chosen.some((id) => !saved.includes(id));

  const save = () =>
    setGroups.mutate(
      { id: user.id, groupIds: chosen.map(Number) },
      {
        onSuccess: () => {
          setError(null);
          notifySuccess(t('groupsTab.saved', { name: user.name }));
        },
        onError: (e) => {
          if (e instanceof ApiError && e.code === 'validation') setError(errorMessage(e));
          else notifyError(e);
        },
      },
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
              value={chosen}
              onChange={setChosen}
              searchable
              clearable
              disabled={!canManage}
              error={error}
              // Mantine keeps a placeholder beside the chosen pills; it only says something when there are none.
              placeholder={chosen.length === 0 ? t('groupsTab.none') : undefined}
            />
            {canManage && (
              <Group justify="flex-end">
                <Button variant="default" disabled={!dirty} onClick={() => setChosen(saved)}>
                  {t('profile.undo')}
                </Button>
                <Button onClick={save} disabled={!dirty} loading={setGroups.isPending}>
                  {t('groupsTab.save')}
                </Button>
              </Group>
            )}
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
