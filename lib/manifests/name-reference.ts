import { isMapping, Loose, mapping, text } from './access';
import { originalNamespace, prefixesOf, previousNames, suffixesOf } from './build-ids';
import {
  ConfiguredSection,
  FieldSpec,
  gvkSelected,
  noConfiguredSpecs,
  pathSegments,
  RefusedWalks,
  setAt,
  Slot,
  slotsAt,
  valueAt,
  walkFieldSpec,
} from './field-specs';
import { isClusterScoped } from './scope';

/**
 * kustomize's name reference transformer (api/internal/accumulator/namereferencetransformer.go with
 * api/filters/nameref/nameref.go), run when a root's build ends: where an object was renamed (a prefix, a suffix, a
 * generator's hash), the fields that name it in other objects of the build are renamed too — only the fields of
 * kustomize's built-in configuration (api/internal/konfig/builtinpluginconsts/namereference.go). A custom kind (an
 * InferenceService's storage key or service account) is not updated unless a kustomization of the build configures
 * it (`configurations:` files, whose nameReference sections join the built-in ones for the whole root).
 */

export interface BackReference {
  readonly referral: { readonly group?: string; readonly version?: string; readonly kind: string };
  readonly referrers: readonly FieldSpec[];
}

/** The pod spec of each workload kind, as kustomize's configuration spells its paths. */
const POD_SPECS: readonly (readonly [string, string, string?])[] = [
  ['Pod', 'spec', 'v1'],
  ['PodTemplate', 'template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
];
/** The workloads kustomize updates for service accounts, claims and priority classes (no PodTemplate, ReplicaSet; a ReplicationController). */
const WORKLOAD_SPECS: readonly (readonly [string, string])[] = [
  ['Pod', 'spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicationController', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
];

const inPods = (paths: readonly string[]): FieldSpec[] =>
  POD_SPECS.flatMap(([kind, spec, version]) => paths.map((p) => ({ kind, ...(version ? { version } : {}), path: `${spec}/${p}` })));
const inWorkloads = (p: string): FieldSpec[] => WORKLOAD_SPECS.map(([kind, spec]) => ({ kind, path: `${spec}/${p}` }));
const scaleTarget: FieldSpec[] = [{ kind: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' }];
const resourceNames = (...kinds: string[]): FieldSpec[] => kinds.map((kind) => ({ kind, path: 'rules/resourceNames' }));
const rbac = 'rbac.authorization.k8s.io';

/** kustomize v5.7's built-in nameReference configuration (builtinpluginconsts/namereference.go), in its order. */
export const NAME_REFERENCES: readonly BackReference[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({ referral: { kind }, referrers: scaleTarget })),
  {
    referral: { kind: 'ConfigMap', version: 'v1' },
    referrers: [
      ...inPods([
        'volumes/configMap/name',
        'containers/env/valueFrom/configMapKeyRef/name',
        'initContainers/env/valueFrom/configMapKeyRef/name',
        'containers/envFrom/configMapRef/name',
        'initContainers/envFrom/configMapRef/name',
        'volumes/projected/sources/configMap/name',
      ]),
      { kind: 'Node', path: 'spec/configSource/configMap' },
      ...resourceNames('Role', 'ClusterRole'),
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap' },
    ],
  },
  {
    referral: { kind: 'Secret', version: 'v1' },
    referrers: [
      ...inPods([
        'volumes/secret/secretName',
        'containers/env/valueFrom/secretKeyRef/name',
        'initContainers/env/valueFrom/secretKeyRef/name',
        'containers/envFrom/secretRef/name',
        'initContainers/envFrom/secretRef/name',
        'imagePullSecrets/name',
        'volumes/projected/sources/secret/name',
      ]),
      { kind: 'Ingress', path: 'spec/tls/secretName' },
      ...['ingress.kubernetes.io', 'nginx.ingress.kubernetes.io'].map((g) => ({ kind: 'Ingress', path: `metadata/annotations/${g}\\/auth-secret` })),
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
      { kind: 'ServiceAccount', path: 'imagePullSecrets/name' },
      ...['secretName', 'adminSecretName', 'userSecretName', 'secretRef'].map((p) => ({ kind: 'StorageClass', path: `parameters/${p}` })),
      ...resourceNames('Role', 'ClusterRole'),
      { kind: 'Service', group: 'serving.knative.dev', version: 'v1', path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name' },
      { kind: 'PersistentVolume', path: 'spec/azureFile/secretName' },
    ],
  },
  {
    referral: { kind: 'Service', version: 'v1' },
    referrers: [
      { kind: 'StatefulSet', group: 'apps', path: 'spec/serviceName' },
      ...[
        'spec/rules/http/paths/backend/serviceName',
        'spec/backend/serviceName',
        'spec/rules/http/paths/backend/service/name',
        'spec/defaultBackend/service/name',
      ].map((p) => ({ kind: 'Ingress', path: p })),
      { kind: 'APIService', group: 'apiregistration.k8s.io', path: 'spec/service/name' },
      ...['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map((kind) => ({
        kind,
        group: 'admissionregistration.k8s.io',
        path: 'webhooks/clientConfig/service',
      })),
    ],
  },
  { referral: { kind: 'Role', group: rbac }, referrers: [{ kind: 'RoleBinding', group: rbac, path: 'roleRef/name' }] },
  {
    referral: { kind: 'ClusterRole', group: rbac },
    referrers: ['RoleBinding', 'ClusterRoleBinding'].map((kind) => ({ kind, group: rbac, path: 'roleRef/name' })),
  },
  {
    referral: { kind: 'ServiceAccount', version: 'v1' },
    referrers: [...['RoleBinding', 'ClusterRoleBinding'].map((kind) => ({ kind, group: rbac, path: 'subjects' })), ...inWorkloads('serviceAccountName')],
  },
  { referral: { kind: 'PersistentVolumeClaim', version: 'v1' }, referrers: inWorkloads('volumes/persistentVolumeClaim/claimName') },
  {
    referral: { kind: 'PersistentVolume', version: 'v1' },
    referrers: [{ kind: 'PersistentVolumeClaim', path: 'spec/volumeName' }, ...resourceNames('ClusterRole')],
  },
  {
    referral: { kind: 'StorageClass', version: 'v1', group: 'storage.k8s.io' },
    referrers: [
      { kind: 'PersistentVolume', path: 'spec/storageClassName' },
      { kind: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
      { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
    ],
  },
  { referral: { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io' }, referrers: inWorkloads('priorityClassName') },
  // the group as kustomize writes it ("networking.k8s.io/v1"), which no object's group equals: an IngressClass is never followed
  { referral: { kind: 'IngressClass', version: 'v1', group: 'networking.k8s.io/v1' }, referrers: [{ kind: 'Ingress', path: 'spec/ingressClassName' }] },
  {
    referral: { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io' },
    referrers: [{ kind: 'ValidatingAdmissionPolicyBinding', group: 'admissionregistration.k8s.io', path: 'spec/policyName' }],
  },
];

/** kyaml's ResId.EffectiveNamespace: cluster-scoped objects have none, a namespaced one without a namespace is in `default`. */
function effectiveNamespace(m: Loose): string | undefined {
  if (isClusterScoped(String(m.kind))) return undefined;
  const ns = text(mapping(m.metadata).namespace);
  return ns === undefined || ns === '' ? 'default' : ns;
}

/** Whether a referrer may name an object (resWrangler.SubsetThatCouldBeReferencedByResource), as a test on the object. */
function referableBy(referrer: Loose): (o: Loose) => boolean {
  const ns = effectiveNamespace(referrer);
  if (ns === undefined) return () => true;
  // a RoleBinding may name service accounts of the namespaces its subjects give (getNamespacesForRoleBinding)
  const bound = new Set(
    referrer.kind === 'RoleBinding' && Array.isArray(referrer.subjects)
      ? referrer.subjects.filter((s: unknown) => isMapping(s) && s.kind === 'ServiceAccount' && typeof s.namespace === 'string').map((s: Loose) => s.namespace)
      : [],
  );
  return (o) => {
    const target = effectiveNamespace(o);
    return target === undefined || target === ns || bound.has(text(mapping(o.metadata).namespace) ?? '');
  };
}

/** kustomize's utils.SameEndingSubSlice: the shorter list ends the longer one (two empty lists match; one empty does not). */
function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!short.length) return long.length === 0;
  return short.every((x, i) => long[i + long.length - short.length] === x);
}

function affixesEqual(r: Loose, referrer: Loose, allowEmpty: boolean): boolean {
  const [rp, op, rs, os] = [prefixesOf(r), prefixesOf(referrer), suffixesOf(r), suffixesOf(referrer)];
  if (!allowEmpty) return sameEnding(rp, op) && sameEnding(rs, os);
  return (!rp.length || !op.length || sameEnding(rp, op)) && (!rs.length || !os.length || sameEnding(rs, os));
}

interface Reference {
  readonly referrer: Loose;
  readonly spec: FieldSpec;
  readonly referral: BackReference['referral'];
}

/** nameref.Filter.selectReferral: the renamed object a name refers to, none, or an error when several remain. */
function selectReferral(ref: Reference, oldName: string, all: readonly Loose[], identical: (rs: Loose[]) => boolean): Loose | { error: string } | undefined {
  let candidates = all.filter((r) => previousNames(r).includes(oldName) && gvkSelected(r, ref.referral));
  const roleRef = mapping(ref.referrer.roleRef);
  if (ref.spec.path.endsWith('roleRef/name') && typeof roleRef.apiGroup === 'string' && typeof roleRef.kind === 'string')
    candidates = candidates.filter((r) => gvkSelected(r, { group: roleRef.apiGroup, kind: roleRef.kind }));
  const ns = effectiveNamespace(ref.referrer);
  if (ns !== undefined)
    candidates = candidates.filter((r) => effectiveNamespace(r) === undefined || r.kind === 'ServiceAccount' || effectiveNamespace(r) === ns);
  if (candidates.length === 1) return candidates[0];
  candidates = candidates.filter((r) => affixesEqual(r, ref.referrer, true));
  if (candidates.length > 1) candidates = candidates.filter((r) => affixesEqual(r, ref.referrer, false));
  if (candidates.length <= 1) return candidates[0];
  if (identical(candidates)) return candidates[0];
  const ids = candidates.map((r) => `${String(r.kind)} '${String(mapping(r.metadata).name)}'`).join(', ');
  return {
    error: `${String(ref.referrer.kind)} '${String(mapping(ref.referrer.metadata).name)}' names '${oldName}' in ${ref.spec.path}, which may be any of ${ids}: kustomize refuses the build ("found multiple possible referrals")`,
  };
}

const sameNames = (rs: Loose[]) => rs.every((r) => mapping(r.metadata).name === mapping(rs[0].metadata).name);
const sameNamesAndNamespaces = (rs: Loose[]) => sameNames(rs) && rs.every((r) => mapping(r.metadata).namespace === mapping(rs[0].metadata).namespace);

/** nameref.Filter.setScalar: a name field renamed after the object it names. */
function setScalar(ref: Reference, slot: Slot, pool: Pool): string | undefined {
  const old = valueAt(slot);
  if (typeof old !== 'string') return undefined;
  const referral = selectReferral(ref, old, pool(old), sameNames);
  if (referral === undefined) return undefined;
  if ('error' in referral) return referral.error as string;
  setAt(slot, mapping(referral.metadata).name);
  return undefined;
}

/**
 * filterMapCandidatesByNamespace: the candidates whose original namespace is the reference's, else those whose
 * current one is (resWrangler.GroupedByOriginalNamespace, GroupedByCurrentNamespace; cluster-scoped ones never).
 */
function inNamespace(candidates: readonly Loose[], namespace: string): Loose[] {
  const namespaced = candidates.filter((c) => !isClusterScoped(String(c.kind)));
  const original = namespaced.filter((c) => (originalNamespace(c) || 'default') === namespace);
  return original.length ? original : namespaced.filter((c) => effectiveNamespace(c) === namespace);
}

/** nameref.Filter.setMapping: a {name, namespace} reference (a binding's subject, a webhook's service) renamed, its namespace set. */
function setMapping(ref: Reference, node: Loose, pool: Pool): string | undefined {
  if (typeof node.name !== 'string')
    return `${String(ref.referrer.kind)} '${String(mapping(ref.referrer.metadata).name)}' has an entry of ${ref.spec.path} without a name: kustomize refuses the build`;
  const candidates = pool(node.name);
  const inNs = typeof node.namespace === 'string' ? inNamespace(candidates, node.namespace) : candidates;
  const referral = selectReferral(ref, node.name, inNs, sameNamesAndNamespaces);
  if (referral === undefined) return undefined;
  if ('error' in referral) return referral.error as string;
  const meta = mapping(referral.metadata);
  node.name = meta.name;
  if (typeof meta.namespace === 'string' && meta.namespace !== '') node.namespace = meta.namespace;
  return undefined;
}

/** The objects a referrer may name that had a given name before (an index, so that a large build stays linear). */
type Pool = (previousName: string) => Loose[];

function setReference(ref: Reference, slot: Slot, pool: Pool): string[] {
  const v = valueAt(slot);
  const one = (s: Slot): string | undefined => {
    const x = valueAt(s);
    return isMapping(x) ? setMapping(ref, x, pool) : setScalar(ref, s, pool);
  };
  if (Array.isArray(v)) return v.map((_, i) => one({ holder: v, key: i })).filter((p): p is string => p !== undefined);
  const p = one(slot);
  return p === undefined ? [] : [p];
}

const SEGMENTS = new Map<string, string[]>();
function segmentsOf(p: string): string[] {
  const known = SEGMENTS.get(p);
  if (known) return known;
  const segments = pathSegments(p);
  SEGMENTS.set(p, segments);
  return segments;
}

/**
 * The objects of a build with the names they give other objects of the build updated to those objects' current
 * names (nameReferenceTransformer.Transform); the problems are the references kustomize cannot resolve. Objects are
 * copied before they change.
 */
export function fixNameReferences(objects: readonly unknown[], configured: readonly BackReference[] = []): { objects: unknown[]; problems: string[] } {
  const references = mergedReferences(configured);
  const refused = refusedWalks(objects, references);
  // nothing was renamed: no reference can change
  if (refused.length || !objects.some((o) => isMapping(o) && previousNames(o).length)) return { objects: [...objects], problems: refused };
  const out = objects.map((o) => (isMapping(o) ? structuredClone<Loose>(o) : o));
  const all = out.filter(isMapping);
  const byPrevious = new Map<string, Loose[]>();
  for (const o of all) {
    for (const name of new Set(previousNames(o))) {
      const list = byPrevious.get(name) ?? [];
      list.push(o);
      byPrevious.set(name, list);
    }
  }
  const problems: string[] = [];
  for (const referrer of all) {
    const referable = referableBy(referrer);
    const pool: Pool = (name) => (byPrevious.get(name) ?? []).filter(referable);
    for (const { referral, referrers } of references) {
      for (const spec of referrers) {
        if (!gvkSelected(referrer, spec)) continue;
        for (const slot of slotsAt(referrer, segmentsOf(spec.path))) problems.push(...setReference({ referrer, spec, referral }, slot, pool));
      }
    }
  }
  return { objects: out, problems: [...new Set(problems)] };
}

/**
 * The referrer field specs kustomize cannot walk through an object of the build: its transformer runs the fieldspec
 * filter of each spec on every object the spec selects, renamed or not (namereferencetransformer.go determineFilters,
 * whose resHasField is always true), and one refused walk fails the build.
 */
function refusedWalks(objects: readonly unknown[], references: readonly BackReference[]): string[] {
  const refusals = new RefusedWalks('nameReference');
  for (const o of objects.filter(isMapping))
    for (const { referrers } of references)
      for (const spec of referrers) {
        if (!gvkSelected(o, spec)) continue;
        const { refused } = walkFieldSpec(o, segmentsOf(spec.path));
        if (refused) refusals.add(spec, o, refused);
      }
  return refusals.messages();
}

/** The sections of a transformer configuration (api/internal/plugins/builtinconfig/transformerconfig.go TransformerConfig). */
const CONFIG_SECTIONS: readonly (ConfiguredSection | 'nameReference' | 'varReference')[] = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'templateLabels',
  'commonAnnotations',
  'nameReference',
  'varReference',
  'images',
  'replicas',
];

/**
 * The name references a `configurations:` file adds (builtinconfig.makeTransformerConfigFromBytes, strict: an unknown
 * section or field is refused, keys matched as encoding/json matches them, exactly or else in any case), the field
 * specs of its other sections, and what kustomize refuses.
 */
export function nameReferenceConfig(source: unknown, from?: string): TransformerConfig {
  const out: TransformerConfig = { references: [], varReferences: [], sections: noConfiguredSpecs(), problems: [] };
  if (source === null || source === undefined) return out;
  if (!isMapping(source)) return { ...out, problems: ['is not a transformer configuration (a mapping of nameReference, commonLabels, …)'] };
  for (const [key, v] of Object.entries(source)) {
    const section = CONFIG_SECTIONS.find((c) => c.toLowerCase() === key.toLowerCase());
    if (!section) out.problems.push(`has the section '${key}', which is not a transformer configuration field ("unknown field")`);
    else if (v !== null && !Array.isArray(v)) out.problems.push(`${section} is not a list`);
    else if (section === 'varReference') out.varReferences.push(...fieldSpecsOf(v, from, section, out.problems));
    else if (section !== 'nameReference') out.sections[section].push(...fieldSpecsOf(v, from, section, out.problems));
    else
      for (const [i, entry] of (v ?? []).entries()) {
        const e = mapping(entry);
        out.problems.push(...unknownKeys(e, BACK_REFERENCE_KEYS, `nameReference[${i}]`));
        const referral = {
          kind: text(field(e, 'kind')) ?? '',
          ...(text(field(e, 'group')) ? { group: text(field(e, 'group')) } : {}),
          ...(text(field(e, 'version')) ? { version: text(field(e, 'version')) } : {}),
        };
        out.references.push({ referral, referrers: fieldSpecsOf(field(e, 'fieldSpecs'), from, `nameReference[${i}].fieldSpecs`, out.problems) });
      }
  }
  return out;
}

/** The fields of kustomize's types.FieldSpec (a Gvk inline, path, create) and of builtinconfig.NameBackReferences. */
const FIELD_SPEC_KEYS = ['group', 'version', 'kind', 'path', 'create'];
const BACK_REFERENCE_KEYS = ['group', 'version', 'kind', 'fieldSpecs'];

/** A struct field as encoding/json decodes it: the key of its exact name, else one equal in any case. */
function field(e: Loose, name: string): unknown {
  if (name in e) return e[name];
  const key = Object.keys(e).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : e[key];
}

function unknownKeys(e: Loose, known: readonly string[], where: string): string[] {
  return Object.keys(e)
    .filter((k) => !known.some((f) => f.toLowerCase() === k.toLowerCase()))
    .map((k) => `${where} has the field '${k}', which is not a field there (json: unknown field "${k}"); the fields are ${known.join(', ')}`);
}

/**
 * A configuration's field specs (path, and the group, version and kind they reach; none: every object); a spec
 * without a path has the empty path, which kustomize refuses once it walks it (walkFieldSpec).
 */
function fieldSpecsOf(v: unknown, from: string | undefined, where: string, problems: string[]): FieldSpec[] {
  return (Array.isArray(v) ? v : []).map(mapping).map((f, i) => {
    problems.push(...unknownKeys(f, FIELD_SPEC_KEYS, `${where}[${i}]`));
    const path = field(f, 'path');
    return {
      path: typeof path === 'string' ? path : '',
      kind: text(field(f, 'kind')),
      group: text(field(f, 'group')),
      version: text(field(f, 'version')),
      ...(field(f, 'create') === true ? { create: true } : {}),
      ...(from ? { from } : {}),
    };
  });
}

/** What a `configurations:` file configures. */
export interface TransformerConfig {
  readonly references: BackReference[];
  /** Where `$(VAR)` is replaced, besides kustomize's defaults. */
  readonly varReferences: FieldSpec[];
  /** The field specs of the other sections, which join the built-in ones of their transformers. */
  readonly sections: Record<ConfiguredSection, FieldSpec[]>;
  readonly problems: string[];
}

/** Built-in name references merged with configured ones (nbrSlice.mergeAll): a configured referral's field specs join its built-in ones. */
export function mergedReferences(extra: readonly BackReference[]): readonly BackReference[] {
  if (!extra.length) return NAME_REFERENCES;
  const same = (a: BackReference['referral'], b: BackReference['referral']) =>
    a.kind === b.kind && (a.group ?? '') === (b.group ?? '') && (a.version ?? '') === (b.version ?? '');
  const out = NAME_REFERENCES.map((r) => ({ ...r, referrers: [...r.referrers] }));
  for (const e of extra) {
    const known = out.find((r) => same(r.referral, e.referral));
    if (!known) out.push({ referral: e.referral, referrers: [...e.referrers] });
    else
      for (const f of e.referrers)
        if (!known.referrers.some((k) => k.path === f.path && k.kind === f.kind && k.group === f.group && k.version === f.version)) known.referrers.push(f);
  }
  return out;
}
