import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
interface Placed {
  readonly manifest: Doc;
  readonly file?: string;
}

const webhook = (name: string, injectFrom: string): Doc => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name, annotations: { 'cert-manager.io/inject-ca-from': injectFrom } },
  webhooks: [
    {
      name: `${name}.example.com`,
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      clientConfig: { service: { name: 'hook', namespace: 'system', path: '/mutate' } },
    },
  ],
});
const crd = (injectFrom: string): Doc => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com', annotations: { 'cert-manager.io/inject-ca-from': injectFrom } },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
});
const certificate = (name: string, namespace?: string): Doc => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { secretName: `${name}-tls`, dnsNames: ['hook.system.svc'], issuerRef: { name: 'selfsigned', kind: 'Issuer' } },
});

const findings = (...docs: (Doc | Placed)[]) =>
  runChecks(
    docs.map((d) => ('manifest' in d ? (d as Placed) : { manifest: d })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'inject-ca-certificate-not-found')
    .map((f) => [f.severity, f.object, f.message]);

const at = (file: string, manifest: Doc): Placed => ({ manifest, file });

describe('inject-ca-certificate-not-found', () => {
  test('the Certificate of that name in another namespace, applied together: an error, said once for the objects sharing the value', () => {
    const bundle = [webhook('widgets', 'kubeflow/serving-cert'), crd('kubeflow/serving-cert'), certificate('serving-cert', 'system')].map((d) =>
      at('/t/install/all.yaml', d),
    );
    expect(findings(...bundle)).toEqual([
      [
        'error',
        'CustomResourceDefinition/widgets.example.com',
        "annotation cert-manager.io/inject-ca-from: 'kubeflow/serving-cert' (also annotated so by 1 other object: MutatingWebhookConfiguration/widgets) names Certificate serving-cert in 'kubeflow', " +
          "but the tree's Certificate serving-cert is in 'system', applied in the same bundle: cert-manager's cainjector finds no Certificate kubeflow/serving-cert and never fills caBundle, " +
          "so the API server cannot verify the conversion webhook's serving certificate and every call to it fails (x509: certificate signed by unknown authority); write system/serving-cert, or create the Certificate in 'kubeflow'",
      ],
    ]);
  });

  test('the Certificate in another folder: a warning, another bundle may create the one named', () => {
    const found = findings(
      at('/t/hooks/webhook.yaml', webhook('widgets', 'kubeflow/serving-cert')),
      at('/t/certs/cert.yaml', certificate('serving-cert', 'system')),
    );
    expect(found).toEqual([
      [
        'warning',
        'MutatingWebhookConfiguration/widgets',
        expect.stringMatching(/is in 'system': .*, unless another bundle creates that Certificate; write system\/serving-cert/),
      ],
    ]);
  });

  test('a value without a namespace: cainjector never reads it', () => {
    expect(findings(webhook('widgets', 'serving-cert'), certificate('serving-cert', 'system'))).toEqual([
      [
        'error',
        'MutatingWebhookConfiguration/widgets',
        expect.stringMatching(
          /^annotation cert-manager\.io\/inject-ca-from: 'serving-cert' names no namespace: .*"invalid certificate name".*; the tree's Certificate of that name is in 'system': write system\/serving-cert$/,
        ),
      ],
    ]);
  });

  test('near misses: the Certificate where the value says, none of that name in the tree, one of unknown namespace, a placeholder', () => {
    expect(findings(webhook('widgets', 'system/serving-cert'), certificate('serving-cert', 'system'))).toEqual([]);
    expect(findings(webhook('widgets', 'system/serving-cert'))).toEqual([]);
    expect(findings(webhook('widgets', 'system/serving-cert'), certificate('other-cert', 'kserve'))).toEqual([]);
    expect(findings(webhook('widgets', 'system/serving-cert'), certificate('serving-cert'))).toEqual([]);
    expect(findings(webhook('widgets', '$(CERTIFICATE_NAMESPACE)/$(CERTIFICATE_NAME)'), certificate('serving-cert', 'system'))).toEqual([]);
    // a Certificate of both namespaces: the one named exists
    expect(findings(webhook('widgets', 'system/serving-cert'), certificate('serving-cert', 'kserve'), certificate('serving-cert', 'system'))).toEqual([]);
  });
});
