import { UsageError } from './command';
import { FINDING_FORMATS, FindingFormat } from './output/findings';

/** `--format` and its alias `--json`, declared once for the commands that report findings; `json` describes their JSON. */
export function findingFormatOptions(json: string) {
  return {
    format: { type: 'string', value: '<f>', help: `table (default), json (${json}) or sarif (SARIF 2.1.0, for code scanning)` },
    json: { type: 'boolean', help: 'the same as --format json' },
  } as const;
}

/** `--wide`, for the commands whose table wraps its last column (`column`: what that column holds). */
export function wideOption(column: string) {
  return {
    wide: {
      type: 'boolean',
      help: `table lines in full; by default the ${column} column wraps to the terminal's width (100 when the output is not a terminal), its continuation lines indented under it`,
    },
  } as const;
}

/** The format asked for: `--format`, else json for `--json`, else the table. */
export function findingFormatOf(values: { readonly format?: string; readonly json?: boolean }): FindingFormat {
  const format = values.format ?? (values.json ? 'json' : 'table');
  if (!(FINDING_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FINDING_FORMATS.join(', ')}, got '${format}'`);
  return format as FindingFormat;
}
