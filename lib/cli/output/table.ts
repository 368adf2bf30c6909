import { displayWidth, padDisplay, wrapText } from './text-width';

/** The width a table is laid out to when the output is not a terminal that reports its own. */
export const DEFAULT_COLUMNS = 100;

/**
 * The last column (the message) keeps at least this share of the width, and never under MIN_LAST_COLUMN: the other
 * columns (a long object name) wrap first, since a message in a column of a few words is the hardest to read.
 */
const LAST_COLUMN_SHARE = 0.4;
const MIN_LAST_COLUMN = 24;

/** Nor the others below this (or their header). */
const MIN_COLUMN = 8;

/** The spaces between two columns. */
const GAP = '  ';

export interface TableOptions {
  /**
   * The terminal's width in columns: the last column (the message) wraps so that each line fits, its continuation
   * lines indented under it; other columns longer than their share (a long object name) wrap within their own.
   * @default 100
   */
  readonly columns?: number;
  /** Full lines, nothing wrapped (for wide terminals, or to grep the output). @default false */
  readonly wide?: boolean;
}

/**
 * Renders rows as an aligned plain-text table (no colours: output is often piped or logged), widths measured in
 * terminal columns (wide CJK characters and emoji count two, combining marks none). A newline in a cell starts a
 * continuation line in its column.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const cellLines = (c: string) => c.split('\n');
  const natural = header.map((h, i) => Math.max(displayWidth(h), ...rows.flatMap((r) => cellLines(r[i] ?? '').map(displayWidth))));
  // a terminal that reports no usable width (0, as some do when detached) is laid out as no terminal
  const columns = options.columns !== undefined && Number.isInteger(options.columns) && options.columns > 0 ? options.columns : DEFAULT_COLUMNS;
  const widths = options.wide ? natural : fitWidths(header, natural, columns);
  const last = header.length - 1;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === last ? c : padDisplay(c, widths[i])))
      .join(GAP)
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of rows) {
    const wrapped = header.map((_, i) => (options.wide ? cellLines(row[i] ?? '') : wrapText(row[i] ?? '', widths[i])));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) out.push(line(wrapped.map((w) => w[k] ?? '')));
  }
  return out.join('\n');
}

/**
 * Column widths that fit `columns`: the natural ones when they do; else the last column takes what the others leave,
 * and when that is under its share the widest other column gives up one column at a time (down to its header,
 * or MIN_COLUMN) until it is not.
 */
function fitWidths(header: readonly string[], natural: readonly number[], columns: number): number[] {
  const widths = [...natural];
  const last = widths.length - 1;
  const room = () => columns - GAP.length * last - widths.slice(0, last).reduce((a, b) => a + b, 0);
  const floor = (i: number) => Math.min(natural[i], Math.max(MIN_COLUMN, displayWidth(header[i])));
  const lastNeed = Math.min(natural[last], Math.max(MIN_LAST_COLUMN, Math.floor(columns * LAST_COLUMN_SHARE)));
  while (room() < lastNeed) {
    let widest = -1;
    for (let i = 0; i < last; i++) if (widths[i] > floor(i) && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest]--;
  }
  widths[last] = Math.max(lastNeed, Math.min(natural[last], room()), 1);
  return widths;
}
