import { useState } from 'react';
import { Badge, Button, Group, List, Modal, Text, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconLock, IconPencil, IconPlus, IconShieldCheck } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import type { ResourceInfo } from '../../../shared/dto.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { PageHeader } from '../../components/PageHeader.js';
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
        notifySuccess(`Resource ${created.name} added`);
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
      notifySuccess(`Resource ${resource.name} saved`);
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
      notifySuccess(`Resource ${resource.name} removed`);
    } catch (error) {
      notifyError(error, `${resource.name} was not removed`);
      throw error;
    }
  };

  return (
    <>
      <PageHeader
        title="Rights catalogue"
        description="The resources your office's APIs expose, the actions on each, and the record filters they understand. Groups grant from this list."
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ mode: 'new' })}>
              Add resource
            </Button>
          ) : null
        }
      />
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
          noRecordsText="No resources yet"
          noRecordsIcon={<IconShieldCheck size={32} stroke={1.4} />}
          columns={[
            {
              accessor: 'name',
              title: 'Resource',
              render: (r) => (
                <div>
                  <Group gap={6} wrap="nowrap">
                    <ResourceName name={r.name} />
                    {r.builtin ? (
                      <Tooltip label="Built into Keyrack: read-only">
                        <Badge size="xs" variant="light" color="gray" leftSection={<IconLock size={10} />}>
                          built in
                        </Badge>
                      </Tooltip>
                    ) : null}
                  </Group>
                  {r.description ? (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {r.description}
                    </Text>
                  ) : null}
                </div>
              ),
            },
            {
              accessor: 'actions',
              title: 'Actions',
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
              title: 'Record filters',
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
              width: 210,
              render: (r) =>
                canManage && !r.builtin ? (
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setEditing({ mode: 'edit', resource: r })} aria-label={`Edit ${r.name}`}>
                      Edit
                    </Button>
                    <ConfirmButton
                      size="xs"
                      aria-label={`Remove ${r.name}`}
                      title={`Remove the resource ${r.name}?`}
                      consequence={removeConsequence(r, groupsUsingResource(r, groupDetails.data ?? []))}
                      confirmLabel="Remove resource"
                      onConfirm={() => removeResource(r)}
                    >
                      Remove
                    </ConfirmButton>
                  </Group>
                ) : null,
            },
          ]}
        />
      )}

      <Modal opened={editing !== null} onClose={close} title={editing?.mode === 'edit' ? `Edit ${editing.resource.name}` : 'Add a resource'} size="lg" centered>
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
            submitLabel={editing.mode === 'edit' ? 'Save resource' : 'Add resource'}
            loading={add.isPending || update.isPending}
            onSubmit={(v, f) => void save(v, f)}
            onCancel={close}
          />
        ) : null}
      </Modal>

      <ConfirmModal
        opened={pending !== null}
        title={pending ? `Take rights away from groups?` : ''}
        confirmLabel="Save and remove them"
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
  const base = `Every right on ${resource.name} (${resource.actions.map((a) => `${resource.name}:${a}`).join(', ')}) and its record filters leave the catalogue.`;
  return groups.length === 0
    ? `${base} No group holds any of them. This cannot be undone.`
    : `${base} These groups lose them: ${groups.join(', ')}. This cannot be undone.`;
}

function ImpactText({ resource, impact }: { resource: string; impact: RemovalImpact }) {
  return (
    <>
      <Text size="sm" mb="xs">
        Saving removes from {resource}:
      </Text>
      <List size="sm" spacing={4}>
        {impact.actions.map((a) => (
          <List.Item key={`a-${a.action}`}>
            the action <b>{a.action}</b>: {a.groups.length === 0 ? 'no group has it' : `taken from ${a.groups.join(', ')}`}
          </List.Item>
        ))}
        {impact.filters.map((f) => (
          <List.Item key={`f-${f.filter}`}>
            the record filter <b>{f.filter}</b>: {f.groups.length === 0 ? 'no group uses it' : `taken from ${f.groups.join(', ')}`}
          </List.Item>
        ))}
      </List>
      <Text size="sm" mt="xs">
        Tokens issued after this no longer carry them.
      </Text>
    </>
  );
}
