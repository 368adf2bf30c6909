import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { generatedFrom } from '../application-sets';
import { DASHBOARD_LABEL } from '../../k8s/keys';
import { UnknownField, unknownFieldMessage, unknownMetadataFields } from '../../validation/unknown-fields';
import { coreSchemas } from '../../validation/field-schemas';
import { apiGroupOf } from '../../k8s/api-version';
import { CONFIG_FILE_GROUPS } from '../../platform/config-file-apis';
import { OPENSHIFT_API_GROUPS, OPENSHIFT_SPEC_FIELDS } from '../../platform/openshift-apis';
import { projectKinds } from '../../platform/operator-kinds';
import { servedApis } from '../../platform/served-apis';
import { unknownFieldsVerdict } from '../../validation/unknown-field-verdicts';
import { deliverersOf } from '../argocd/application';
import { unknownFieldsApply } from '../argocd/unknown-fields-apply';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, CheckContext, Problem, Rule } from '../rule';
import { kueueAssumption, kueueName } from '../kueue-version';
import { dscFieldProblems } from '../dsc-fields';
import { PLATFORMS } from '../platform';
import { absentFieldsIn, absentFromKueue, KUEUE_NEWEST_READ } from '../kueue-absent-fields';
import { fieldSchemaChoice, KUEUE_SCHEMA_SETS, KueueSchema, TOP_LEVEL_SCHEMA_PLATFORM } from '../field-schema-choice';
import { CLUSTER_QUEUE_V1BETA1_FIELDS } from './deprecated-api-version';
import { RetiredKserveField, retiredFieldVerdict, retiredKserveField } from '../kserve-retired-fields';
import { treeCrdFields } from '../tree-crd-values';

/**
 * A cluster holds one DataScienceCluster (the operator reconciles a single instance): a tree that declares several keeps
 * alternatives (one per release, or per cluster), of which the judged release applies one. Its findings on each are
 * warnings that say so.
 */
function asAlternative(problems: Problem[], o: GraphObject, graph: ObjectGraph): Problem[] {
  const declared = graph.ofKind(String(o.manifest.kind)).length;
  if (o.manifest.kind !== 'DataScienceCluster' || declared < 2) return problems;
  return problems.map((p) => ({
    ...p,
    severity: 'warning',
    message: `${p.message} (the input declares ${declared} DataScienceClusters and a cluster holds one: judged as one of alternatives)`,
  }));
}

/**
 * The note on a finding Validate=false does not keep: a server-side apply builds the applied object as a typed value of
 * the schema (apimachinery pkg/util/managedfields/internal/structuredmerge.go Apply: typeConverter.ObjectToTyped of the
 * patch, "failed to create typed patch object"), and structured-merge-diff typed/validate.go refuses a field the schema
 * does not declare ("field not declared in schema"); fieldValidation only decides duplicate fields of an apply patch
 * (apiserver pkg/endpoints/handlers/patch.go applyPatcher), and Argo CD's Validate=false only turns kubectl's own
 * validator off.
 */
const serverSideNote = (by: string) =>
  ` (Validate=false does not keep it: ServerSideApply=true in ${by} makes Argo CD apply it server-side, and the API server's structured merge refuses a field the schema does not declare, "field not declared in schema", whatever the validation)`;

/** The shipped newer Kueue CRD sets whose schema of the object has the field: where an assumed release may be too old. */
function newerKueueWith(m: Loose, field: string, byKueue: KueueSchema, platform: CheckContext['platform']): string[] {
  const judged = platform === 'rhoai-2' ? TOP_LEVEL_SCHEMA_PLATFORM : platform;
  return byKueue.newer.filter((set) => {
    const verdict = unknownFieldsVerdict(m, String(m.apiVersion), String(m.kind), judged, [set]);
    return verdict !== undefined && !verdict.unknown.some((u) => u.field === field);
  });
}

/**
 * The finding on a Kueue field the judged release's CRD lacks, where that release is not known exactly: a warning, as
 * a Kueue newer than the judged one may have the field - one of the shipped CRD sets (named), or a release newer than
 * every shipped set (Kueue 0.17 and later are not shipped here: ClusterQueue's concurrentAdmissionPolicy is 0.18's).
 * A misspelling of a known field is refused before this (`meant`).
 */
function kueueFieldProblem(m: Loose, u: UnknownField, message: string, byKueue: KueueSchema, ctx: CheckContext): Problem {
  const absent = absentFromKueue(String(m.kind), u.field);
  if (absent !== undefined) return { message: `${message}. No Kueue release up to ${KUEUE_NEWEST_READ} has it, whatever the cluster runs` };
  const newer = byKueue.beyond ? [] : newerKueueWith(m, u.field, byKueue, ctx.platform);
  const which = newer.length
    ? `Kueue ${newer.map((s) => s.replace('kueue-', '')).join(', ')} has it`
    : `no Kueue schema known here (${KUEUE_SCHEMA_SETS.map((s) => s.set.replace('kueue-', '')).join(', ')}) has it; a newer Kueue may`;
  return {
    severity: 'warning',
    message: `${message}. It may be a field of a Kueue newer than ${kueueName(ctx.kueue)}: ${kueueAssumption(ctx.kueue)} (${which})`,
  };
}

/** Fields no Kueue release has, where the judged release's schema of the kind is not shipped. */
function absentKueueProblems(m: Loose, kind: string, refusal: string): Problem[] {
  return absentFieldsIn(kind, m).map((field) => {
    const why = absentFromKueue(kind, field);
    return {
      message: `${unknownFieldMessage({ field }, `Kueue (every release up to ${KUEUE_NEWEST_READ}) ${kind}`, refusal)}${why ? `. ${field} ${why}` : ''}`,
    };
  });
}

/** How messages name the schema of metadata where the kind's own is not known. */
const METADATA_SOURCE = "ObjectMeta (every object's metadata)";

/**
 * Whether the kind's schema judged the metadata (`judged`), left it to ObjectMeta alone for a kind known to be an API's
 * (`left`: only the top level judged, for OpenShift AI 2.x kinds by the 3.0 CRD; a DataScienceCluster's table of
 * components; a Kueue kind the judged release lacks), or no schema knows the kind (`no schema`).
 */
type MetadataJudgement = 'judged' | 'left' | 'no schema';

/**
 * The groups of OpenShift AI's operator and dashboard: served on every OpenShift AI release, though only some of their
 * CRDs are shipped here (odh-dashboard manifests/common/crd: OdhDashboardConfig, OdhApplication, AcceleratorProfile of
 * opendatahub.io, dashboard.opendatahub.io).
 */
const OPENDATAHUB_GROUP = 'opendatahub.io';

/**
 * Whether an object of a kind no schema knows is applied to a cluster, so that its metadata is an API object's: its
 * group is a CRD's (CRD groups hold a dot) and no component's configuration file format, and the platform serves the
 * group (OpenShift AI's opendatahub.io groups included), a CustomResourceDefinition of the input defines the kind, a kustomization builds it or an Argo CD Application
 * delivers it. A tool's own file that borrows the shape (eksctl's ClusterConfig, a Backstage entity) is none of these.
 */
function appliedToCluster(o: GraphObject, apiVersion: string, kind: string, ctx: CheckContext): boolean {
  const group = apiGroupOf(apiVersion);
  if (!group.includes('.') || CONFIG_FILE_GROUPS[group]) return false;
  // OpenShift's own groups (a Route, a BuildConfig) are served by every OpenShift cluster, whatever the platform judged,
  // and a kind of a known operator in that operator's group is its custom resource
  if (OPENSHIFT_API_GROUPS.has(group) || projectKinds().get(kind)?.group === group) return true;
  // OpenShift AI 2.x has no table of served APIs: its groups are those of 3.0 (TOP_LEVEL_SCHEMA_PLATFORM)
  const served =
    servedApis(ctx.platform === 'rhoai-2' ? TOP_LEVEL_SCHEMA_PLATFORM : ctx.platform).has(group) ||
    (ctx.platform.startsWith('rhoai') && (group === OPENDATAHUB_GROUP || group.endsWith(`.${OPENDATAHUB_GROUP}`)));
  if (served || ctx.graph.crdsDefining(group, kind).length || o.kustomizations?.length) return true;
  return deliverersOf(o, ctx.graph).length > 0;
}

/**
 * Paths of KServe kinds that hold Kubernetes core types in every release (corev1.Container and corev1.Volume:
 * ServingRuntimePodSpec in kserve pkg/apis/serving/v1alpha1/servingruntime_types.go, the PodSpec inline in v1beta1
 * PredictorSpec): fields are only ever added to those types, so a field the judged release's schema lacks there is
 * unknown on 2.x too, where the rest of these kinds is judged at the top level only.
 */
const CORE_TYPED_PATHS: Readonly<Record<string, RegExp>> = {
  ServingRuntime: /^spec\.(containers|volumes)\[\d+\]\./,
  ClusterServingRuntime: /^spec\.(containers|volumes)\[\d+\]\./,
  InferenceService: /^spec\.predictor\.(containers|initContainers|volumes)\[\d+\]\./,
};

function coreTypedPath(kind: string, field: string): boolean {
  return CORE_TYPED_PATHS[kind]?.test(field) ?? false;
}

/**
 * The unknown fields of an object by its kind's schema (validation settings aside), and how its metadata was judged
 * (MetadataJudgement).
 */
function schemaProblems(
  o: GraphObject,
  apiVersion: string,
  kind: string,
  refusal: string,
  ctx: CheckContext,
): { problems: Problem[]; metadata: MetadataJudgement } {
  const { graph, platform, platformAssumed } = ctx;
  const m = o.manifest;
  // no DataScienceCluster CRD is shipped: its components are judged by the table of the operator's types
  const dsc = dscFieldProblems(
    m,
    platform,
    platformAssumed ? (ctx.platformCandidates ?? PLATFORMS) : undefined,
    refusal,
    ctx.platformInferred ? ctx.platformCandidates : undefined,
  );
  if (dsc) return { problems: asAlternative(dsc, o, graph), metadata: 'left' };
  const choice = fieldSchemaChoice(apiVersion, ctx);
  const { byKueue } = choice;
  const schema = unknownFieldsVerdict(m, apiVersion, kind, choice.judged, byKueue?.sets);
  // a Kueue kind the judged release's shipped CRDs lack (WorkloadPriorityClass before 0.16): the fields no release has
  if (!schema && byKueue) return { problems: absentKueueProblems(m, kind, refusal), metadata: 'left' };
  if (!schema) return treeCrdProblems(o, refusal, graph) ?? { problems: [], metadata: 'no schema' };
  const topLevelOnly = !schema.builtIn && choice.topLevelOnly;
  const retired = (u: UnknownField) => (schema.builtIn || !KSERVE_GROUP.test(apiVersion) ? undefined : retiredKserveField(kind, u.field));
  // a field an earlier KServe release served is judged by the release on 2.x too: the table says what 2.x served
  const unknown = schema.unknown.filter((u) => !topLevelOnly || !/[.[]/.test(u.field) || coreTypedPath(kind, u.field) || retired(u));
  const problems = unknown.flatMap((u): Problem[] => {
    const earlier = retired(u);
    if (earlier) return retiredFieldProblems(u, earlier, schema.source, refusal, ctx);
    const why = byKueue ? absentFromKueue(kind, u.field) : undefined;
    const message = `${unknownFieldMessage(u, schema.source, refusal)}${why ? `. ${u.field} ${why}` : ''}`;
    // a field the judged Kueue lacks, and no near miss of one: perhaps a newer Kueue's, where the release is not known exactly
    if (!byKueue || byKueue.certain || u.meant) return [{ message }];
    return [kueueFieldProblem(m, u, message, byKueue, ctx)];
  });
  return { problems, metadata: topLevelOnly ? 'left' : 'judged' };
}

/**
 * The unknown fields of a custom resource no shipped schema knows, by the CRD of the input that serves its version (a
 * CRD of the tree, a chart's crds/ folder, a vendored subchart's): the API server judges it by that CRD once both are
 * applied. Undefined where no CRD of the input serves the version.
 */
function treeCrdProblems(o: GraphObject, refusal: string, graph: ObjectGraph): { problems: Problem[]; metadata: MetadataJudgement } | undefined {
  const fields = treeCrdFields(o, graph);
  if (!fields) return undefined;
  return { problems: fields.unknown.map((u) => ({ message: unknownFieldMessage(u, fields.source, refusal) })), metadata: 'judged' };
}

/** KServe's API group: its kinds' fields follow the KServe release (kserve-retired-fields). */
const KSERVE_GROUP = /^serving\.kserve\.io\//;

/**
 * A field an earlier KServe release served: no finding where the judged release serves it, an error naming the change
 * where the release is known and does not, a warning naming the releases that served it where the release is assumed.
 */
function retiredFieldProblems(u: UnknownField, f: RetiredKserveField, source: string, refusal: string, ctx: CheckContext): Problem[] {
  const judged = retiredFieldVerdict(f, ctx);
  if (judged.verdict === 'served') return [];
  if (judged.verdict === 'refused')
    return [{ message: `unknown field '${u.field}': ${f.change}; ${f.served} served it, ${judged.on} does not, and ${refusal}: ${f.fix}` }];
  return [
    {
      severity: 'warning',
      message: `field '${u.field}' was ${f.served}'s, ${f.change}: not in the ${source} schema of ${judged.on}. Where the cluster's KServe lacks it, ${refusal}: ${f.fix}; on ${f.served} keep it`,
    },
  ];
}

/** OpenShift's Template group (openshift/api template/v1): `oc process` and the dashboard make objects[] from it. */
const TEMPLATE_GROUP = 'template.openshift.io';

/** An OpenShift Template parameter reference, `${NAME}` or `${{NAME}}` (openshift/library-go pkg/template/templateprocessing). */
const PARAMETER = /\$\{\{?[A-Za-z0-9_]+\}?\}/;

/**
 * The unknown fields of the objects an OpenShift Template holds (a dashboard's serving runtime template holds a
 * ServingRuntime): the processor substitutes parameters in string values and map keys (openshift/library-go
 * pkg/template/templateprocessing, stringreplace.VisitObjectStrings), so a field name holding no parameter is the same
 * whatever the parameters are. An object whose apiVersion or kind holds a parameter, or a field name holding one, is
 * not judged.
 */
function templateObjectProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const dashboard = dashboardInstantiated(o);
  return mappings(o.manifest.objects).flatMap((object, i) => {
    const apiVersion = text(object.apiVersion);
    const kind = text(object.kind);
    if (!apiVersion || !kind || PARAMETER.test(apiVersion) || PARAMETER.test(kind)) return [];
    const refusal = dashboard
      ? `the OpenShift AI dashboard makes the ${kind} from the Template without a fieldValidation parameter, so the API server's default (Warn) drops the field with a warning and the ${kind} is made without what it sets; \`oc process | oc apply\` (kubectl's strict validation) would refuse it`
      : `every ${kind} made from the Template (oc process, the OpenShift AI dashboard) is refused by the API server's strict field validation`;
    const judged = schemaProblems({ ...o, manifest: object }, apiVersion, kind, refusal, ctx);
    const name = text(mapping(object.metadata).name) ?? '?';
    return judged.problems
      .filter((p) => !PARAMETER.test(/^unknown field '([^']*)'/.exec(p.message)?.[1] ?? ''))
      .map((p) => ({ ...p, message: `objects[${i}] (${kind} ${name}): ${p.message}`, ...(dashboard ? { severity: 'warning' as const } : {}) }));
  });
}

/** The marks of a serving runtime template the OpenShift AI dashboard lists and instantiates (odh-dashboard servingRuntimes). */
const DASHBOARD_TEMPLATE_ANNOTATIONS = ['opendatahub.io/modelServingSupport', 'opendatahub.io/apiProtocol'];

/**
 * Whether the Template's objects are made by the OpenShift AI dashboard, not by a script of the tree: it carries the
 * dashboard's serving runtime marks and no script renders it with `oc process` (whose `| oc apply` validates strictly).
 * The dashboard creates the runtime with k8sCreateResource and no fieldValidation parameter (odh-dashboard
 * frontend/src/api/k8s/servingRuntimes.ts createServingRuntime), and the API server's default for a request without one
 * is Warn: unknown fields are dropped with a warning header (Kubernetes API reference, fieldValidation; KEP-2885).
 */
function dashboardInstantiated(o: GraphObject): boolean {
  if (o.renderedWith === 'oc process') return false;
  const meta = mapping(o.manifest.metadata);
  const annotations = stringMap(meta.annotations);
  return stringMap(meta.labels)[DASHBOARD_LABEL] === 'true' || DASHBOARD_TEMPLATE_ANNOTATIONS.some((a) => annotations[a] !== undefined);
}

/** A v1beta1 field on a v1beta2 ClusterQueue: deprecated-api-version names it with the field that replaced it. */
function renamedInV1beta2(m: Loose, p: Problem): boolean {
  if (m.kind !== 'ClusterQueue' || m.apiVersion !== 'kueue.x-k8s.io/v1beta2') return false;
  const field = /^unknown field '([^']*)'/.exec(p.message)?.[1];
  return field !== undefined && CLUSTER_QUEUE_V1BETA1_FIELDS.includes(field);
}

/**
 * spec.cohortName on a v1beta1 ClusterQueue: v1beta2's name for the cohort, which no Kueue's v1beta1 schema has
 * (kubernetes-sigs/kueue v0.16 CRDs: v1beta1 spec.cohort, v1beta2 spec.cohortName), whatever release the cluster runs;
 * the fix is v1beta1's name, or the whole object in v1beta2 where the cluster's Kueue serves it (0.15 and later).
 */
function v1beta2NameInV1beta1(m: Loose, p: Problem, refusal: string): Problem {
  if (m.kind !== 'ClusterQueue' || m.apiVersion !== 'kueue.x-k8s.io/v1beta1' || !p.message.startsWith("unknown field 'spec.cohortName'")) return p;
  const cohort = text(mapping(m.spec).cohortName) ?? '';
  return {
    severity: 'error',
    message:
      `unknown field 'spec.cohortName': the cohort's name in kueue.x-k8s.io/v1beta2, which the v1beta1 ClusterQueue schema names spec.cohort, and ${refusal}: ` +
      `write spec.cohort '${cohort}' (or write the ClusterQueue in kueue.x-k8s.io/v1beta2, only where the cluster's Kueue serves it: 0.15 and later)`,
  };
}

/** A plain unknown-field message: the field, the schema and refusal, and the one fix, with nothing after. */
const PLAIN = /^unknown field ('[^']*'(?: \(at the top level\))?): (not in the .* schema, and .*?); (did you mean [^;]*\?|remove it or fix its spelling)$/;

/** An unknown metadata field that is a field of the kind's spec (unknownFieldMessage's words for `ofSpec`). */
const OF_SPEC =
  /^unknown field '(metadata\.[^']*)': (not in the .* schema, and .*?); '[^']*' is a field of spec, likely mis-indented under metadata: move it under spec$/;

/**
 * The spec's fields written under metadata are one cause, the spec block indented one level too deep or its `spec:`
 * line lost: one finding naming them all, and saying so where the object has no spec at all.
 */
function oneSpecIndent(problems: Problem[], m: Loose): Problem[] {
  const ofSpec = problems.map((p) => OF_SPEC.exec(p.message));
  const fields = ofSpec.flatMap((x) => (x ? [`'${x[1]}'`] : []));
  const first = ofSpec.find((x) => x !== null);
  if (!first) return problems;
  const noSpec = m.spec === undefined || m.spec === null ? ` (the ${String(m.kind)} has no spec: its \`spec:\` line is missing)` : '';
  const one: Problem = {
    message:
      fields.length === 1
        ? `${first[0]}${noSpec}`
        : `${fields.length} unknown fields, ${fields.join(', ')}: ${first[2]}; they are fields of spec, likely mis-indented under metadata: move them under spec${noSpec}`,
  };
  const rest = problems.filter((_, i) => !ofSpec[i]);
  return [one, ...rest];
}

/** The fixes of several unknown fields: each near miss named, the rest to remove or respell. */
function fixesOf(fields: readonly { where: string; fix: string }[]): string {
  const meant = fields.filter((f) => f.fix.startsWith('did you mean'));
  const rest = fields.length - meant.length;
  return [
    ...meant.map((f) => `${f.where}: ${f.fix}`),
    ...(rest ? [`${rest === fields.length ? '' : 'the others: '}remove them or fix their spelling`] : []),
  ].join('; ');
}

/**
 * One finding per object for its plain unknown fields of one schema and severity (six HardwareProfiles with the same
 * three stray fields are six defects, not eighteen): the fields listed in the message, each with its own fix.
 * Findings that say more (a Kueue release, a mis-indented metadata key, a Template's object) stay as they are.
 */
function onePerObject(problems: Problem[]): Problem[] {
  const groups = new Map<string, { where: string; fix: string }[]>();
  const out: Problem[] = [];
  for (const p of problems) {
    const plain = PLAIN.exec(p.message);
    if (!plain) {
      out.push(p);
      continue;
    }
    const key = `${p.severity ?? ''}\u0000${plain[2]}`;
    groups.set(key, [...(groups.get(key) ?? []), { where: plain[1], fix: plain[3] }]);
  }
  for (const [key, fields] of groups) {
    const [severity, schema] = key.split('\u0000');
    const message =
      fields.length === 1
        ? `unknown field ${fields[0].where}: ${schema}; ${fields[0].fix}`
        : `${fields.length} unknown fields, ${fields.map((f) => f.where).join(', ')}: ${schema}; ${fixesOf(fields)}`;
    out.push({ message, ...(severity ? { severity: severity as Problem['severity'] } : {}) });
  }
  return out;
}

export const fieldUnknown: Rule = {
  id: 'field-unknown',
  title: "a field the object's schema does not have (top-level `labels:`, a misspelled spec field): kubectl apply and Argo CD's sync refuse the object",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "the kind's schema is known: a Kubernetes 1.33 kind, a custom resource no shipped CRD defines whose kind a CustomResourceDefinition of the input serves at the object's version (a file of the tree, a chart's crds/ folder, a vendored subchart's; a shipped schema of the kind wins over it), or a custom resource whose CRD the platform ships (KServe, Kueue, MachineSet, HardwareProfile, Argo CD, KEDA, prometheus-operator, the Kubeflow training and KubeRay operators; Karpenter's v1 kinds, LeaderWorkerSet and the Gateway API Inference Extension's InferencePool, InferenceObjective and InferenceModel, JobSet by their newest releases, widened to accept every field, value and rule of the earlier releases; on OpenShift AI 2.x, whose CRDs are not shipped, its own kinds only at the top level by the 3.0 CRD, and the Kubernetes containers and volumes of a ServingRuntime or an InferenceService predictor whole, since those core types only gain fields; Kueue's by the CRDs of the judged Kueue release, where a field the judged release lacks is a warning while that release is only assumed or a lower bound and a newer shipped Kueue CRD has the field (or the release is newer than every shipped one), and an error where no shipped Kueue CRD has it or where no Kueue release up to v0.19.2 has it (spec.description of ClusterQueue and LocalQueue; the PriorityClass fields globalDefault and preemptionPolicy on a WorkloadPriorityClass); a DataScienceCluster's spec.components keys and their fields and a DSCInitialization's spec keys by a table of the operator's types per API version and release line, a warning while the release is only assumed or where a newer release has the key (where the release is inferred from the tree only as a lower bound, its candidates reaching the newest release known, the warning says the tree may target the release that has the key, up to Open Data Hub 3.5, and not that the object is refused), naming the other version's key of a renamed component: v1 datasciencepipelines, v2 aipipelines); KServe's own fields that an earlier KServe release served and the judged CRDs lack (workerSpec.size, KServe 0.14's, renamed pipelineParallelSize in 0.15; explainer.alibi, removed in 0.13) by the KServe release: no finding where the tree shows upstream KServe at a release that served the field (an image tag of KServe's own images, a kserve.yaml release URL, a KServe chart version) or on OpenShift AI 2.x where a 2.x release had it, an error naming the change where the platform is OpenShift AI (3.x, or 2.x for a field none of its releases had) or the tree shows an upstream release without it, a warning naming the releases that served it where upstream KServe's release is not shown (the platform's CRDs are only the newest known) or the platform is assumed and a candidate may serve it; the apply validates strictly, which kubectl does by default since 1.27 (--validate=strict, on OpenShift 4.14+ and Kubernetes 1.27+) and Argo CD does unless Validate=false is set on the Application or in the resource's argocd.argoproj.io/sync-options annotation, and even then where it applies server-side (ServerSideApply=true on the Application or in that annotation, without Replace=true or the annotation's ServerSideApply=false), since a server-side apply refuses a field the schema does not declare whatever the validation, which the message says; fields under x-kubernetes-preserve-unknown-fields, maps (additionalProperties: labels, annotations, a ConfigMap's data) and status are not judged, nor the top-level `sops` block of a SOPS-encrypted document (one holding a mac, as Flux's kustomize-controller tells it: its decryptor removes the block before the apply). " +
    "metadata is judged against ObjectMeta for every kind applied to a cluster, its schema known or not: the API server decodes every object's metadata strictly, a custom resource's too whatever its CRD preserves; a kind no schema knows counts as applied where the platform serves its group (OpenShift AI's opendatahub.io groups included), its group is one of OpenShift's own API groups (openshift/api: a Route, a BuildConfig, whatever the platform judged; not the component configuration files openshift/api also defines), it is a known operator's kind in that operator's group, a CustomResourceDefinition of the input defines it, a kustomization builds it or an Application delivers it (a tool's own file such as eksctl's ClusterConfig or a Backstage entity is not judged); a top-level field written under metadata (`metadata.spec`) is named as mis-indented, and fields of the kind's spec written under metadata (a Deployment's replicas and template by its schema, a Route's to, port, tls by openshift/api RouteSpec) are one finding naming them all as the spec mis-indented, saying so where the object has no spec at all; live-object fields (resourceVersion, uid, creationTimestamp, managedFields, selfLink) are ObjectMeta's and not judged here. The Applications an ApplicationSet of the tree generates are not judged apart: their fields are the template's, judged on the ApplicationSet (whose CRD types spec.template.spec as an Application's spec), which one finding names; Argo CD's ApplicationSet controller creates them with a client that sends no fieldValidation. The objects[] of an OpenShift Template (template.openshift.io, as the dashboard's serving runtime templates) are judged as the objects `oc process` makes, reported on the Template: a field name is unknown whatever the parameters are, and an object whose apiVersion or kind, or a field name holding a `${PARAM}`, is not judged; a Template with the OpenShift AI dashboard's serving runtime marks (label opendatahub.io/dashboard=true, annotation opendatahub.io/modelServingSupport or opendatahub.io/apiProtocol) that no script of the tree renders with `oc process` is instantiated by the dashboard, which sends no fieldValidation, so the API server's default (Warn) drops its objects' unknown fields: a warning saying what is lost. API servers older than strict validation pruned unknown fields of custom resources silently: the field was lost rather than refused",
  example: 'a ServingRuntime with `labels:` at the top level, beside `metadata:` instead of under it',
  fix: 'move the field where the schema has it (metadata.labels) or fix its spelling (spec.predictor.model.runtime); the message names the nearest known field',
  source:
    'kubernetes/apimachinery pkg/apis/meta/v1 types.go ObjectMeta (the fields every object\'s metadata has; kubectl: strict decoding error: unknown field "metadata.to"); openshift/api */register.go (OpenShift\'s API groups) and route/v1 types.go RouteSpec; kubernetes/apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go (the fields a structural schema does not have) and pkg/apiserver/customresource_handler.go unstructuredSchemaCoercer.apply (a custom resource\'s metadata read strictly by schema/objectmeta GetObjectMetaWithOptions before the preserveUnknownFields branch: unknown field "metadata.spec") and the API server\'s strict field validation (KEP-2885, default in kubectl 1.27: error "unknown field"); the API server\'s default for a request without fieldValidation is Warn, unknown fields dropped with a warning header (Kubernetes API reference, fieldValidation); odh-dashboard frontend/src/api/k8s/servingRuntimes.ts createServingRuntime (k8sCreateResource, no fieldValidation); argo-cd controller/sync.go and gitops-engine pkg/sync/sync_context.go (Validate=false; shouldUseServerSideApply, Replace=true before it in applyObject) and pkg/utils/kube/resource_ops.go newApplyOptionsCommon (Validate=false gives kubectl the Ignore validator, nothing else); kubernetes/apimachinery pkg/util/managedfields/internal/structuredmerge.go Apply (the apply patch made a typed value of the schema: "failed to create typed patch object") and kubernetes-sigs/structured-merge-diff typed/validate.go ("field not declared in schema"), kubernetes/apiserver pkg/endpoints/handlers/patch.go applyPatcher (fieldValidation decides only duplicate fields of an apply patch; kubernetes/kubernetes #105916, KEP-2885: apply patches already refuse unknown fields); kubernetes-sigs/kueue apis/kueue/v1beta1 and v1beta2 *_types.go up to v0.19.2 (fields no release has, lib/check/kueue-absent-fields.ts); opendatahub-io/opendatahub-operator api/datasciencecluster/v1 and v2 datasciencecluster_types.go (the DataScienceCluster components, lib/check/dsc-components.ts); kserve/kserve d5ed018f4 (#3871: WorkerSpec.Size, first in v0.14.0), 6a651d1d3 (#3972: pipelineParallelSize and tensorParallelSize in its place, first in v0.15.0) and 382f41aa6 (#3443: the Alibi explainer removed, first in v0.13.0), with red-hat-data-services/kserve rhoai-2.x for what OpenShift AI 2.x served (lib/check/kserve-retired-fields.ts); fluxcd/kustomize-controller internal/decryptor/decryptor.go (isSOPSEncryptedResource: a top-level sops block with a mac; DecryptResource applies the decrypted document without it)',
  check(o, ctx) {
    const m = o.manifest;
    const apiVersion = text(m.apiVersion);
    const kind = text(m.kind);
    // an Application an ApplicationSet generates: its template's fields are judged on the ApplicationSet, whose CRD
    // types the template as an Application's spec; the controller creates the Applications with a client that sends no
    // fieldValidation, so the API server's default (Warn) would drop, not refuse, what the template got past it
    if (!apiVersion || !kind || generatedFrom(o)) return [];
    const refusal = `kubectl apply (strict field validation, its default) and Argo CD's sync refuse the ${kind}`;
    const judged = schemaProblems(o, apiVersion, kind, refusal, ctx);
    const embedded = apiGroupOf(apiVersion) === TEMPLATE_GROUP && kind === 'Template' ? templateObjectProblems(o, ctx) : [];
    // ObjectMeta is every API object's: its fields are judged where the kind's schema did not judge them
    const byObjectMeta = judged.metadata === 'left' || (judged.metadata === 'no schema' && appliedToCluster(o, apiVersion, kind, ctx));
    const metadata = byObjectMeta
      ? unknownMetadataFields(m, coreSchemas().definitions, [], OPENSHIFT_SPEC_FIELDS[`${apiGroupOf(apiVersion)}/${kind}`]).map((u) => ({
          message: unknownFieldMessage(u, METADATA_SOURCE, refusal),
        }))
      : [];
    const problems = judged.problems.filter((p) => !renamedInV1beta2(m, p)).map((p) => v1beta2NameInV1beta1(m, p, refusal));
    const all = [...metadata, ...problems, ...embedded];
    if (!all.length) return [];
    const apply = unknownFieldsApply(o, ctx.graph);
    if (apply.apply === 'dropped') return [];
    const found = onePerObject(oneSpecIndent(all, m));
    return apply.apply === 'server-side' ? found.map((p) => ({ ...p, message: `${p.message}${serverSideNote(apply.by)}` })) : found;
  },
};
