import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { INGRESS_CLASS_ANNOTATION } from '../../k8s/keys';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The AWS Load Balancer Controller's annotations (its docs guide/ingress/annotations.md; pkg/annotations/constants.go). */
const ALB = 'alb.ingress.kubernetes.io/';
const LISTEN_PORTS = `${ALB}listen-ports`;
const CERTIFICATE_ARN = `${ALB}certificate-arn`;
const CREATE_CERTIFICATE = `${ALB}create-certificate`;
const GROUP_NAME = `${ALB}group.name`;

/** The IngressClass controller name of the AWS Load Balancer Controller (pkg/ingress/class.go: ingress.k8s.aws/alb). */
const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

/** Whether the Ingress is the AWS Load Balancer Controller's: an IngressClass of the tree with its controller, else class alb. */
function albClass(m: Loose, graph: ObjectGraph): { alb: boolean; params?: Loose } {
  const className = text(mapping(m.spec).ingressClassName) ?? stringMap(mapping(m.metadata).annotations)[INGRESS_CLASS_ANNOTATION];
  if (!className) return { alb: false };
  const declared = graph.find('IngressClass', className);
  if (!declared) return { alb: className === 'alb' };
  const spec = mapping(declared.manifest.spec);
  return { alb: text(spec.controller) === ALB_CONTROLLER, ...(spec.parameters ? { params: mapping(spec.parameters) } : {}) };
}

/** The HTTPS ports of listen-ports (a JSON list of {"HTTP"|"HTTPS": port}); undefined where the value does not parse. */
function httpsPorts(raw: string): number[] | undefined {
  try {
    const entries: unknown = JSON.parse(raw);
    if (!Array.isArray(entries)) return undefined;
    return entries.flatMap((e) => (e && typeof e === 'object' && typeof (e as Loose).HTTPS === 'number' ? [(e as Loose).HTTPS as number] : []));
  } catch {
    return undefined;
  }
}

/** The hosts certificate discovery reads: spec.rules[].host and spec.tls[].hosts (model_build_listener.go computeIngressInferredTLSCertARNs). */
function discoveryHosts(m: Loose): string[] {
  const spec = mapping(m.spec);
  const hosts = [...mappings(spec.rules).map((r) => text(r.host)), ...mappings(spec.tls).flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.map(text) : []))];
  return hosts.filter((h): h is string => !!h);
}

/**
 * Where the IngressClass names IngressClassParams: 'none' where the tree shows them without spec.certificateArn,
 * 'set' where they set it (the controller takes it over the annotation), 'unknown' where the tree does not hold them.
 */
function paramsCertificate(params: Loose | undefined, graph: ObjectGraph): 'none' | 'set' | 'unknown' {
  if (!params || text(params.kind) !== 'IngressClassParams') return 'none';
  const found = graph.find('IngressClassParams', text(params.name) ?? '');
  if (!found) return 'unknown';
  const arns = mapping(found.manifest.spec).certificateArn;
  return Array.isArray(arns) && arns.length ? 'set' : 'none';
}

function judged(o: Loose, graph: ObjectGraph): Problem[] {
  const annotations = stringMap(mapping(o.metadata).annotations);
  const raw = annotations[LISTEN_PORTS];
  if (raw === undefined || annotations[CERTIFICATE_ARN]?.trim() || annotations[CREATE_CERTIFICATE] !== undefined) return [];
  // members of one ingress group share their listeners, and a member elsewhere may bring the certificate
  if (annotations[GROUP_NAME] !== undefined || discoveryHosts(o).length) return [];
  const { alb, params } = albClass(o, graph);
  const ports = httpsPorts(raw);
  if (!alb || !ports?.length) return [];
  const fromParams = paramsCertificate(params, graph);
  if (fromParams === 'set') return [];
  const message =
    `${LISTEN_PORTS} '${raw}' opens an HTTPS listener (port ${ports.join(', ')}) and the Ingress sets no ${CERTIFICATE_ARN} and has no host ` +
    `(spec.rules[].host, spec.tls[].hosts) to discover an ACM certificate by: the AWS Load Balancer Controller builds the HTTPS listener with no certificate, ` +
    `ELBv2 refuses it ("A certificate must be specified for HTTPS listeners") and the controller's reconcile of the Ingress fails again and again (event FailedDeployModel), so the load balancer never serves HTTPS`;
  const fix = `; set ${CERTIFICATE_ARN} to the ARN of an ACM certificate, or give the rule a host an issued ACM certificate covers`;
  if (fromParams === 'unknown')
    return [
      {
        severity: 'warning',
        message: `${message}, unless the IngressClassParams '${text(params?.name) ?? ''}' its IngressClass names, which the tree does not hold, set spec.certificateArn${fix}`,
      },
    ];
  return [{ message: `${message}${fix}` }];
}

export const albHttpsListenerNoCertificate: Rule = {
  id: 'alb-https-listener-no-certificate',
  title:
    'an AWS Load Balancer Controller Ingress listens on HTTPS with no certificate-arn and no host to discover a certificate by: the listener is refused and the Ingress never reconciles',
  severity: 'error',
  appliesTo: ['Ingress'],
  premise:
    `an Ingress of the AWS Load Balancer Controller (ingressClassName or the kubernetes.io/ingress.class annotation alb, or an IngressClass of the tree with controller ${ALB_CONTROLLER}) whose ${LISTEN_PORTS} (a JSON list that parses) holds an HTTPS port, ` +
    `with no ${CERTIFICATE_ARN}, no ${CREATE_CERTIFICATE}, no host in spec.rules[].host or spec.tls[].hosts (certificate discovery looks certificates up by those hosts), and no IngressClassParams of its IngressClass setting spec.certificateArn; ` +
    `a warning where the IngressClass names IngressClassParams the tree does not hold (they may set it). Not judged: an Ingress of an ingress group (${GROUP_NAME}: another member may bring the certificate to the shared listener)`,
  example: `\`${LISTEN_PORTS}: '[{"HTTPS":443}]'\` on an Ingress of class alb whose rule has no host, without ${CERTIFICATE_ARN}`,
  fix: `set ${CERTIFICATE_ARN} to an ACM certificate's ARN, or give spec.rules[].host (or spec.tls[].hosts) a host an issued ACM certificate covers`,
  source:
    'kubernetes-sigs/aws-load-balancer-controller pkg/ingress/model_build_listener.go computeIngressListenPortConfigByPort (the explicit certificate ARNs of IngressClassParams spec.certificateArn or the certificate-arn annotation, else certificates discovered by computeIngressInferredTLSCertARNs from spec.rules[].host and spec.tls[].hosts) and computeIngressListenPorts (listen-ports), docs guide/ingress/cert_discovery.md; the ELBv2 CreateListener API refuses an HTTPS listener without a certificate ("ValidationError: A certificate must be specified for HTTPS listeners")',
  check(o, { graph }) {
    return judged(o.manifest, graph);
  },
};
