import { Finding, RuleMetadata } from '../../check/rule';
import { toSarif } from '../../check/sarif';
import * as path from 'path';
import { ManifestReadError } from '../../manifests/loaded';
import { checkTheBuild } from '../../manifests/read-problems';
import { NOT_AN_OBJECT } from '../../manifests/yaml-documents';
import { packageVersion } from '../../private/package-root';
import { Io } from '../command';
import { DEFAULT_COLUMNS, renderTable } from './table';

/** The output formats of the commands that report findings (check, validate). */
export const FINDING_FORMATS = ['table', 'json', 'sarif'] as const;
export type FindingFormat = (typeof FINDING_FORMATS)[number];

/** A finding as check and validate print it: the check Finding, and the field a schema violation is at. */
export interface OutputFinding extends Finding {
  /** Field path, dotted (`spec.predictor.model.args[0]`): where a schema violation is. */
  readonly field?: string;
}

/** The platform the findings were judged for, and why that one. */
export interface JudgedPlatform {
  readonly id: string;
  readonly source: string;
  readonly reason: string;
  /** The files of the git repository outside the checked folders whose objects told the platform, where any did. */
  readonly files?: readonly string[];
}

/** The Kueue release the findings were judged for, and why that one. */
export interface JudgedKueue {
  readonly release: string;
  readonly redHat?: string;
  readonly source: string;
  readonly reason: string;
}

/** The text output: its columns, a closing line, and what it says when there is no finding. */
export interface FindingTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Printed after the table, after an empty line. */
  readonly footer: string;
  /** Printed alone when there is no finding. */
  readonly empty: string;
}

/** What a command reports: everything each format needs. */
export interface FindingReport {
  readonly findings: readonly OutputFinding[];
  readonly platform: JudgedPlatform;
  /** The Kueue release judged for (check only). */
  readonly kueue?: JudgedKueue;
  /** Which Application outside the checked folder was judged as its delivery, and from which file (check only). */
  readonly delivery?: readonly string[];
  /** Why the tree is treated as a template repository whose tokens are replaced when it is copied (check only). */
  readonly template?: string;
  /** The node pools the Terraform of the checked folders and their repository declares, and from which files (check only). */
  readonly terraform?: string;
  /** The repository's MachineSets and Karpenter NodePools read as node shapes, and from which files. */
  readonly nodes?: string;
  readonly table: FindingTable;
  /** The rules SARIF describes (its tool.driver.rules). */
  readonly rules: readonly RuleMetadata[];
}

export interface WriteOptions {
  /** Full table lines, nothing wrapped. @default false */
  readonly wide?: boolean;
  /** The terminal's width. @default the Io's columns, else 100 */
  readonly columns?: number;
}

/**
 * The input problems of a read (files that do not parse, kustomize features not applied) as findings, under the
 * input rule ids: the kind the reader gave, else `unreadable-input` for errors and `input-not-followed` for warnings.
 * YAML beside the manifests that is no object (compose files, Helm values, configuration) is one finding with the
 * count and the files, in every format (nothing to act on in each file), unless `verbose` lists each.
 */
export function inputFindings(errors: readonly ManifestReadError[], verbose = true): OutputFinding[] {
  const skipped = (e: ManifestReadError) => e.severity === 'warning' && NOT_AN_OBJECT.test(e.message);
  const listed = errors.filter(skipped);
  // a tool's input (Helm values, Fleet's fleet.yaml) is never a manifest: said in the summary line even alone
  const merged = !verbose && (listed.length > 1 || listed.some(isToolInput));
  const documented = verbose ? new Map<string, ManifestReadError[]>() : documentedGroups(errors);
  const out = errors
    .filter((e) => !merged || !skipped(e))
    .filter((e) => !(e.documentedIn && documented.has(e.documentedIn)))
    .flatMap((e): OutputFinding[] => [
      {
        rule: e.kind ?? (e.severity === 'error' ? 'unreadable-input' : 'input-not-followed'),
        severity: e.severity,
        object: e.file,
        message:
          (verbose && e.elided ? e.message.replace(e.elided.marker, e.elided.full) : e.message) +
          (e.consequences?.length ? consequencesSaid(e.consequences, verbose) : ''),
        file: e.file,
        ...(e.line ? { line: e.line } : {}),
        ...(skipped(e) ? { summary: NOT_AN_OBJECT_SUMMARY } : {}),
      },
      ...(verbose ? (e.consequences ?? []) : []).map((c): OutputFinding => ({
        rule: 'input-not-followed',
        severity: 'warning',
        object: c.file,
        message: consequenceMessage(c),
        file: c.file,
      })),
    ]);
  const grouped = [...documented.values()].map(documentedCommands);
  return [...(merged ? [skippedDocuments(listed)] : []), ...grouped, ...out];
}

/** The warnings of a documentation file's commands (a README's helm commands not rendered), by file: those of two or more. */
function documentedGroups(errors: readonly ManifestReadError[]): Map<string, ManifestReadError[]> {
  const groups = new Map<string, ManifestReadError[]>();
  for (const e of errors) if (e.documentedIn && e.severity === 'warning' && !e.kind) groups.set(e.documentedIn, [...(groups.get(e.documentedIn) ?? []), e]);
  for (const [file, group] of groups) if (group.length < 2) groups.delete(file);
  return groups;
}

/**
 * One finding for the commands of one documentation file that check does not follow: how many, the charts, and the
 * distinct reasons (the first three), since each command of a guide repeats the same cause; --verbose lists each.
 */
function documentedCommands(group: readonly ManifestReadError[]): OutputFinding {
  const file = group[0].documentedIn ?? group[0].file;
  const charts = [...new Set(group.map((e) => e.file))];
  const reasons = [...new Set(group.map((e) => e.message.replace(/^.*? documents it: /, '')))];
  const shownCharts = `${charts.slice(0, 5).join(', ')}${charts.length > 5 ? `, … (${charts.length - 5} more)` : ''}`;
  const shownReasons = `${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; … (${reasons.length - 3} more reasons)` : ''}`;
  return {
    rule: 'input-not-followed',
    severity: 'warning',
    object: file,
    message: `${group.length} helm commands of ${file} install charts of the tree (${shownCharts}) in a way check does not render, so what they would install is not checked: ${shownReasons}; --verbose lists each`,
    file,
  };
}

/** The consequences of a problem in other builds, said on its finding: how many, where, the first one. */
function consequencesSaid(consequences: NonNullable<ManifestReadError['consequences']>, verbose: boolean): string {
  const files = [...new Set(consequences.map((c) => c.file))];
  const shown = `${files.slice(0, 5).join(', ')}${files.length > 5 ? `, … (${files.length - 5} more)` : ''}`;
  return (
    `; without it ${consequences.length} step${consequences.length > 1 ? 's' : ''} of the builds that include it fail${consequences.length > 1 ? '' : 's'} as the reader built them (${shown}), ` +
    `e.g. ${files[0]}: ${consequences[0].message}${verbose ? '' : '; --verbose lists each'}`
  );
}

/** One consequence as its own finding (--verbose): the refusal, why it is uncertain, and how to check the real build. */
const consequenceMessage = (c: { file: string; message: string }) =>
  `${c.message}; the reader built this root without a file a script writes (see the warning above), so kustomize may build it: ${checkTheBuild(path.dirname(c.file))}`;

/**
 * Files that are a tool's input, not manifests, by their names: Helm values files (helm install -f; a chart's
 * values.yaml, values-<env>.yaml, <name>-values.yaml) and Rancher Fleet's bundle options, fleet.yaml (fleet docs,
 * "fleet.yaml": read by Fleet, never applied). Their documents are no Kubernetes object by design.
 */
const TOOL_INPUT_FILE = /^(fleet\.ya?ml|values([-._][\w.-]*)?\.ya?ml|[\w.-]+[-._]values\.ya?ml)$/i;
const isToolInput = (e: ManifestReadError) => TOOL_INPUT_FILE.test(path.basename(e.file));

/**
 * The one finding for documents that are no Kubernetes object: how many, in which files (the first five). A note
 * where every one is a tool's input (nothing to look at), else a warning.
 */
function skippedDocuments(listed: readonly ManifestReadError[]): OutputFinding {
  const files = [...new Set(listed.map((e) => e.file))];
  const shown = `${files.slice(0, 5).join(', ')}${files.length > 5 ? `, … (${files.length - 5} more)` : ''}`;
  const documents = `${listed.length} document${listed.length > 1 ? 's' : ''}`;
  return {
    rule: 'input-not-followed',
    severity: listed.every(isToolInput) ? 'info' : 'warning',
    object: documents,
    message: `${NOT_AN_OBJECT_SUMMARY}: ${documents} in ${files.length} file${files.length > 1 ? 's' : ''} (${shown}); --verbose lists each`,
    file: files[0],
  };
}

/** The line the text output counts documents that are no Kubernetes object under. */
const NOT_AN_OBJECT_SUMMARY = 'YAML documents that are no Kubernetes object (compose files, Helm values, configuration): skipped';

/**
 * One finding as JSON, keys in a fixed order and absent ones left out:
 * `{"rule","severity","object","message","file","line","field","summary","limitation","acknowledged"}`.
 */
export function findingJson(f: OutputFinding): Record<string, string | number | boolean> {
  return {
    rule: f.rule,
    severity: f.severity,
    object: f.object,
    message: f.message,
    ...(f.file ? { file: f.file } : {}),
    ...(f.line ? { line: f.line } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
    ...(f.summary ? { summary: f.summary } : {}),
    ...(f.limitation ? { limitation: true } : {}),
    ...(f.acknowledged ? { acknowledged: f.acknowledged } : {}),
  };
}

/** The findings in one format: `{"platform":{"id","source","reason"},"kueue":{…},"findings":[…]}`, SARIF 2.1.0, or the table. */
export function formatFindings(format: FindingFormat, report: FindingReport, options: WriteOptions = {}): string {
  const kueue = {
    ...(report.kueue ? { kueue: report.kueue } : {}),
    ...(report.delivery?.length ? { delivery: report.delivery } : {}),
    ...(report.template ? { template: report.template } : {}),
    ...(report.terraform ? { terraform: report.terraform } : {}),
    ...(report.nodes ? { nodes: report.nodes } : {}),
  };
  if (format === 'json') return `${JSON.stringify({ platform: report.platform, ...kueue, findings: report.findings.map(findingJson) })}\n`;
  if (format === 'sarif')
    return `${JSON.stringify(toSarif(report.findings, report.rules, packageVersion(), { platform: sarifPlatform(report.platform), ...kueue }), null, 2)}\n`;
  if (!report.findings.length) return `${report.table.empty}\n`;
  const table = renderTable(report.table.header, report.table.rows, { wide: options.wide, columns: options.columns ?? DEFAULT_COLUMNS });
  return `${table}\n\n${report.table.footer}\n`;
}

/** The run property SARIF consumers read since it was first written: the platform under `platform`, not `id`. */
function sarifPlatform(p: JudgedPlatform): { platform: string; source: string; reason: string; files?: readonly string[] } {
  return { platform: p.id, source: p.source, reason: p.reason, ...(p.files ? { files: p.files } : {}) };
}

/** Writes the findings to the command's output, laid out to its terminal's width. */
export function writeFindings(io: Io, format: FindingFormat, report: FindingReport, options: WriteOptions = {}): void {
  io.out(formatFindings(format, report, { ...options, columns: options.columns ?? io.columns }));
}
