import { Alert, Badge, Button, Checkbox, Fieldset, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { AppPermission } from '../../../shared/domain.js';
import type { ResourceInfo } from '../../../shared/dto.js';
import * as S from '../../../shared/schemas.js';
import { Link } from '../../app/router.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { zodValidate } from '../../lib/form.js';
import { APP_PERMISSION_ORDER } from './app-permissions.js';
import { RightsMatrix } from './RightsMatrix.js';
import { scopesOf, type ApiRight } from './rights-matrix.js';

export interface GroupFormValues {
  name: string;
  description: string;
  appPermissions: AppPermission[];
  rights: ApiRight[];
  filterIds: number[];
}

export const EMPTY_GROUP: GroupFormValues = { name: '', description: '', appPermissions: [], rights: [], filterIds: [] };

/** Schema paths (`rights.3.action`, `filterIds.0`) → the form field that shows the message. */
export const groupFieldOf = (path: string): string => path.split('.')[0]!;

export interface GroupFormProps {
  initial: GroupFormValues;
  catalogue: ResourceInfo[];
  /** The built-in Administrators group: its name and app permissions are fixed. */
  builtin: boolean;
  submitLabel: string;
  loading: boolean;
  onSubmit: (values: GroupFormValues, form: UseFormReturnType<GroupFormValues>) => void;
}

/**
 * Name, description, app permissions for people and API rights for API users; validated like main.
 * Initial values are read once: the page gives the form a `key` per stored group.
 */
export function GroupForm({ initial, catalogue, builtin, submitLabel, loading, onSubmit }: GroupFormProps) {
  const { t } = useTranslation('groups');
  const form = useForm<GroupFormValues>({
    initialValues: initial,
    validate: zodValidate<GroupFormValues, typeof S.createGroupInput>(S.createGroupInput, (v) => v, groupFieldOf),
  });

  useUnsavedChanges(form.isDirty);
  const scopes = scopesOf(form.values.rights);
  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(values, form))} noValidate>
      <Stack gap="lg">
        <Fieldset legend={t('form.group')}>
          <Stack gap="sm">
            <TextInput
              label={t('form.name')}
              withAsterisk
              disabled={builtin}
              description={builtin ? t('form.builtInName') : undefined}
              {...form.getInputProps('name')}
            />
            <Textarea label={t('form.description')} autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('form.appPermissions')}>
          <Checkbox.Group {...form.getInputProps('appPermissions')}>
            <Stack gap="xs">
              {APP_PERMISSION_ORDER.map((permission) => (
                <Checkbox
                  key={permission}
                  value={permission}
                  disabled={builtin}
                  label={t(`appPermission.${permission}.label`)}
                  description={t(`appPermission.${permission}.description`)}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          {builtin ? (
            <Text size="xs" c="dimmed" mt="xs">
              {t('form.builtInPermissions')}
            </Text>
          ) : null}
        </Fieldset>

        <Fieldset legend={t('form.apiRights')}>
          <Stack gap="sm">
            {catalogue.every((r) => r.builtin) ? (
              // A fresh catalogue holds only Keyrack's own resource: say where the rights to grant come from.
              <Alert color="indigo" variant="light" title={t('form.nothingTitle')} data-testid="no-resources">
                <Text size="sm">
                  {t('form.nothing')} <Link to="/rights">{t('form.openCatalogue')}</Link>
                </Text>
              </Alert>
            ) : null}
            <RightsMatrix
              catalogue={catalogue}
              rights={form.values.rights}
              filterIds={form.values.filterIds}
              onRightsChange={(rights) => form.setFieldValue('rights', rights)}
              onFilterIdsChange={(ids) => form.setFieldValue('filterIds', ids)}
              error={(form.errors.rights ?? form.errors.filterIds) as string | undefined}
            />
            <div>
              <Text size="sm" fw={500}>
                {t('form.scopes')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('form.scopesExplain')}
              </Text>
              {scopes.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('form.noScopes')}
                </Text>
              ) : (
                <Group gap={6} mt={4} aria-label={t('form.scopes')}>
                  {scopes.map((s) => (
                    <Badge key={s} variant="light" tt="none">
                      {s}
                    </Badge>
                  ))}
                </Group>
              )}
            </div>
          </Stack>
        </Fieldset>

        <Group justify="flex-end">
          <Button type="submit" loading={loading}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
