import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      'gateway-certificate-not-found',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const gateway = (ns: string, tls: Doc, annotations: Record<string, string> = {}): Doc => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'edge', namespace: ns, annotations },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, tls }] },
});
const terminate = { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', group: '', name: 'edge-tls' }] };

describe('gateway-certificate-not-found', () => {
  test('a namespace the tree creates and no Secret or Certificate of the name: an error naming the listener, the condition and the fix', () => {
    const [[severity, object, message], ...rest] = found([namespace('web'), gateway('web', terminate)]);
    expect(rest).toEqual([]);
    expect([severity, object]).toEqual(['error', 'Gateway/web/edge']);
    expect(message).toContain("spec.listeners[https].tls.certificateRefs[0] names Secret 'edge-tls': namespace 'web' is created by the tree");
    expect(message).toContain('ResolvedRefs False, reason InvalidCertificateRef');
  });

  test("a namespace that is not the tree's (a platform's): a warning, the Secret may be made there", () => {
    const [[severity, , message]] = found([gateway('openshift-ingress', terminate)]);
    expect(severity).toBe('warning');
    expect(message).toContain('the tree does not create that namespace');
  });

  test('near misses: a Secret, a cert-manager Certificate or an ExternalSecret of the name, an issuer annotation, Passthrough, another namespace', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'edge-tls', namespace: 'web' } };
    const certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'edge', namespace: 'web' },
      spec: { secretName: 'edge-tls' },
    };
    const external = { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'edge-tls', namespace: 'web' }, spec: {} };
    for (const made of [secret, certificate, external]) expect(found([namespace('web'), made, gateway('web', terminate)])).toEqual([]);
    expect(found([namespace('web'), gateway('web', terminate, { 'cert-manager.io/cluster-issuer': 'letsencrypt' })])).toEqual([]);
    expect(found([namespace('web'), gateway('web', { mode: 'Passthrough' })])).toEqual([]);
    expect(found([namespace('web'), gateway('web', { certificateRefs: [{ name: 'edge-tls', namespace: 'certs' }] })])).toEqual([]);
  });
});

// OpenShift's ingress operator makes router-certs-default in openshift-ingress for the default IngressController
// (cluster-ingress-operator pkg/operator/controller/names.go RouterOperatorGeneratedDefaultCertificateSecretName)
describe("gateway-certificate-not-found: OpenShift's default router certificate", () => {
  const routerCerts = { mode: 'Terminate', certificateRefs: [{ name: 'router-certs-default' }] };
  const judged = (docs: Doc[], platform: 'kserve' | 'rhoai-3.0') =>
    severityObjectMessages(
      ruleFound(
        'gateway-certificate-not-found',
        docs.map((manifest) => ({ manifest })),
        { platform },
      ),
    );

  test('near misses: router-certs-default in openshift-ingress on OpenShift, and where the tree does not create openshift-ingress', () => {
    expect(judged([gateway('openshift-ingress', routerCerts)], 'rhoai-3.0')).toEqual([]);
    expect(judged([namespace('openshift-ingress'), gateway('openshift-ingress', routerCerts)], 'rhoai-3.0')).toEqual([]);
    expect(judged([gateway('openshift-ingress', routerCerts)], 'kserve')).toEqual([]);
  });

  test('fires: the same name in another namespace, and in an openshift-ingress the tree creates off OpenShift', () => {
    expect(judged([gateway('edge', routerCerts)], 'rhoai-3.0')).toEqual([
      ['warning', 'Gateway/edge/edge', expect.stringContaining("names Secret 'router-certs-default', which nothing of the tree makes in namespace 'edge'")],
    ]);
    expect(judged([namespace('openshift-ingress'), gateway('openshift-ingress', routerCerts)], 'kserve')).toEqual([
      [
        'error',
        'Gateway/openshift-ingress/edge',
        expect.stringContaining("names Secret 'router-certs-default': namespace 'openshift-ingress' is created by the tree"),
      ],
    ]);
  });
});

// kserve pkg/controller/llmisvc workload_tls_self_signed.go: the controller writes <service>-kserve-self-signed-certs
// (kmeta.ChildName) beside each LLMInferenceService
describe('gateway-certificate-not-found: the serving certificate of an LLMInferenceService', () => {
  const llmService = (name: string, ns = 'web'): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name, namespace: ns },
    spec: { model: { uri: 'hf://acme/tiny-chat' } },
  });
  const refTo = (name: string) => ({ mode: 'Terminate', certificateRefs: [{ name }] });

  test('a listener naming the certificate KServe makes for a service of the namespace: made, not reported', () => {
    expect(found([namespace('web'), llmService('chat'), gateway('web', refTo('chat-kserve-self-signed-certs'))])).toEqual([]);
    // kmeta.ChildName over 63 characters: the parent cut to 6 and its MD5 spliced in
    const long = `${'a'.repeat(40)}-llm`;
    const hashed = 'aaaaaaeb09e848d4924a25eb3f6851bd648dba-kserve-self-signed-certs';
    expect(found([namespace('web'), llmService(long), gateway('web', refTo(hashed))])).toEqual([]);
  });

  test('no such service (none, another name, another namespace): the finding stays', () => {
    const message =
      "spec.listeners[https].tls.certificateRefs[0] names Secret 'chat-kserve-self-signed-certs': namespace 'web' is created by the tree (Namespace web), and nothing of the tree makes that Secret there (no Secret, cert-manager Certificate, ExternalSecret or SealedSecret of the name): the listener is not programmed (ResolvedRefs False, reason InvalidCertificateRef), so HTTPS on it fails; add the Secret (a cert-manager Certificate with secretName 'chat-kserve-self-signed-certs', an ExternalSecret) to namespace 'web' in the tree, annotate the Gateway with a cert-manager issuer, or name a certificate Secret that exists there";
    for (const others of [[], [llmService('chatbot')], [llmService('chat', 'elsewhere')]])
      expect(found([namespace('web'), ...others, gateway('web', refTo('chat-kserve-self-signed-certs'))])).toEqual([['error', 'Gateway/web/edge', message]]);
  });
});

// opendatahub-operator internal/controller/services/gateway gateway_support.go: GatewayServiceTLSSecretName (the service
// CA's certificate for the annotated gateway Service) and DefaultGatewayTLSSecretName, both in openshift-ingress
describe("gateway-certificate-not-found: OpenShift AI 3.x's data science gateway certificates", () => {
  const refTo = (name: string) => ({ mode: 'Terminate', certificateRefs: [{ name }] });
  const judged = (docs: Doc[], platform: 'kserve' | 'rhoai-3.4') =>
    severityObjectMessages(
      ruleFound(
        'gateway-certificate-not-found',
        docs.map((manifest) => ({ manifest })),
        { platform },
      ),
    );
  const classed = (ns: string, tls: Doc): Doc => {
    const g = gateway(ns, tls);
    return { ...g, spec: { ...(g.spec as Doc), gatewayClassName: 'data-science-gateway-class' } };
  };

  test('near misses: either certificate in openshift-ingress on OpenShift AI 3.x, or beside a Gateway of its class', () => {
    for (const name of ['data-science-gateway-service-tls', 'data-science-gatewayconfig-tls'])
      expect(judged([gateway('openshift-ingress', refTo(name))], 'rhoai-3.4')).toEqual([]);
    expect(judged([classed('openshift-ingress', refTo('data-science-gateway-service-tls'))], 'kserve')).toEqual([]);
  });

  test('fires: upstream KServe with another class, another namespace, another name', () => {
    const message = (name: string, ns: string) =>
      `spec.listeners[https].tls.certificateRefs[0] names Secret '${name}', which nothing of the tree makes in namespace '${ns}' (no Secret, cert-manager Certificate, ExternalSecret or SealedSecret of the name); the tree does not create that namespace, so the Secret may be made there outside it (assumed not): else the listener is not programmed (ResolvedRefs False, reason InvalidCertificateRef), so HTTPS on it fails; add the Secret (a cert-manager Certificate with secretName '${name}', an ExternalSecret) to namespace '${ns}' in the tree, annotate the Gateway with a cert-manager issuer, or name a certificate Secret that exists there`;
    expect(judged([gateway('openshift-ingress', refTo('data-science-gateway-service-tls'))], 'kserve')).toEqual([
      ['warning', 'Gateway/openshift-ingress/edge', message('data-science-gateway-service-tls', 'openshift-ingress')],
    ]);
    expect(judged([gateway('edge-ns', refTo('data-science-gateway-service-tls'))], 'rhoai-3.4')).toEqual([
      ['warning', 'Gateway/edge-ns/edge', message('data-science-gateway-service-tls', 'edge-ns')],
    ]);
    expect(judged([gateway('openshift-ingress', refTo('data-science-gateway-tls'))], 'rhoai-3.4')).toEqual([
      ['warning', 'Gateway/openshift-ingress/edge', message('data-science-gateway-tls', 'openshift-ingress')],
    ]);
  });
});
