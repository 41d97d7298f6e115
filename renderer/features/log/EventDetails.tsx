import { Fragment, type ReactNode } from 'react';
import { Accordion, Code, DataList, Group, List, Text, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/call.js';
import { Link } from '../../app/router.js';
import { queryKeys } from '../../lib/query-keys.js';
import { eventDetailFields, referencedIds, type DetailField, type DetailValue } from './event-details.js';
import { CODE_SHOWN_WITH_WORDS, detailCodeLabel, detailHelp, detailLabel } from './event-labels.js';
import { detailValueText } from './event-details-summary.js';
import { logHref } from './log-url.js';

/** Names of groups and mailboxes by id, from the lists the app already caches (only when an event names one). */
interface Names {
  group: (id: number) => string | undefined;
  mailbox: (id: number) => string | undefined;
}

function useNames(fields: DetailField[]): Names {
  const groups = useQuery({
    queryKey: queryKeys.groups.list(),
    queryFn: () => call('groups.list', {}),
    enabled: referencedIds(fields, 'group').length > 0,
  });
  const mailboxes = useQuery({
    queryKey: queryKeys.mailboxes.list(),
    queryFn: () => call('mailboxes.list', {}),
    enabled: referencedIds(fields, 'mailbox').length > 0,
  });
  // Without the permission to list them (or while loading), a reference reads "Group #12": never blank.
  return {
    group: (id) => groups.data?.find((g) => g.id === id)?.name,
    mailbox: (id) => mailboxes.data?.find((m) => m.id === id)?.address,
  };
}

/**
 * An event's details as labelled fields in the reader's language (event-details.ts says how each value
 * is read), and the stored JSON behind a collapsed "Technical details" for support. Values are text nodes:
 * whatever the details hold, nothing in them runs.
 */
export function EventDetails({ details }: { details: Record<string, unknown> }) {
  const { t } = useTranslation('log');
  const fields = eventDetailFields(details);
  const names = useNames(fields);
  return (
    <div data-testid="event-details">
      <DetailList fields={fields} names={names} />
      <Accordion variant="default" chevronPosition="left" mt="xs">
        <Accordion.Item value="technical">
          <Accordion.Control>
            <Text size="sm" c="dimmed">
              {t('detail.technical')}
            </Text>
          </Accordion.Control>
          <Accordion.Panel>
            <Text size="xs" c="dimmed" mb={4}>
              {t('detail.technicalHint')}
            </Text>
            <Code block>{JSON.stringify(details, null, 2)}</Code>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </div>
  );
}

function DetailList({ fields, names }: { fields: DetailField[]; names: Names }) {
  return (
    <DataList withDivider labelWidth={130}>
      {fields.map((field) => (
        <DataList.Item key={field.key}>
          <DataList.ItemLabel>
            <FieldLabel name={field.key} />
          </DataList.ItemLabel>
          <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>
            <Value value={field.value} names={names} />
          </DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

/** The label, with its plain explanation in a tooltip where the word is technical. */
function FieldLabel({ name }: { name: string }) {
  const help = detailHelp(name);
  if (help === null) return <>{detailLabel(name)}</>;
  return (
    <Group gap={4} wrap="nowrap" component="span">
      {detailLabel(name)}
      <Tooltip label={help} multiline w={280} withArrow events={{ hover: true, focus: true, touch: true }}>
        <IconInfoCircle size={14} tabIndex={0} aria-label={help} style={{ flex: 'none', cursor: 'help' }} />
      </Tooltip>
    </Group>
  );
}

function Value({ value, names }: { value: DetailValue; names: Names }): ReactNode {
  const { t } = useTranslation('log');
  switch (value.kind) {
    case 'change':
      return (
        <>
          <Value value={value.from} names={names} />
          {' → '}
          <Value value={value.to} names={names} />
        </>
      );
    case 'list':
      if (value.items.length === 0) return t('detail.emptyList');
      return (
        <List size="sm" spacing={2}>
          {value.items.map((item, i) => (
            <List.Item key={i}>
              <Value value={item} names={names} />
            </List.Item>
          ))}
        </List>
      );
    case 'fields':
      return <DetailList fields={value.fields} names={names} />;
    case 'ref':
      return <Reference value={value} names={names} />;
    case 'code': {
      // As the drawer's Reason: the words, and the code small beside them where support asks by it.
      const words = detailCodeLabel(value.family, value.code);
      if (words === null || !CODE_SHOWN_WITH_WORDS.has(value.family)) return words ?? value.code;
      return (
        <>
          {words}{' '}
          <Text span c="dimmed" size="xs">
            {value.code}
          </Text>
        </>
      );
    }
    default:
      return detailValueText(value);
  }
}

/** A group, mailbox, secret or event by id: its name, linked to its page where it has one. */
function Reference({ value, names }: { value: Extract<DetailValue, { kind: 'ref' }>; names: Names }) {
  const { t } = useTranslation('log');
  const { id } = value;
  switch (value.entity) {
    case 'group':
      return (
        <Link to={`/groups/${id}`}>
          {value.name ?? names.group(id) ?? t('detail.groupNumber', { id })}
        </Link>
      );
    case 'mailbox':
      return <Fragment>{value.name ?? names.mailbox(id) ?? t('detail.mailboxNumber', { id })}</Fragment>;
    case 'secret':
      return <Fragment>{value.name !== null ? t('detail.secretNamed', { label: value.name, id }) : t('detail.secretNumber', { id })}</Fragment>;
    case 'event':
      return (
        <Link to={logHref({ event: id })}>
          {t('detail.eventNumber', { id })}
        </Link>
      );
  }
}
