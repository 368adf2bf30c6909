import { isMapping, Loose, mapping, text } from '../manifests/access';
import { unknownFieldMessage } from '../validation/unknown-fields';
import { DSC_2X_FIELDS, DSC_LATER, DSC_REMOVED, DSC_RENAMED, DSC_SCHEMAS, DscPlatform, DscVersionSchema } from './dsc-components';
import { Platform } from './platform';
import { Problem } from './rule';

const DSC_GROUP = 'datasciencecluster.opendatahub.io';
const DSCI_GROUP = 'dscinitialization.opendatahub.io';
const LINES = Object.keys(DSC_SCHEMAS) as DscPlatform[];
const LABEL: Record<DscPlatform, string> = {
  'rhoai-2': 'OpenShift AI 2.x',
  'rhoai-3.0': 'OpenShift AI 3.0',
  'rhoai-3.3': 'OpenShift AI 3.3',
  'rhoai-3.4': 'OpenShift AI 3.4',
};

/** One key the version's schema on the judged release does not have. */
interface Unknown {
  readonly field: string;
  readonly meant?: string;
  readonly why?: string;
  /** The newer release whose schema has it. */
  readonly newer?: string;
}

/** The schema a DataScienceCluster or DSCInitialization is judged by on the platform, if the table has one. */
function schemaOf(m: Loose, platform: Platform): { schema: DscVersionSchema; line: DscPlatform; version: 'v1' | 'v2' } | undefined {
  const [group, version] = (text(m.apiVersion) ?? '').split('/');
  const ours = (m.kind === 'DataScienceCluster' && group === DSC_GROUP) || (m.kind === 'DSCInitialization' && group === DSCI_GROUP);
  if (!ours || platform === 'kserve' || (version !== 'v1' && version !== 'v2')) return undefined;
  // a version the release does not serve (v2 on 2.x) is the served-API judgement's, not this one's
  const schema = DSC_SCHEMAS[platform][version];
  return schema ? { schema, line: platform, version } : undefined;
}

/** The first newer release whose schema of the same version has the key (or the component's field). */
function newerWith(line: DscPlatform, version: 'v1' | 'v2', has: (s: DscVersionSchema) => boolean): string | undefined {
  const newer = LINES.slice(LINES.indexOf(line) + 1).find((l) => {
    const s = DSC_SCHEMAS[l][version];
    return s !== undefined && has(s);
  });
  if (newer) return LABEL[newer];
  return has(DSC_LATER.schemas[version]) ? DSC_LATER.label : undefined;
}

function componentsUnknown(components: Loose, schema: DscVersionSchema, line: DscPlatform, version: 'v1' | 'v2'): Unknown[] {
  const out: Unknown[] = [];
  for (const [key, value] of Object.entries(components)) {
    const at = `spec.components.${key}`;
    const fields = schema.components[key];
    if (!Object.prototype.hasOwnProperty.call(schema.components, key)) {
      const renamed = DSC_RENAMED[key];
      if (renamed && renamed in schema.components) {
        out.push({ field: at, meant: `spec.components.${renamed}`, why: `${key} is the ${version === 'v1' ? 'v2' : 'v1'} name of the component` });
      } else {
        const removed = line !== 'rhoai-2' ? DSC_REMOVED[key] : undefined;
        out.push({ field: at, newer: newerWith(line, version, (s) => key in s.components), ...(removed ? { why: removed } : {}) });
      }
      continue;
    }
    if (!fields || !isMapping(value)) continue;
    for (const field of Object.keys(value).filter((f) => !fields.includes(f))) {
      const newer = newerWith(line, version, (s) => (s.components[key] ?? []).includes(field));
      const old = line !== 'rhoai-2' && (DSC_2X_FIELDS[key] ?? []).includes(field);
      out.push({ field: `${at}.${field}`, newer, ...(old ? { why: `${field} is a 2.x field, removed in 3.0 with Serverless and Service Mesh` } : {}) });
    }
  }
  return out;
}

/**
 * v1 components the v1 schema keeps on 3.x but the operator drops when it converts the object to v2, its storage
 * version (opendatahub-operator v3.0.0 api/datasciencecluster/v1/datasciencecluster_conversion.go ConvertTo copies
 * no ModelMeshServing or CodeFlare): asked for as Managed, they are never installed.
 */
function ignoredOn3(components: Loose, line: DscPlatform, version: 'v1' | 'v2', kind: string): Problem[] {
  const v2 = DSC_SCHEMAS[line].v2;
  if (version !== 'v1' || !v2) return [];
  return (
    Object.entries(components)
      // a key v1 lacks too is field-unknown's finding
      .filter(
        ([key, value]) =>
          key in (DSC_SCHEMAS[line].v1?.components ?? {}) && !(key in v2.components) && !DSC_RENAMED[key] && mapping(value).managementState === 'Managed',
      )
      .map(([key]) => ({
        severity: 'warning' as const,
        message: `spec.components.${key} is Managed, but ${LABEL[line]} has no ${key} component: its operator drops it when it converts the ${kind} to v2, so nothing is installed (${DSC_REMOVED[key] ?? 'removed in 3.0'}); set it to Removed or delete it`,
      }))
  );
}

/** The keys of the object its API version does not have on a release line, as judged there. */
function unknownOn(m: Loose, found: NonNullable<ReturnType<typeof schemaOf>>): Unknown[] {
  const { schema, line, version } = found;
  const spec = mapping(m.spec);
  const outside = (known: readonly string[]) =>
    Object.keys(spec)
      .filter((k) => !known.includes(k))
      .map((k) => ({ field: `spec.${k}` }));
  // a DataScienceCluster's spec holds its components only, in v1 and v2 alike (opendatahub-operator
  // api/datasciencecluster DataScienceClusterSpec: Components `json:"components"`)
  return m.kind === 'DSCInitialization'
    ? outside(schema.initialization)
    : [...outside(DSC_SPEC_KEYS), ...componentsUnknown(mapping(spec.components), schema, line, version)];
}

/** The keys of a DataScienceCluster's spec (opendatahub-operator api/datasciencecluster DataScienceClusterSpec). */
const DSC_SPEC_KEYS = ['components'];

/**
 * Whether a key is unknown, with no newer release having it, on every release the tree may target that serves its
 * API version: then the assumption among them does not change the verdict.
 */
function unknownOnEvery(m: Loose, field: string, candidates: readonly Platform[]): boolean {
  const judged = candidates.flatMap((c) => {
    const found = schemaOf(m, c);
    return found ? [unknownOn(m, found)] : [];
  });
  return judged.length > 0 && judged.every((unknown) => unknown.some((u) => u.field === field && !u.newer));
}

/**
 * Whether the judged release is only a lower bound: not given (--platform, the project file) but inferred from the tree,
 * among candidates that reach the newest release line the table knows, so nothing in the tree rules out a newer one
 * (a DataScienceCluster field first shipped in 3.3 says 3.3 or later, platform.ts inferPlatform's candidates).
 */
function lowerBound(line: DscPlatform, candidates: readonly Platform[] | undefined): boolean {
  return candidates !== undefined && candidates.includes(LINES[LINES.length - 1]) && candidates.includes(line);
}

/**
 * A key the judged release lacks and a newer one has, where the judged release is only a lower bound: the tree may
 * target the newer release, where the operator serves it, so the object is not said to be refused.
 */
function newerReleaseField(u: Unknown, m: Loose, line: DscPlatform, newer: string): Problem {
  const known = newer === DSC_LATER.label ? `the OpenShift AI releases this tool knows (up to ${LABEL[LINES[LINES.length - 1]]})` : LABEL[line];
  return {
    severity: 'warning',
    message:
      `'${u.field}' is not in the ${text(m.kind)} ${text(m.apiVersion)} schema of ${known}, but ${newer} has it${u.why ? ` (${u.why})` : ''}: ` +
      `the tree's release is inferred as ${LABEL[line]} or newer, so it may target a release that serves the field; on one that does not, the strict apply refuses the ${text(m.kind)}. State the cluster's release with --platform`,
  };
}

/**
 * The `spec.components` keys (and their fields) of a DataScienceCluster and the `spec` keys of a DSCInitialization
 * that its API version does not have on the judged release: an error where the platform is judged for sure or the
 * key is unknown on every release it is assumed among (`assumedAmong`), a warning where the verdict differs between
 * those releases or a newer release of the line has the key.
 */
export function dscFieldProblems(
  m: Loose,
  platform: Platform,
  assumedAmong: readonly Platform[] | undefined,
  refusal: string,
  inferredAmong?: readonly Platform[],
): Problem[] | undefined {
  const found = schemaOf(m, platform);
  if (!found) return undefined;
  const { schema, line, version } = found;
  const kind = text(m.kind)!;
  const source = `${kind} ${text(m.apiVersion)} on ${LABEL[line]} (${schema.source})`;
  const atLeast = lowerBound(line, inferredAmong);
  const problems = unknownOn(m, found).map((u): Problem => {
    if (u.newer && atLeast && !u.meant) return newerReleaseField(u, m, line, u.newer);
    const base = unknownFieldMessage(u, source, refusal) + (u.why ? ` (${u.why})` : '');
    if (u.newer) return { severity: 'warning', message: `${base}. It is a field of ${u.newer}: state the cluster's release with --platform` };
    if (assumedAmong && !unknownOnEvery(m, u.field, assumedAmong))
      return { severity: 'warning', message: `${base}. ${LABEL[line]} is assumed: state the cluster's release with --platform` };
    return { message: base };
  });
  return kind === 'DataScienceCluster' ? [...problems, ...ignoredOn3(mapping(mapping(m.spec).components), line, version, kind)] : problems;
}
