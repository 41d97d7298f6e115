import { useState } from 'react';
import { Badge, Button, Divider, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle, IconInbox, IconMail, IconPlus, IconServer, IconSettings, IconUsers } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { FormDrawer, FormModal } from '../../components/FormModal.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { showServerError } from '../../lib/form.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { EMPTY_MAILBOX, MailboxForm, type MailboxFormValues } from './MailboxForm.js';
import { MailboxSenders } from './MailboxSenders.js';
import { useCreateMailbox, useDeleteMailbox, useMailboxes, useUpdateMailbox } from './mailboxes.queries.js';
import { MailQueuePanel } from './MailQueuePanel.js';
import { MailSettingsPanel } from './MailSettingsPanel.js';
import { useMailStats } from './mail.queries.js';
import type { MailboxMailStats } from '../../../shared/mail.dto.js';
import { formatCount } from '../../lib/format.js';

/** The drawer's first tab: the mailbox itself and who may send from it. */
const FIRST_TAB = 'general';

/** Mailboxes API users may send as; the assigned ones travel in their tokens for the LAN mail service. */
export function MailboxesPage() {
  const mailboxes = useMailboxes();
  const canManage = useCan('mailboxes.manage');
  const { t } = useTranslation('mailboxes');
  const create = useCreateMailbox();
  const update = useUpdateMailbox();
  const remove = useDeleteMailbox();
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [defaultsOpen, setDefaultsOpen] = useState(false);
  const stats = useMailStats();
  const statsOf = (id: number) => stats.data?.find((s) => s.mailboxId === id);
  // Read from the live list, so the drawer shows each change as soon as main confirms it.
  const open = mailboxes.data?.find((m) => m.id === openId) ?? null;

  const createMailbox = async (values: MailboxFormValues, form: UseFormReturnType<MailboxFormValues>) => {
    try {
      const mailbox = await create.mutateAsync(values);
      notifySuccess(t('created', { address: mailbox.address }));
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
      form.resetDirty();
      notifySuccess(t('saved', { address: values.address }));
    } catch (error) {
      showServerError(form, error);
    }
  };

  const deleteMailbox = async () => {
    if (!open) return;
    try {
      await remove.mutateAsync(open.id);
      notifySuccess(t('deleted', { address: open.address }));
      setOpenId(null);
    } catch (error) {
      notifyError(error, t('deleteFailed'));
      throw error;
    }
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Group gap="xs">
            <Button variant="default" leftSection={<IconServer size={16} />} onClick={() => setDefaultsOpen(true)}>
              {t('mail.defaults')}
            </Button>
            {canManage ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                {t('new')}
              </Button>
            ) : null}
          </Group>
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
              title={t('empty.title')}
              action={
                canManage ? (
                  <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)}>
                    {t('empty.addFirst')}
                  </Button>
                ) : null
              }
            >
              {t('empty.hint')}
            </EmptyState>
          }
          onRowClick={({ record }) => setOpenId(record.id)}
          columns={[
            {
              accessor: 'address',
              title: t('column.address'),
              render: (m) => (
                <Button variant="subtle" size="compact-sm" px={4} onClick={(e) => {
                    e.stopPropagation();
                    setOpenId(m.id);
                  }} aria-label={t('open', { address: m.address })}>
                  {m.address}
                </Button>
              ),
            },
            { accessor: 'displayName', title: t('column.displayName'), render: (m) => m.displayName || <Text c="dimmed" size="sm">—</Text> },
            {
              accessor: 'users',
              title: t('column.senders'),
              render: (m) =>
                m.users.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('nobodyYet')}
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
            { accessor: 'mail', title: t('column.mail'), render: (m) => <MailCounts stats={statsOf(m.id)} /> },
            { accessor: 'createdAt', title: t('column.created'), width: 160, render: (m) => formatTime(m.createdAt) },
          ]}
        />
      )}

      <FormModal opened={creating} onClose={() => setCreating(false)} title={t('new')} centered>
        {creating ? (
          <MailboxForm initial={EMPTY_MAILBOX} submitLabel={t('create')} loading={create.isPending} onSubmit={(v, f) => void createMailbox(v, f)} onCancel={() => setCreating(false)} />
        ) : null}
      </FormModal>

      <FormDrawer opened={open !== null} onClose={() => setOpenId(null)} position="right" size="xl" title={<Text fw={600}>{open?.address}</Text>}>
        {open ? (
          <Tabs defaultValue={FIRST_TAB} keepMounted={false} key={open.id}>
            <Tabs.List mb="md">
              <Tabs.Tab value="general" leftSection={<IconUsers size={16} />}>
                {t('mail.tab.general')}
              </Tabs.Tab>
              <Tabs.Tab value="upstream" leftSection={<IconServer size={16} />}>
                {t('mail.tab.upstream')}
              </Tabs.Tab>
              <Tabs.Tab value="settings" leftSection={<IconSettings size={16} />}>
                {t('mail.tab.settings')}
              </Tabs.Tab>
              <Tabs.Tab
                value="queue"
                leftSection={<IconInbox size={16} />}
                rightSection={statsOf(open.id)?.failing ? <IconAlertTriangle size={14} color="var(--mantine-color-red-6)" aria-label={t('mail.failing')} /> : null}
              >
                {t('mail.tab.queue')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="general">
              <Stack gap="lg">
                {canManage ? (
                  <MailboxForm
                    key={open.id}
                    initial={{ address: open.address, displayName: open.displayName }}
                    submitLabel={t('save')}
                    loading={update.isPending}
                    onSubmit={(v, f) => void saveMailbox(v, f)}
                  />
                ) : (
                  <Text size="sm">{open.displayName || t('noDisplayName')}</Text>
                )}
                <Divider />
                <div>
                  <Title order={3} size="h5" mb="xs">
                    {t('sendersTitle')}
                  </Title>
                  <MailboxSenders mailbox={open} canManage={canManage} />
                </div>
                {canManage ? (
                  <>
                    <Divider />
                    <Group justify="flex-end">
                      <ConfirmButton
                        title={t('deleteTitle', { address: open.address })}
                        consequence={
                          open.users.length === 0
                            ? t('deleteUnused')
                            : t('deleteUsed', { names: open.users.map((u) => u.name).join(', '), address: open.address })
                        }
                        confirmLabel={t('delete')}
                        onConfirm={deleteMailbox}
                      >
                        {t('delete')}
                      </ConfirmButton>
                    </Group>
                  </>
                ) : null}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="upstream">
              <MailSettingsPanel mailboxId={open.id} part="upstream" canManage={canManage} />
            </Tabs.Panel>
            <Tabs.Panel value="settings">
              <MailSettingsPanel mailboxId={open.id} part="settings" canManage={canManage} />
            </Tabs.Panel>
            <Tabs.Panel value="queue">
              <MailQueuePanel mailboxId={open.id} stats={statsOf(open.id)} canManage={canManage} />
            </Tabs.Panel>
          </Tabs>
        ) : null}
      </FormDrawer>

      <FormDrawer opened={defaultsOpen} onClose={() => setDefaultsOpen(false)} position="right" size="xl" title={<Text fw={600}>{t('mail.defaultsTitle')}</Text>}>
        {defaultsOpen ? (
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('mail.defaultsHint')}
            </Text>
            <MailSettingsPanel mailboxId={null} part="both" canManage={canManage} />
          </Stack>
        ) : null}
      </FormDrawer>
    </>
  );
}

/** A mailbox's mail in one line: waiting, sent, failed; red when it is failing (mail.stats `failing`). */
function MailCounts({ stats }: { stats: MailboxMailStats | undefined }) {
  const { t } = useTranslation('mailboxes');
  if (!stats || stats.queued + stats.sending + stats.sent + stats.failed === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('mail.nothingSent')}
      </Text>
    );
  }
  const waiting = stats.queued + stats.sending;
  return (
    <Group gap={4} wrap="nowrap" data-testid={`mail-counts-${stats.mailboxId}`}>
      {waiting > 0 ? (
        <Badge variant="light" color="blue" tt="none">
          {t('mail.count.queued', { count: waiting, n: formatCount(waiting) })}
        </Badge>
      ) : null}
      <Badge variant="light" color="teal" tt="none">
        {t('mail.count.sent', { count: stats.sent, n: formatCount(stats.sent) })}
      </Badge>
      {stats.failed > 0 ? (
        <Tooltip label={stats.lastError ?? ''} disabled={!stats.lastError} multiline maw={360}>
          <Badge variant={stats.failing ? 'filled' : 'light'} color="red" tt="none" leftSection={stats.failing ? <IconAlertTriangle size={12} /> : null}>
            {t('mail.count.failed', { count: stats.failed, n: formatCount(stats.failed) })}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}
