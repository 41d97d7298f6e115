import { useLayoutEffect, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

const SORTED = '.mantine-datatable-header-cell-sortable-icon';
const UNSORTED = '.mantine-datatable-header-cell-sortable-unsorted-icon';
const REVERSED = 'mantine-datatable-header-cell-sortable-icon-reversed';

/**
 * mantine-datatable says how a sortable column is sorted through an icon inside the header button
 * (role="img", aria-label "Sorted ascending" / "Not sorted"), so a screen reader hears "Name, Sorted
 * ascending"; but those labels are English words fixed in the library. This puts the reader's language in
 * their place after every render of the table's page (React sets the library's label again only when the
 * direction changes, which re-renders that page, so the words here always follow).
 */
export function useSortIconLabels(root: RefObject<HTMLElement | null>): void {
  const { t } = useTranslation('common');
  useLayoutEffect(() => {
    const table = root.current;
    if (!table) return;
    for (const icon of table.querySelectorAll(SORTED)) {
      icon.setAttribute('aria-label', t(icon.classList.contains(REVERSED) ? 'table.sortedDescending' : 'table.sortedAscending'));
    }
    for (const icon of table.querySelectorAll(UNSORTED)) icon.setAttribute('aria-label', t('table.notSorted'));
  });
}
