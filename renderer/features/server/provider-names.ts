import type { Provider } from '../../../shared/domain.js';

/** The providers behind the allowlist words, by their product names: the same in every language. */
export const PROVIDER_NAMES: Record<Provider, string> = {
  AWS: 'Amazon Web Services',
  GOOGLE: 'Google Cloud',
  AZURE: 'Microsoft Azure',
  CLOUDFLARE: 'Cloudflare',
  DIGITAL_OCEAN: 'DigitalOcean',
};
