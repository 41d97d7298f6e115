import { Stack, Table, Text } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import type { MailboxInfo, UserSummary } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { MemberPicker } from '../users/MemberPicker.js';
import { useAssignMailbox, useUnassignMailbox } from './mailboxes.queries.js';

/** Which API users may send from a mailbox: the list, add one, take one away (with confirmation). */
export function MailboxSenders({ mailbox, canManage }: { mailbox: MailboxInfo; canManage: boolean }) {
  const assign = useAssignMailbox();
  const unassign = useUnassignMailbox();

  const allow = async (user: UserSummary) => {
    try {
      await assign.mutateAsync({ mailboxId: mailbox.id, userId: user.id });
      notifySuccess(`${user.name} may now send from ${mailbox.address}`);
    } catch (error) {
      notifyError(error, 'Not allowed');
      throw error;
    }
  };

  const revoke = async (user: { id: number; name: string }) => {
    try {
      await unassign.mutateAsync({ mailboxId: mailbox.id, userId: user.id });
      notifySuccess(`${user.name} may no longer send from ${mailbox.address}`);
    } catch (error) {
      notifyError(error, 'Not changed');
      throw error;
    }
  };

  return (
    <Stack gap="sm">
      {mailbox.users.length === 0 ? (
        <Text size="sm" c="dimmed">
          No API user may send from this mailbox yet.
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing="xs" aria-label="API users who may send">
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
                      aria-label={`Stop ${u.name} sending`}
                      title={`Stop ${u.name} sending from ${mailbox.address}?`}
                      consequence={`Tokens issued to ${u.name} from now on no longer allow sending as ${mailbox.address}.`}
                      confirmLabel="Take it away"
                      onConfirm={() => revoke(u)}
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
          scope={{ kind: 'api', sort: 'name' }}
          members={mailbox.users}
          label="Allow an API user"
          placeholder="Type to search API users"
          nothingFound="No other API user matches"
          addLabel="Allow"
          addIcon={<IconSend size={16} />}
          onAdd={allow}
        />
      ) : null}
    </Stack>
  );
}
