import { ruleFindings } from '../util';

const RULE = 'alb-https-listener-no-certificate';
const NO_CERT =
  'alb.ingress.kubernetes.io/listen-ports \'[{"HTTPS":443}]\' opens an HTTPS listener (port 443) and the Ingress sets no alb.ingress.kubernetes.io/certificate-arn and has no host (spec.rules[].host, spec.tls[].hosts) to discover an ACM certificate by: the AWS Load Balancer Controller builds the HTTPS listener with no certificate, ELBv2 refuses it ("A certificate must be specified for HTTPS listeners") and the controller\'s reconcile of the Ingress fails again and again (event FailedDeployModel), so the load balancer never serves HTTPS';
const FIX = '; set alb.ingress.kubernetes.io/certificate-arn to the ARN of an ACM certificate, or give the rule a host an issued ACM certificate covers';

type Doc = Record<string, unknown>;
function ingress(annotations: Record<string, string>, spec: Doc = {}): Doc {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'front', namespace: 'web', annotations: { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]', ...annotations } },
    spec: {
      ingressClassName: 'alb',
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'site', port: { number: 80 } } } }] } }],
      ...spec,
    },
  };
}
const ingressClass = (parameters?: Doc): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'public-lb' },
  spec: { controller: 'ingress.k8s.aws/alb', ...(parameters ? { parameters } : {}) },
});
const params = (spec: Doc): Doc => ({ apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams', metadata: { name: 'public-params' }, spec });
const PARAMS_REF = { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'public-params' };

describe('alb-https-listener-no-certificate', () => {
  test('HTTPS only, no certificate-arn, no host: an error naming the annotation, the refusal and the fix', () => {
    expect(ruleFindings(RULE, [ingress({})])).toEqual([`error Ingress/web/front: ${NO_CERT}${FIX}`]);
  });

  test('HTTP and HTTPS, an IngressClass of the tree with the controller and no parameters: an error on port 443', () => {
    const doc = ingress({ 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]' }, { ingressClassName: 'public-lb' });
    expect(ruleFindings(RULE, [doc, ingressClass()])).toEqual([expect.stringMatching(/^error Ingress\/web\/front: .*opens an HTTPS listener \(port 443\)/)]);
  });

  test('IngressClassParams the tree does not hold: a warning saying they may set the certificate', () => {
    const doc = ingress({}, { ingressClassName: 'public-lb' });
    expect(ruleFindings(RULE, [doc, ingressClass(PARAMS_REF)])).toEqual([
      `warning Ingress/web/front: ${NO_CERT}, unless the IngressClassParams 'public-params' its IngressClass names, which the tree does not hold, set spec.certificateArn${FIX}`,
    ]);
  });

  test.each<[string, Doc[]]>([
    ['certificate-arn set', [ingress({ 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:111122223333:certificate/abc' })]],
    ['a rule host to discover by', [ingress({}, { rules: [{ host: 'shop.example.org', http: { paths: [] } }] })]],
    ['a tls host to discover by', [ingress({}, { tls: [{ hosts: ['shop.example.org'] }] })]],
    ['HTTP only', [ingress({ 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' })]],
    [
      'no listen-ports (HTTP 80 by default)',
      [ingress({ 'alb.ingress.kubernetes.io/listen-ports': '' })].map((d) => ({ ...d, metadata: { name: 'front', namespace: 'web' } })),
    ],
    ['a member of an ingress group', [ingress({ 'alb.ingress.kubernetes.io/group.name': 'shared' })]],
    ['an ingress-nginx Ingress', [ingress({}, { ingressClassName: 'nginx' })]],
    [
      'IngressClassParams of the tree with certificateArn',
      [
        ingress({}, { ingressClassName: 'public-lb' }),
        ingressClass(PARAMS_REF),
        params({ certificateArn: ['arn:aws:acm:us-east-1:111122223333:certificate/abc'] }),
      ],
    ],
  ])('near miss, %s: silent', (_, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});
