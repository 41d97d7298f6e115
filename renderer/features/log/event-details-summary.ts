import { i18n } from '../../i18n/i18n.js';
import { formatCount, formatTimeSeconds } from '../../lib/format.js';
import { eventDetailFields, type DetailValue } from './event-details.js';
import { actorKindLabel, CODE_SHOWN_WITH_WORDS, detailCodeLabel, detailLabel, eventTypeLabel } from './event-labels.js';

/**
 * An event's details (event-details.ts) on one line of plain text ("Label: value · Label: value"), for a
 * table cell: the Activity tab's rows, whose full list opens with the row. References show the name the
 * event carries, else their number (no lookups in a table of a hundred rows).
 */
export function detailSummary(details: Record<string, unknown>): string {
  return eventDetailFields(details)
    .map((f) => `${detailLabel(f.key)}: ${detailValueText(f.value)}`)
    .join(' · ');
}

/** One value as plain text; the drawer's rich view (EventDetails.tsx) uses it for every value it does not link or list. */
export function detailValueText(value: DetailValue): string {
  const t = i18n.getFixedT(null, 'log');
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'number':
      return formatCount(value.n);
    case 'yesNo':
      return value.value ? t('detail.yes') : t('detail.no');
    case 'time':
      return formatTimeSeconds(value.ms);
    case 'never':
      return t('detail.never');
    case 'none':
      return '—';
    case 'eventType':
      return eventTypeLabel(value.type);
    case 'userKind':
      return actorKindLabel(value.userKind);
    case 'fieldName':
      return detailLabel(value.key);
    case 'code': {
      const words = detailCodeLabel(value.family, value.code);
      if (words === null) return value.code;
      return CODE_SHOWN_WITH_WORDS.has(value.family) ? `${words} (${value.code})` : words;
    }
    case 'change':
      return `${detailValueText(value.from)} → ${detailValueText(value.to)}`;
    case 'list':
      return value.items.length === 0 ? t('detail.emptyList') : value.items.map(detailValueText).join(', ');
    case 'fields':
      return value.fields.map((f) => `${detailLabel(f.key)}: ${detailValueText(f.value)}`).join(', ');
    case 'ref': {
      const { id, name } = value;
      if (value.entity === 'secret') return name !== null ? t('detail.secretNamed', { label: name, id }) : t('detail.secretNumber', { id });
      if (name !== null) return name;
      return value.entity === 'group' ? t('detail.groupNumber', { id }) : value.entity === 'mailbox' ? t('detail.mailboxNumber', { id }) : t('detail.eventNumber', { id });
    }
  }
}
