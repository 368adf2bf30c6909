import { createHash } from 'crypto';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { deliveredTogether } from '../applied-together';
import { eppContainers, flagValue } from '../epp-args';
import { KGATEWAY_PICKER_SUFFIX, kgatewayProvisioning, pickerServices, poolModelServers, treeMayRunPicker } from '../endpoint-pickers';
import { foundElsewhere, REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { chartMadeGateway, gatewaysModelled } from '../chart-gateways';
import { gatewayClassProblem } from '../gateway-class';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { groupOf, madeApartByReadme, madeOutsideTree, namesNearest, nearName, objectsOf } from '../reference-targets';
import { notMadeWords, ReleaseVerdict, releaseServiceVerdict } from '../release-services';
import { otherReleasesWords, poolReleaseVerdict } from '../inferencepool-releases';
import { unseenInstalls } from '../tree-namespaces';
import { ANY_KIND, Problem, Rule } from '../rule';
import { namespacesCreated } from '../tree-namespaces';

/** The kinds a reference is judged for, with the API groups that serve them (Gateway API; Gateway API Inference Extension v1 and its alpha). */
const TARGET_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Gateway: ['gateway.networking.k8s.io'],
  Service: [''],
  InferencePool: ['inference.networking.k8s.io', 'inference.networking.x-k8s.io'],
};

/** The route kinds of Gateway API whose spec has parentRefs and rules[].backendRefs (gateway.networking.k8s.io). */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** An object a route, a policy or a DestinationRule names. */
interface Reference {
  readonly field: string;
  readonly kind: string;
  readonly group: string;
  readonly name: string;
  /** The namespace the reference gives, else undefined (the referrer's). */
  readonly namespace?: string;
  /** The API groups the object is looked up in, where not TARGET_GROUPS' (a parametersRef's kind is any, in its group). */
  readonly groups?: readonly string[];
  /** An endpoint picker reference whose failureMode is FailOpen: the gateway routes without the picker. */
  readonly failOpen?: boolean;
}

/** The API groups a reference is looked up in. */
const groupsOf = (ref: Reference): readonly string[] => ref.groups ?? TARGET_GROUPS[ref.kind];

/**
 * A reference of the Gateway API's shape (ParentReference, BackendObjectReference, LocalPolicyTargetReference): group
 * and kind default as the API does (`defaults`), and only the kinds of TARGET_GROUPS are kept.
 */
function refOf(r: Loose, field: string, defaults: { group: string; kind: string }): Reference[] {
  const name = text(r.name);
  const kind = text(r.kind) ?? defaults.kind;
  const group = text(r.group) ?? defaults.group;
  return name && TARGET_GROUPS[kind]?.includes(group) ? [{ field, kind, group, name, namespace: text(r.namespace) }] : [];
}

/**
 * An Istio DestinationRule's host as a Service of its own namespace: a short name, or <name>.<namespace>.svc[.cluster.local]
 * (networking.istio.io DestinationRule.host: short names are read in the rule's namespace); other hosts (a ServiceEntry's, a wildcard) are not judged.
 */
function destinationHost(m: Loose): Reference[] {
  const host = text(mapping(m.spec).host);
  if (!host || host.includes('*')) return [];
  const parts = host.split('.');
  const long = /^[^.]+\.[^.]+\.svc(\.cluster\.local)?$/.test(host);
  if (parts.length > 1 && !long) return [];
  return [{ field: 'spec.host', kind: 'Service', group: '', name: parts[0], namespace: long ? parts[1] : undefined }];
}

/** Istio's bound on the shadow Service's name (pilot/pkg/config/kube/gateway/inferencepool_collection.go maxServiceNameLength, hashSize). */
const SHADOW_NAME_MAX = 63;
const SHADOW_HASH_SIZE = 8;

/**
 * The headless Service Istio makes for an InferencePool its Gateway routes to, which a DestinationRule may name:
 * `<pool>-ip-<the first 8 hex digits of sha256(pool)>`, the pool's name cut so that the whole keeps within 63
 * characters (istio pilot/pkg/config/kube/gateway/inferencepool_collection.go InferencePoolServiceName).
 */
function istioInferencePoolService(pool: string): string {
  const hash = createHash('sha256').update(pool).digest('hex').slice(0, SHADOW_HASH_SIZE);
  const name = `${pool}-ip-${hash}`;
  return name.length > SHADOW_NAME_MAX ? `${pool.slice(0, SHADOW_NAME_MAX - '-ip-'.length - SHADOW_HASH_SIZE)}-ip-${hash}` : name;
}

/** The InferencePool of the tree in the namespace whose Istio shadow Service is `name` (found), or whose name with `-ip` begins it (near). */
function shadowServiceOf(graph: ObjectGraph, name: string, ns: string | undefined): { pool: string; found: boolean } | undefined {
  const pools = objectsOf(graph, 'InferencePool', TARGET_GROUPS.InferencePool, ns).map((p) => text(mapping(p.manifest.metadata).name) ?? '');
  const found = pools.find((p) => p && istioInferencePoolService(p) === name);
  if (found) return { pool: found, found: true };
  const near = pools.find((p) => p && name.startsWith(`${p}-ip`));
  return near ? { pool: near, found: false } : undefined;
}

/**
 * A DestinationRule whose host names no Service: Istio refuses nothing and applies its traffic policy to no host, so
 * the traffic flows without it (a warning at most); a host of an InferencePool's shadow Service is found, and one
 * that begins with `<pool>-ip` but misses Istio's hash is told the name Istio gives it.
 */
function hostProblem(graph: ObjectGraph, o: GraphObject, ref: Reference): Problem | undefined {
  const ns = ref.namespace ?? graph.namespaceOf(o.manifest);
  const shadow = shadowServiceOf(graph, ref.name, ns);
  if (shadow?.found) return undefined;
  const pool = shadow ? undefined : poolHostProblem(graph, o, ref, ns);
  if (pool) return pool;
  const problem = referenceProblem(graph, o, ref);
  if (!problem) return undefined;
  if (!shadow) return { ...problem, severity: 'warning' };
  return {
    severity: 'warning',
    message:
      `spec.host names Service '${ref.name}', which the tree does not hold; for InferencePool '${shadow.pool}' Istio makes the Service '${istioInferencePoolService(shadow.pool)}' ` +
      `(its name, -ip- and a hash of it), so unless another controller makes '${ref.name}', ${harmOf(ref)}; name '${istioInferencePoolService(shadow.pool)}', or find the Service by its label istio.io/inferencepool-name`,
  };
}

/** Whether a picker workload serves its ext_proc port with TLS: --secure-serving (-secureServing) defaults to true (cmd/epp/runner/runner.go). */
const servesTls = (graph: ObjectGraph, w: GraphObject): boolean =>
  eppContainers(graph)
    .filter((c) => c.owner === w)
    .every((c) => flagValue(c.flags, 'secure-serving', 'secureServing')?.value !== 'false');

/**
 * A DestinationRule whose host is the name of an InferencePool of its namespace, of which the tree holds no Service:
 * a pool makes no Service of its own name (Istio's for it is `<pool>-ip-<hash>`), so the rule configures nothing.
 * Where it originates TLS (tls.mode SIMPLE) and the pool's endpoint picker, which serves its ext_proc port with TLS
 * by default, has a Service in the tree, the rule was meant for the picker: the gateway then calls the picker in
 * plaintext, the ext_proc stream fails and, failure mode closed, so does every request to the pool (an error).
 */
function poolHostProblem(graph: ObjectGraph, o: GraphObject, ref: Reference, ns: string | undefined): Problem | undefined {
  if (graph.find('Service', ref.name, ns)) return undefined;
  const pool = objectsOf(graph, 'InferencePool', TARGET_GROUPS.InferencePool, ns).find((p) => text(mapping(p.manifest.metadata).name) === ref.name);
  if (!pool) return undefined;
  const tls = text(mapping(mapping(mapping(o.manifest.spec).trafficPolicy).tls).mode) === 'SIMPLE';
  const pickers = pickerServices(graph, ns, ref.name);
  const what = `spec.host names '${ref.name}', which is the InferencePool of ${ns ? `namespace '${ns}'` : 'the namespace it is applied to'}, not a Service: a pool makes no Service of its name (Istio's for it is '${istioInferencePoolService(ref.name)}'), so the rule's traffic policy applies to nothing`;
  if (tls && pickers.length === 1 && servesTls(graph, pickers[0].workload))
    return {
      message:
        `${what}. It originates TLS (tls.mode SIMPLE), which the pool's endpoint picker needs: ${graph.id(pickers[0].workload)} serves its ext_proc port with TLS (--secure-serving defaults to true), ` +
        `so the gateway calls it in plaintext, the ext_proc stream fails and every request routed to the pool fails; set spec.host to the picker's Service '${pickers[0].service}'`,
    };
  const named = pickers.map((p) => `'${p.service}'`).join(', ');
  return {
    severity: 'warning',
    message: `${what}; name the Service it is meant for${named ? ` (the pool's endpoint picker Service ${named}, or '${istioInferencePoolService(ref.name)}' for the model servers)` : ''}`,
  };
}

/**
 * The endpoint picker an InferencePool names: v1 spec.endpointPickerRef, v1alpha2 spec.extensionRef; group "" and kind
 * Service by default, always in the pool's namespace (gateway-api-inference-extension api/v1 EndpointPickerRef,
 * api/v1alpha2 Extension).
 */
function pickerRefOf(m: Loose): Reference[] {
  const group = String(m.apiVersion ?? '').split('/')[0];
  if (m.kind !== 'InferencePool' || !TARGET_GROUPS.InferencePool.includes(group)) return [];
  const spec = mapping(m.spec);
  const field = spec.endpointPickerRef !== undefined ? 'endpointPickerRef' : 'extensionRef';
  const r = mapping(spec[field]);
  const failOpen = text(r.failureMode) === 'FailOpen';
  return refOf(r, `spec.${field}`, { group: '', kind: 'Service' }).map((x) => ({ ...x, namespace: undefined, failOpen }));
}

/**
 * The configuration a Gateway or GatewayClass names: a Gateway's spec.infrastructure.parametersRef (group, kind,
 * name: in the Gateway's namespace), a GatewayClass's spec.parametersRef (with its namespace; one without names a
 * cluster-scoped object, not judged). Any kind, looked up in the group given (gateway-api apis/v1 gateway_types.go
 * LocalParametersReference, gatewayclass_types.go ParametersReference).
 */
function parametersRefOf(m: Loose): Reference[] {
  if (!String(m.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')) return [];
  const spec = mapping(m.spec);
  const gateway = m.kind === 'Gateway';
  if (!gateway && m.kind !== 'GatewayClass') return [];
  const r = mapping(gateway ? mapping(spec.infrastructure).parametersRef : spec.parametersRef);
  const name = text(r.name);
  const kind = text(r.kind);
  const namespace = gateway ? undefined : text(r.namespace);
  if (!name || !kind || (!gateway && !namespace)) return [];
  const group = text(r.group) ?? '';
  return [{ field: gateway ? 'spec.infrastructure.parametersRef' : 'spec.parametersRef', kind, group, name, namespace, groups: [group] }];
}

/**
 * The objects an object names: a route's parents and backends, a policy's targets (spec.targetRef, spec.targetRefs[]),
 * a DestinationRule's host, an InferencePool's endpoint picker, a Gateway's or GatewayClass's parameters.
 */
function referencesOf(m: Loose): Reference[] {
  const spec = mapping(m.spec);
  if (m.kind === 'DestinationRule' && String(m.apiVersion ?? '').startsWith('networking.istio.io/')) return destinationHost(m);
  if (m.kind === 'InferencePool') return pickerRefOf(m);
  if (m.kind === 'Gateway' || m.kind === 'GatewayClass') return parametersRefOf(m);
  const targets = [
    ...(spec.targetRef ? refOf(mapping(spec.targetRef), 'spec.targetRef', { group: '', kind: '' }) : []),
    ...mappings(spec.targetRefs).flatMap((t, i) => refOf(t, `spec.targetRefs[${i}]`, { group: '', kind: '' })),
  ];
  if (!ROUTE_KINDS.includes(String(m.kind)) || !String(m.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')) return targets;
  return [
    ...mappings(spec.parentRefs).flatMap((p, i) => refOf(p, `spec.parentRefs[${i}]`, { group: 'gateway.networking.k8s.io', kind: 'Gateway' })),
    ...mappings(spec.rules).flatMap((r, i) =>
      mappings(r.backendRefs).flatMap((b, j) => refOf(b, `spec.rules[${i}].backendRefs[${j}]`, { group: '', kind: 'Service' })),
    ),
    ...targets,
  ];
}

/**
 * The object of the build that kustomize renamed (namePrefix, nameSuffix) from the name a reference still gives: its
 * built-in nameReference configuration has no entry for these fields, so the reference keeps the old name.
 */
function renamedByBuild(graph: ObjectGraph, o: GraphObject, ref: Reference, candidates: readonly GraphObject[]): GraphObject | undefined {
  const renaming = (o.kustomizations ?? []).some((k) => graph.builds.some((b) => b.folder === k && b.renames));
  if (!renaming) return undefined;
  return candidates.find((c) => {
    const name = text(mapping(c.manifest.metadata).name) ?? '';
    return name !== ref.name && name.includes(ref.name) && (c.kustomizations ?? [])[0] === (o.kustomizations ?? [])[0];
  });
}

/** The kustomization folders of a build that do not show all of it (a remote resource, a Helm chart): the object may come from there. */

const ROUTE_HARM: Readonly<Record<string, string>> = {
  Gateway: 'the route is attached to no listener (Accepted false, NoMatchingParent) and receives no traffic',
  Service: 'its traffic has no backend (ResolvedRefs false, BackendNotFound: the gateway answers 500 or 503)',
  InferencePool: 'its traffic has no backend (ResolvedRefs false, BackendNotFound: the gateway answers 500)',
};

/** What goes wrong when the reference names nothing: for a route, by the kind named; for a policy or a DestinationRule, by what it configures. */
function harmOf(ref: Reference): string {
  if (ref.field === 'spec.endpointPickerRef' || ref.field === 'spec.extensionRef')
    return ref.failOpen
      ? "the gateway cannot reach the pool's endpoint picker (ResolvedRefs false, InvalidExtensionRef), and with failureMode FailOpen it sends each request to an endpoint of its own choosing, without the picker's load- and cache-aware choice"
      : "the gateway cannot reach the pool's endpoint picker (ResolvedRefs false, InvalidExtensionRef), and with failureMode FailClose (the default) it fails every request routed to the pool (5xx)";
  if (ref.field === 'spec.infrastructure.parametersRef')
    return 'the Gateway is not accepted (Accepted false, reason InvalidParameters), so none of its listeners serves traffic';
  if (ref.field === 'spec.parametersRef')
    return 'the GatewayClass is not accepted (Accepted false, reason InvalidParameters), and no Gateway of the class is served';
  if (ref.field === 'spec.host')
    return "the rule's traffic policy applies to no Service, so the connections it means to configure (TLS, load balancing) go without it";
  if (ref.field.startsWith('spec.targetRef')) return 'the policy attaches to nothing, and its settings (health checks, timeouts, backend options) never apply';
  return ROUTE_HARM[ref.kind];
}

function renamedMessage(graph: ObjectGraph, ref: Reference, renamed: GraphObject, what: string): string {
  const newName = String(mapping(renamed.manifest.metadata).name);
  const path = ref.field.replace(/\[\d+\]/g, '').replace(/\./g, '/');
  return (
    `${what}, though the build holds ${graph.id(renamed)}: the build's namePrefix/nameSuffix renamed the ${ref.kind} from '${ref.name}' to '${newName}' but not this reference, ` +
    `since kustomize's built-in nameReference configuration has no entry for ${ref.field.replace(/\[\d+\]/g, '[]')}; ${harmOf(ref)}. ` +
    `Add a \`configurations:\` file with a nameReference entry (kind: ${ref.kind}, fieldSpecs: [{kind: <the referrer's kind>, path: ${path}/name}]), or patch the reference to '${newName}'`
  );
}

/**
 * Objects a platform's operator makes that a tree's objects name: the ConfigMap OpenShift AI's operator writes for the
 * infrastructure of its data science gateway, which other Gateways of openshift-ingress reuse
 * (opendatahub-operator internal/controller/services/gateway gateway_support.go: GatewayInfraConfigMapName in
 * GatewayNamespace, configureClusterIPInfrastructure).
 */
const PLATFORM_MADE: readonly { kind: string; namespace: string; name: string }[] = [
  { kind: 'ConfigMap', namespace: 'openshift-ingress', name: 'data-science-gateway-config' },
];

/**
 * Whether the only deliveries the input does not show into the namespace are releases of a chart whose Gateways are
 * modelled (chartMadeGateway): for a Gateway, what they make is known, so they are no unseen delivery.
 */
function gatewaysKnown(graph: ObjectGraph, ref: Reference, ns: string | undefined, outside: string): boolean {
  if (outside !== 'an unseen delivery' || ref.kind !== 'Gateway') return false;
  return unseenInstalls(graph, ns).every((i) => i.object !== undefined && gatewaysModelled(i.object.manifest));
}

function referenceProblem(graph: ObjectGraph, o: GraphObject, ref: Reference): Problem | undefined {
  const ns = ref.namespace ?? graph.namespaceOf(o.manifest);
  if (PLATFORM_MADE.some((p) => p.kind === ref.kind && p.namespace === ns && p.name === ref.name)) return undefined;
  const groups = groupsOf(ref);
  const named = graph.findAll(ref.kind, ref.name, ns).filter((t) => groups.includes(groupOf(t)));
  if (named.some((t) => groupOf(t) === ref.group)) return undefined;
  // a release of the inference extension's inferencepool chart makes the pool of its name and the picker <release>-epp
  const pools = poolReleaseVerdict(graph, ref.kind, ref.name, ns);
  if (pools?.made) return undefined;
  const problem = unreleasedProblem(graph, o, ref, ns, named);
  return problem && pools ? { ...problem, message: `${problem.message} (${otherReleasesWords(ref.kind, pools.releases)})` } : problem;
}

/** The problem of a reference no release of the inferencepool chart answers (referenceProblem). */
function unreleasedProblem(graph: ObjectGraph, o: GraphObject, ref: Reference, ns: string | undefined, named: GraphObject[]): Problem | undefined {
  const groups = groupsOf(ref);
  // a pool makes no Service of its own: the picker named after it (<pool>-epp) is deployed beside it, not by it
  const peers = [...graph.ofKind(ref.kind).filter((t) => groups.includes(groupOf(t))), ...(isPickerRef(ref) ? [o] : [])];
  const releases = ref.kind === 'Service' && ns !== undefined ? releaseServiceVerdict(graph, ref.name, ns) : undefined;
  if (releases?.kind === 'made' || releases?.kind === 'unknown') return undefined;
  const outside = madeOutsideTree(graph, ref.kind, ref.name, ns, peers);
  // a release of a chart the table knows is no unseen delivery, nor a name-prefix guess: its Services are named
  if (outside && !((outside === 'an unseen delivery' || outside === 'a chart') && releases) && !gatewaysKnown(graph, ref, ns, outside)) return undefined;
  const where = ns === undefined ? 'the namespace it is deployed to' : `namespace '${ns}'`;
  const what = `${ref.field} names ${ref.kind} '${ref.name}'${ref.group ? ` (group ${ref.group})` : ''}, which is not in ${where}`;
  if (releases) return notMadeByRelease(ref, what, releases, o);
  if (named.length)
    return {
      message: `${what}: the tree's ${ref.kind} '${ref.name}' is in group ${groupOf(named[0])}, and the controller looks up the group the reference gives; ${harmOf(ref)}. Set group: ${groupOf(named[0])}`,
    };
  const others = objectsOf(graph, ref.kind, groups, ns);
  const renamed = renamedByBuild(graph, o, ref, others);
  if (renamed) return { message: renamedMessage(graph, ref, renamed, what) };
  const missing = missingProblem(graph, o, ref, what, others);
  const byChart = missing && ref.kind === 'Gateway' && missing.severity !== 'info' ? chartMadeGateway(graph, ref.name, ns) : undefined;
  const byRepository = missing && unlessRepositoryMakes(graph, missing, ref.kind, ref.name, ns);
  // a manifest of the repository that makes it says more than a release whose values may
  if (byChart?.maybe && byRepository === missing)
    return {
      severity: 'info',
      message:
        `${what} as a manifest, and ${byChart.release} installs the Traefik chart there with values the check does not read (valuesFrom, valueFiles): ` +
        `the chart makes a Gateway from its gateway values (gateway.name, traefik-gateway by default, with providers.kubernetesGateway.enabled), so it may make this one; unless it does, ${harmOf(ref)}`,
      summary: 'Gateways that the chart values of a release in the tree or repository may make',
    };
  if (byChart && !byChart.maybe)
    return {
      severity: 'info',
      message: `${what} as a manifest: the chart values of ${byChart.release} make it (the Traefik chart's gateway values); install that release before the route`,
      summary: 'Gateways that the chart values of a release in the tree or repository make',
    };
  return byRepository;
}

/** The problem of a reference to an object of a kind and name the tree does not hold in the namespace looked in (`others`: those of the kind it holds there). */
function missingProblem(graph: ObjectGraph, o: GraphObject, ref: Reference, what: string, others: GraphObject[]): Problem | undefined {
  const ns = ref.namespace ?? graph.namespaceOf(o.manifest);
  const elsewhere = foundElsewhere(graph, ref.kind, ref.name, ns ?? '', 'a reference without namespace names an object of its own namespace');
  const nearest = namesNearest(ref.name, others);
  if (elsewhere.includes('no kustomization lists'))
    return { message: `${what}${elsewhere}: ${harmOf(ref)}; list that file in the kustomization, or name an object the build holds` };
  // a README that has the reader deploy it apart from the tree (a prerequisite, a backend deployed separately) says
  // where it comes from, as a platform's or a Helm install's objects come from outside
  const byReadme = madeApartByReadme(graph, o, ref.name);
  if (byReadme)
    return {
      severity: 'warning',
      message: `${what}${elsewhere}: ${byReadme} has it made apart from the tree, so it is taken as made outside it; unless it is there when the ${String(o.manifest.kind)} is applied, ${harmOf(ref)}: deploy it first, as the README says`,
    };
  const closed = closedSet(graph, o, ref, others);
  const picker = isPickerRef(ref) && !graph.inPartlyBuiltBuild(o) ? pickerProblem(graph, o, ref, what, closed.length > 0) : undefined;
  if (picker) return picker;
  if (closed.length > 0 && ref.kind !== 'Gateway' && !graph.inPartlyBuiltBuild(o)) {
    const doubt = ref.kind === 'Service' && ns !== undefined ? otherSources(graph, ns) : undefined;
    const message = closedSetMessage(ref, what, closed);
    return doubt ? { severity: 'warning', message: `${message} (${doubt})` } : { message };
  }
  const apart =
    !closed.length && others.length ? ', each applied apart from it (another file, build, Application or script), so they need not be the ones it means' : '';
  const unplaced = unplacedNear(graph, ref, ns);
  const meant = unplaced
    ? `; the tree's ${ref.kind} '${unplaced}' gives no namespace in its manifest, so it goes to the namespace it is applied to (default, unless -n or the kubeconfig's context says another), and its name is a close spelling of this one: name '${unplaced}', and apply it to namespace '${ns}'`
    : '; add it, or name one the tree holds';
  return {
    severity: 'warning',
    message: `${what}${elsewhere} (${heldElsewhere(graph, ref, ns, nearest)}${apart}): unless it is made outside the tree (a platform or Helm install, another repository), ${harmOf(ref)}${meant}`,
  };
}

/**
 * The object of the kind whose manifest gives no namespace and whose name is a close spelling of the one referenced
 * (nearName): it lands where it is applied (kubectl's -n, else the context's namespace, default on a new kubeconfig),
 * which may be the namespace the reference looks in.
 */
function unplacedNear(graph: ObjectGraph, ref: Reference, ns: string | undefined): string | undefined {
  if (ns === undefined) return undefined;
  const unplaced = graph.ofKind(ref.kind).filter((t) => groupsOf(ref).includes(groupOf(t)) && graph.namespaceOf(t.manifest) === undefined);
  return namesNearest(ref.name, unplaced).find((n) => nearName(ref.name, n));
}

/**
 * Why the Services the tree holds in a namespace need not be all it gets: the tree does not create the namespace (a
 * namespace made elsewhere is shared with what else deploys there), or the checked folder is a subfolder of its git
 * repository (whose other folders, and other repositories, may deploy there). Undefined where the input creates the
 * namespace (a Namespace object, CreateNamespace) and is no subfolder of a repository: then its Services there are the set.
 */
function otherSources(graph: ObjectGraph, ns: string): string | undefined {
  if (!namespacesCreated(graph).has(ns))
    return `the tree does not create namespace '${ns}', so holding some of its Services does not make it their only source: the Service may be made elsewhere, by another folder, repository or install`;
  if (graph.checkouts.some((c) => c.within !== '.'))
    return `the checked folder is a subfolder of its repository, whose other folders (or another repository) may make the Service in namespace '${ns}'`;
  return undefined;
}

/** Whether the reference is an InferencePool's endpoint picker. */
const isPickerRef = (ref: Reference) => ref.field === 'spec.endpointPickerRef' || ref.field === 'spec.extensionRef';

/**
 * An endpoint picker reference to a Service the tree does not hold, where the tree shows which picker the pool has:
 * the Service of a picker the tree runs in the namespace (named as the one meant, whatever its spelling: a pool has
 * one picker), or no picker at all while the tree deploys the pool's model servers and nothing of it may make one
 * (treeMayRunPicker). Undefined where neither holds (the closed set of Services decides, as for a backend).
 */
function pickerProblem(graph: ObjectGraph, o: GraphObject, ref: Reference, what: string, closed: boolean): Problem | undefined {
  const ns = graph.namespaceOf(o.manifest);
  const pickers = pickerServices(graph, ns, text(mapping(o.manifest.metadata).name) ?? '');
  if (pickers.length) {
    const listed = pickers.map((p) => `'${p.service}' (in front of ${graph.id(p.workload)}, which runs the picker)`).join(', ');
    const name = pickers.length === 1 ? `name '${pickers[0].service}'` : 'name the Service of the picker meant for this pool';
    return {
      message: `${what}, though the tree's endpoint picker Service${pickers.length > 1 ? 's' : ''} there ${pickers.length > 1 ? 'are' : 'is'} ${listed}: ${harmOf(ref)}; ${name}`,
    };
  }
  const kgateway = ref.name === `${text(mapping(o.manifest.metadata).name) ?? ''}${KGATEWAY_PICKER_SUFFIX}` ? kgatewayProvisioning(graph) : undefined;
  // with auto-provisioning set on, kgateway makes the Service (serviceMade); set neither way, it depends on the build
  if (kgateway?.development)
    return {
      severity: 'info',
      message:
        `${what}: ${kgateway.where} installs kgateway's development build ${kgateway.development} with the inference extension enabled and inferenceExtension.autoProvision not set; ` +
        `kgateway's releases make an endpoint picker '<pool>${KGATEWAY_PICKER_SUFFIX}' only where it is true, but development builds of v2.0.0 before the switch made it with the extension enabled alone, ` +
        `and which this build is cannot be told from its version: unless it makes the picker, ${harmOf(ref)}; add --set inferenceExtension.autoProvision=true to be independent of the build`,
    };
  if (kgateway)
    return {
      severity: 'warning',
      message:
        `${what}: ${kgateway.where} installs kgateway with the inference extension enabled but does not set inferenceExtension.autoProvision, and kgateway's releases ` +
        `make an endpoint picker '<pool>${KGATEWAY_PICKER_SUFFIX}' only where it is true (default false; development builds of v2.0.0 before the switch made it with the extension enabled alone): ` +
        `unless the build installed makes it, ${harmOf(ref)}; add --set inferenceExtension.autoProvision=true, or deploy an endpoint picker for the pool and name its Service`,
    };
  if (closed || treeMayRunPicker(graph)) return undefined;
  const servers = poolModelServers(graph, o);
  if (!servers.length) return undefined;
  return {
    message:
      `${what}, and nothing of the tree runs an endpoint picker (no workload of the inference extension's epp or llm-d's inference-scheduler image, no LLMInferenceService, no chart that makes one), ` +
      `though it deploys the pool's model servers (${servers.map((w) => graph.id(w)).join(', ')}): ${harmOf(ref)}; deploy an endpoint picker for the pool (the inference extension's inferencepool chart, or its epp Deployment and Service) and name its Service`,
  };
}

/** A Service the chart releases into the namespace do not make, though they make others there (releaseServiceVerdict). */
function notMadeByRelease(ref: Reference, what: string, v: Extract<ReleaseVerdict, { kind: 'not-made' }>, route: GraphObject): Problem {
  const { said, fix } = notMadeWords(ref.name, v, route);
  return { ...(v.assumed ? { severity: 'warning' as const } : {}), message: `${what}: ${said}: ${harmOf(ref)}; ${fix}` };
}

/**
 * What is said of a reference to an object of a closed set (closedSet) that is not in it: the objects the set holds,
 * and the one to name instead only where it is a close spelling of the name (nearName); another object of the kind
 * may serve something else (another model's pool), so none is named for being the only one, or the nearest of unlike names.
 */
function closedSetMessage(ref: Reference, what: string, closed: readonly GraphObject[]): string {
  const near = namesNearest(ref.name, closed);
  const meant = nearName(ref.name, near[0])
    ? `name '${near[0]}' (a close spelling of it)`
    : `name the ${ref.kind} it means (none of the tree's is a close spelling of '${ref.name}', so none is taken for it)`;
  return (
    `${what}, though the tree holds the ${ref.kind}s there (${near.slice(0, 5).join(', ')})${ref.kind === 'InferencePool' ? ', applied with it,' : ''} and nothing else of the tree makes one of that name: ` +
    `${harmOf(ref)}; ${meant}, or add ${ref.kind} '${ref.name}'`
  );
}

/**
 * The objects of the kind in the namespace that make the set the reference is judged against: for an InferencePool,
 * those delivered with the referrer as the reader knows it (its file, build, Application, or a script or README block
 * applying both), since a folder of examples often holds another example's pools in the same namespace; for a
 * Service, all the tree holds there.
 */
function closedSet(graph: ObjectGraph, o: GraphObject, ref: Reference, others: readonly GraphObject[]): readonly GraphObject[] {
  return ref.kind === 'InferencePool' ? others.filter((p) => deliveredTogether(o, p, graph)) : others;
}

/** What the tree holds of the kind: in the namespace, else (the referrer's namespace unknown) in any. */
function heldElsewhere(graph: ObjectGraph, ref: Reference, ns: string | undefined, nearest: readonly string[]): string {
  if (nearest.length) return `the tree's ${ref.kind}s there are ${nearest.slice(0, 5).join(', ')}`;
  const any = ns === undefined ? graph.ofKind(ref.kind).filter((t) => groupsOf(ref).includes(groupOf(t))) : [];
  return any.length
    ? `the tree's ${ref.kind}s are ${any
        .slice(0, 5)
        .map((t) => graph.id(t))
        .join(', ')}, in namespaces the tree gives`
    : `the tree holds no ${ref.kind} there`;
}

export const gatewayReferenceNotFound: Rule = {
  id: 'gateway-reference-not-found',
  title:
    'a Gateway API route, a policy or an Istio DestinationRule names a Gateway, Service or InferencePool the tree does not hold, an InferencePool an endpoint picker Service, a Gateway or GatewayClass its parameters object (parametersRef), or a Gateway a GatewayClass it does not define',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a Gateway API route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute: spec.parentRefs[] to a Gateway, spec.rules[].backendRefs[] to a Service or an InferencePool of inference.networking.k8s.io or inference.networking.x-k8s.io), any policy naming one by spec.targetRef or spec.targetRefs[] (group, kind, name: GKE GCPBackendPolicy, HealthCheckPolicy), an Istio DestinationRule whose host is a Service of the cluster, an InferencePool naming its endpoint picker (v1 spec.endpointPickerRef, v1alpha2 spec.extensionRef: a Service by default, in the pool's namespace), a Gateway naming spec.infrastructure.parametersRef (any kind in its group, in the Gateway's namespace) or a GatewayClass naming spec.parametersRef with a namespace, names an object that is not in its namespace (the reference's namespace, else its own); " +
    "not judged where the platform's operator makes it (the ConfigMap data-science-gateway-config of openshift-ingress, OpenShift AI's), nor where a release of the inference extension's inferencepool chart into the namespace (a helm install or upgrade of the tree's or the repository's scripts and guides, an Argo CD, Flux or helmfile release; no namespace: any) makes it (InferencePool '<release>', the picker's Service and Deployment '<release>-epp'), the releases there that make others named in the message, nor where a chart the tree installs may make it (an Argo CD or Flux release into the namespace, a script's helm install or upgrade, whose release name begins the object's: charts name their objects after the release); " +
    "an endpoint picker reference is an error where the tree runs a picker in the namespace under another Service (a Service in front of a workload of the inference extension's epp image or llm-d's inference-scheduler whose --pool-name is this pool or unset, named as the one meant), or where nothing of the tree runs one (no such workload, no LLMInferenceService, no Helm chart folder, no chart release or helm install of an inferencepool, llm-d or epp chart) while it deploys the pool's model servers (workloads its selector picks); a warning at most where the reference's failureMode is FailOpen (the gateway then routes without the picker); " +
    "kgateway installed (its chart by a helm command of the tree or of the repository's scripts and guides, an Argo CD or Flux release, or its controller's KGW_ variables) with inferenceExtension.enabled and autoProvision true makes Service '<pool>-endpoint-picker' for each pool: no finding; with the extension enabled and autoProvision not given, a warning (its releases make none, its development builds before the switch did), a note where the install names a development build (a `-dev` or `-main` version, in --version or the chart's reference: whether it makes one is not known); " +
    'the fixed Services of an Argo CD install (argocd-server, argocd-repo-server, argocd-redis, argocd-dex-server, argocd-applicationset-controller, the metrics Services) in a namespace holding an Argo CD Application of the tree or its delivery are made; ' +
    "an error when the tree holds other objects of that kind there (a closed set: a Service, where the tree creates the namespace, a Namespace object or CreateNamespace, and is no subfolder of a git work tree, else a warning saying the Service may be made elsewhere, since holding some Services of a namespace does not make the input their only source; an InferencePool delivered with the referrer as the reader knows it, in its file, its kustomize build, its Argo CD Application, or applied by one script or README block with it, whose commands reach the other files of the folders they apply from), when a kustomization file the build leaves out defines it, or when the build's namePrefix/nameSuffix renamed it but not the reference (kustomize updates none of these fields); " +
    "a DestinationRule's host a warning at most (Istio refuses no rule whose host matches nothing: only its traffic policy is lost; short names are read in the rule's namespace), except where the host is the name of an InferencePool of the namespace (no Service of it in the tree: a pool makes none of its name), the rule originates TLS (tls.mode SIMPLE) and the pool's endpoint picker, serving TLS (--secure-serving not false), has a Service in the tree: an error (the gateway calls the picker in plaintext and every request to the pool fails); found where it is the Service Istio makes for an InferencePool of the tree (`<pool>-ip-<8 hex digits of sha256 of the pool's name>`, cut to 63 characters; a host beginning `<pool>-ip` otherwise is told Istio's name); " +
    "a warning where a README of the referrer's folder, or of a folder above it in the input, has the reader make the object apart from the tree (a prerequisite, a backend deployed separately or first, a part the folder says it does not deploy) and names it (its name, or every word of it that says which: vllm-llama3-8b-instruct in 'the vLLM server for Llama-3.1-8B-Instruct'), as for objects of a platform or Helm install; " +
    'the message names an object of the tree to write instead only where its name is a close spelling of the one written (never for being the only one, or the nearest of unlike names: another pool may serve another model), also one whose manifest gives no namespace (it lands where it is applied: default, or -n) where the namespace looked in holds none; ' +
    'a warning when the tree holds none of that kind there, when its InferencePools there all come in other deliveries (a folder of unrelated examples), for a Gateway (shared Gateways are often installed apart from the routes), and when the build has steps the reader did not follow; ' +
    "a Gateway's spec.gatewayClassName naming a GatewayClass the tree does not define while it defines others: an error for an istiod class (istio, istio-remote, istio-waypoint, istio-east-west) where the tree's classes are OpenShift's (controller openshift.io/gateway-controller/v1, whose Istio creates no such class) and the tree installs no Istio of its own (an Istio, IstioOperator or ServiceMeshControlPlane resource, an istiod Deployment); no finding for a class a platform creates itself (istiod's when Istio is installed, GKE's gke-l7-*), nor where the tree defines no GatewayClass; a warning for any other name; " +
    "a Service of a namespace a release of a well-known chart installs into (an Argo CD Application's chart source, a Flux HelmRelease, a release of a helmfile.yaml of the input: kube-prometheus-stack, grafana, argo-cd; a release of the app-template chart check renders from its values, whose Services are those it renders) is made where the chart's fullname helper names it so (the release name, helm.releaseName or spec.releaseName, fullnameOverride and nameOverride in the values given inline or in a helmfile's values files of the tree); one those releases do not make is an error naming the release's Service of the same component or a close spelling (a warning where values files the check does not read may rename them), when nothing else unseen delivers into the namespace; " +
    "not judged: a name holding a template, a name beginning with the name of a custom resource of the namespace (a controller makes it; for a Service, one an object of the namespace makes, as ingress-backend-not-found reads it: an operator's <name> and <name>-…, KServe's and the model registry's exact names, the ToolHive operator's mcp-<name>-proxy, mcp-<name>-remote-proxy and vmcp-<name> of its MCPServers, MCPRemoteProxies and VirtualMCPServers, a Gateway's <gateway>-<class>, none by a Route, a Rollout or Istio's configuration), a namespace an Argo CD Application syncs from a source the input does not show (or a release of a chart the table does not know installs into), and a DestinationRule host with dots other than <service>.<namespace>.svc[.cluster.local]; " +
    'a Gateway a release of the Traefik chart (a Flux HelmRelease, an Argo CD Application Helm source) of the tree or of the repository around the checked folder makes from its values (gateway.enabled, true by default, and providers.kubernetesGateway.enabled; named gateway.name or traefik-gateway, in gateway.namespace, namespaceOverride or the release namespace) is a note naming the release, and so is one such release into the namespace that takes values the check does not read (the valuesFrom of a HelmRelease, the helm.valueFiles of an Argo CD source: they may name it); the spec.targetNamespace of a Flux Kustomization places what it builds; ' +
    REPOSITORY_PREMISE,
  example:
    '`name: vllm-llama3-8b-instruct` in an HTTPRoute backendRef of `kind: InferencePool` where the tree holds only the InferencePool `name: vllm-llama3-1b-instruct`',
  fix: 'name the object meant (the message names one of the tree where it is a close spelling), or add the one named, or deploy it first where a README has it made apart; after a namePrefix/nameSuffix, add a `configurations:` nameReference entry for the field, or patch it',
  source:
    'argoproj/argo-cd manifests/install.yaml (the Services of an install); stacklok/toolhive cmd/thv-operator/controllers (vmcpServiceName vmcp-<name>, createProxyServiceName mcp-<name>-remote-proxy; pkg/controllerutil CreateProxyServiceName mcp-<name>-proxy); gateway-api-inference-extension config/charts/inferencepool templates/inferencepool.yaml (the pool named {{ .Release.Name }} in the release namespace) and templates/_helpers.tpl, config/charts/epplib from v1.4 ("gateway-api-inference-extension.name": the release, lower-cased and cut to 40, and -epp, the picker\'s Deployment and Service); kgateway-dev/kgateway internal/kgateway/controller start.go (the InferencePool deployer runs with EnableInferExt and InferExtAutoProvision, the chart values inferenceExtension.enabled and autoProvision) and internal/kgateway/deployer (release and Service <pool>-endpoint-picker in the pool namespace); ' +
    'traefik/traefik-helm-chart traefik/templates/gateway.yaml and values.yaml (gateway.enabled, gateway.name, gateway.namespace, providers.kubernetesGateway.enabled); ' +
    'Gateway API (gateway.networking.k8s.io v1 HTTPRoute status: a parentRef to no Gateway is not Accepted, a backendRef to a missing object sets ResolvedRefs false with reason BackendNotFound and the gateway answers 500); Gateway API Inference Extension (InferencePool backendRefs); ' +
    'gateway-api-inference-extension api/v1 inferencepool_types.go EndpointPickerRef (group "", kind Service by default; failureMode FailClose by default drops the request when the picker fails, FailOpen forwards it to an endpoint of its own picking; ResolvedRefs False, reason InvalidExtensionRef, for a reference that cannot be found) and api/v1alpha2 Extension (extensionRef), and its conformance test InferencePoolInvalidEPPService (a pool whose picker Service does not exist: ResolvedRefs False and 5xx for the route); ' +
    'Gateway API apis/v1 gateway_types.go GatewayInfrastructure.ParametersRef and gatewayclass_types.go GatewayClassSpec.ParametersRef ("If the referent cannot be found … SHOULD be rejected with the Accepted status condition set to False and an InvalidParameters reason"); opendatahub-operator internal/controller/services/gateway gateway_support.go (GatewayInfraConfigMapName data-science-gateway-config in openshift-ingress); ' +
    "kustomize api/internal/konfig/builtinpluginconsts/namereference.go (through v5.8.1: no entry for HTTPRoute parentRefs or backendRefs, so namePrefix/nameSuffix leave them pointing at the old names); Istio DestinationRule.host (istio/api networking/v1alpha3/destination_rule.proto: short names are read in the rule's namespace); gateway-api-inference-extension cmd/epp/runner/runner.go (--secure-serving, default true: the picker's ext_proc port serves TLS with a self-signed certificate) and config/manifests/gateway/istio/destination-rule.yaml (the DestinationRule with tls.mode SIMPLE on the picker's Service that Istio's gateway needs to reach it); istio pilot/pkg/config/kube/gateway/inferencepool_collection.go InferencePoolServiceName (the shadow Service of an InferencePool); Gateway API GatewayClass (cluster-scoped; a Gateway is reconciled by the controller its class names); istio pilot/pkg/features PILOT_ENABLE_GATEWAY_API_GATEWAYCLASS_CONTROLLER (istiod creates its built-in classes); openshift/cluster-ingress-operator pkg/operator/controller/gatewayclass desiredIstio (the Istio it installs for a class of openshift.io/gateway-controller/v1 turns that off and serves that controller only); GKE docs, GatewayClass capabilities (gke-l7-*); the charts' Services as their templates name them (lib/catalog/chart-services.ts: prometheus-community/helm-charts kube-prometheus-stack-88.5.3, grafana/helm-charts grafana-10.5.15, argoproj/argo-helm argo-cd-10.1.1); helmfile's state file (releases[].name, namespace, chart, values)",
  check(o, { graph }) {
    const gatewayClass = gatewayClassProblem(graph, o);
    return [
      ...(gatewayClass ? [gatewayClass] : []),
      ...referencesOf(o.manifest).flatMap((ref) => {
        const problem = ref.field === 'spec.host' ? hostProblem(graph, o, ref) : referenceProblem(graph, o, ref);
        // a picker that fails open leaves the pool served, without the picker's choice: a warning at most
        return problem ? [ref.failOpen ? { ...problem, severity: 'warning' as const } : problem] : [];
      }),
    ];
  },
};
