import { useId, useState } from 'react';
import { Alert, SegmentedControl, Stack, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { formatDay, strictDateInput } from '../lib/format.js';
import { DEFAULT_SECRET_EXPIRY, presetDay, SECRET_EXPIRY_PRESETS, type SecretExpiryPreset } from '../lib/secret-expiry.js';

interface Props {
  label: string;
  /** The chosen day (YYYY-MM-DD), or null for never. */
  value: string | null;
  onChange: (day: string | null) => void;
  error?: string | undefined;
}

/** When a new secret stops working: 30 / 90 (the default) / 365 days, a date, or never with a warning. */
export function SecretExpiryField({ label, value, onChange, error }: Props) {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<SecretExpiryPreset>(DEFAULT_SECRET_EXPIRY);
  // Unique per field: a page may show two (a form and a dialog), and ids must not repeat.
  const id = useId();
  const labelId = `${id}-label`;
  const errorId = `${id}-error`;
  // Without the date field the message belongs to the choices: tied to them so a screen reader reads it there.
  const choiceError = preset !== 'date' && error ? error : undefined;
  const choose = (next: string) => {
    const chosen = next as SecretExpiryPreset;
    setPreset(chosen);
    const day = presetDay(chosen);
    if (day !== undefined) onChange(day);
  };
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        aria-describedby={choiceError ? errorId : undefined}
        aria-invalid={choiceError ? true : undefined}
        data={SECRET_EXPIRY_PRESETS.map((p) => ({ value: p, label: t(`secretExpiry.preset.${p}`) }))}
        value={preset}
        onChange={choose}
        data-testid="secret-expiry-preset"
      />
      {preset === 'date' && (
        <DateInput
          label={t('secretExpiry.expiresOn')}
          placeholder={t('secretExpiry.pickDay')}
          minDate={new Date()}
          {...strictDateInput()}
          value={value}
          onChange={(day) => onChange(day)}
          error={error}
        />
      )}
      {preset !== 'date' && value !== null && (
        <Text size="xs" c="dimmed">
          {t('secretExpiry.stopsAt', { day: formatDay(value) })}
        </Text>
      )}
      {preset === 'never' && (
        <Alert color="orange" variant="light" title={t('secretExpiry.neverTitle')} data-testid="secret-expiry-never">
          {t('secretExpiry.neverWarning')}
        </Alert>
      )}
      {choiceError && (
        <Text size="xs" c="red" id={errorId}>
          {choiceError}
        </Text>
      )}
    </Stack>
  );
}
