import { Button, Group, MultiSelect, Paper, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createPersonInput } from '../../../shared/schemas.js';
import { PasswordStrengthHint } from '../../app/auth/PasswordStrengthHint.js';
import { navigate } from '../../app/router.js';
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
  const groups = useGroups();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { name: '', email: '', password: '', groupIds: [] },
    validate: zodValidate(createPersonInput, toInput, fieldOf),
  });
  const submit = form.onSubmit((values) =>
    create.mutate(toInput(values), {
      onSuccess: (user) => {
        notifySuccess(`${user.name} can now log in.`);
        navigate(`/users/${user.id}`);
      },
      onError: (error) => showServerError(form, error, fieldOf),
    }),
  );
  return (
    <>
      <PageHeader title="New person" description="Someone who administers Keyrack. Their groups decide what they may do here." />
      <Paper withBorder p="lg" maw={560}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label="Name" description="What they log in with." withAsterisk autoFocus autoComplete="off" {...form.getInputProps('name')} />
            <TextInput label="Email" type="email" {...form.getInputProps('email')} />
            <PasswordInput label="Initial password" description="Tell it to them in person; they can change it later." withAsterisk autoComplete="new-password" {...form.getInputProps('password')} />
            <PasswordStrengthHint password={form.values.password} />
            <MultiSelect
              label="Groups"
              placeholder="Choose groups"
              data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
              searchable
              clearable
              {...form.getInputProps('groupIds')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate('/users')}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create person
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
