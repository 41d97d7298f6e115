import { useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconUserPlus } from '@tabler/icons-react';
import { isGroupForPeopleOnly } from '../../../shared/domain.js';
import type { GroupDetail } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useUserOptions } from '../users/users.queries.js';
import { useAddMember, useRemoveMember } from './groups.queries.js';

/**
 * The members of a group, with add and remove. The built-in group takes people only, and main refuses to
 * remove its last active member; that refusal stays on screen next to the list, not just in a toast.
 */
export function GroupMembers({ group, canManage }: { group: GroupDetail; canManage: boolean }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const add = useAddMember();
  const remove = useRemoveMember();

  const peopleOnly = isGroupForPeopleOnly(group);
  const candidates = useUserOptions(peopleOnly ? { kind: 'person' } : {}, debounced);
  const memberIds = new Set(group.members.map((m) => m.id));
  const options = (candidates.data?.rows ?? [])
    .filter((u) => !memberIds.has(u.id))
    .map((u) => ({ value: String(u.id), label: `${u.name} (${u.kind === 'api' ? 'API user' : 'person'})` }));

  const addMember = async () => {
    if (!picked) return;
    setRefusal(null);
    try {
      const updated = await add.mutateAsync({ groupId: group.id, userId: Number(picked) });
      const name = updated.members.find((m) => m.id === Number(picked))?.name ?? 'The user';
      notifySuccess(`${name} is now in ${group.name}`);
      setPicked(null);
      setSearch('');
    } catch (error) {
      notifyError(error, 'Could not add the member');
    }
  };

  const removeMember = async (member: GroupDetail['members'][number]) => {
    setRefusal(null);
    try {
      await remove.mutateAsync({ groupId: group.id, userId: member.id });
      notifySuccess(`${member.name} is no longer in ${group.name}`);
    } catch (error) {
      setRefusal(errorMessage(error));
      notifyError(error, `${member.name} was not removed`);
      throw error;
    }
  };

  return (
    <Stack gap="sm">
      {refusal ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Member not removed" withCloseButton onClose={() => setRefusal(null)} role="alert">
          {refusal}
        </Alert>
      ) : null}
      {group.members.length === 0 ? (
        <Text c="dimmed" size="sm">
          No members yet.
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing="xs" aria-label="Members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Status</Table.Th>
              {canManage ? <Table.Th w={120} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {group.members.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Link to={`/users/${m.id}`}>{m.name}</Link>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={m.kind === 'api' ? 'violet' : 'blue'}>
                    {m.kind === 'api' ? 'API user' : 'Person'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={m.status === 'active' ? 'teal' : 'gray'}>
                    {m.status === 'active' ? 'Active' : 'Disabled'}
                  </Badge>
                </Table.Td>
                {canManage ? (
                  <Table.Td ta="right">
                    <ConfirmButton
                      size="xs"
                      title={`Remove ${m.name} from ${group.name}?`}
                      consequence={
                        m.kind === 'api'
                          ? `${m.name} loses the API rights ${group.name} gives; tokens issued from now on will not carry them.`
                          : `${m.name} loses the app permissions ${group.name} gives.`
                      }
                      confirmLabel="Remove member"
                      onConfirm={() => removeMember(m)}
                      aria-label={`Remove ${m.name}`}
                    >
                      Remove
                    </ConfirmButton>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canManage ? (
        <Group align="flex-end" gap="xs">
          <Select
            label={peopleOnly ? 'Add a person' : 'Add a person or API user'}
            placeholder="Type to search by name"
            searchable
            clearable
            data={options}
            value={picked}
            onChange={setPicked}
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'Nobody else matches'}
            filter={({ options: o }) => o}
            w={320}
          />
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => void addMember()} disabled={!picked} loading={add.isPending}>
            Add member
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
