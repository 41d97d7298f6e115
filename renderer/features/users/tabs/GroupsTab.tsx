import { useState } from 'react';
import { Button, Grid, Group, MultiSelect, Paper, Stack, Text } from '@mantine/core';
import { isGroupForPeopleOnly } from '../../../../shared/domain.js';
import type { UserDetail } from '../../../../shared/dto.js';
import { useCan } from '../../../app/session.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { ApiError } from '../../../api/call.js';
import { ScopesPreview } from '../ScopesPreview.js';
import { useGroups } from '../../groups/groups.queries.js';
import { useEffectiveRights, useSetGroups } from '../users.queries.js';

export function GroupsTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const groups = useGroups();
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
          notifySuccess(`Groups of ${user.name} saved.`);
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
              label="Groups"
              description={user.kind === 'api' ? 'Its API rights are the union of these groups’ rights.' : 'Their app permissions come from these groups.'}
              data={offered.map((g) => ({ value: String(g.id), label: g.name }))}
              value={chosen}
              onChange={setChosen}
              searchable
              clearable
              disabled={!canManage}
              error={error}
              // Mantine keeps a placeholder beside the chosen pills; it only says something when there are none.
              placeholder={chosen.length === 0 ? 'No groups' : undefined}
            />
            {canManage && (
              <Group justify="flex-end">
                <Button variant="default" disabled={!dirty} onClick={() => setChosen(saved)}>
                  Undo changes
                </Button>
                <Button onClick={save} disabled={!dirty} loading={setGroups.isPending}>
                  Save groups
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
                title="Effective rights (as saved)"
                scopes={rights.data?.scopes ?? []}
                filters={Object.entries(rights.data?.filters ?? {}).map(([resource, names]) => ({ resource, names }))}
                mailboxes={rights.data?.mailboxes ?? []}
                loading={rights.isPending}
                empty="No scopes: its groups grant no API rights, so its tokens can do nothing."
              />
            )}
          </Stack>
        </Grid.Col>
      )}
    </Grid>
  );
}
