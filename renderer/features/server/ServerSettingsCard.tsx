import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Paper, Select, Stack, Switch, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { serverSettingsInput } from '../../../shared/server.schemas.js';
import { ApiError } from '../../api/call.js';
import type { TokenServerSettings } from '../../../shared/token-server.dto.js';
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

/** Changing only these needs no restart to matter: the algorithm applies to the next signing key. */
const NO_RESTART_NEEDED = new Set(['signingAlg']);

const lifetimeWords = (seconds: number) =>
  seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;

/**
 * Every token server setting (docs/token-server.md): issuer, audiences, signing algorithm, address, port,
 * LAN access, proxies, token lifetime and the plain-HTTP opt-in. Saving restarts a running server.
 */
export function ServerSettingsCard({ settings, running, canManage }: { settings: TokenServerSettings; running: boolean; canManage: boolean }) {
  const update = useUpdateServerSettings();
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(settings),
    validate: zodValidate(serverSettingsInput, toInput, fieldOf),
  });
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
        const why = status.lastError ?? 'The reason is in the log.';
        notifyError(new ApiError({ code: 'conflict', message: why }), 'Settings saved, but the server did not restart');
      } else {
        notifySuccess(
          restarts ? 'The server restarted with them.' : running ? 'The next signing key uses the new algorithm.' : 'They apply when the server starts.',
          'Settings saved',
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
          <TextInput
            label="Issuer"
            description="The address integrators use, like https://keyrack.office.lan:8443 (the iss of tokens, and the address in credential files). Blank: the server's own URL."
            placeholder="The server's own URL"
            disabled={!canManage}
            {...form.getInputProps('issuer')}
            data-testid="server-issuer"
          />
          <Group align="flex-start" grow>
            <TextInput
              label="Default audience"
              description="The aud of a token when the client asks for none."
              disabled={!canManage}
              {...form.getInputProps('defaultAudience')}
              data-testid="server-default-audience"
            />
            <Select
              label="Signing algorithm"
              description="Of the next signing key (rotate to use it now)."
              data={['ES256', 'RS256']}
              allowDeselect={false}
              disabled={!canManage}
              {...form.getInputProps('signingAlg')}
              data-testid="server-signing-alg"
            />
          </Group>
          <TagsInput
            label="Further audiences"
            description="APIs a client may ask a token for with resource (RFC 8707), like https://crm.office.lan or urn:office:mail. Enter to add."
            disabled={!canManage}
            {...form.getInputProps('audiences')}
            data-testid="server-audiences"
          />
          <Switch
            label="LAN access"
            description="Off: the server answers on this computer only. On: integrations on your network can reach it (over TLS)."
            disabled={!canManage}
            {...form.getInputProps('lanAccess', { type: 'checkbox' })}
            data-testid="server-lan-access"
          />
          <Group align="flex-start" grow>
            <TextInput
              label="Listen address"
              description="With LAN access on: 0.0.0.0 (every IPv4 interface), :: (IPv6 too) or one address."
              disabled={!canManage}
              {...form.getInputProps('host')}
              data-testid="server-host"
            />
            <TagsInput
              label="Trusted reverse proxies"
              description="Addresses or CIDR ranges whose X-Forwarded-For is believed. Enter to add."
              disabled={!canManage}
              {...form.getInputProps('trustedProxies')}
              data-testid="server-trusted-proxies"
            />
          </Group>
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
          {restarts && (
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
              {restarts ? 'Save and restart' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
