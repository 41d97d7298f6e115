import { useState } from 'react';
import { Badge, Button, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ActivationInfo, ActivationStatus, RegistrationInfo, RegistrationState } from '../../../shared/activations.dto.js';
import { Link } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useActivations, useRegistrations, useRevokeActivation } from './activations.queries.js';
import { CreateActivationDialog } from './CreateActivationDialog.js';
import { RegistrationDecision } from './RegistrationDecision.js';

const STATUS_COLOR: Record<ActivationStatus, string> = { active: 'teal', expired: 'red', used_up: 'gray', revoked: 'gray' };
const STATE_COLOR: Record<RegistrationState, string> = { pending: 'orange', active: 'teal', refused: 'red', deregistered: 'gray' };

/** The template in one line: what each registration gets (groups → scopes, mailboxes, allowlist). */
function templateSummary(a: ActivationInfo, t: TFunction<'activations'>): string {
  const { template } = a;
  return [
    template.scopes.length ? template.scopes.join(' ') : t('template.noScopes'),
    template.mailboxes.length ? template.mailboxes.map((m) => m.address).join(', ') : null,
    template.allowlist.length ? t('template.allowlist', { entries: template.allowlist.join(', ') }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** API users → Activations: what services may register as, and the services that did. */
export function ActivationsPage() {
  const { t } = useTranslation(['activations', 'common']);
  const canManage = useCan('users.manage');
  const [creating, setCreating] = useState(false);
  const activations = useActivations();
  const registrations = useRegistrations();
  const revoke = useRevokeActivation();
  const rows = activations.data ?? [];
  const registered = registrations.data ?? [];

  return (
    <>
      <Text size="sm" mb="xs">
        <Link to="/users">{t('backToUsers')}</Link>
      </Text>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('create')}
            </Button>
          )
        }
      />
      <Stack gap="xl">
        {activations.isError && (
          <Text c="red" role="alert">
            {t('loadFailed')}: {errorMessage(activations.error)}
          </Text>
        )}
        <DataTable<ActivationInfo>
          withTableBorder
          borderRadius="sm"
          striped
          minHeight={rows.length ? undefined : 150}
          scrollAreaProps={{ type: 'auto' }}
          fetching={activations.isPending}
          records={rows}
          noRecordsText={t('empty')}
          data-testid="activations"
          columns={[
            {
              accessor: 'name',
              title: t('column.name'),
              render: (a) => (
                // The template line breaks anywhere (scopes have no spaces): the table fits 1024×768.
                <Stack gap={0} miw={120} style={{ overflowWrap: 'anywhere' }}>
                  <Text size="sm" fw={500}>
                    {a.name}
                  </Text>
                  <Text size="xs" c="dimmed" data-testid="activation-template">
                    {templateSummary(a, t)}
                  </Text>
                </Stack>
              ),
            },
            {
              accessor: 'status',
              title: t('column.status'),
              render: (a) => (
                <Badge color={STATUS_COLOR[a.status]} variant="light" miw="max-content">
                  {t(`status.${a.status}`)}
                </Badge>
              ),
            },
            {
              accessor: 'registrationsUsed',
              title: t('column.registrations'),
              // Whether each needs approval sits under the count: a column of its own pushed the table past 1024 px.
              render: (a) => (
                <Stack gap={0}>
                  <Text size="sm">{t('used', { used: a.registrationsUsed, max: a.maxRegistrations })}</Text>
                  <Text size="xs" c="dimmed">
                    {a.requiresApproval ? t('needsApproval') : t('noApproval')}
                  </Text>
                </Stack>
              ),
            },
            // The dates of this table may break between day and time: in German, with the Revoke button, the
            // table was 87 px wider than a 1024×768 window with them on one line.
            { accessor: 'expiresAt', title: t('column.expires'), render: (a) => <Text size="sm">{formatTime(a.expiresAt)}</Text> },
            {
              accessor: 'createdAt',
              title: t('column.created'),
              render: (a) => (
                <Stack gap={0}>
                  <Text size="sm">
                    {formatTime(a.createdAt)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('byWhom', { name: a.createdBy })}
                  </Text>
                </Stack>
              ),
            },
            {
              accessor: 'actions',
              title: '',
              textAlign: 'right',
              render: (a) =>
                canManage && a.status === 'active' ? (
                  <ConfirmButton
                    size="xs"
                    title={t('revokeTitle', { name: a.name })}
                    consequence={t('revokeConsequence')}
                    confirmLabel={t('revokeConfirm')}
                    onConfirm={() =>
                      revoke.mutateAsync(
                        { id: a.id },
                        { onSuccess: () => notifySuccess(t('revoked', { name: a.name })), onError: (error) => notifyError(error) },
                      )
                    }
                  >
                    {t('revoke')}
                  </ConfirmButton>
                ) : null,
            },
          ]}
        />

        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('registrations.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('registrations.description')}
          </Text>
          {registrations.isError && (
            <Text c="red" role="alert">
              {errorMessage(registrations.error)}
            </Text>
          )}
          <DataTable<RegistrationInfo>
            withTableBorder
            borderRadius="sm"
            minHeight={registered.length ? undefined : 150}
            scrollAreaProps={{ type: 'auto' }}
            fetching={registrations.isPending}
            records={registered}
            noRecordsText={t('registrations.empty')}
            data-testid="registrations"
            columns={[
              {
                accessor: 'clientName',
                title: t('registrations.column.client'),
                render: (r) => (
                  <Stack gap={0}>
                    {r.userId !== null ? (
                      <Link to={`/users/${r.userId}`} fw={500} size="sm">
                        {r.clientName}
                      </Link>
                    ) : (
                      <Text size="sm" fw={500}>
                        {r.clientName}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {r.clientId}
                    </Text>
                  </Stack>
                ),
              },
              { accessor: 'activationName', title: t('registrations.column.activation') },
              {
                accessor: 'state',
                title: t('registrations.column.state'),
                render: (r) => (
                  <Badge color={STATE_COLOR[r.state]} variant="light" miw="max-content">
                    {t(`registrations.state.${r.state}`)}
                  </Badge>
                ),
              },
              {
                accessor: 'registeredAt',
                title: t('registrations.column.registered'),
                render: (r) => (
                  <Stack gap={0}>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatTime(r.registeredAt)}
                    </Text>
                    {r.sourceIp && (
                      <Text size="xs" c="dimmed">
                        {t('registrations.from', { ip: r.sourceIp })}
                      </Text>
                    )}
                  </Stack>
                ),
              },
              {
                accessor: 'softwareId',
                title: t('registrations.column.software'),
                render: (r) => [r.softwareId, r.softwareVersion].filter(Boolean).join(' ') || '—',
              },
              {
                accessor: 'decision',
                title: '',
                textAlign: 'right',
                render: (r) => (canManage && r.state === 'pending' ? <RegistrationDecision registration={r} /> : null),
              },
            ]}
          />
        </Stack>
      </Stack>
      {canManage && <CreateActivationDialog opened={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
