import { useState } from 'react';
import { Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MailboxInfo } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useApiUserOptions, useAssignMailbox, useUnassignMailbox } from './mailboxes.queries.js';

/** Which API users may send from a mailbox: the list, add one, take one away (with confirmation). */
export function MailboxSenders({ mailbox, canManage }: { mailbox: MailboxInfo; canManage: boolean }) {
  const { t } = useTranslation('mailboxes');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<string | null>(null);
  const users = useApiUserOptions(debounced);
  const assign = useAssignMailbox();
  const unassign = useUnassignMailbox();
  const assigned = new Set(mailbox.users.map((u) => u.id));
  const options = (users.data?.rows ?? []).filter((u) => !assigned.has(u.id)).map((u) => ({ value: String(u.id), label: u.name }));

  const allow = async () => {
    if (!picked) return;
    const name = options.find((o) => o.value === picked)?.label ?? t('senders.theApiUser');
    try {
      await assign.mutateAsync({ mailboxId: mailbox.id, userId: Number(picked) });
      notifySuccess(t('senders.allowed', { name, address: mailbox.address }));
      setPicked(null);
      setSearch('');
    } catch (error) {
      notifyError(error, t('senders.allowFailed'));
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
        <Group align="flex-end" gap="xs">
          <Select
            label={t('senders.allowLabel')}
            placeholder={t('senders.searchPlaceholder')}
            searchable
            clearable
            data={options}
            value={picked}
            onChange={setPicked}
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={users.isFetching ? t('senders.searching') : t('senders.noOther')}
            filter={({ options: o }) => o}
            style={{ flex: 1 }}
          />
          <Button leftSection={<IconSend size={16} />} onClick={() => void allow()} disabled={!picked} loading={assign.isPending}>
            {t('senders.allow')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
