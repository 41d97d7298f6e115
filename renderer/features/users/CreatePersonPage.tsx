import { Button, Group, MultiSelect, Paper, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { createPersonInput } from '../../../shared/schemas.js';
import { PasswordStrengthHint } from '../../app/auth/PasswordStrengthHint.js';
import { navigate } from '../../app/router.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { PageHeader } from '../../components/PageHeader.js';
import { optionalText, showServerError, zodValidate } from '../../lib/form.js';
import { notifySuccess } from '../../lib/notify.js';
import { useGroups } from '../groups/groups.queries.js';
import { useCreatePerson } from './users.queries.js';

interface Values {
  name: string;
  email: string;
  password: string;
  groupIds: string[];
}

const toInput = (v: Values) => ({ name: v.name, email: optionalText(v.email), password: v.password, groupIds: v.groupIds.map(Number) });
const fieldOf = (path: string) => path.split('.')[0]!;

/** A person who logs in to Keyrack; what they may do comes from the app permissions of their groups. */
export function CreatePersonPage() {
  const create = useCreatePerson();
  const { t } = useTranslation(['users', 'common']);
  const groups = useGroups();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { name: '', email: '', password: '', groupIds: [] },
    validate: zodValidate(createPersonInput, toInput, fieldOf),
  });
  useUnsavedChanges(form.isDirty);
  const submit = form.onSubmit((values) =>
    create.mutate(toInput(values), {
      onSuccess: (user) => {
        form.resetDirty(); // saved: opening the new person asks nothing
        notifySuccess(t('newPerson.created', { name: user.name }));
        navigate(`/users/${user.id}`);
      },
      onError: (error) => showServerError(form, error, fieldOf),
    }),
  );
  return (
    <>
      <PageHeader title={t('newPerson.title')} description={t('newPerson.description')} />
      <Paper withBorder p="lg" maw={560}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label={t('field.name')} description={t('newPerson.nameHint')} withAsterisk autoFocus autoComplete="off" {...form.getInputProps('name')} />
            <TextInput label={t('field.email')} type="email" {...form.getInputProps('email')} />
            <PasswordInput label={t('newPerson.password')} description={t('newPerson.passwordHint')} withAsterisk autoComplete="new-password" {...form.getInputProps('password')} />
            <PasswordStrengthHint password={form.values.password} />
            <MultiSelect
              label={t('field.groups')}
              placeholder={t('field.chooseGroups')}
              data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
              searchable
              // Opens on a click, typing or the arrow keys, not on Tab: an open list covers the fields below it
              // while a person tabs through the form (issue 13; as on the New API user form).
              openOnFocus={false}
              clearable
              {...form.getInputProps('groupIds')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate('/users')}>
                {t('common:cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('newPerson.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
