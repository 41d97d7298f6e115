import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { passwordStrength } from '../../lib/password-strength.js';

export function PasswordStrengthHint({ password }: { password: string }) {
  const strength = passwordStrength(password);
  const { t } = useTranslation('app');
  return (
    <Stack gap={4} aria-live="polite">
      <Progress value={(strength.score / 4) * 100 || 4} color={strength.color} size="sm" aria-label={t('strength.label')} />
      <Text size="xs" c="dimmed" data-testid="password-strength">
        {t('strength.prefix')} <b>{t(`strength.level.${strength.label}`)}</b>
        {strength.advice ? ` — ${t(`strength.advice.${strength.advice}`)}` : ''}
      </Text>
    </Stack>
  );
}
