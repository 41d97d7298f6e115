import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Paper, Select, Stack, Switch, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { serverSettingsInput } from '../../../shared/server.schemas.js';
import { ApiError } from '../../api/call.js';
import type { TokenServerSettings } from '../../../shared/token-server.dto.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { i18n } from '../../i18n/i18n.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useUpdateServerSettings } from './server.queries.js';

interface Values {
  issuer: string;
  defaultAudience: string;
  audiences: string[];
  signingAlg: string;
  port: number | string;
  lanAccess: boolean;
  host: string;
  tokenLifetimeSeconds: number | string;
  plainHttpOnLan: boolean;
  trustedProxies: string[];
  metrics: boolean;
  metricsReaders: string[];
}

const toInput = (v: Values) => ({
  // Blank: no issuer of its own (the server's own URL is used).
  issuer: v.issuer.trim() === '' ? null : v.issuer.trim(),
  defaultAudience: v.defaultAudience,
  audiences: v.audiences,
  signingAlg: v.signingAlg,
  port: typeof v.port === 'number' ? v.port : Number.NaN,
  lanAccess: v.lanAccess,
  host: v.host,
  tokenLifetimeSeconds: typeof v.tokenLifetimeSeconds === 'number' ? v.tokenLifetimeSeconds : Number.NaN,
  plainHttpOnLan: v.plainHttpOnLan,
  trustedProxies: v.trustedProxies,
  metrics: v.metrics,
  metricsReaders: v.metricsReaders,
});

const valuesOf = (s: TokenServerSettings): Values => ({
  issuer: s.issuer ?? '',
  defaultAudience: s.defaultAudience,
  audiences: s.audiences,
  signingAlg: s.signingAlg,
  port: s.port,
  lanAccess: s.lanAccess,
  host: s.host,
  tokenLifetimeSeconds: s.tokenLifetimeSeconds,
  plainHttpOnLan: s.plainHttpOnLan,
  trustedProxies: s.trustedProxies,
  metrics: s.metrics,
  metricsReaders: s.metricsReaders,
});

/** Only what changed is sent, so the log shows exactly what the admin changed. */
function changes(values: Values, saved: TokenServerSettings) {
  const input = toInput(values);
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => JSON.stringify(saved[key as keyof TokenServerSettings]) !== JSON.stringify(value)),
  );
}

/** A list's message (`audiences.1: …`) shows on the list's field. */
const fieldOf = (path: string) => path.replace(/\.\d+$/, '');

/** The signing algorithms a key may use: names of standards (RFC 7518), the same in every language. */
const SIGNING_ALGS = ['ES256', 'RS256'];

/** Changing only these needs no restart to matter: the algorithm applies to the next signing key. */
const NO_RESTART_NEEDED = new Set(['signingAlg']);

const lifetimeWords = (seconds: number) =>
  seconds % 60 === 0 ? i18n.t('server:settings.minutes', { count: seconds / 60 }) : i18n.t('server:settings.seconds', { count: seconds });

/**
 * Every token server setting (docs/token-server.md): issuer, audiences, signing algorithm, address, port,
 * LAN access, proxies, token lifetime, the plain-HTTP opt-in and the metrics page. Saving restarts a running server.
 */
export function ServerSettingsCard({
  settings,
  running,
  listeningPort,
  canManage,
}: {
  settings: TokenServerSettings;
  running: boolean;
  /** The port the running server really listens on (null while stopped): said at the field when it differs. */
  listeningPort: number | null;
  canManage: boolean;
}) {
  const update = useUpdateServerSettings();
  const { t } = useTranslation(['server', 'common']);
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(settings),
    validate: zodValidate(serverSettingsInput, toInput, fieldOf),
  });
  useUnsavedChanges(form.isDirty);
  const patch = changes(form.values, settings);
  const dirty = Object.keys(patch).length > 0;
  const enablingPlainHttp = patch.plainHttpOnLan === true;
  const restarts = running && Object.keys(patch).some((key) => !NO_RESTART_NEEDED.has(key));

  const save = async (input: Record<string, unknown>) => {
    try {
      const status = await update.mutateAsync(input);
      setConfirming(null);
      form.resetDirty();
      if (running && !status.running) {
        const why = status.lastError ?? t('settings.reasonInLog');
        notifyError(new ApiError({ code: 'conflict', message: why }), t('settings.savedNotRestarted'));
      } else {
        notifySuccess(
          restarts ? t('settings.restarted') : running ? t('settings.nextKey') : t('settings.applyOnStart'),
          t('settings.saved'),
        );
      }
    } catch (error) {
      setConfirming(null);
      showServerError(form, error, fieldOf);
    }
  };

  // Anything that restarts a running server, or sends credentials unencrypted, is confirmed first.
  const submit = form.onSubmit(() => {
    if (restarts || enablingPlainHttp) setConfirming(patch);
    else void save(patch);
  });

  return (
    <Paper withBorder p="lg">
      <form onSubmit={submit} noValidate data-testid="server-settings-form">
        <Stack>
          <Title order={2} size="h4">
            {t('settings.title')}
          </Title>
          <Group align="flex-start" grow>
            <NumberInput
              label={t('settings.port')}
              description={
                listeningPort !== null && listeningPort !== settings.port ? t('settings.portListening', { port: listeningPort }) : t('settings.portHint')
              }
              // No clamping: an out-of-range port shows the same message main would give, instead of silently changing.
              clampBehavior="none"
              allowDecimal={false}
              disabled={!canManage}
              {...form.getInputProps('port')}
              data-testid="server-port"
            />
            <NumberInput
              label={t('settings.lifetime')}
              description={t('settings.lifetimeHint', { now: lifetimeWords(settings.tokenLifetimeSeconds) })}
              clampBehavior="none"
              step={60}
              allowDecimal={false}
              disabled={!canManage}
              {...form.getInputProps('tokenLifetimeSeconds')}
              data-testid="server-token-lifetime"
            />
          </Group>
          <TextInput
            label={t('settings.issuer')}
            description={t('settings.issuerHint')}
            placeholder={t('settings.issuerPlaceholder')}
            disabled={!canManage}
            {...form.getInputProps('issuer')}
            data-testid="server-issuer"
          />
          <Group align="flex-start" grow>
            <TextInput
              label={t('settings.audience')}
              description={t('settings.audienceHint')}
              disabled={!canManage}
              {...form.getInputProps('defaultAudience')}
              data-testid="server-default-audience"
            />
            <Select
              label={t('settings.alg')}
              description={t('settings.algHint')}
              data={SIGNING_ALGS}
              allowDeselect={false}
              disabled={!canManage}
              {...form.getInputProps('signingAlg')}
              data-testid="server-signing-alg"
            />
          </Group>
          <TagsInput
            label={t('settings.audiences')}
            description={t('settings.audiencesHint')}
            disabled={!canManage}
            {...form.getInputProps('audiences')}
            data-testid="server-audiences"
          />
          <Switch
            label={t('settings.lan')}
            description={t('settings.lanHint')}
            disabled={!canManage}
            {...form.getInputProps('lanAccess', { type: 'checkbox' })}
            data-testid="server-lan-access"
          />
          <Group align="flex-start" grow>
            <TextInput
              label={t('settings.host')}
              description={t('settings.hostHint')}
              disabled={!canManage}
              {...form.getInputProps('host')}
              data-testid="server-host"
            />
            <TagsInput
              label={t('settings.proxies')}
              description={t('settings.proxiesHint')}
              disabled={!canManage}
              {...form.getInputProps('trustedProxies')}
              data-testid="server-trusted-proxies"
            />
          </Group>
          <Switch
            label={t('settings.plainHttp')}
            description={t('settings.plainHttpHint')}
            color="red"
            disabled={!canManage}
            {...form.getInputProps('plainHttpOnLan', { type: 'checkbox' })}
            data-testid="server-plain-http"
          />
          {form.values.plainHttpOnLan && (
            <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="server-plain-http-warning">
              {t('settings.plainHttpWarning')}
            </Alert>
          )}
          <Switch
            label={t('settings.metrics')}
            description={t('settings.metricsHint')}
            disabled={!canManage}
            {...form.getInputProps('metrics', { type: 'checkbox' })}
            data-testid="server-metrics"
          />
          {form.values.metrics && (
            <TagsInput
              label={t('settings.metricsReaders')}
              description={t('settings.metricsReadersHint')}
              disabled={!canManage}
              {...form.getInputProps('metricsReaders')}
              data-testid="server-metrics-readers"
            />
          )}
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" disabled={!dirty || update.isPending} onClick={() => form.reset()}>
                {t('settings.discard')}
              </Button>
              <Button type="submit" disabled={!dirty} loading={update.isPending && confirming === null} data-testid="server-settings-save">
                {t('settings.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={<Text fw={600}>{t('settings.confirmTitle')}</Text>} centered>
        <Stack>
          {enablingPlainHttp && (
            <Alert color="red" icon={<IconAlertTriangle size={18} />}>
              {t('settings.confirmPlainHttp')}
            </Alert>
          )}
          {restarts && (
            <Text size="sm">
              {t('settings.confirmRestart')}
              {patch.port !== undefined && ` ${t('settings.confirmPort', { port: String(patch.port) })}`}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)} disabled={update.isPending}>
              {t('common:cancel')}
            </Button>
            <Button
              color={enablingPlainHttp ? 'red' : undefined}
              loading={update.isPending}
              onClick={() => confirming && void save(confirming)}
              data-autofocus
              data-testid="server-settings-confirm"
            >
              {restarts ? t('settings.saveRestart') : t('common:save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
