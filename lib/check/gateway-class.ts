import { Loose, mapping, text } from '../manifests/access';
import { deliveredTogether } from './applied-together';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { ISTIO_CONTROL_PLANE_KINDS } from './istio-mesh';
import { groupOf } from './reference-targets';
import { Problem } from './rule';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/**
 * The controller of OpenShift's own Gateway API (4.19+): the Ingress Operator installs Istio for a GatewayClass of this
 * controllerName only, with istiod's GatewayClass controller off (PILOT_ENABLE_GATEWAY_API_GATEWAYCLASS_CONTROLLER
 * false) and this controller name (openshift/cluster-ingress-operator pkg/operator/controller/gatewayclass, desiredIstio):
 * that Istio creates no `istio` class and accepts no Gateway of a class of another controller.
 */
const OPENSHIFT_CONTROLLER = /^openshift\.io\/gateway-controller(\/|$)/;
/**
 * The classes istiod creates itself when installed (istio pilot/pkg/config/kube/gateway builtinClasses: istio,
 * istio-remote, istio-waypoint, istio-east-west, managed by its GatewayClass controller).
 */
const ISTIO_CLASSES = ['istio', 'istio-remote', 'istio-waypoint', 'istio-east-west'];
/** The classes GKE's Gateway controller creates on a cluster with Gateway API on (GKE docs, "GatewayClass capabilities": gke-l7-*). */
const GKE_CLASS = /^gke-l7-/;
/** Kinds that install an Istio of one's own (Sail operator, OSSM 3; IstioOperator; OSSM 2's control plane), of any group. */
const ISTIO_INSTALL_KINDS = Object.keys(ISTIO_CONTROL_PLANE_KINDS);

/** The tree's installs of an Istio control plane of its own: an install resource, or an istiod workload. */
function istioInstalls(graph: ObjectGraph): GraphObject[] {
  const istiod = graph.ofKind('Deployment').filter((d) => /^istiod(-|$)/.test(text(mapping(d.manifest.metadata).name) ?? ''));
  return [...ISTIO_INSTALL_KINDS.flatMap((k) => graph.ofKind(k)), ...istiod];
}

function classWords(c: GraphObject): string {
  return `'${text(mapping(c.manifest.metadata).name) ?? ''}' (controller ${text(mapping(c.manifest.spec).controllerName) ?? 'unset'})`;
}

/**
 * A Gateway whose spec.gatewayClassName names a GatewayClass the tree does not define while it defines others: no
 * controller accepts a Gateway of a class that does not exist (Gateway API: the class is cluster-scoped, and a
 * Gateway's controller is its class's controllerName), so it gets no address and its routes no traffic. An error only
 * where the tree shows the class is absent: an istiod class while a class of OpenShift's controller comes with the
 * Gateway (its file, build, Application or script) and no Istio install does; a class a platform creates itself (istiod's, GKE's) otherwise passes; any other a warning.
 */
export function gatewayClassProblem(graph: ObjectGraph, o: GraphObject): Problem | undefined {
  const m: Loose = o.manifest;
  if (m.kind !== 'Gateway' || !String(m.apiVersion ?? '').startsWith(`${GATEWAY_GROUP}/`)) return undefined;
  const name = text(mapping(m.spec).gatewayClassName);
  if (!name || /\{\{|\$\{|\$\(/.test(name)) return undefined;
  const classes = graph.ofKind('GatewayClass').filter((c) => groupOf(c) === GATEWAY_GROUP);
  if (!classes.length || classes.some((c) => text(mapping(c.manifest.metadata).name) === name)) return undefined;
  const held = classes.slice(0, 3).map(classWords).join(', ');
  const what = `spec.gatewayClassName names GatewayClass '${name}', which the tree does not define; it defines ${held}`;
  const harm = 'no controller accepts the Gateway (it gets no address), and the routes attached to it receive no traffic';
  // the tree's own GatewayClass of OpenShift's controller, delivered with the Gateway, is the platform's path it takes
  const openshift = classes.filter((c) => OPENSHIFT_CONTROLLER.test(text(mapping(c.manifest.spec).controllerName) ?? '') && deliveredTogether(c, o, graph));
  const istios = istioInstalls(graph);
  if (ISTIO_CLASSES.includes(name) && openshift.length && !istios.some((i) => deliveredTogether(i, o, graph))) {
    const ours = text(mapping(openshift[0].manifest.metadata).name);
    const apart = istios.length ? ` (the tree's ${graph.id(istios[0])} comes in another delivery)` : '';
    return {
      message:
        `${what}: the class delivered with it is OpenShift's Gateway API, whose Ingress Operator installs an Istio that creates no '${name}' class and serves only classes of ` +
        `its own controller, and no other Istio is installed with it${apart}; ${harm}. Set gatewayClassName: ${ours}`,
    };
  }
  if (ISTIO_CLASSES.includes(name) || GKE_CLASS.test(name)) return undefined;
  return {
    severity: 'warning',
    message: `${what}: unless it is created outside the tree (a platform or another install), ${harm}; name a class the tree defines, or add GatewayClass '${name}'`,
  };
}
