import { Alert, Button, Code, Grid, Group, Loader, NumberInput, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconArchive, IconArrowLeft, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { retentionInput } from '../../../shared/log.schemas.js';
import type { RetentionSettings } from '../../../shared/log.dto.js';
import { useCan } from '../../app/session.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatCount, formatTime } from '../../lib/format.js';
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
  const { t } = useTranslation('log');

  return (
    <>
      <PageHeader
        title={t('retention.title')}
        description={t('retention.description')}
        actions={
          <Button component="a" href="#/log" variant="default" leftSection={<IconArrowLeft size={16} />}>
            {t('retention.back')}
          </Button>
        }
      />
      {retention.isPending ? (
        <Stack align="center" py="xl">
          <Loader aria-label={t('retention.loading')} />
        </Stack>
      ) : retention.isError ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('retention.loadFailed')} role="alert">
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
          {t('retention.readOnly')}
        </Text>
      )}
    </>
  );
}

/** The period: keep everything (the default) or a number of days, checked by the schema main uses. */
function RetentionPeriodCard({ settings, canManage }: { settings: RetentionSettings; canManage: boolean }) {
  const save = useSetRetention();
  const { t } = useTranslation('log');
  const form = useForm<RetentionFormValues>({
    mode: 'controlled',
    initialValues: formValuesOf(settings.keepDays),
    // The schema's only field is keepDays; its message belongs under the days field.
    validate: zodValidate(retentionInput, toRetentionInput, () => 'days'),
  });
  useUnsavedChanges(form.isDirty);
  const wanted = toRetentionInput(form.values).keepDays;
  const valid = form.isValid(); // the same schema check as the submit, without showing errors yet
  const dirty = wanted !== settings.keepDays;

  const submit = form.onSubmit(async (values) => {
    try {
      // The card is keyed by the saved period (RetentionPage), so it starts over from the answer.
      const saved = await save.mutateAsync(toRetentionInput(values));
      form.resetDirty();
      notifySuccess(
        saved.keepDays === null ? t('retention.savedAll') : t('retention.savedDays', { period: describePeriod(saved.keepDays) }),
        t('retention.saved'),
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
              {t('retention.period')}
            </Title>
            <Text size="sm" c="dimmed" data-testid="retention-current">
              {t('retention.now', { period: describePeriod(settings.keepDays) })}
            </Text>
          </div>
          <Radio.Group
            label={t('retention.howLong')}
            value={form.values.mode}
            onChange={(mode) => form.setFieldValue('mode', mode as RetentionFormValues['mode'])}
          >
            <Stack gap="sm" mt="xs">
              <Radio value="all" label={t('retention.keepAll')} description={t('retention.keepAllHint')} disabled={!canManage} />
              <Radio
                value="days"
                label={t('retention.keepDays')}
                description={t('retention.keepDaysHint')}
                disabled={!canManage}
              />
            </Stack>
          </Radio.Group>
          {form.values.mode === 'days' && (
            <Stack gap="xs">
              <NumberInput
                label={t('retention.daysLabel')}
                description={t('retention.daysHint', { max: formatCount(36_500) })}
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
              <Group gap="xs" aria-label={t('retention.presets')}>
                {PERIOD_PRESETS.map((preset) => (
                  <Button
                    key={preset.days}
                    size="compact-sm"
                    variant={form.values.days === preset.days ? 'light' : 'default'}
                    disabled={!canManage}
                    onClick={() => form.setFieldValue('days', preset.days)}
                  >
                    {t(`retention.preset.${preset.key}`)}
                  </Button>
                ))}
              </Group>
            </Stack>
          )}
          {wanted !== null && valid && (
            <Alert color="blue" icon={<IconInfoCircle size={18} />} data-testid="retention-explanation">
              {t('retention.explanation', { period: describePeriod(wanted), time: formatTime(cutoffOf(wanted, Date.now())) })}
            </Alert>
          )}
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" disabled={!dirty || save.isPending} onClick={() => form.reset()}>
                {t('retention.discard')}
              </Button>
              <Button type="submit" disabled={!dirty} loading={save.isPending} data-testid="retention-save">
                {t('retention.save')}
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
  const { t } = useTranslation('log');
  const due = settings.due;

  const run = async () => {
    try {
      const result = await prune.mutateAsync();
      const { title, message } = pruneResultMessage(result);
      notifySuccess(message, title);
    } catch (error) {
      notifyError(error, t('prune.failed'));
      throw error; // keeps the dialog open on the failure, so the admin sees where they are
    }
  };

  return (
    <Paper withBorder p="lg" data-testid="retention-prune">
      <Stack>
        <Title order={2} size="h4">
          {t('prune.title')}
        </Title>
        <Text size="sm" data-testid="retention-due">
          {describeDue(settings.keepDays, due)}
        </Text>
        <div>
          <Text size="sm" fw={500}>
            {t('prune.archives')}
          </Text>
          <Text size="sm" c="dimmed">
            {t('prune.archivesHint')}
          </Text>
          <Code block mt={4} data-testid="retention-archive-folder">
            {settings.archiveFolder}
          </Code>
        </div>
        <div>
          <Text size="sm" fw={500}>
            {t('prune.last')}
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
                  {t('prune.running')}
                </Text>
              </Group>
            ) : (
              <span />
            )}
            <ConfirmButton
              leftSection={<IconArchive size={16} />}
              disabled={due === null || due.events === 0}
              title={t('prune.confirmTitle')}
              consequence={due ? pruneConsequence(due, settings.archiveFolder) : ''}
              confirmLabel={t('prune.confirm')}
              onConfirm={run}
            >
              {t('prune.now')}
            </ConfirmButton>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
