import { Fragment } from 'react';
import { Badge, Checkbox, Group, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResourceInfo } from '../../../shared/dto.js';
import { builtInDescription } from '../../lib/builtin-text.js';
import { hasRight, matrixColumns, resourceSections, rowState, setResourceRow, setRight, type ApiRight } from './rights-matrix.js';

export interface RightsMatrixProps {
  catalogue: ResourceInfo[];
  rights: ApiRight[];
  filterIds: number[];
  onRightsChange: (rights: ApiRight[]) => void;
  onFilterIdsChange: (ids: number[]) => void;
  error?: string | undefined;
}

/**
 * Resources × actions, one checkbox per action the resource has, plus its record filters. Each box has a
 * label that reads on its own ("addresses: read"), so a screen reader or keyboard user knows the cell.
 * Endpoint-style resources (orders/import) sit under a heading row of their first segment (orders/).
 */
export function RightsMatrix({ catalogue, rights, filterIds, onRightsChange, onFilterIdsChange, error }: RightsMatrixProps) {
  const { t } = useTranslation('groups');
  const columns = matrixColumns(catalogue);
  const toggleFilter = (id: number, on: boolean) =>
    onFilterIdsChange(on ? [...filterIds.filter((f) => f !== id), id] : filterIds.filter((f) => f !== id));

  if (catalogue.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('matrix.empty')}
      </Text>
    );
  }
  return (
    <div>
      <Text size="xs" c="dimmed" mb={6} data-testid="rights-least-privilege">
        {t('matrix.leastPrivilege')}
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table withTableBorder withColumnBorders verticalSpacing="xs" aria-label={t('matrix.label')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('matrix.resource')}</Table.Th>
              <Table.Th ta="center">{t('matrix.all')}</Table.Th>
              {columns.map((action) => (
                <Table.Th key={action} ta="center">
                  {action}
                </Table.Th>
              ))}
              <Table.Th>{t('matrix.filters')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {resourceSections(catalogue).map((section) => (
              <Fragment key={section.prefix ?? section.resources[0]!.id}>
                {section.prefix !== null && (
                  <Table.Tr>
                    <Table.Td colSpan={columns.length + 3} bg="var(--mantine-color-default-hover)">
                      <Text size="xs" fw={700} c="dimmed">
                        {section.prefix}/
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {section.resources.map((resource) => {
                  const state = rowState(rights, resource);
                  return (
                    <Table.Tr key={resource.id}>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Tooltip label={builtInDescription(resource) || t('matrix.noDescription')} disabled={!resource.description}>
                            <Text size="sm" fw={500}>
                              {resource.name}
                            </Text>
                          </Tooltip>
                          {resource.builtin ? (
                            <Badge size="xs" variant="light" color="gray">
                              {t('builtIn')}
                            </Badge>
                          ) : null}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="center">
                        <Checkbox
                          aria-label={t('matrix.everyAction', { resource: resource.name })}
                          checked={state === 'all'}
                          indeterminate={state === 'some'}
                          onChange={(e) => onRightsChange(setResourceRow(rights, resource, e.currentTarget.checked))}
                          styles={{ body: { justifyContent: 'center' } }}
                        />
                      </Table.Td>
                      {columns.map((action) => (
                        <Table.Td key={action} ta="center">
                          {resource.actions.includes(action) ? (
                            <Checkbox
                              aria-label={`${resource.name}: ${action}`}
                              checked={hasRight(rights, resource.name, action)}
                              onChange={(e) => onRightsChange(setRight(rights, resource.name, action, e.currentTarget.checked))}
                              styles={{ body: { justifyContent: 'center' } }}
                            />
                          ) : (
                            <Text c="dimmed" size="xs" aria-hidden>
                              —
                            </Text>
                          )}
                        </Table.Td>
                      ))}
                      <Table.Td>
                        {resource.filters.length === 0 ? (
                          <Text c="dimmed" size="xs">
                            {t('matrix.noneDefined')}
                          </Text>
                        ) : (
                          <Group gap="sm">
                            {resource.filters.map((f) => (
                              <Tooltip key={f.id} label={f.description} disabled={!f.description}>
                                <Checkbox
                                  size="xs"
                                  label={f.name}
                                  aria-label={t('matrix.filterOf', { resource: resource.name, filter: f.name })}
                                  checked={filterIds.includes(f.id)}
                                  onChange={(e) => toggleFilter(f.id, e.currentTarget.checked)}
                                />
                              </Tooltip>
                            ))}
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {error ? (
        <Text c="red" size="sm" mt={4} role="alert">
          {error}
        </Text>
      ) : null}
    </div>
  );
}
