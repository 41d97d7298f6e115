import { useCallback, useEffect, useMemo, useState } from 'react';
import { usePath } from '../../app/router.js';
import { logQueryString, parseLogQuery, queryOf, type LogLocation } from './log-url.js';

/**
 * The log page's filters, order and open event, kept in its URL (see log-url.ts).
 *
 * The URL is written where the admin changes something (never from an effect), and replaced rather than
 * pushed so typing in a filter does not fill the back button's history. A link followed while the log is
 * open (a hash change) replaces the filters with the link's; when the URL already says what the page
 * shows, nothing changes, so the two never chase each other.
 */
export function useLogLocation(): [LogLocation, (next: LogLocation) => void] {
  const path = usePath();
  const fromUrl = useMemo(() => parseLogQuery(queryOf(path)), [path]);
  const [location, setLocation] = useState<LogLocation>(fromUrl);

  const urlKey = logQueryString(fromUrl.filters, fromUrl.event, fromUrl.order);
  useEffect(() => {
    setLocation((current) => (logQueryString(current.filters, current.event, current.order) === urlKey ? current : fromUrl));
  }, [urlKey, fromUrl]);

  const update = useCallback((next: LogLocation) => {
    setLocation(next);
    const query = logQueryString(next.filters, next.event, next.order);
    window.history.replaceState(window.history.state, '', `#/log${query ? `?${query}` : ''}`);
  }, []);

  return [location, update];
}
