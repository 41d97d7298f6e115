import { useState } from 'react';
import { Button, Grid, Paper, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { ApiUserCreated } from '../../../shared/dto.js';
import { createApiUserInput } from '../../../shared/schemas.js';
import { navigate } from '../../app/router.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StickyFormActions } from '../../components/StickyFormActions.js';
import { keepEnterFromSubmitting, optionalText, showServerError, zodValidate } from '../../lib/form.js';
import { DEFAULT_SECRET_EXPIRY, presetDay } from '../../lib/secret-expiry.js';
import { SecretExpiryField } from '../../components/SecretExpiryField.js';
import { endOfDay, strictDateInput } from '../../lib/format.js';
import { notifySuccess } from '../../lib/notify.js';
import { ScopesPreview } from './ScopesPreview.js';
import { ExportCredentialFileButton } from './ExportCredentialFile.js';
import { ApiUserAccessFields } from './ApiUserAccessFields.js';
import { SecretReveal } from './SecretReveal.js';
import { useMailboxes } from '../mailboxes/mailboxes.queries.js';
import { useCreateApiUser, useScopesPreview } from './users.queries.js';

interface Values {
  name: string;
  email: string;
  description: string;
  groupIds: string[];
  mailboxIds: string[];
  allowlist: string[];
  expiresAt: string | null;
  secretExpiresAt: string | null;
}

const toInput = (v: Values) => ({
  name: v.name,
  email: optionalText(v.email),
  description: v.description,
  groupIds: v.groupIds.map(Number),
  mailboxIds: v.mailboxIds.map(Number),
  allowlist: v.allowlist,
  expiresAt: endOfDay(v.expiresAt),
  secretExpiresAt: endOfDay(v.secretExpiresAt),
});

/** `allowlist.2` → `allowlist`: list errors show under the list's input. */
const fieldOf = (path: string) => path.split('.')[0]!;

const tomorrow = () => {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return d;
};

/** Create API user, then the one-time reveal of its client id and secret. */
export function CreateApiUserPage() {
  const create = useCreateApiUser();
  const { t } = useTranslation(['users', 'common']);
  const mailboxes = useMailboxes();
  const [created, setCreated] = useState<ApiUserCreated | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: '',
      email: '',
      description: '',
      groupIds: [],
      mailboxIds: [],
      allowlist: [],
      expiresAt: null,
      secretExpiresAt: presetDay(DEFAULT_SECRET_EXPIRY) ?? null,
    },
    validate: zodValidate(createApiUserInput, toInput, fieldOf),
  });
  useUnsavedChanges(form.isDirty);
  const preview = useScopesPreview(form.values.groupIds.map(Number));
  const chosenMailboxes = (mailboxes.data ?? []).filter((m) => form.values.mailboxIds.includes(String(m.id))).map((m) => m.address);

  if (created) {
    return (
      <>
        <PageHeader title={t('newApiUser.readyTitle', { name: created.user.name })} description={t('newApiUser.readyDescription')} />
        <Paper withBorder p="lg" maw={760}>
          <SecretReveal
            clientId={created.clientId}
            secret={created.secret}
            actions={
              <>
                <ExportCredentialFileButton userId={created.user.id} secret={created.secret} />
                <Button
                  onClick={() => {
                    const id = created.user.id;
                    setCreated(null);
                    create.reset();
                    navigate(`/users/${id}`);
                  }}
                >
                  {t('secrets.stored')}
                </Button>
              </>
            }
          />
        </Paper>
      </>
    );
  }

  const submit = form.onSubmit((values) =>
    create.mutate(toInput(values), {
      onSuccess: (result) => {
        form.resetDirty(); // saved: leaving the reveal asks nothing about the form
        notifySuccess(t('newApiUser.created', { name: result.user.name }));
        setCreated(result);
      },
      onError: (error) => showServerError(form, error, fieldOf),
    }),
  );

  return (
    <>
      <PageHeader title={t('newApiUser.title')} description={t('newApiUser.description')} />
      <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate style={{ maxWidth: 1100 }}>
        <Grid gap="lg" maw={1100}>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack>
              <TextInput label={t('field.name')} description={t('newApiUser.nameHint')} withAsterisk autoFocus {...form.getInputProps('name')} />
              <TextInput label={t('field.email')} description={t('newApiUser.emailHint')} type="email" {...form.getInputProps('email')} />
              <Textarea label={t('field.description')} description={t('field.descriptionHint')} autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
              <ApiUserAccessFields
                groups={form.getInputProps('groupIds')}
                mailboxes={form.getInputProps('mailboxIds')}
                allowlist={{ value: form.values.allowlist, onChange: (entries) => form.setFieldValue('allowlist', entries), error: form.errors.allowlist }}
                groupsHint={t('newApiUser.groupsHint')}
                mailboxesHint={t('newApiUser.mailboxesHint')}
              />
              <DateInput
                label={t('field.accountExpires')}
                description={t('newApiUser.expiresHint')}
                placeholder={t('common:never')}
                clearable
                minDate={tomorrow()}
                {...strictDateInput()}
                {...form.getInputProps('expiresAt')}
              />
              <SecretExpiryField
                label={t('newApiUser.firstSecretExpires')}
                value={form.values.secretExpiresAt}
                onChange={(day) => form.setFieldValue('secretExpiresAt', day)}
                error={form.errors.secretExpiresAt as string | undefined}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="xs">
              <Title order={2} size="h5">
                {t('newApiUser.tokensCarry')}
              </Title>
              <ScopesPreview scopes={preview.scopes} filters={preview.filters} mailboxes={chosenMailboxes} loading={preview.loading} />
            </Stack>
          </Grid.Col>
        </Grid>
        <StickyFormActions>
          <Button variant="default" onClick={() => navigate('/users')}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('newApiUser.submit')}
          </Button>
        </StickyFormActions>
      </form>
    </>
  );
}
