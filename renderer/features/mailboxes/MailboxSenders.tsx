import { useState } from 'react';
import { Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSend } from '@tabler/icons-react';
import type { MailboxInfo } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useUserOptions } from '../users/users.queries.js';
import { useAssignMailbox, useUnassignMailbox } from './mailboxes.queries.js';

/** Which API users may send from a mailbox: the list, add one, take one away (with confirmation). */
export function MailboxSenders({ mailbox, canManage }: { mailbox: MailboxInfo; canManage: boolean }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<string | null>(null);
  const users = useUserOptions({ kind: 'api', sort: 'name' }, debounced);
  const assign = useAssignMailbox();
  const unassign = useUnassignMailbox();
  const assigned = new Set(mailbox.users.map((u) => u.id));
  const options = (users.data?.rows ?? []).filter((u) => !assigned.has(u.id)).map((u) => ({ value: String(u.id), label: u.name }));

  const allow = async () => {
    if (!picked) return;
    const name = options.find((o) => o.value === picked)?.label ?? 'The API user';
    try {
      await assign.mutateAsync({ mailboxId: mailbox.id, userId: Number(picked) });
      notifySuccess(`${name} may now send from ${mailbox.address}`);
      setPicked(null);
      setSearch('');
    } catch (error) {
      notifyError(error, 'Not allowed');
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
        <Group align="flex-end" gap="xs">
          <Select
            label="Allow an API user"
            placeholder="Type to search API users"
            searchable
            clearable
            data={options}
            value={picked}
            onChange={setPicked}
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={users.isFetching ? 'Searching…' : 'No other API user matches'}
            filter={({ options: o }) => o}
            style={{ flex: 1 }}
          />
          <Button leftSection={<IconSend size={16} />} onClick={() => void allow()} disabled={!picked} loading={assign.isPending}>
            Allow
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
