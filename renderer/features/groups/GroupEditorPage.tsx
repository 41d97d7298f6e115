import { useMemo } from 'react';
import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { GroupDetail } from '../../../shared/dto.js';
import { Link, navigate } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { PageHeader } from '../../components/PageHeader.js';
import { showServerError } from '../../lib/form.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useRightsCatalogue } from '../rights/rights.queries.js';
import { EMPTY_GROUP, GroupForm, groupFieldOf, type GroupFormValues } from './GroupForm.js';
import { GroupMembers } from './GroupMembers.js';
import { useCreateGroup, useDeleteGroup, useGroup, useUpdateGroup } from './groups.queries.js';

const toValues = (g: GroupDetail): GroupFormValues => ({
  name: g.name,
  description: g.description,
  appPermissions: g.appPermissions,
  rights: g.rights,
  filterIds: g.filters.map((f) => f.id),
});

/** Main's field paths (`rights.2`, `name`) onto the form's fields. */
const serverFieldOf = (path: string) => groupFieldOf(path);

export function NewGroupPage() {
  const catalogue = useRightsCatalogue();
  const create = useCreateGroup();
  const submit = async (values: GroupFormValues, form: UseFormReturnType<GroupFormValues>) => {
    try {
      const group = await create.mutateAsync(values);
      notifySuccess(`Group ${group.name} created`);
      navigate(`/groups/${group.id}`);
    } catch (error) {
      showServerError(form, error, serverFieldOf);
    }
  };
  return (
    <>
      <PageHeader title="New group" description="Name the group, then choose what people and API users in it may do." actions={<Link to="/groups">Back to groups</Link>} />
      {catalogue.isLoading ? <Loader /> : null}
      {catalogue.isError ? <LoadError error={catalogue.error} /> : null}
      {catalogue.data ? (
        <Paper withBorder p="lg" radius="md">
          <GroupForm initial={EMPTY_GROUP} catalogue={catalogue.data} builtin={false} submitLabel="Create group" loading={create.isPending} onSubmit={(v, f) => void submit(v, f)} />
        </Paper>
      ) : null}
    </>
  );
}

export function GroupEditorPage({ id }: { id: number }) {
  const group = useGroup(id);
  const catalogue = useRightsCatalogue();
  const update = useUpdateGroup();
  const remove = useDeleteGroup();
  const canManage = useCan('groups.manage');
  const initial = useMemo(() => (group.data ? toValues(group.data) : null), [group.data]);

  if (group.isLoading || catalogue.isLoading) return <Loader />;
  if (group.isError) return <LoadError error={group.error} />;
  if (catalogue.isError) return <LoadError error={catalogue.error} />;
  if (!group.data || !catalogue.data || !initial) return null;
  const g = group.data;

  const submit = async (values: GroupFormValues, form: UseFormReturnType<GroupFormValues>) => {
    try {
      // The built-in group's name and app permissions are fixed; main refuses the call if they are sent.
      const fixed = g.builtin ? {} : { name: values.name, appPermissions: values.appPermissions };
      await update.mutateAsync({ id: g.id, ...fixed, description: values.description, rights: values.rights, filterIds: values.filterIds });
      notifySuccess(`Group ${values.name} saved`);
    } catch (error) {
      showServerError(form, error, serverFieldOf);
    }
  };

  const deleteGroup = async () => {
    try {
      await remove.mutateAsync(g.id);
      notifySuccess(`Group ${g.name} deleted`);
      navigate('/groups');
    } catch (error) {
      notifyError(error, 'The group was not deleted');
      throw error;
    }
  };

  return (
    <>
      <PageHeader
        title={
          <Group gap="xs" component="span">
            <span>{g.name}</span>
            {g.builtin ? (
              <Badge variant="light" color="gray">
                built in
              </Badge>
            ) : null}
          </Group>
        }
        description={`${g.memberCount} member${g.memberCount === 1 ? '' : 's'}`}
        actions={
          <>
            <Link to="/groups">Back to groups</Link>
            {canManage && !g.builtin ? (
              <ConfirmButton
                title={`Delete the group ${g.name}?`}
                consequence={
                  g.memberCount === 0
                    ? `The group has no members. Deleting it cannot be undone.`
                    : `Its ${g.memberCount} member${g.memberCount === 1 ? '' : 's'} (${g.members.map((m) => m.name).join(', ')}) lose the rights and app permissions it gives. This cannot be undone.`
                }
                confirmLabel="Delete group"
                onConfirm={deleteGroup}
              >
                Delete group
              </ConfirmButton>
            ) : null}
          </>
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="lg" radius="md">
          {canManage ? (
            <GroupForm
              key={`${g.id}`}
              initial={initial}
              catalogue={catalogue.data}
              builtin={g.builtin}
              submitLabel="Save group"
              loading={update.isPending}
              onSubmit={(v, f) => void submit(v, f)}
            />
          ) : (
            <Text size="sm" c="dimmed">
              You can see this group but not change it (that needs the permission to manage groups).
            </Text>
          )}
        </Paper>
        <Paper withBorder p="lg" radius="md">
          <Title order={2} size="h4" mb="sm">
            Members
          </Title>
          <GroupMembers group={g} canManage={canManage} />
        </Paper>
      </Stack>
    </>
  );
}

function LoadError({ error }: { error: unknown }) {
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Could not load" role="alert">
      {errorMessage(error)}
    </Alert>
  );
}
