import { Stack, Table, Text } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MailboxInfo, UserSummary } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { MemberPicker } from '../users/MemberPicker.js';
import { useAssignMailbox, useUnassignMailbox } from './mailboxes.queries.js';

/** Which API users may send from a mailbox: the list, add one, take one away (with confirmation). */
export function MailboxSenders({ mailbox, canManage }: { mailbox: MailboxInfo; canManage: boolean }) {
  const { t } = useTranslation('mailboxes');
  const assign = useAssignMailbox();
  const unassign = useUnassignMailbox();

  const allow = async (user: UserSummary) => {
    try {
      await assign.mutateAsync({ mailboxId: mailbox.id, userId: user.id });
      notifySuccess(t('senders.allowed', { name: user.name, address: mailbox.address }));
    } catch (error) {
      notifyError(error, t('senders.allowFailed'));
      throw error;
    }
  };

  const revoke = async (user: { id: number; name: string }) => {
    try {
      await unassign.mutateAsync({ mailboxId: mailbox.id, userId: user.id });
      notifySuccess(t('senders.revoked', { name: user.name, address: mailbox.address }));
    } catch (error) {
      notifyError(error, t('senders.revokeFailed'));
      throw error;
    }
  };

  return (
    <Stack gap="sm">
      {mailbox.users.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('senders.none')}
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing="xs" aria-label={t('column.senders')}>
          <Table.Tbody>
            {mailbox.users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>
                  <Link to={`/users/${u.id}`}>{u.name}</Link>
                </Table.Td>
                {canManage ? (
                  <Table.Td ta="right">
                    <ConfirmButton
                      size="xs"
                      aria-label={t('senders.stopName', { name: u.name })}
                      title={t('senders.stopTitle', { name: u.name, address: mailbox.address })}
                      consequence={t('senders.stopConsequence', { name: u.name, address: mailbox.address })}
                      confirmLabel={t('senders.stopConfirm')}
                      onConfirm={() => revoke(u)}
                    >
                      {t('senders.remove')}
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
          scope={{ kind: 'api', sort: 'name' }}
          members={mailbox.users}
          label={t('senders.allowLabel')}
          placeholder={t('senders.searchPlaceholder')}
          nothingFound={t('senders.noOther')}
          addLabel={t('senders.allow')}
          addIcon={<IconSend size={16} />}
          onAdd={allow}
        />
      ) : null}
    </Stack>
  );
}
