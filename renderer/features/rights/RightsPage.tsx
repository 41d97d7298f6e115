import { useState } from 'react';
import { Badge, Button, Center, Group, List, Paper, Text, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconLock, IconPencil, IconPlus, IconShieldCheck } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { ResourceInfo } from '../../../shared/dto.js';
import { useCan } from '../../app/session.js';
import { i18n } from '../../i18n/i18n.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormModal } from '../../components/FormModal.js';
import { PageHeader } from '../../components/PageHeader.js';
import { builtInDescription } from '../../lib/builtin-text.js';
import { showServerError } from '../../lib/form.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useGroupDetails } from '../groups/groups.queries.js';
import { ConfirmModal } from './ConfirmModal.js';
import { resourceSections } from '../groups/rights-matrix.js';
import { EMPTY_RESOURCE, ResourceForm, resourceFieldOf, type ResourceFormValues } from './ResourceForm.js';
import { groupsUsingResource, isHarmless, removalImpact, type RemovalImpact } from './removal-impact.js';
import { useAddResource, useRemoveResource, useRightsCatalogue, useUpdateResource } from './rights.queries.js';

type Editing = { mode: 'new' } | { mode: 'edit'; resource: ResourceInfo } | null;

/** A pending edit that takes rights away from groups, waiting for the admin to confirm it. */
interface PendingEdit {
  resource: ResourceInfo;
  values: ResourceFormValues;
  form: UseFormReturnType<ResourceFormValues>;
  impact: RemovalImpact;
}

/** An endpoint-style name shows its first segment dimmed, so resources of one API read as a group. */
function ResourceName({ name }: { name: string }) {
  const slash = name.indexOf('/');
  if (slash < 0) {
    return (
      <Text fw={500} size="sm">
        {name}
      </Text>
    );
  }
  return (
    <Text fw={500} size="sm">
      <Text span c="dimmed" inherit>
        {name.slice(0, slash + 1)}
      </Text>
      {name.slice(slash + 1)}
    </Text>
  );
}

/** The rights catalogue: the resources, actions and record filters the office's LAN APIs understand. */
export function RightsPage() {
  const catalogue = useRightsCatalogue();
  const canManage = useCan('groups.manage');
  const { t } = useTranslation(['rights', 'groups']);
  const groupDetails = useGroupDetails(canManage);
  const add = useAddResource();
  const update = useUpdateResource();
  const remove = useRemoveResource();
  const [editing, setEditing] = useState<Editing>(null);
  const [pending, setPending] = useState<PendingEdit | null>(null);
  const [pendingError, setPendingError] = useState<unknown>(null);

  const close = () => setEditing(null);

  const save = async (values: ResourceFormValues, form: UseFormReturnType<ResourceFormValues>) => {
    if (editing?.mode === 'new') {
      try {
        const created = await add.mutateAsync(values);
        notifySuccess(t('added', { name: created.name }));
        close();
      } catch (error) {
        showServerError(form, error, resourceFieldOf);
      }
      return;
    }
    if (editing?.mode !== 'edit') return;
    const impact = removalImpact(editing.resource, values, groupDetails.data ?? []);
    if (isHarmless(impact)) await applyEdit(editing.resource, values, form);
    else {
      setPendingError(null);
      setPending({ resource: editing.resource, values, form, impact });
    }
  };

  const applyEdit = async (resource: ResourceInfo, values: ResourceFormValues, form: UseFormReturnType<ResourceFormValues>) => {
    try {
      await update.mutateAsync({ id: resource.id, description: values.description, actions: values.actions, filters: values.filters });
      notifySuccess(t('saved', { name: resource.name }));
      setPending(null);
      close();
    } catch (error) {
      if (pending) setPendingError(error);
      else showServerError(form, error, resourceFieldOf);
    }
  };

  const removeResource = async (resource: ResourceInfo) => {
    try {
      await remove.mutateAsync(resource.id);
      notifySuccess(t('removed', { name: resource.name }));
    } catch (error) {
      notifyError(error, t('removeFailed', { name: resource.name }));
      throw error;
    }
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ mode: 'new' })}>
              {t('add')}
            </Button>
          ) : null
        }
      />
      {catalogue.data?.every((r) => r.builtin) ? (
        // Only Keyrack's own resource: nothing yet for a group to grant an integration.
        <Paper withBorder py="md" mb="md" data-testid="no-own-resources">
          <Center>
            <EmptyState
              icon={<IconShieldCheck size={24} stroke={1.4} />}
              title={t('firstApi.title')}
              action={
                canManage ? (
                  <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing({ mode: 'new' })}>
                    {t('firstApi.action')}
                  </Button>
                ) : null
              }
            >
              {t('firstApi.hint')}
            </EmptyState>
          </Center>
        </Paper>
      ) : null}
      {catalogue.isError ? (
        <Text c="red" role="alert">
          {errorMessage(catalogue.error)}
        </Text>
      ) : (
        <DataTable
          withTableBorder
          borderRadius="sm"
          verticalAlign="top"
          minHeight={catalogue.data?.length ? undefined : 180}
          fetching={catalogue.isLoading}
          // Endpoint-style resources next to each other under their first segment (rights-matrix.ts).
          records={resourceSections(catalogue.data ?? []).flatMap((section) => section.resources)}
          noRecordsText={t('empty')}
          noRecordsIcon={<IconShieldCheck size={32} stroke={1.4} />}
          columns={[
            {
              accessor: 'name',
              title: t('column.resource'),
              render: (r) => (
                <div>
                  <Group gap={6} wrap="nowrap">
                    <ResourceName name={r.name} />
                    {r.builtin ? (
                      <Tooltip label={t('builtInHint')}>
                        <Badge size="xs" variant="light" color="gray" leftSection={<IconLock size={10} />}>
                          {t('groups:builtIn')}
                        </Badge>
                      </Tooltip>
                    ) : null}
                  </Group>
                  {r.description ? (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {builtInDescription(r)}
                    </Text>
                  ) : null}
                </div>
              ),
            },
            {
              accessor: 'actions',
              title: t('column.actions'),
              render: (r) => (
                <Group gap={4}>
                  {r.actions.map((a) => (
                    <Badge key={a} variant="light" tt="none">
                      {a}
                    </Badge>
                  ))}
                </Group>
              ),
            },
            {
              accessor: 'filters',
              title: t('column.filters'),
              render: (r) =>
                r.filters.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ) : (
                  <Group gap={4}>
                    {r.filters.map((f) => (
                      <Tooltip key={f.id} label={f.description} disabled={!f.description}>
                        <Badge variant="outline" color="gray" tt="none">
                          {f.name}
                        </Badge>
                      </Tooltip>
                    ))}
                  </Group>
                ),
            },
            {
              accessor: 'id',
              title: '',
              textAlign: 'right',
              // As wide as its two buttons, whatever their language ("Bearbeiten" did not fit a fixed 210 px).
              width: '1%',
              render: (r) =>
                canManage && !r.builtin ? (
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setEditing({ mode: 'edit', resource: r })} aria-label={t('editName', { name: r.name })}>
                      {t('edit')}
                    </Button>
                    <ConfirmButton
                      size="xs"
                      aria-label={t('removeName', { name: r.name })}
                      title={t('removeTitle', { name: r.name })}
                      consequence={removeConsequence(r, groupsUsingResource(r, groupDetails.data ?? []))}
                      confirmLabel={t('removeConfirm')}
                      onConfirm={() => removeResource(r)}
                    >
                      {t('remove')}
                    </ConfirmButton>
                  </Group>
                ) : null,
            },
          ]}
        />
      )}

      <FormModal opened={editing !== null} onClose={close} title={editing?.mode === 'edit' ? t('editName', { name: editing.resource.name }) : t('addTitle')} size="lg" centered>
        {editing ? (
          <ResourceForm
            key={editing.mode === 'edit' ? editing.resource.id : 'new'}
            initial={
              editing.mode === 'edit'
                ? {
                    name: editing.resource.name,
                    description: editing.resource.description,
                    actions: editing.resource.actions,
                    filters: editing.resource.filters.map((f) => ({ name: f.name, description: f.description })),
                  }
                : EMPTY_RESOURCE
            }
            editing={editing.mode === 'edit'}
            submitLabel={editing.mode === 'edit' ? t('save') : t('add')}
            loading={add.isPending || update.isPending}
            onSubmit={(v, f) => void save(v, f)}
            onCancel={close}
          />
        ) : null}
      </FormModal>

      <ConfirmModal
        opened={pending !== null}
        title={pending ? t('impact.title') : ''}
        confirmLabel={t('impact.confirm')}
        loading={update.isPending}
        error={pendingError}
        onClose={() => setPending(null)}
        onConfirm={() => pending && void applyEdit(pending.resource, pending.values, pending.form)}
      >
        {pending ? <ImpactText resource={pending.resource.name} impact={pending.impact} /> : null}
      </ConfirmModal>
    </>
  );
}

function removeConsequence(resource: ResourceInfo, groups: string[]): string {
  const t = i18n.getFixedT(null, 'rights');
  const scopes = resource.actions.map((a) => `${resource.name}:${a}`).join(', ');
  return groups.length === 0
    ? t('removeUnused', { name: resource.name, scopes })
    : t('removeUsed', { name: resource.name, scopes, groups: groups.join(', ') });
}

function ImpactText({ resource, impact }: { resource: string; impact: RemovalImpact }) {
  const { t } = useTranslation(['rights', 'groups']);
  return (
    <>
      <Text size="sm" mb="xs">
        {t('impact.intro', { resource })}
      </Text>
      <List size="sm" spacing={4}>
        {impact.actions.map((a) => (
          <List.Item key={`a-${a.action}`}>
            {t('impact.action')} <b>{a.action}</b>: {a.groups.length === 0 ? t('impact.actionUnused') : t('impact.takenFrom', { groups: a.groups.join(', ') })}
          </List.Item>
        ))}
        {impact.filters.map((f) => (
          <List.Item key={`f-${f.filter}`}>
            {t('impact.filter')} <b>{f.filter}</b>: {f.groups.length === 0 ? t('impact.filterUnused') : t('impact.takenFrom', { groups: f.groups.join(', ') })}
          </List.Item>
        ))}
      </List>
      <Text size="sm" mt="xs">
        {t('impact.tokens')}
      </Text>
    </>
  );
}
