import { mapping, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { alsoBy, firstById } from '../one-per-cause';
import { deliveryUnitOf } from '../runtime-binding';
import { Problem, Rule } from '../rule';

/** cert-manager's annotation naming the Certificate whose CA cainjector copies into caBundle (cmapi.WantInjectAnnotation). */
const INJECT_CA_FROM = 'cert-manager.io/inject-ca-from';

/**
 * The kinds cainjector injects into (cert-manager pkg/controller/cainjector/setup.go: the webhook configurations'
 * webhooks[].clientConfig.caBundle, an APIService's spec.caBundle, a CRD's conversion webhook caBundle).
 */
const INJECTABLE_KINDS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'CustomResourceDefinition', 'APIService'];

/** A value a renderer still fills (kustomize vars `$(CERTIFICATE_NAMESPACE)`, Helm `{{ }}`, a shell's `${}`): not read. */
const PLACEHOLDER = /\$\(|\$\{|\{\{/;

/**
 * How cainjector splits the annotation (sources.go splitNamespacedName): at the first '/', the namespace before it;
 * no '/' leaves the namespace empty.
 */
function splitNamespacedName(value: string): { namespace: string; name: string } {
  const at = value.indexOf('/');
  return at < 0 ? { namespace: '', name: value } : { namespace: value.slice(0, at), name: value.slice(at + 1) };
}

/** The tree's Certificates of one name whose namespace is known, and whether one of unknown namespace exists. */
function certificatesNamed(graph: ObjectGraph, name: string): { placed: { o: GraphObject; namespace: string }[]; unplaced: boolean } {
  const named = graph
    .ofKind('Certificate')
    .filter((c) => /^cert-manager\.io\//.test(text(c.manifest.apiVersion) ?? '') && text(mapping(c.manifest.metadata).name) === name);
  const placed = named.flatMap((o) => {
    const namespace = graph.namespaceOf(o.manifest);
    return namespace ? [{ o, namespace }] : [];
  });
  return { placed, unplaced: placed.length < named.length };
}

const injectFrom = (o: GraphObject) => stringMap(mapping(o.manifest.metadata).annotations)[INJECT_CA_FROM]?.trim();

/**
 * The objects annotated with one value, in order of their ids: one wrong value is one cause, said once on the first
 * (a bundle's webhook configurations and CRDs usually share it).
 */
function annotatedWith(graph: ObjectGraph, value: string): GraphObject[] {
  const all = graph.once('inject-ca-certificate-not-found:annotated', () => {
    const by = new Map<string, GraphObject[]>();
    for (const kind of INJECTABLE_KINDS)
      for (const x of graph.ofKind(kind)) {
        const v = injectFrom(x);
        if (v) by.set(v, [...(by.get(v) ?? []), x]);
      }
    return firstById(graph, by);
  });
  return all.get(value) ?? [];
}

/** Whose serving certificate caBundle vouches for: an APIService's aggregated API server, else a webhook (a CRD's conversion webhook). */
const served = (kind: unknown) =>
  kind === 'APIService' ? "aggregated API server's" : kind === 'CustomResourceDefinition' ? "conversion webhook's" : "webhook's";

/** The annotation's value with no namespace: cainjector logs "invalid certificate name" and never injects. */
function unqualified(o: GraphObject, value: string, name: string, graph: ObjectGraph, others: string): Problem {
  const { placed } = certificatesNamed(graph, name);
  const meant = placed.length ? `; the tree's Certificate of that name is in '${placed[0].namespace}': write ${placed[0].namespace}/${name}` : '';
  return {
    message:
      `annotation ${INJECT_CA_FROM}: '${value}'${others} names no namespace: cert-manager's cainjector reads it as <namespace>/<name> and, with no namespace, logs "invalid certificate name" and never fills caBundle, ` +
      `so the API server cannot verify the ${served(o.manifest.kind)} serving certificate and every call to it fails (x509: certificate signed by unknown authority)${meant}`,
  };
}

export const injectCaCertificateNotFound: Rule = {
  id: 'inject-ca-certificate-not-found',
  title:
    "cert-manager's inject-ca-from names no Certificate the tree creates there (another namespace holds it, or the value has no namespace): caBundle is never filled",
  severity: 'error',
  appliesTo: INJECTABLE_KINDS,
  premise:
    `a webhook configuration, CustomResourceDefinition or APIService annotated ${INJECT_CA_FROM} whose value has no '<namespace>/' prefix (an error: cainjector never reads it), ` +
    'or names a namespace/name where the tree holds no cert-manager Certificate while it holds a Certificate of that name in another namespace: an error when that Certificate is applied with the annotated object (one kustomization, chart or folder: the bundle installs its own Certificate elsewhere than it says), a warning otherwise (another bundle may create the one named); ' +
    'a value a renderer still fills ($(VAR), {{ }}) and a Certificate whose namespace is not known here are not judged',
  example: '`cert-manager.io/inject-ca-from: operators/serving-cert` beside a Certificate `serving-cert` in namespace `webhooks`',
  fix: "make the annotation name the Certificate's own namespace and name (<namespace>/<name>), or move the Certificate to the namespace the annotation names (with the Service its dnsNames name)",
  source:
    'cert-manager pkg/controller/cainjector/sources.go certificateDataSource.ReadCA (splitNamespacedName at the first "/"; no namespace: "invalid certificate name", nothing injected; a Certificate not found: dropNotFound, nothing injected until one of that namespace/name appears) and setup.go (the injectable kinds); ' +
    'cert-manager docs, concepts/ca-injector (the annotation names a Certificate as <namespace>/<name>); Kubernetes admission webhooks: the API server verifies the webhook with clientConfig.caBundle',
  check(o, ctx) {
    const value = injectFrom(o);
    if (!value || PLACEHOLDER.test(value)) return [];
    const { namespace, name } = splitNamespacedName(value);
    const sharing = annotatedWith(ctx.graph, value);
    if (!name || sharing[0] !== o) return [];
    const others = alsoBy(
      'annotated so',
      sharing.map((x) => ctx.graph.id(x)),
      ctx.graph.id(o),
    );
    if (!namespace) return [unqualified(o, value, name, ctx.graph, others)];
    const { placed, unplaced } = certificatesNamed(ctx.graph, name);
    if (unplaced || !placed.length || placed.some((c) => c.namespace === namespace)) return [];
    const units = new Set(sharing.map(deliveryUnitOf).filter((u) => u !== ''));
    const together = placed.find((c) => units.has(deliveryUnitOf(c.o)));
    const where = [...new Set(placed.map((c) => `'${c.namespace}'`))].join(', ');
    return [
      {
        severity: together ? 'error' : 'warning',
        message:
          `annotation ${INJECT_CA_FROM}: '${value}'${others} names Certificate ${name} in '${namespace}', but the tree's Certificate ${name} is in ${where}${together ? ', applied in the same bundle' : ''}: ` +
          `cert-manager's cainjector finds no Certificate ${value} and never fills caBundle, so the API server cannot verify the ${served(o.manifest.kind)} serving certificate and every call to it fails (x509: certificate signed by unknown authority)` +
          `${together ? '' : ', unless another bundle creates that Certificate'}; write ${placed[0].namespace}/${name}, or create the Certificate in '${namespace}'`,
      },
    ];
  },
};
