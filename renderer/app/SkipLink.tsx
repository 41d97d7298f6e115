import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** The id of the page's main landmark (Layout's AppShell.Main), the skip link's target. */
export const MAIN_CONTENT_ID = 'main-content';

/**
 * "Skip to main content", the first stop of the Tab key (WCAG 2.4.1): past the header and the navigation
 * straight into the page. The app routes by the URL's hash, so `#main-content` would be read as a route;
 * the link keeps the current hash as its href and moves the focus itself.
 */
export function SkipLink() {
  const { t } = useTranslation('app');
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById(MAIN_CONTENT_ID)?.focus();
  };
  return (
    <a className="keyrack-skip-link" href={window.location.hash || '#/'} onClick={skip}>
      {t('layout.skipToContent')}
    </a>
  );
}
