import { ActionIcon, Button, Group, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import * as S from '../../../shared/schemas.js';
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
  const form = useForm<ResourceFormValues>({
    initialValues: initial,
    validate: zodValidate<ResourceFormValues, typeof S.addResourceInput>(S.addResourceInput, (v) => v, resourceFieldOf),
  });
  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(values, form))} noValidate>
      <Stack gap="sm">
        <TextInput
          label="Resource name"
          withAsterisk
          disabled={editing}
          description={editing ? 'A resource keeps its name: tokens and your APIs know it by it.' : 'As your API calls it: lowercase, like addresses or properties; an endpoint is written with /, like orders/import.'}
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Textarea label="Description" autosize minRows={2} maxRows={4} {...form.getInputProps('description')} />
        <TagsInput
          label="Actions"
          withAsterisk
          description="Press Enter after each: read, write, delete, or your own such as send. A right appears in tokens as resource:action."
          clearable
          splitChars={[',', ' ']}
          {...form.getInputProps('actions')}
        />
        <div>
          <Text size="sm" fw={500}>
            Record filters
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            Limits your API applies when a group has them, such as published_only or own_only. They travel in tokens as a claim.
          </Text>
          <Stack gap="xs">
            {form.values.filters.map((_, index) => (
              <Group key={form.key(`filters.${index}`)} align="flex-start" gap="xs" wrap="nowrap">
                <TextInput
                  placeholder="published_only"
                  aria-label={`Filter ${index + 1} name`}
                  style={{ flex: '0 0 200px' }}
                  {...form.getInputProps(`filters.${index}.name`)}
                />
                <TextInput
                  placeholder="What the filter means"
                  aria-label={`Filter ${index + 1} description`}
                  style={{ flex: 1 }}
                  {...form.getInputProps(`filters.${index}.description`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={`Remove filter ${index + 1}`}
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
                Add a filter
              </Button>
            </div>
          </Stack>
        </div>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
