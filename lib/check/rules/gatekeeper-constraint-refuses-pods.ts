import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { AdmittedPod, admittedPods } from '../admitted-pods';
import { runAsOf } from '../container-user';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, CheckContext, Problem, Rule } from '../rule';

/** Gatekeeper's constraint group (open-policy-agent/gatekeeper: each ConstraintTemplate's kind is served there). */
const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh/';

/** What a template requires of a pod's containers: the names of those that break it. */
type Requirement = { readonly says: string; readonly breaking: (pod: AdmittedPod) => string[] };

const containersOfPod = (spec: Loose): Loose[] => [...mappings(spec.initContainers), ...mappings(spec.containers)];
const nameOf = (c: Loose) => text(c.name) ?? '<unnamed>';
const breakingWhere = (pod: AdmittedPod, bad: (c: Loose) => boolean) => containersOfPod(pod.spec).filter(bad).map(nameOf);

const READ_ONLY: Requirement = {
  says: 'securityContext.readOnlyRootFilesystem: true on every container',
  breaking: (pod) => breakingWhere(pod, (c) => mapping(c.securityContext).readOnlyRootFilesystem !== true),
};
const NO_ESCALATION: Requirement = {
  says: 'securityContext.allowPrivilegeEscalation: false on every container',
  breaking: (pod) => breakingWhere(pod, (c) => mapping(c.securityContext).allowPrivilegeEscalation !== false),
};
const NOT_PRIVILEGED: Requirement = {
  says: 'no privileged container',
  breaking: (pod) => breakingWhere(pod, (c) => mapping(c.securityContext).privileged === true),
};
const NON_ROOT: Requirement = {
  says: 'runAsNonRoot: true or a non-zero runAsUser',
  breaking: (pod) =>
    breakingWhere(pod, (c) => {
      const runAs = runAsOf(c, pod.spec);
      return !runAs.unknown && (runAs.uid ? runAs.uid.value === 0 : !runAs.nonRootFrom);
    }),
};
const HOST_NAMESPACE: Requirement = {
  says: 'neither hostPID nor hostIPC',
  breaking: (pod) => (pod.spec.hostPID === true || pod.spec.hostIPC === true ? ['the pod'] : []),
};

/**
 * The gatekeeper-library templates judged, by their constraint kind (open-policy-agent/gatekeeper-library
 * library/pod-security-policy/*: read-only-root-filesystem, allow-privilege-escalation, privileged-containers,
 * host-namespaces; users with runAsUser.rule MustRunAsNonRoot). Each counts containers and init containers.
 */
function libraryRequirement(kind: string, parameters: Loose): Requirement | undefined {
  if (kind === 'K8sPSPReadOnlyRootFilesystem') return READ_ONLY;
  if (kind === 'K8sPSPAllowPrivilegeEscalationContainer') return NO_ESCALATION;
  if (kind === 'K8sPSPPrivilegedContainer') return NOT_PRIVILEGED;
  if (kind === 'K8sPSPHostNamespace') return HOST_NAMESPACE;
  if (kind === 'K8sPSPAllowedUsers' && text(mapping(parameters.runAsUser).rule) === 'MustRunAsNonRoot') return NON_ROOT;
  return undefined;
}

/**
 * What a ConstraintTemplate of the tree requires, read from its Rego: one that tests a container's
 * readOnlyRootFilesystem, or runAsNonRoot, with `not` (the violation fires where the field is not true).
 */
function treeRequirement(graph: ObjectGraph, kind: string): Requirement | undefined {
  const template = graph.ofKind('ConstraintTemplate').find((t) => text(mapping(mapping(mapping(mapping(t.manifest.spec).crd).spec).names).kind) === kind);
  if (!template) return undefined;
  const rego = mappings(mapping(template.manifest.spec).targets)
    .map((t) => text(t.rego) ?? '')
    .join('\n');
  if (/\bnot\s+[\w.[\]]*readOnlyRootFilesystem\b/.test(rego)) return READ_ONLY;
  if (/\bnot\s+[\w.[\]]*runAsNonRoot\b/.test(rego)) return NON_ROOT;
  return undefined;
}

/** Whether the constraint's match covers Pods: no kinds (every kind), or a kinds entry of the core group (or `*`) naming Pod (or `*`). */
function matchesPods(match: Loose): boolean {
  const kinds = mappings(match.kinds);
  if (!kinds.length) return true;
  return kinds.some((k) => strings(k.apiGroups).some((g) => g === '' || g === '*') && strings(k.kinds).some((n) => n === 'Pod' || n === '*'));
}

/** Gatekeeper's namespace patterns: a name, or a prefix ending in `*` (pkg/mutation/match, wildcard prefix match). */
const inPatterns = (ns: string, patterns: readonly string[]) => patterns.some((p) => (p.endsWith('*') ? ns.startsWith(p.slice(0, -1)) : ns === p));

/**
 * Whether the constraint certainly covers the object's namespace: a label or namespace selector, or a namespace list
 * the object's unknown namespace cannot be placed in, is not judged.
 */
function coversNamespace(match: Loose, ns: string | undefined): boolean {
  if (match.labelSelector !== undefined || match.namespaceSelector !== undefined || match.name !== undefined) return false;
  const only = strings(match.namespaces);
  const excluded = strings(match.excludedNamespaces);
  if (ns === undefined) return !only.length && !excluded.length;
  return (!only.length || inPatterns(ns, only)) && !inPatterns(ns, excluded);
}

/** The tree's pods the constraint refuses, in words (`Deployment/x: containers a, b`). */
function refusedPods(match: Loose, requirement: Requirement, ctx: CheckContext): string[] {
  const { graph, platform } = ctx;
  return graph.objects.flatMap((o: GraphObject) => {
    if (!coversNamespace(match, graph.namespaceOf(o.manifest))) return [];
    return admittedPods(o, graph, platform).flatMap((pod) => {
      const bad = requirement.breaking(pod);
      const name = `${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? '?'}${pod.where ? ` ${pod.where}` : ''}`;
      return bad.length ? [`${name} (${bad.join(', ')})`] : [];
    });
  });
}

function constraintProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const m = o.manifest;
  if (!String(m.apiVersion ?? '').startsWith(CONSTRAINT_GROUP)) return [];
  const spec = mapping(m.spec);
  const action = text(spec.enforcementAction) ?? 'deny';
  if (action !== 'deny') return [];
  const match = mapping(spec.match);
  const kind = String(m.kind);
  const requirement = libraryRequirement(kind, mapping(spec.parameters)) ?? treeRequirement(ctx.graph, kind);
  if (!requirement || !matchesPods(match)) return [];
  const pods = refusedPods(match, requirement, ctx);
  if (!pods.length) return [];
  const shown = pods.slice(0, 5).join('; ') + (pods.length > 5 ? `; and ${pods.length - 5} more` : '');
  return [
    {
      message:
        `${kind} requires ${requirement.says}, enforcementAction ${spec.enforcementAction === undefined ? 'deny (the default)' : 'deny'}, and its match covers the tree's own pods, which break it: ${shown}. ` +
        "Gatekeeper's admission webhook refuses each such pod at creation (its controller retries: FailedCreate), unless the cluster exempts the namespace (Gatekeeper's exempt namespaces, not shown here)",
    },
  ];
}

export const gatekeeperConstraintRefusesPods: Rule = {
  id: 'gatekeeper-constraint-refuses-pods',
  title:
    "a Gatekeeper constraint in deny mode whose match covers the tree's own pods, which break what its template requires: their pods are refused at admission",
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "a constraints.gatekeeper.sh object with enforcementAction deny (the default when unset; dryrun and warn admit), whose match covers Pods (no kinds, or a core-group or `*` entry naming Pod or `*`) and the namespace of a pod the tree makes (match.namespaces and excludedNamespaces, `*` prefixes; a labelSelector, namespaceSelector or name in match is not judged), and whose template is known: a gatekeeper-library pod-security template (K8sPSPReadOnlyRootFilesystem, K8sPSPAllowPrivilegeEscalationContainer, K8sPSPPrivilegedContainer, K8sPSPHostNamespace, K8sPSPAllowedUsers with runAsUser.rule MustRunAsNonRoot) or a ConstraintTemplate of the tree whose Rego tests readOnlyRootFilesystem or runAsNonRoot with `not`; the pods are those of the tree's workloads and InferenceServices (merged with their runtime), containers and init containers judged. A warning: the cluster may exempt the namespace (Gatekeeper's --exempt-namespace, a Config's match), which the files do not show",
  example:
    'a `kind: K8sPSPReadOnlyRootFilesystem` constraint with no enforcementAction matching `kinds: ["Pod"]`, and a Deployment whose container sets no readOnlyRootFilesystem',
  fix: "make the pods comply (set the securityContext field the template requires), narrow the constraint's match (excludedNamespaces), or set enforcementAction dryrun or warn while they cannot",
  source:
    'open-policy-agent/gatekeeper-library library/pod-security-policy (read-only-root-filesystem, allow-privilege-escalation, privileged-containers, host-namespaces, users: template.yaml Rego and K8sNativeValidation) and the Gatekeeper docs (Constraints: enforcementAction defaults to deny; match: kinds, namespaces, excludedNamespaces; exempting namespaces)',
  check(o, ctx) {
    return constraintProblems(o, ctx);
  },
};
