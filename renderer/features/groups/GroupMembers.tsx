import { useState } from 'react';
import { Alert, Badge, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation(['groups', 'common', 'users']);
  const [refusal, setRefusal] = useState<string | null>(null);
  const add = useAddMember();
  const remove = useRemoveMember();
  const peopleOnly = isGroupForPeopleOnly(group);

  const addMember = async (user: UserSummary) => {
    setRefusal(null);
    try {
      await add.mutateAsync({ groupId: group.id, userId: user.id });
      notifySuccess(t('members.added', { name: user.name, group: group.name }));
    } catch (error) {
      notifyError(error, t('members.addFailed'));
      throw error;
    }
  };

  const removeMember = async (member: GroupDetail['members'][number]) => {
    setRefusal(null);
    try {
      await remove.mutateAsync({ groupId: group.id, userId: member.id });
      notifySuccess(t('members.removed', { name: member.name, group: group.name }));
    } catch (error) {
      setRefusal(errorMessage(error));
      notifyError(error, t('members.removeFailed', { name: member.name }));
      throw error;
    }
  };

  return (
    <Stack gap="sm">
      {refusal ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('members.notRemoved')} withCloseButton onClose={() => setRefusal(null)} role="alert">
          {refusal}
        </Alert>
      ) : null}
      {group.members.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('members.none')}
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing="xs" aria-label={t('editor.membersTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('members.name')}</Table.Th>
              <Table.Th>{t('members.kind')}</Table.Th>
              <Table.Th>{t('members.status')}</Table.Th>
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
                    {t(`users:kind.${m.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={m.status === 'active' ? 'teal' : 'gray'}>
                    {m.status === 'active' ? t('common:status.active') : t('common:status.disabled')}
                  </Badge>
                </Table.Td>
                {canManage ? (
                  <Table.Td ta="right">
                    <ConfirmButton
                      size="xs"
                      title={t('members.removeTitle', { name: m.name, group: group.name })}
                      consequence={
                        m.kind === 'api'
                          ? t('members.removeApi', { name: m.name, group: group.name })
                          : t('members.removePerson', { name: m.name, group: group.name })
                      }
                      confirmLabel={t('members.removeConfirm')}
                      onConfirm={() => removeMember(m)}
                      aria-label={t('members.removeName', { name: m.name })}
                    >
                      {t('members.remove')}
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
          optionLabel={(u) => `${u.name} (${t(`users:kind.${u.kind}`)})`}
          label={peopleOnly ? t('members.addPerson') : t('members.addAny')}
          placeholder={t('members.searchPlaceholder')}
          nothingFound={t('members.nobodyElse')}
          addLabel={t('members.add')}
          addIcon={<IconUserPlus size={16} />}
          onAdd={addMember}
          width={320}
        />
      ) : null}
    </Stack>
  );
}
