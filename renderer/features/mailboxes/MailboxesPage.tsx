import { useState } from 'react';
import { Badge, Button, Divider, Drawer, Group, Modal, Stack, Text, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconMail, IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { showServerError } from '../../lib/form.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { EMPTY_MAILBOX, MailboxForm, type MailboxFormValues } from './MailboxForm.js';
import { MailboxSenders } from './MailboxSenders.js';
import { useCreateMailbox, useDeleteMailbox, useMailboxes, useUpdateMailbox } from './mailboxes.queries.js';

/** Mailboxes API users may send as; the assigned ones travel in their tokens for the LAN mail service. */
export function MailboxesPage() {
  const mailboxes = useMailboxes();
  const canManage = useCan('mailboxes.manage');
  const create = useCreateMailbox();
  const update = useUpdateMailbox();
  const remove = useDeleteMailbox();
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  // Read from the live list, so the drawer shows each change as soon as main confirms it.
  const open = mailboxes.data?.find((m) => m.id === openId) ?? null;

  const createMailbox = async (values: MailboxFormValues, form: UseFormReturnType<MailboxFormValues>) => {
    try {
      const mailbox = await create.mutateAsync(values);
      notifySuccess(`Mailbox ${mailbox.address} created`);
      setCreating(false);
      setOpenId(mailbox.id);
    } catch (error) {
      showServerError(form, error);
    }
  };

  const saveMailbox = async (values: MailboxFormValues, form: UseFormReturnType<MailboxFormValues>) => {
    if (!open) return;
    try {
      await update.mutateAsync({ id: open.id, ...values });
      notifySuccess(`Mailbox ${values.address} saved`);
    } catch (error) {
      showServerError(form, error);
    }
  };

  const deleteMailbox = async () => {
    if (!open) return;
    try {
      await remove.mutateAsync(open.id);
      notifySuccess(`Mailbox ${open.address} deleted`);
      setOpenId(null);
    } catch (error) {
      notifyError(error, 'The mailbox was not deleted');
      throw error;
    }
  };

  return (
    <>
      <PageHeader
        title="Mailboxes"
        description="Addresses API users may send mail as. The mail service on your network reads them from each token."
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              New mailbox
            </Button>
          ) : null
        }
      />
      {mailboxes.isError ? (
        <Text c="red" role="alert">
          {errorMessage(mailboxes.error)}
        </Text>
      ) : (
        <DataTable
          withTableBorder
          borderRadius="sm"
          highlightOnHover
          minHeight={mailboxes.data?.length ? undefined : 240}
          fetching={mailboxes.isLoading}
          records={mailboxes.data ?? []}
          emptyState={
            <EmptyState
              icon={<IconMail size={24} stroke={1.4} />}
              title="No mailboxes yet"
              action={
                canManage ? (
                  <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)}>
                    Add the first mailbox
                  </Button>
                ) : null
              }
            >
              An API user may send mail only as a mailbox assigned to it. Add the office addresses your integrations send from, then assign them on the API user's Mailboxes tab.
            </EmptyState>
          }
          onRowClick={({ record }) => setOpenId(record.id)}
          columns={[
            {
              accessor: 'address',
              title: 'Address',
              render: (m) => (
                <Button variant="subtle" size="compact-sm" px={4} onClick={(e) => {
                    e.stopPropagation();
                    setOpenId(m.id);
                  }} aria-label={`Open ${m.address}`}>
                  {m.address}
                </Button>
              ),
            },
            { accessor: 'displayName', title: 'Display name', render: (m) => m.displayName || <Text c="dimmed" size="sm">—</Text> },
            {
              accessor: 'users',
              title: 'API users who may send',
              render: (m) =>
                m.users.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    nobody yet
                  </Text>
                ) : (
                  <Group gap={4}>
                    {m.users.map((u) => (
                      <Badge key={u.id} variant="light" color="violet" tt="none">
                        {u.name}
                      </Badge>
                    ))}
                  </Group>
                ),
            },
            { accessor: 'createdAt', title: 'Created', width: 160, render: (m) => formatTime(m.createdAt) },
          ]}
        />
      )}

      <Modal opened={creating} onClose={() => setCreating(false)} title="New mailbox" centered>
        {creating ? (
          <MailboxForm initial={EMPTY_MAILBOX} submitLabel="Create mailbox" loading={create.isPending} onSubmit={(v, f) => void createMailbox(v, f)} onCancel={() => setCreating(false)} />
        ) : null}
      </Modal>

      <Drawer opened={open !== null} onClose={() => setOpenId(null)} position="right" size="md" title={<Text fw={600}>{open?.address}</Text>}>
        {open ? (
          <Stack gap="lg">
            {canManage ? (
              <MailboxForm
                key={open.id}
                initial={{ address: open.address, displayName: open.displayName }}
                submitLabel="Save mailbox"
                loading={update.isPending}
                onSubmit={(v, f) => void saveMailbox(v, f)}
              />
            ) : (
              <Text size="sm">{open.displayName || 'No display name'}</Text>
            )}
            <Divider />
            <div>
              <Title order={3} size="h5" mb="xs">
                API users who may send from it
              </Title>
              <MailboxSenders mailbox={open} canManage={canManage} />
            </div>
            {canManage ? (
              <>
                <Divider />
                <Group justify="flex-end">
                  <ConfirmButton
                    title={`Delete the mailbox ${open.address}?`}
                    consequence={
                      open.users.length === 0
                        ? 'No API user sends from it. Deleting it cannot be undone.'
                        : `${open.users.map((u) => u.name).join(', ')} can no longer send as ${open.address}. This cannot be undone.`
                    }
                    confirmLabel="Delete mailbox"
                    onConfirm={deleteMailbox}
                  >
                    Delete mailbox
                  </ConfirmButton>
                </Group>
              </>
            ) : null}
          </Stack>
        ) : null}
      </Drawer>
    </>
  );
}
