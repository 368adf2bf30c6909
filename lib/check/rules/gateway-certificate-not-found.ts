import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { madeByScriptNote, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { onOpenShift } from '../platform';
import { CheckContext, Problem, Rule } from '../rule';
import { namespacesCreated } from '../tree-namespaces';
import { holdsRendererSyntax } from '../template-syntax';

/** The Gateway API group (gateway.networking.k8s.io). */
const GATEWAY_GROUP = 'gateway.networking.k8s.io/';

/**
 * cert-manager's gateway-shim issues the certificates of a Gateway annotated with an issuer, into the Secrets its
 * listeners' certificateRefs name (cert-manager pkg/controller/certificate-shim: cert-manager.io/issuer,
 * cert-manager.io/cluster-issuer).
 */
const SHIM_ANNOTATIONS = ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer'];

/**
 * The default certificate OpenShift's ingress operator makes and keeps for the default IngressController, which every
 * cluster has: Secret router-certs-<controller> in openshift-ingress (openshift/cluster-ingress-operator
 * pkg/operator/controller/names.go RouterOperatorGeneratedDefaultCertificateSecretName, made by the certificate
 * controller, pkg/operator/controller/certificate, unless an administrator gives the controller a certificate of
 * their own: rare, and not for the tree to know).
 */
const OPENSHIFT_DEFAULT_CERTIFICATE = { name: 'router-certs-default', namespace: 'openshift-ingress' };

/**
 * The certificate Secrets OpenShift AI 3.x's operator makes in openshift-ingress for its data science gateway
 * (opendatahub-operator internal/controller/services/gateway gateway_support.go): GatewayServiceTLSSecretName, which
 * the service CA issues for the gateway's Service that configureClusterIPInfrastructure annotates with
 * service.beta.openshift.io/serving-cert-secret-name, and DefaultGatewayTLSSecretName, the listener certificate
 * handleCertificates propagates from the default ingress certificate or signs itself.
 */
const OPENSHIFT_AI_GATEWAY_CERTIFICATES = ['data-science-gateway-service-tls', 'data-science-gatewayconfig-tls'];

/** The GatewayClass OpenShift AI 3.x's operator makes for its gateways (gateway_support.go GatewayClassName). */
const OPENSHIFT_AI_GATEWAY_CLASS = 'data-science-gateway-class';

/**
 * Whether the tree is judged for OpenShift AI 3.x: given, or inferred with every candidate a 3.x release; or the
 * Gateway is of the class only that operator makes.
 */
function onOpenShiftAi3(m: Loose, ctx: CheckContext): boolean {
  if (text(mapping(m.spec).gatewayClassName) === OPENSHIFT_AI_GATEWAY_CLASS) return true;
  if (!ctx.platform.startsWith('rhoai-3')) return false;
  return !ctx.platformAssumed || (ctx.platformCandidates ?? []).every((p) => p.startsWith('rhoai-3'));
}

/** Whether OpenShift AI 3.x's operator makes the Secret for its data science gateway. */
const openShiftAiMade = (name: string, ns: string, m: Loose, ctx: CheckContext): boolean =>
  ns === OPENSHIFT_DEFAULT_CERTIFICATE.namespace && OPENSHIFT_AI_GATEWAY_CERTIFICATES.includes(name) && onOpenShiftAi3(m, ctx);

/**
 * Whether the Secret is OpenShift's default router certificate where OpenShift keeps it: on OpenShift, or in an
 * openshift-ingress the tree does not create (a namespace only OpenShift has).
 */
const platformKept = (name: string, ns: string, created: string | undefined, ctx: CheckContext): boolean =>
  name === OPENSHIFT_DEFAULT_CERTIFICATE.name && ns === OPENSHIFT_DEFAULT_CERTIFICATE.namespace && (onOpenShift(ctx) || !created);

/** A Secret a listener's tls.certificateRefs names, with the field naming it. */
interface CertificateRef {
  readonly name: string;
  readonly field: string;
}

/**
 * The Secrets the Gateway's listeners terminate TLS with, in the Gateway's own namespace: certificateRefs of kind
 * Secret in the core group (the defaults), with no namespace of their own (one in another namespace needs a
 * ReferenceGrant, another question); a listener in Passthrough mode holds none.
 */
function certificateRefs(m: Loose): CertificateRef[] {
  return mappings(mapping(m.spec).listeners).flatMap((l, i) => {
    const tls = mapping(l.tls);
    if (text(tls.mode) === 'Passthrough') return [];
    return mappings(tls.certificateRefs).flatMap((r, j) => {
      const name = text(r.name);
      const own = (text(r.kind) ?? 'Secret') === 'Secret' && (text(r.group) ?? '') === '' && r.namespace === undefined;
      return name && own && !holdsRendererSyntax(name) ? [{ name, field: `spec.listeners[${text(l.name) ?? i}].tls.certificateRefs[${j}]` }] : [];
    });
  });
}

/** The finding for one certificate Secret nothing of the tree makes. */
function missing(ref: CertificateRef, ns: string, created: string | undefined): Problem {
  const effect = `the listener is not programmed (ResolvedRefs False, reason InvalidCertificateRef), so HTTPS on it fails`;
  const fix = `add the Secret (a cert-manager Certificate with secretName '${ref.name}', an ExternalSecret) to namespace '${ns}' in the tree, annotate the Gateway with a cert-manager issuer, or name a certificate Secret that exists there`;
  if (created)
    return {
      message: `${ref.field} names Secret '${ref.name}': namespace '${ns}' is created by the tree (${created}), and nothing of the tree makes that Secret there (no Secret, cert-manager Certificate, ExternalSecret or SealedSecret of the name): ${effect}; ${fix}`,
    };
  return {
    severity: 'warning',
    message: `${ref.field} names Secret '${ref.name}', which nothing of the tree makes in namespace '${ns}' (no Secret, cert-manager Certificate, ExternalSecret or SealedSecret of the name); the tree does not create that namespace, so the Secret may be made there outside it (assumed not): else ${effect}; ${fix}`,
  };
}

/** Whether cert-manager's gateway-shim issues the Gateway's certificates. */
const shimIssued = (m: Loose): boolean => SHIM_ANNOTATIONS.some((a) => stringMap(mapping(m.metadata).annotations)[a] !== undefined);

function judge(o: GraphObject, graph: ObjectGraph, ctx: CheckContext): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  if (!ns || shimIssued(o.manifest)) return [];
  const created = namespacesCreated(graph).get(ns);
  return certificateRefs(o.manifest)
    .filter((r) => !graph.secretInTree(r.name, ns) && !platformKept(r.name, ns, created, ctx) && !openShiftAiMade(r.name, ns, o.manifest, ctx))
    .filter((r, i, all) => all.findIndex((x) => x.name === r.name) === i)
    .map((r) => {
      const script = graph.scriptCreating('Secret', r.name, ns);
      return script
        ? madeByScriptNote(`Secret '${r.name}'`, 'Secret', script, 'the listener is not programmed')
        : unlessRepositoryMakes(graph, missing(r, ns, created), 'Secret', r.name, ns);
    });
}

export const gatewayCertificateNotFound: Rule = {
  id: 'gateway-certificate-not-found',
  title: 'a Gateway listener terminates TLS with a Secret nothing makes: the listener is not programmed (InvalidCertificateRef)',
  severity: 'error',
  appliesTo: ['Gateway'],
  premise:
    "a Gateway API Gateway listener's tls.certificateRefs names a Secret of the Gateway's namespace (kind Secret, core group, no namespace of its own; not a Passthrough listener) that nothing of the tree makes there: no Secret, cert-manager Certificate (spec.secretName), ExternalSecret, SealedSecret or other synced Secret of the name, nor the serving certificate KServe's controller writes for an LLMInferenceService of the namespace (<service>-kserve-self-signed-certs), no script of the tree creating it, and the Gateway has no cert-manager issuer annotation (cert-manager's gateway-shim would issue it). " +
    "The implementation then sets the listener ResolvedRefs False with reason InvalidCertificateRef and does not program it. An error where the tree creates the namespace (nothing outside the tree can have made the Secret beforehand); a warning where the namespace is not the tree's (a platform namespace such as openshift-ingress holds Secrets of its own, and one made by hand may be there). " +
    'A manifest of the repository outside the checked folder that makes it turns the finding into a note. ' +
    "Not judged: Secret router-certs-default in openshift-ingress, the default certificate OpenShift's ingress operator keeps on every cluster, on OpenShift (given or inferred) or where the tree does not create that namespace; nor, on OpenShift AI 3.x (given, inferred, or a Gateway of its data-science-gateway-class), Secrets data-science-gateway-service-tls (the service CA's certificate for the data science gateway's Service, which the operator annotates) and data-science-gatewayconfig-tls (the operator's listener certificate) in openshift-ingress",
  example:
    '`certificateRefs: [{name: shop-gateway-tls}]` on an HTTPS listener of a Gateway in namespace `shop-edge`, which a `kind: Namespace` of the tree creates, with no Secret or Certificate of that name',
  fix: 'add the Secret or a cert-manager Certificate whose secretName it is, annotate the Gateway with a cert-manager issuer, or name a certificate Secret that exists in the namespace',
  source:
    'Gateway API spec (gateway.networking.k8s.io v1 GatewayTLSConfig certificateRefs; ListenerConditionResolvedRefs, ListenerReasonInvalidCertificateRef: the listener is not programmed); cert-manager pkg/controller/certificate-shim (gateway-shim issuer annotations); openshift/cluster-ingress-operator pkg/operator/controller/names.go (RouterOperatorGeneratedDefaultCertificateSecretName: router-certs-<ingresscontroller> in openshift-ingress) and pkg/operator/controller/certificate (the operator makes and keeps it for the default IngressController); kserve pkg/controller/llmisvc workload_tls_self_signed.go reconcileSelfSignedCertsSecret (kmeta.ChildName(<service>, "-kserve-self-signed-certs")); opendatahub-operator internal/controller/services/gateway gateway_support.go (GatewayServiceTLSSecretName data-science-gateway-service-tls, set as service.beta.openshift.io/serving-cert-secret-name on the gateway Service by configureClusterIPInfrastructure; DefaultGatewayTLSSecretName data-science-gatewayconfig-tls, handleCertificates)',
  check(o, ctx) {
    if (!String(o.manifest.apiVersion ?? '').startsWith(GATEWAY_GROUP)) return [];
    return judge(o, ctx.graph, ctx);
  },
};
