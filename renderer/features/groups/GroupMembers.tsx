import { useState } from 'react';
import { Alert, Badge, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconUserPlus } from '@tabler/icons-react';
import { isGroupForPeopleOnly } from '../../../shared/domain.js';
import type { GroupDetail, UserSummary } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { MemberPicker } from '../users/MemberPicker.js';
import { useAddMember, useRemoveMember } from './groups.queries.js';

/**
 * The members of a group, with add and remove. The built-in group takes people only, and main refuses to
 * remove its last active member; that refusal stays on screen next to the list, not just in a toast.
 */
export function GroupMembers({ group, canManage }: { group: GroupDetail; canManage: boolean }) {
  const [refusal, setRefusal] = useState<string | null>(null);
  const add = useAddMember();
  const remove = useRemoveMember();
  const peopleOnly = isGroupForPeopleOnly(group);

  const addMember = async (user: UserSummary) => {
    setRefusal(null);
    try {
      await add.mutateAsync({ groupId: group.id, userId: user.id });
      notifySuccess(`${user.name} is now in ${group.name}`);
    } catch (error) {
      notifyError(error, 'Could not add the member');
      throw error;
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
        <MemberPicker
          scope={peopleOnly ? { kind: 'person' } : {}}
          members={group.members}
          optionLabel={(u) => `${u.name} (${u.kind === 'api' ? 'API user' : 'person'})`}
          label={peopleOnly ? 'Add a person' : 'Add a person or API user'}
          placeholder="Type to search by name"
          nothingFound="Nobody else matches"
          addLabel="Add member"
          addIcon={<IconUserPlus size={16} />}
          onAdd={addMember}
          width={320}
        />
      ) : null}
    </Stack>
  );
}
