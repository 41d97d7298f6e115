import { ActionIcon, Button, Group, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import * as S from '../../../shared/schemas.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { zodValidate } from '../../lib/form.js';

export interface ResourceFormValues {
  name: string;
  description: string;
  actions: string[];
  filters: { name: string; description: string }[];
}

export const EMPTY_RESOURCE: ResourceFormValues = { name: '', description: '', actions: ['read', 'write', 'delete'], filters: [] };

/** Schema paths onto form fields: a bad action shows under the actions input; filter fields keep their path. */
export const resourceFieldOf = (path: string): string => (path.startsWith('actions.') ? 'actions' : path);

export interface ResourceFormProps {
  initial: ResourceFormValues;
  /** Editing: resources cannot be renamed (tokens and LAN APIs know them by name). */
  editing: boolean;
  submitLabel: string;
  loading: boolean;
  onSubmit: (values: ResourceFormValues, form: UseFormReturnType<ResourceFormValues>) => void;
  onCancel: () => void;
}

/** A resource of the rights catalogue: its name, its actions and its record filters. */
export function ResourceForm({ initial, editing, submitLabel, loading, onSubmit, onCancel }: ResourceFormProps) {
  const { t } = useTranslation(['rights', 'common']);
  const form = useForm<ResourceFormValues>({
    initialValues: initial,
    validate: zodValidate<ResourceFormValues, typeof S.addResourceInput>(S.addResourceInput, (v) => v, resourceFieldOf),
  });
  useUnsavedChanges(form.isDirty);
  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(values, form))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('form.name')}
          withAsterisk
          disabled={editing}
          description={editing ? t('form.nameFixed') : t('form.nameHint')}
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Textarea label={t('form.description')} autosize minRows={2} maxRows={4} {...form.getInputProps('description')} />
        <TagsInput
          label={t('form.actions')}
          withAsterisk
          description={t('form.actionsHint')}
          clearable
          splitChars={[',', ' ']}
          {...form.getInputProps('actions')}
        />
        <div>
          <Text size="sm" fw={500}>
            {t('form.filters')}
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            {t('form.filtersHint')}
          </Text>
          <Stack gap="xs">
            {form.values.filters.map((_, index) => (
              <Group key={form.key(`filters.${index}`)} align="flex-start" gap="xs" wrap="nowrap">
                <TextInput
                  placeholder={t('form.filterNamePlaceholder')}
                  aria-label={t('form.filterName', { n: index + 1 })}
                  style={{ flex: '0 0 200px' }}
                  {...form.getInputProps(`filters.${index}.name`)}
                />
                <TextInput
                  placeholder={t('form.filterMeaning')}
                  aria-label={t('form.filterDescription', { n: index + 1 })}
                  style={{ flex: 1 }}
                  {...form.getInputProps(`filters.${index}.description`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={t('form.removeFilter', { n: index + 1 })}
                  onClick={() => form.removeListItem('filters', index)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {typeof form.errors.filters === 'string' ? (
              <Text c="red" size="sm">
                {form.errors.filters}
              </Text>
            ) : null}
            <div>
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('filters', { name: '', description: '' })}>
                {t('form.addFilter')}
              </Button>
            </div>
          </Stack>
        </div>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={loading}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
