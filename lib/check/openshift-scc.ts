import { finite, Loose, mapping, mappings, strings, text } from '../manifests/access';
import type { ObjectGraph } from './graph';

/**
 * OpenShift's SecurityContextConstraints as the tree sees them: what the default SCC, restricted-v2, refuses of a pod,
 * and which SCCs the tree grants a ServiceAccount.
 */

/** The only capability restricted-v2 lets a container add (cluster-kube-apiserver-operator scc-restricted-v2.yaml allowedCapabilities). */
const ALLOWED_CAPABILITY = 'NET_BIND_SERVICE';
/**
 * The lowest uid OpenShift allocates to a namespace (openshift-controller-manager's namespace UID allocator, default
 * range 1000000000-1999999999/10000): under restricted-v2's MustRunAsRange a fixed runAsUser or fsGroup below it is
 * outside every namespace's range.
 */
const LOWEST_ALLOCATED_UID = 1000000000;
/** The seccomp profile restricted-v2 requires (seccompProfiles: runtime/default), as a pod's securityContext.seccompProfile.type writes it. */
const SECCOMP_REQUIRED = 'RuntimeDefault';
/** The default SCCs that refuse what restricted-v2 refuses: a grant of only these leaves the pod refused. */
export const RESTRICTED_SCCS: readonly string[] = ['restricted-v2', 'restricted-v3'];
/** The ClusterRoles OpenShift ships per SCC, each allowing `use` of it (cluster-kube-apiserver-operator cr-scc-<name>.yaml). */
const SCC_CLUSTER_ROLE = /^system:openshift:scc:(.+)$/;

function securityContextRefusals(where: string, sc: Loose, pod: boolean): string[] {
  const out: string[] = [];
  const uid = finite(sc.runAsUser);
  if (uid !== undefined && uid < LOWEST_ALLOCATED_UID) out.push(`${where}.runAsUser ${uid} is outside the namespace's uid range (MustRunAsRange)`);
  const fsGroup = pod ? finite(sc.fsGroup) : undefined;
  if (fsGroup !== undefined && fsGroup < LOWEST_ALLOCATED_UID) out.push(`${where}.fsGroup ${fsGroup} is outside the namespace's range (MustRunAs)`);
  const seccomp = text(mapping(sc.seccompProfile).type);
  if (seccomp !== undefined && seccomp !== SECCOMP_REQUIRED) out.push(`${where}.seccompProfile.type ${seccomp} is not runtime/default`);
  const selinux = mapping(sc.seLinuxOptions);
  for (const field of ['type', 'user', 'role']) {
    const value = text(selinux[field]);
    if (value) out.push(`${where}.seLinuxOptions.${field} ${value} is set (MustRunAs allows only the namespace's level)`);
  }
  return out;
}

function containerRefusals(c: Loose, where: string): string[] {
  const sc = mapping(c.securityContext);
  const added = strings(mapping(sc.capabilities).add).filter((cap) => cap.replace(/^CAP_/i, '').toUpperCase() !== ALLOWED_CAPABILITY);
  const ports = mappings(c.ports).filter((p) => finite(p.hostPort) !== undefined && finite(p.hostPort) !== 0);
  return [
    ...(sc.privileged === true ? [`${where} is privileged`] : []),
    ...(sc.allowPrivilegeEscalation === true ? [`${where} sets allowPrivilegeEscalation: true`] : []),
    ...(added.length ? [`${where} adds the capabilities ${added.join(', ')} (only ${ALLOWED_CAPABILITY} is allowed)`] : []),
    ...(ports.length ? [`${where} uses hostPort ${ports.map((p) => String(p.hostPort)).join(', ')}`] : []),
    ...securityContextRefusals(`${where} securityContext`, sc, false),
  ];
}

/**
 * What restricted-v2 refuses of a pod spec, one phrase each, as its provider validates the pod's and each container's
 * security context (openshift/apiserver-library-go pkg/securitycontextconstraints/sccmatching/provider.go,
 * ValidatePodSecurityContext and ValidateContainerSecurityContext; the SCC's fields from
 * openshift/cluster-kube-apiserver-operator bindata/bootkube/scc-manifests/0000_20_kube-apiserver-operator_00_scc-restricted-v2.yaml;
 * seLinux from selinux/mustrunas.go, which refuses any user, role or type the SCC does not set).
 */
export function restrictedRefusals(pod: Loose): string[] {
  const hostVolumes = mappings(pod.volumes).filter((v) => v.hostPath !== undefined);
  const containers = [...mappings(pod.initContainers), ...mappings(pod.containers)];
  return [
    ...(['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => pod[f] === true).map((f) => `${f}: true`),
    ...hostVolumes.map((v) => `volume '${text(v.name) ?? '?'}' is a hostPath`),
    ...securityContextRefusals('the pod securityContext', mapping(pod.securityContext), true),
    ...containers.flatMap((c) => containerRefusals(c, `container '${text(c.name) ?? '?'}'`)),
  ];
}

/** Whether a binding subject names the account: the ServiceAccount itself, or a group it is in. */
function subjectHolds(subject: Loose, bindingNs: string | undefined, account: string, ns: string): boolean {
  const kind = text(subject.kind);
  if (kind === 'ServiceAccount') return text(subject.name) === account && (text(subject.namespace) ?? bindingNs) === ns;
  if (kind === 'User') return text(subject.name) === `system:serviceaccount:${ns}:${account}`;
  return kind === 'Group' && groupsOf(ns).includes(text(subject.name) ?? '');
}

/** The groups a ServiceAccount's requests carry (kubernetes serviceaccount.MakeGroupNames, plus system:authenticated). */
const groupsOf = (ns: string) => ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'];

/** The SCCs a role allows `use` of: its resourceNames, or '*' for every SCC; none when it allows no use. */
function sccsOfRole(role: Loose): string[] {
  return mappings(role.rules)
    .filter((r) => strings(r.resources).some((x) => x === 'securitycontextconstraints' || x === '*'))
    .filter((r) => strings(r.verbs).some((v) => v === 'use' || v === '*'))
    .flatMap((r) => (strings(r.resourceNames).length ? strings(r.resourceNames) : ['*']));
}

/** The SCCs a binding's roleRef allows: a per-SCC ClusterRole by name, a role of the tree by its rules; '*' for a role the tree does not hold. */
function sccsOfRoleRef(graph: ObjectGraph, binding: Loose, bindingNs: string | undefined): string[] {
  const ref = mapping(binding.roleRef);
  const name = text(ref.name) ?? '';
  const named = SCC_CLUSTER_ROLE.exec(name);
  if (named) return [named[1]];
  const role = text(ref.kind) === 'Role' ? graph.find('Role', name, bindingNs) : graph.find('ClusterRole', name);
  return role ? sccsOfRole(role.manifest) : ['*'];
}

/**
 * The SCCs the tree grants a ServiceAccount beyond restricted-v2: by a RoleBinding or ClusterRoleBinding of it (or of
 * a group it is in) to a role allowing `use` of securitycontextconstraints (the system:openshift:scc:<name>
 * ClusterRoles, as `oc adm policy add-scc-to-user` writes), or by an SCC object listing it in users or groups. '*'
 * stands for any SCC (a role without resourceNames, or one outside the tree). The scripts' and READMEs' `oc adm policy
 * add-scc-to-user|group` grants count as bindings the tree makes.
 */
export function sccsGranted(graph: ObjectGraph, account: string, ns: string): string[] {
  const byBinding = ['RoleBinding', 'ClusterRoleBinding'].flatMap((kind) =>
    graph.ofKind(kind).flatMap((b) => {
      const bindingNs = kind === 'RoleBinding' ? graph.namespaceOf(b.manifest) : undefined;
      if (kind === 'RoleBinding' && bindingNs !== ns) return [];
      return mappings(b.manifest.subjects).some((s) => subjectHolds(s, bindingNs, account, ns)) ? sccsOfRoleRef(graph, b.manifest, bindingNs) : [];
    }),
  );
  const byScc = graph
    .ofKind('SecurityContextConstraints')
    .filter(
      (s) => strings(s.manifest.users).includes(`system:serviceaccount:${ns}:${account}`) || strings(s.manifest.groups).some((g) => groupsOf(ns).includes(g)),
    )
    .map((s) => text(mapping(s.manifest.metadata).name) ?? '*');
  // a script's `oc adm policy add-scc-to-user -z` without -n binds in its current project: taken as the pod's
  const byScript = graph.scriptSccGrants.filter((g) => g.subjects.some((s) => subjectHolds({ ...s }, s.namespace ?? ns, account, ns))).map((g) => g.scc);
  return [...byBinding, ...byScc, ...byScript].filter((s) => s !== '');
}
