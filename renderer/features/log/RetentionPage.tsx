import { Alert, Button, Code, Grid, Group, Loader, NumberInput, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconArchive, IconArrowLeft, IconInfoCircle } from '@tabler/icons-react';
import { retentionInput } from '../../../shared/log.schemas.js';
import type { RetentionSettings } from '../../../shared/log.dto.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../../lib/format.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import {
  cutoffOf,
  describeDue,
  describeLastPrune,
  describePeriod,
  formValuesOf,
  PERIOD_PRESETS,
  pruneConsequence,
  pruneResultMessage,
  toRetentionInput,
  type RetentionFormValues,
} from './retention-model.js';
import { usePruneLog, useRetention, useSetRetention } from './retention.queries.js';

/**
 * How long the log keeps events, reached from the Log page. Anyone who may read the log sees the setting;
 * changing it or pruning needs the permission main asks for (server.manage, like the token server's
 * settings), because both end with events leaving the log.
 */
export function RetentionPage() {
  const retention = useRetention();
  const canManage = useCan('server.manage');

  return (
    <>
      <PageHeader
        title="Log retention"
        description="How long the log keeps events. Older events are archived to a file before they leave the log."
        actions={
          <Button component="a" href="#/log" variant="default" leftSection={<IconArrowLeft size={16} />}>
            Back to the log
          </Button>
        }
      />
      {retention.isPending ? (
        <Stack align="center" py="xl">
          <Loader aria-label="Loading the retention settings" />
        </Stack>
      ) : retention.isError ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The retention settings could not be read" role="alert">
          {errorMessage(retention.error)}
        </Alert>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            {/* Keyed by the saved period, so the form starts over when it changes (saved here or by the CLI). */}
            <RetentionPeriodCard key={String(retention.data.keepDays)} settings={retention.data} canManage={canManage} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <PruneCard settings={retention.data} canManage={canManage} />
          </Grid.Col>
        </Grid>
      )}
      {!canManage && !retention.isPending && (
        <Text size="sm" c="dimmed" mt="md">
          You can see the retention period; changing it or pruning needs permission to run the token server.
        </Text>
      )}
    </>
  );
}

/** The period: keep everything (the default) or a number of days, checked by the schema main uses. */
function RetentionPeriodCard({ settings, canManage }: { settings: RetentionSettings; canManage: boolean }) {
  const save = useSetRetention();
  const form = useForm<RetentionFormValues>({
    mode: 'controlled',
    initialValues: formValuesOf(settings.keepDays),
    // The schema's only field is keepDays; its message belongs under the days field.
    validate: zodValidate(retentionInput, toRetentionInput, () => 'days'),
  });
  const wanted = toRetentionInput(form.values).keepDays;
  const valid = form.isValid(); // the same schema check as the submit, without showing errors yet
  const dirty = wanted !== settings.keepDays;

  const submit = form.onSubmit(async (values) => {
    try {
      // The card is keyed by the saved period (RetentionPage), so it starts over from the answer.
      const saved = await save.mutateAsync(toRetentionInput(values));
      notifySuccess(
        saved.keepDays === null
          ? 'The log keeps every event; nothing will be pruned.'
          : `The log keeps ${describePeriod(saved.keepDays)}. Older events are archived and removed at the next daily prune.`,
        'Retention saved',
      );
    } catch (error) {
      showServerError(form, error, (path) => (path === 'keepDays' ? 'days' : null));
    }
  });

  return (
    <Paper withBorder p="lg">
      <form onSubmit={submit} noValidate data-testid="retention-form">
        <Stack>
          <div>
            <Title order={2} size="h4">
              Retention period
            </Title>
            <Text size="sm" c="dimmed" data-testid="retention-current">
              Now: {describePeriod(settings.keepDays)}
            </Text>
          </div>
          <Radio.Group
            label="How long the log keeps events"
            value={form.values.mode}
            onChange={(mode) => form.setFieldValue('mode', mode as RetentionFormValues['mode'])}
          >
            <Stack gap="sm" mt="xs">
              <Radio value="all" label="Keep everything" description="Nothing is ever removed. This is the default." disabled={!canManage} />
              <Radio
                value="days"
                label="Keep for a number of days"
                description="Older events are archived to a compressed file, then removed from the log."
                disabled={!canManage}
              />
            </Stack>
          </Radio.Group>
          {form.values.mode === 'days' && (
            <Stack gap="xs">
              <NumberInput
                label="Days to keep"
                description="A whole number from 1 to 36,500."
                // No clamping: an out-of-range number shows the same message main would give instead of changing.
                clampBehavior="none"
                allowDecimal={false}
                min={1}
                max={36_500}
                w={220}
                disabled={!canManage}
                {...form.getInputProps('days')}
                data-testid="retention-days"
              />
              <Group gap="xs" aria-label="Common periods">
                {PERIOD_PRESETS.map((preset) => (
                  <Button
                    key={preset.days}
                    size="compact-sm"
                    variant={form.values.days === preset.days ? 'light' : 'default'}
                    disabled={!canManage}
                    onClick={() => form.setFieldValue('days', preset.days)}
                  >
                    {preset.label}
                  </Button>
                ))}
              </Group>
            </Stack>
          )}
          {wanted !== null && valid && (
            <Alert color="blue" icon={<IconInfoCircle size={18} />} data-testid="retention-explanation">
              Events older than {describePeriod(wanted)} (today: those before {formatTime(cutoffOf(wanted, Date.now()))}) are written to a
              compressed archive in the data folder, then removed from the log, at the next daily prune while Keyrack runs, or when you choose
              “Archive and prune now”. Saving alone removes nothing.
            </Alert>
          )}
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" disabled={!dirty || save.isPending} onClick={() => form.reset()}>
                Discard changes
              </Button>
              <Button type="submit" disabled={!dirty} loading={save.isPending} data-testid="retention-save">
                Save period
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

/** What is older than the saved period now, where archives go, the last prune, and "Archive and prune now". */
function PruneCard({ settings, canManage }: { settings: RetentionSettings; canManage: boolean }) {
  const prune = usePruneLog();
  const due = settings.due;

  const run = async () => {
    try {
      const result = await prune.mutateAsync();
      const { title, message } = pruneResultMessage(result);
      notifySuccess(message, title);
    } catch (error) {
      notifyError(error, 'The log was not pruned');
      throw error; // keeps the dialog open on the failure, so the admin sees where they are
    }
  };

  return (
    <Paper withBorder p="lg" data-testid="retention-prune">
      <Stack>
        <Title order={2} size="h4">
          Archive and prune
        </Title>
        <Text size="sm" data-testid="retention-due">
          {describeDue(settings.keepDays, due)}
        </Text>
        <div>
          <Text size="sm" fw={500}>
            Archives
          </Text>
          <Text size="sm" c="dimmed">
            JSON Lines, gzip-compressed, with the chain&apos;s boundary hashes so the archive and the log verify together. Written to
          </Text>
          <Code block mt={4} data-testid="retention-archive-folder">
            {settings.archiveFolder}
          </Code>
        </div>
        <div>
          <Text size="sm" fw={500}>
            Last prune
          </Text>
          <Text size="sm" c="dimmed" data-testid="retention-last-prune">
            {describeLastPrune(settings.lastPrune)}
          </Text>
        </div>
        {canManage && (
          <Group justify="space-between" align="center">
            {prune.isPending ? (
              <Group gap="xs" aria-live="polite">
                <Loader size="xs" />
                <Text size="sm" c="dimmed">
                  Writing the archive, checking it, then removing the events…
                </Text>
              </Group>
            ) : (
              <span />
            )}
            <ConfirmButton
              leftSection={<IconArchive size={16} />}
              disabled={due === null || due.events === 0}
              title="Archive and prune the log now?"
              consequence={due ? pruneConsequence(due, settings.archiveFolder) : ''}
              confirmLabel="Archive and prune"
              onConfirm={run}
            >
              Archive and prune now
            </ConfirmButton>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
