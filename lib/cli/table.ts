import { renderTable } from './output/table';

/** Renders rows as an aligned plain-text table, full lines (the catalog and plan tables are narrow by design). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return renderTable(header, rows, { wide: true });
}
