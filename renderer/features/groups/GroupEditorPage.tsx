import { useMemo } from 'react';
import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('groups');
  const submit = async (values: GroupFormValues, form: UseFormReturnType<GroupFormValues>) => {
    try {
      const group = await create.mutateAsync(values);
      form.resetDirty(); // saved: opening the new group asks nothing
      notifySuccess(t('editor.created', { name: group.name }));
      navigate(`/groups/${group.id}`);
    } catch (error) {
      showServerError(form, error, serverFieldOf);
    }
  };
  return (
    <>
      <PageHeader title={t('editor.newTitle')} description={t('editor.newDescription')} actions={<Link to="/groups">{t('editor.back')}</Link>} />
      {catalogue.isLoading ? <Loader /> : null}
      {catalogue.isError ? <LoadError error={catalogue.error} /> : null}
      {catalogue.data ? (
        <Paper withBorder p="lg" radius="md">
          <GroupForm initial={EMPTY_GROUP} catalogue={catalogue.data} builtin={false} submitLabel={t('editor.create')} loading={create.isPending} onSubmit={(v, f) => void submit(v, f)} />
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
  const { t } = useTranslation('groups');
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
      form.resetDirty();
      notifySuccess(t('editor.saved', { name: values.name }));
    } catch (error) {
      showServerError(form, error, serverFieldOf);
    }
  };

  const deleteGroup = async () => {
    try {
      await remove.mutateAsync(g.id);
      notifySuccess(t('editor.deleted', { name: g.name }));
      navigate('/groups', { discardChanges: true }); // the group is gone, and with it any edit
    } catch (error) {
      notifyError(error, t('editor.deleteFailed'));
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
                {t('builtIn')}
              </Badge>
            ) : null}
          </Group>
        }
        description={t('editor.members', { count: g.memberCount })}
        actions={
          <>
            <Link to="/groups">{t('editor.back')}</Link>
            {canManage && !g.builtin ? (
              <ConfirmButton
                title={t('editor.deleteTitle', { name: g.name })}
                consequence={
                  g.memberCount === 0
                    ? t('editor.deleteEmpty')
                    : t('editor.deleteMembers', { count: g.memberCount, names: g.members.map((m) => m.name).join(', ') })
                }
                confirmLabel={t('editor.delete')}
                onConfirm={deleteGroup}
              >
                {t('editor.delete')}
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
              submitLabel={t('editor.save')}
              loading={update.isPending}
              onSubmit={(v, f) => void submit(v, f)}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t('editor.readOnly')}
            </Text>
          )}
        </Paper>
        <Paper withBorder p="lg" radius="md">
          <Title order={2} size="h4" mb="sm">
            {t('editor.membersTitle')}
          </Title>
          <GroupMembers group={g} canManage={canManage} />
        </Paper>
      </Stack>
    </>
  );
}

function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation('groups');
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('editor.loadFailed')} role="alert">
      {errorMessage(error)}
    </Alert>
  );
}
