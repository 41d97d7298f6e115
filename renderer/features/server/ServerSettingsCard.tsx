import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { serverSettingsInput } from '../../../shared/server.schemas.js';
import { ApiError } from '../../api/call.js';
import type { TokenServerSettings } from '../../../shared/token-server.dto.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useUpdateServerSettings } from './server.queries.js';

interface Values {
  port: number | string;
  lanAccess: boolean;
  tokenLifetimeSeconds: number | string;
  plainHttpOnLan: boolean;
}

const toInput = (v: Values) => ({
  port: typeof v.port === 'number' ? v.port : Number.NaN,
  lanAccess: v.lanAccess,
  tokenLifetimeSeconds: typeof v.tokenLifetimeSeconds === 'number' ? v.tokenLifetimeSeconds : Number.NaN,
  plainHttpOnLan: v.plainHttpOnLan,
});

/** Only what changed is sent, so the log shows exactly what the admin changed. */
function changes(values: Values, saved: TokenServerSettings) {
  const input = toInput(values);
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => saved[key as keyof TokenServerSettings] !== value));
}

const lifetimeWords = (seconds: number) =>
  seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;

/** Port, LAN access, token lifetime and the plain-HTTP opt-in. Saving restarts a running server. */
export function ServerSettingsCard({ settings, running, canManage }: { settings: TokenServerSettings; running: boolean; canManage: boolean }) {
  const update = useUpdateServerSettings();
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      port: settings.port,
      lanAccess: settings.lanAccess,
      tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
      plainHttpOnLan: settings.plainHttpOnLan,
    },
    validate: zodValidate(serverSettingsInput, toInput),
  });
  const patch = changes(form.values, settings);
  const dirty = Object.keys(patch).length > 0;
  const enablingPlainHttp = patch.plainHttpOnLan === true;

  const save = async (input: Record<string, unknown>) => {
    try {
      const status = await update.mutateAsync(input);
      setConfirming(null);
      form.resetDirty();
      if (running && !status.running) {
        const why = status.lastError ?? 'The reason is in the log.';
        notifyError(new ApiError({ code: 'conflict', message: why }), 'Settings saved, but the server did not restart');
      } else {
        notifySuccess(running ? 'The server restarted with them.' : 'They apply when the server starts.', 'Settings saved');
      }
    } catch (error) {
      setConfirming(null);
      showServerError(form, error);
    }
  };

  // Anything that restarts a running server, or sends credentials unencrypted, is confirmed first.
  const submit = form.onSubmit(() => {
    if (running || enablingPlainHttp) setConfirming(patch);
    else void save(patch);
  });

  return (
    <Paper withBorder p="lg">
      <form onSubmit={submit} noValidate data-testid="server-settings-form">
        <Stack>
          <Title order={2} size="h4">
            Settings
          </Title>
          <Group align="flex-start" grow>
            <NumberInput
              label="Port"
              description="1 to 65535; 8443 by default."
              // No clamping: an out-of-range port shows the same message main would give, instead of silently changing.
              clampBehavior="none"
              allowDecimal={false}
              disabled={!canManage}
              {...form.getInputProps('port')}
              data-testid="server-port"
            />
            <NumberInput
              label="Token lifetime (seconds)"
              description={`60 to 86400. Now ${lifetimeWords(settings.tokenLifetimeSeconds)}; an API user may have its own.`}
              clampBehavior="none"
              step={60}
              allowDecimal={false}
              disabled={!canManage}
              {...form.getInputProps('tokenLifetimeSeconds')}
              data-testid="server-token-lifetime"
            />
          </Group>
          <Switch
            label="LAN access"
            description="Off: the server answers on this computer only. On: integrations on your network can reach it (over TLS)."
            disabled={!canManage}
            {...form.getInputProps('lanAccess', { type: 'checkbox' })}
            data-testid="server-lan-access"
          />
          <Switch
            label="Allow plain HTTP on the LAN"
            description="Not recommended: client secrets and tokens would cross your network unencrypted."
            color="red"
            disabled={!canManage}
            {...form.getInputProps('plainHttpOnLan', { type: 'checkbox' })}
            data-testid="server-plain-http"
          />
          {form.values.plainHttpOnLan && (
            <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="server-plain-http-warning">
              With LAN access on, anyone who can watch your network traffic could read client secrets and access tokens. Use this only on a
              network you fully control, and only while a client cannot use TLS.
            </Alert>
          )}
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" disabled={!dirty || update.isPending} onClick={() => form.reset()}>
                Discard changes
              </Button>
              <Button type="submit" disabled={!dirty} loading={update.isPending && confirming === null} data-testid="server-settings-save">
                Save settings
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={<Text fw={600}>Save the token server settings?</Text>} centered>
        <Stack>
          {enablingPlainHttp && (
            <Alert color="red" icon={<IconAlertTriangle size={18} />}>
              You are allowing plain HTTP on the LAN: client secrets and tokens may cross your network unencrypted. This choice is recorded in the log.
            </Alert>
          )}
          {running && (
            <Text size="sm">
              The server restarts to apply them. Requests in progress finish first; integrations may see a refused connection for a moment.
              {patch.port !== undefined && ` From now on it answers on port ${String(patch.port)}: integrations must use the new address.`}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)} disabled={update.isPending}>
              Cancel
            </Button>
            <Button
              color={enablingPlainHttp ? 'red' : undefined}
              loading={update.isPending}
              onClick={() => confirming && void save(confirming)}
              data-autofocus
              data-testid="server-settings-confirm"
            >
              {running ? 'Save and restart' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
