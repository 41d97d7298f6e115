import { Alert, Badge, Button, Code, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { StorePageStatus } from '../../../shared/store.dto.js';
import { chooseStoreInput } from '../../../shared/store.schemas.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { coreText, errorText } from '../../lib/error-text.js';
import { notifySuccess } from '../../lib/notify.js';
import { useChooseStore, useStoreStatus } from './store.queries.js';

interface Values {
  kind: 'sqlite' | 'postgres';
  url: string;
}

const toInput = (v: Values) => (v.kind === 'sqlite' ? { kind: v.kind } : { kind: v.kind, url: v.url });

/**
 * The store Keyrack works on (issue 10): which one this start opened and what chose it, its schema version,
 * the server nodes sharing it, and (for administrators) the choice for the next start. Main connects to a
 * PostgreSQL store before it writes store.json, and says on the URL field why it could not; the app never
 * switches stores while it runs, so a new choice says "restart".
 */
export function StoreCard({ status, canManage }: { status: StorePageStatus; canManage: boolean }) {
  const { t } = useTranslation('store');
  const choose = useChooseStore();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: status.next?.engine === 'postgres' ? { kind: 'postgres', url: status.next.store } : { kind: 'sqlite', url: '' },
    validate: zodValidate(chooseStoreInput, toInput),
  });

  const nextDiffers = status.next !== null && (status.next.engine !== status.engine || status.next.store !== status.store);
  const schema =
    status.schemaVersion === null
      ? t('schemaUnknown', { program: status.programSchemaVersion })
      : status.schemaVersion === status.programSchemaVersion
        ? t('schemaCurrent', { version: status.schemaVersion })
        : t('schemaOlder', { version: status.schemaVersion, program: status.programSchemaVersion });

  const submit = form.onSubmit(async (values) => {
    try {
      const chosen = await choose.mutateAsync(toInput(values));
      const same = chosen.engine === status.engine && chosen.store === status.store;
      notifySuccess(same ? t('choose.alreadyInUse') : t('choose.done'), t('choose.chosenTitle', { store: chosen.store }));
    } catch (error) {
      showServerError(form, error);
    }
  });

  return (
    <Paper withBorder p="lg" data-testid="store-card">
      <Stack>
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4">
            {t('title')}
          </Title>
          <Badge color={status.engine === 'postgres' ? 'blue' : 'gray'} variant="light" size="lg" miw="max-content" data-testid="store-engine">
            {t(`engine.${status.engine}`)}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t('description')}
        </Text>

        <Table variant="vertical" layout="fixed" withTableBorder data-testid="store-facts">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={150}>{t('inUse')}</Table.Th>
              <Table.Td>
                <Code style={{ wordBreak: 'break-all' }} data-testid="store-in-use">
                  {status.store}
                </Code>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('chosenByLabel')}</Table.Th>
              <Table.Td data-testid="store-chosen-by">{t(`chosenBy.${status.chosenBy}`)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('schema')}</Table.Th>
              <Table.Td data-testid="store-schema">{schema}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>

        {status.problem !== null && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('unreadable')} data-testid="store-problem">
            {coreText(status.problem)}
          </Alert>
        )}

        {status.engine === 'postgres' && <NodesTable status={status} />}

        {status.envOverrides && (
          <Alert color="blue" icon={<IconInfoCircle size={18} />} data-testid="store-env-wins">
            {t('envWins', { store: status.next?.store ?? '—' })}
          </Alert>
        )}
        {status.next !== null && nextDiffers && (
          <Alert color="yellow" icon={<IconRefresh size={18} />} data-testid="store-restart">
            {t('nextDiffers', { engine: t(`engine.${status.next.engine}`), store: status.next.store })}
          </Alert>
        )}
        {status.nextProblem !== null && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('nextProblem')} data-testid="store-next-problem">
            {coreText(status.nextProblem)}
          </Alert>
        )}

        {canManage ? (
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Title order={3} size="h5">
                {t('choose.title')}
              </Title>
              <SegmentedControl
                aria-label={t('choose.kind')}
                data={[
                  { value: 'sqlite', label: t('choose.sqlite') },
                  { value: 'postgres', label: t('choose.postgres') },
                ]}
                {...form.getInputProps('kind')}
              />
              {form.values.kind === 'postgres' ? (
                <>
                  <TextInput
                    label={t('choose.url')}
                    description={t('choose.urlHint')}
                    placeholder={t('choose.urlExample')}
                    autoComplete="off"
                    spellCheck={false}
                    data-testid="store-url"
                    {...form.getInputProps('url')}
                  />
                  <Text size="sm" c="dimmed">
                    {t('choose.password')}
                  </Text>
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('choose.sqliteNote', { file: status.sqliteFile })}
                </Text>
              )}
              <Group justify="flex-end" gap="sm">
                {choose.isPending && (
                  <Group gap="xs">
                    <Loader size="xs" />
                    <Text size="sm" c="dimmed">
                      {t('choose.checking')}
                    </Text>
                  </Group>
                )}
                <Button type="submit" loading={choose.isPending} data-testid="store-choose">
                  {t('choose.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Text size="sm" c="dimmed">
            {t('choose.onlyAdmins')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** The `keyrack serve` nodes whose heartbeat the store saw in the last minute. */
function NodesTable({ status }: { status: StorePageStatus }) {
  const { t } = useTranslation('store');
  return (
    <Stack gap="xs" data-testid="store-nodes">
      <Text fw={500} size="sm">
        {t('nodes')}
      </Text>
      {status.nodes.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noNodes')}
        </Text>
      ) : (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('node.name')}</Table.Th>
              <Table.Th>{t('node.version')}</Table.Th>
              <Table.Th>{t('node.address')}</Table.Th>
              <Table.Th>{t('node.seen')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {status.nodes.map((n) => (
              <Table.Tr key={n.node}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{n.node}</Table.Td>
                <Table.Td>{n.version}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{n.url ?? '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{t('node.seenAgo', { seconds: Math.max(0, Math.round((status.at - n.seenAt) / 1000)) })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Loads the store's status for the Server page. */
export function StoreSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('store');
  const status = useStoreStatus();
  if (status.isPending)
    return (
      <Paper withBorder p="lg">
        <Loader size="sm" aria-label={t('loading')} />
      </Paper>
    );
  if (status.isError)
    return (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('loadFailed')} role="alert">
        {errorText(status.error)}
      </Alert>
    );
  // Keyed by the next start's choice, so the form starts over from it after a choice (made here or by the CLI).
  return <StoreCard key={JSON.stringify(status.data.next)} status={status.data} canManage={canManage} />;
}
