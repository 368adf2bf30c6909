import { isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { oversizedChartCrds, OversizedChartCrds } from '../../catalog/chart-crds';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { deliverersOf } from '../argocd/application';
import { argoValues } from '../chart-releases';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { appliesObject } from '../script-delivery';

/** The API server's bound on an object's annotations, keys and values together (apimachinery TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024;

/** The annotation a client-side apply writes the object into (k8s.io/api core/v1 LastAppliedConfigAnnotation). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The sync options under which Argo CD writes no last-applied annotation: a server-side apply, or kubectl replace/create. */
const NO_LAST_APPLIED = ['ServerSideApply=true', 'Replace=true'];

/**
 * What encoding/json writes for a value (kubectl's unstructured JSON encoder): JSON with <, >, & and the line and
 * paragraph separators escaped as \u00XX, the length in UTF-8 bytes.
 */
function goJsonBytes(v: unknown): number {
  const json = JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.byteLength(json, 'utf8');
}

/**
 * The bytes of the object's annotations once a client-side apply has added its own: the other annotations' keys and
 * values, the annotation's key, and the object as JSON without it with encoding/json's trailing newline (kubectl
 * util.GetModifiedConfiguration).
 */
export function lastAppliedAnnotationBytes(m: Loose): number {
  const metadata = { ...mapping(m.metadata) };
  const annotations = Object.entries(stringMap(metadata.annotations)).filter(([k]) => k !== LAST_APPLIED);
  if (annotations.length) metadata.annotations = Object.fromEntries(annotations);
  else delete metadata.annotations;
  const others = annotations.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return others + LAST_APPLIED.length + goJsonBytes({ ...m, metadata }) + 1;
}

/** Whether sync options (an Application's list, or a resource's comma-separated annotation) keep Argo CD from writing the annotation. */
const avoidsLastApplied = (options: readonly string[]) => options.some((o) => NO_LAST_APPLIED.includes(o.trim()));

const ownSyncOptions = (m: Loose) => (stringMap(mapping(m.metadata).annotations)[SYNC_OPTIONS_ANNOTATION] ?? '').split(',');

const appSyncOptions = (app: Loose) => strings(mapping(mapping(app.spec).syncPolicy).syncOptions);

/** A command of the tree that applies client-side: `kubectl|oc apply` without --server-side (create and replace write no annotation). */
const clientSideApply = (command: string) => /\bapply\b/.test(command) && !/--server-side(?!=false)\b/.test(command);

/** What delivers the CRD with a client-side apply: Argo CD Applications without ServerSideApply or Replace, scripts' kubectl apply. */
function clientSideDeliveries(o: GraphObject, graph: ObjectGraph): string[] {
  const own = avoidsLastApplied(ownSyncOptions(o.manifest));
  const apps = own ? [] : deliverersOf(o, graph).filter((app) => !avoidsLastApplied(appSyncOptions(app.manifest)));
  const scripts = graph.scriptApplied.filter((a) => appliesObject(a, o) && clientSideApply(a.command));
  return [
    ...apps.map((app) => `${graph.id(app)} (no ServerSideApply=true or Replace=true in its syncOptions)`),
    ...scripts.map((a) => `\`${a.command}\` at ${a.script}:${a.line}`),
  ];
}

function crdProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const bytes = lastAppliedAnnotationBytes(o.manifest);
  if (bytes <= ANNOTATIONS_LIMIT) return [];
  const by = clientSideDeliveries(o, graph);
  if (!by.length) return [];
  return [
    {
      message:
        `the CRD is ${bytes} bytes as the last-applied-configuration annotation a client-side apply writes, over the API server's ${ANNOTATIONS_LIMIT} for all annotations, ` +
        `and ${by.slice(0, 3).join(', ')}${by.length > 3 ? ` and ${by.length - 3} more` : ''} ${by.length > 1 ? 'apply' : 'applies'} it client-side: ` +
        `the apply is refused ("metadata.annotations: Too long: must have at most ${ANNOTATIONS_LIMIT} bytes") and the CRD is not created or updated; ` +
        `apply it server-side (Argo CD: syncOptions ServerSideApply=true, on the Application or as the CRD's argocd.argoproj.io/sync-options annotation; kubectl apply --server-side), or with Replace=true / kubectl create`,
    },
  ];
}

/** A value at a path of a chart's values. */
function valueAt(values: Loose, path: readonly string[]): unknown {
  let v: unknown = values;
  for (const key of path) v = isMapping(v) ? v[key] : undefined;
  return v;
}

/** Whether the inline values leave the chart's big CRDs out, or annotate them with a sync option that avoids the annotation. */
function valuesAvoid(entry: OversizedChartCrds, values: Loose): boolean {
  if (entry.switch.length && valueAt(values, entry.switch) === false) return true;
  if (entry.chart === 'prometheus-operator-crds') {
    const plurals = Object.keys(entry.measured.crds).map((c) => c.split('.')[0]);
    if (plurals.every((p) => valueAt(values, ['crds', p, 'enabled']) === false)) return true;
  }
  return (entry.annotations ?? []).some((p) => avoidsLastApplied(String(stringMap(valueAt(values, p))[SYNC_OPTIONS_ANNOTATION] ?? '').split(',')));
}

/** Whether a chart version is older than the first release that ships the big CRDs (a range or a non-version is not). */
function olderThan(version: string | undefined, since: string): boolean {
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v)?.slice(1).map(Number);
  const [a, b] = [parse(version ?? ''), parse(since)];
  if (!a || !b) return false;
  const i = a.findIndex((x, j) => x !== b[j]);
  return i >= 0 && a[i] < b[i];
}

/** The chart sources of an Application that render a catalogued chart's big CRDs, applied client-side. */
function applicationProblems(o: GraphObject): Problem[] {
  if (avoidsLastApplied(appSyncOptions(o.manifest))) return [];
  const spec = mapping(o.manifest.spec);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s, i): Problem[] => {
    const entry = oversizedChartCrds(text(s.chart) ?? '');
    const helm = mapping(s.helm);
    if (!entry || olderThan(text(s.targetRevision), entry.since)) return [];
    if ((entry.placed === 'crds-folder' && helm.skipCrds === true) || valuesAvoid(entry, argoValues(helm))) return [];
    // the largest first
    const crds = Object.entries(entry.measured.crds)
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${bytes} bytes`);
    const field = spec.source && i === 0 ? 'spec.source' : `spec.sources[${spec.source ? i - 1 : i}]`;
    const elsewhere = strings(helm.valueFiles).length ? ' (unless its values files turn them off)' : '';
    return [
      {
        message:
          `${field} installs chart ${entry.chart}${text(s.targetRevision) ? ` ${text(s.targetRevision)}` : ''}, whose CRDs are too large for a client-side apply ` +
          `(from ${entry.since} on; measured at ${entry.measured.release}, as the last-applied-configuration annotation: ${crds.slice(0, 3).join(', ')}${crds.length > 3 ? ` and ${crds.length - 3} more` : ''}; the API server takes ${ANNOTATIONS_LIMIT} for all annotations), ` +
          `and the Application's syncOptions have neither ServerSideApply=true nor Replace=true${elsewhere}: ` +
          `the sync fails ("metadata.annotations: Too long: must have at most ${ANNOTATIONS_LIMIT} bytes") and the CRDs, and the chart's objects of their kinds, are not created; add ServerSideApply=true to spec.syncPolicy.syncOptions`,
      },
    ];
  });
}

export const crdTooLargeForClientApply: Rule = {
  id: 'crd-too-large-for-client-apply',
  title:
    'a CRD too large for a client-side apply (kube-prometheus-stack, prometheus-operator-crds, KEDA) is applied without ServerSideApply=true or --server-side: "metadata.annotations: Too long"',
  severity: 'error',
  appliesTo: ['CustomResourceDefinition', 'Application'],
  premise:
    `a CustomResourceDefinition of the tree whose last-applied-configuration annotation (the object as JSON, as kubectl encodes it, with the annotation's key and the CRD's other annotations) would pass the API server's ${ANNOTATIONS_LIMIT} bytes for all annotations, delivered by an Argo CD Application of the tree whose syncOptions have neither ServerSideApply=true nor Replace=true (and the CRD's own argocd.argoproj.io/sync-options annotation neither), or applied by a script or README command of the tree with \`kubectl apply\` (or oc) without --server-side; ` +
    "or an Argo CD Application whose chart source installs a chart known to ship such CRDs (kube-prometheus-stack from 20.0.0, prometheus-operator-crds, keda from 2.11.0: measured on the charts' repositories), at a version from that release on or one not written as a version, without ServerSideApply=true or Replace=true in its syncOptions; " +
    'not judged: a chart source with helm.skipCrds where the chart keeps its CRDs in crds/, inline values (valuesObject) that turn the CRDs off (crds.enabled: false, crds.install: false, each crds.<plural>.enabled: false) or annotate them with ServerSideApply=true, and objects applied by Helm itself (helm install creates CRDs, it does not apply them), Flux (its kustomize-controller applies server-side) or kubectl create or replace',
  example: '`chart: kube-prometheus-stack` in an Application whose `syncOptions: [CreateNamespace=true]` has no ServerSideApply=true',
  fix: "add ServerSideApply=true to the Application's spec.syncPolicy.syncOptions (or to the CRD's argocd.argoproj.io/sync-options annotation), or apply the CRDs with kubectl apply --server-side (or kubectl create, or Replace=true)",
  source:
    'kubernetes apimachinery pkg/api/validation/objectmeta.go (TotalAnnotationSizeLimitB = 256 KiB, ValidateAnnotationsSize: keys and values together; "Too long: must have at most 262144 bytes"); kubectl pkg/util/apply.go GetModifiedConfiguration (the object as JSON into kubectl.kubernetes.io/last-applied-configuration) and pkg/cmd/apply; Argo CD docs user-guide/sync-options.md ("Server-Side Apply": resources too big for the annotation, such as CRDs; "Replace Resource Actions"); prometheus-community/helm-charts charts/kube-prometheus-stack/charts/crds/README.md (the CRDs applied with kubectl apply --server-side); the charts\' CRDs measured at prometheus-community/helm-charts tags kube-prometheus-stack-88.5.3 and prometheus-operator-crds-31.0.1, kedacore/charts v2.20.2 (and the releases where they first pass the bound)',
  check(o, { graph }) {
    if (o.manifest.kind === 'Application') return String(o.manifest.apiVersion ?? '').startsWith('argoproj.io/') ? applicationProblems(o) : [];
    return String(o.manifest.apiVersion ?? '').startsWith('apiextensions.k8s.io/') ? crdProblems(o, graph) : [];
  },
};
