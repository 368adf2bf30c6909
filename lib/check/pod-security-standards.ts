import { finite, Loose, mapping, mappings, strings, text } from '../manifests/access';

/**
 * The Pod Security Standards as Pod Security admission checks them (kubernetes/pod-security-admission policy/check_*.go,
 * registered in policy/registry.go): each check at the version of the namespace's label, a restricted check replacing
 * the baseline one it overrides (OverrideCheckIDs). Versions are Kubernetes 1.N minors, written N.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** What a check forbids: its id, and the ForbiddenReason and ForbiddenDetail admission prints ("reason (detail)"). */
export interface PodSecurityViolation {
  readonly check: string;
  readonly reason: string;
  readonly detail: string;
}

/** A pod as a check reads it: its annotations (AppArmor and the old seccomp ones) and its spec. */
export interface CheckedPod {
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: Loose;
}

type Result = Omit<PodSecurityViolation, 'check'> | undefined;

interface Versioned {
  /** The first minor the body applies from (VersionedCheck.MinimumVersion). */
  readonly since: number;
  readonly run: (pod: CheckedPod) => Result;
  /** The baseline checks this version replaces (OverrideCheckIDs). */
  readonly overrides?: readonly string[];
}

interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  /** Oldest first, as the registry lists them; the newest one at or below the evaluated version applies. */
  readonly versions: readonly Versioned[];
}

/** The containers admission visits (policy/visitor.go visitContainers): init, regular and ephemeral. */
function containersOf(spec: Loose): Loose[] {
  return [...mappings(spec.initContainers), ...mappings(spec.containers), ...mappings(spec.ephemeralContainers)];
}

const nameOf = (c: Loose) => text(c.name) ?? '';
const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
const plural = (one: string, many: string, n: number) => (n === 1 ? one : many);
const containers = (names: readonly string[]) => `${plural('container', 'containers', names.length)} ${quoted(names)}`;
const sc = (c: Loose) => mapping(c.securityContext);
const podSc = (pod: CheckedPod) => mapping(pod.spec.securityContext);
/** Windows pods are exempt from the Linux-only restricted checks from 1.25 (pod.spec.os.name windows). */
const windows = (pod: CheckedPod) => text(mapping(pod.spec.os).name) === 'windows';
/** A pod in a user namespace (hostUsers: false) is relaxed from 1.35 (policy/helpers.go relaxPolicyForUserNamespacePod). */
const userNamespace = (pod: CheckedPod) => pod.spec.hostUsers === false;

/** Setters that write a bad value: "pod", "containers …", joined with "and" as the checks print them. */
function setters(pod: boolean, bad: readonly string[]): string[] {
  return [...(pod ? ['pod'] : []), ...(bad.length ? [containers(bad)] : [])];
}

function hostNamespaces(pod: CheckedPod): Result {
  const on = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => pod.spec[f] === true).map((f) => `${f}=true`);
  return on.length ? { reason: 'host namespaces', detail: on.join(', ') } : undefined;
}

function privileged(pod: CheckedPod): Result {
  const bad = containersOf(pod.spec)
    .filter((c) => sc(c).privileged === true)
    .map(nameOf);
  return bad.length ? { reason: 'privileged', detail: `${containers(bad)} must not set securityContext.privileged=true` } : undefined;
}

/** The capabilities baseline lets a container add (check_capabilities_baseline.go capabilities_allowed_1_0). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function capabilitiesBaseline(pod: CheckedPod): Result {
  const caps = new Set<string>();
  const bad = containersOf(pod.spec).filter((c) => {
    const added = strings(mapping(sc(c).capabilities).add).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    added.forEach((cap) => caps.add(cap));
    return added.length > 0;
  });
  if (!bad.length) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containers(bad.map(nameOf))} must not include ${quoted([...caps].sort())} in securityContext.capabilities.add`,
  };
}

function capabilitiesRestricted(pod: CheckedPod): Result {
  const caps = new Set<string>();
  const all = containersOf(pod.spec);
  const missingDrop = all.filter((c) => !strings(mapping(sc(c).capabilities).drop).includes('ALL')).map(nameOf);
  const adding = all.filter((c) => {
    const added = strings(mapping(sc(c).capabilities).add).filter((cap) => cap !== 'NET_BIND_SERVICE');
    added.forEach((cap) => caps.add(cap));
    return added.length > 0;
  });
  const details = [
    ...(missingDrop.length ? [`${containers(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(adding.length ? [`${containers(adding.map(nameOf))} must not include ${quoted([...caps].sort())} in securityContext.capabilities.add`] : []),
  ];
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
}

function hostPathVolumes(pod: CheckedPod): Result {
  const bad = mappings(pod.spec.volumes).filter((v) => v.hostPath !== undefined && v.hostPath !== null);
  return bad.length ? { reason: 'hostPath volumes', detail: `${plural('volume', 'volumes', bad.length)} ${quoted(bad.map(nameOf))}` } : undefined;
}

function hostPorts(pod: CheckedPod): Result {
  const ports = new Set<string>();
  const bad = containersOf(pod.spec).filter((c) => {
    const used = mappings(c.ports).filter((p) => (finite(p.hostPort) ?? 0) !== 0);
    used.forEach((p) => ports.add(String(p.hostPort)));
    return used.length > 0;
  });
  if (!bad.length) return undefined;
  const list = [...ports].sort();
  return {
    reason: 'hostPort',
    detail: `${containers(bad.map(nameOf))} ${plural('uses', 'use', bad.length)} ${plural('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  };
}

/** The host a probe or lifecycle handler names (forbidden from 1.34, check_hostProbesAndhostLifecycle.go). */
function handlerHosts(handler: unknown): string[] {
  const h = mapping(handler);
  return [text(mapping(h.httpGet).host), text(mapping(h.tcpSocket).host)].filter((x): x is string => !!x);
}

function hostProbes(pod: CheckedPod): Result {
  const hosts = new Set<string>();
  const bad = containersOf(pod.spec).filter((c) => {
    const lifecycle = mapping(c.lifecycle);
    const found = [c.livenessProbe, c.readinessProbe, c.startupProbe, lifecycle.postStart, lifecycle.preStop].flatMap(handlerHosts);
    found.forEach((h) => hosts.add(h));
    return found.length > 0;
  });
  if (!bad.length) return undefined;
  const list = [...hosts].sort();
  return {
    reason: 'probe or lifecycle host',
    detail: `${containers(bad.map(nameOf))} ${plural('uses', 'use', bad.length)} ${plural('probe or lifecycle host', 'probe or lifecycle hosts', list.length)} ${quoted(list)}`,
  };
}

/** AppArmor: the annotation values and profile types baseline allows (check_appArmorProfile.go). */
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const APPARMOR_TYPES = ['RuntimeDefault', 'Localhost'];

function appArmorProfile(pod: CheckedPod): Result {
  const values = new Set<string>();
  const bad = (s: Loose) => {
    const profile = mapping(s.appArmorProfile);
    if (s.appArmorProfile === undefined || APPARMOR_TYPES.includes(text(profile.type) ?? '')) return false;
    values.add(text(profile.type) ?? '');
    return true;
  };
  const podBad = bad(podSc(pod));
  const badContainers = containersOf(pod.spec)
    .filter((c) => bad(sc(c)))
    .map(nameOf);
  const annotations = Object.entries(pod.annotations)
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION) && v !== '' && v !== 'runtime/default' && !v.startsWith('localhost/'))
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  const who = [...setters(podBad, badContainers), ...(annotations.length ? [plural('annotation', 'annotations', annotations.length)] : [])];
  if (!who.length) return undefined;
  const list = [...[...values].sort(), ...annotations];
  return {
    reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', list.length),
    detail: `${who.join(' and ')} must not set AppArmor profile type to ${quoted(list)}`,
  };
}

/** SELinux types baseline allows, by version (check_seLinuxOptions.go selinuxAllowedTypes1_0, 1_31). */
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES, 'container_engine_t'];

const seLinuxOptions =
  (allowed: readonly string[]) =>
  (pod: CheckedPod): Result => {
    const types = new Set<string>();
    let user = false;
    let role = false;
    const bad = (s: Loose) => {
      if (s.seLinuxOptions === undefined || s.seLinuxOptions === null) return false;
      const o = mapping(s.seLinuxOptions);
      const type = text(o.type) ?? '';
      const badType = !allowed.includes(type);
      if (badType) types.add(type);
      user ||= !!text(o.user);
      role ||= !!text(o.role);
      return badType || !!text(o.user) || !!text(o.role);
    };
    const who = setters(
      bad(podSc(pod)),
      containersOf(pod.spec)
        .filter((c) => bad(sc(c)))
        .map(nameOf),
    );
    if (!who.length) return undefined;
    const data = [
      ...(types.size ? [`${plural('type', 'types', types.size)} ${quoted([...types].sort())}`] : []),
      ...(user ? ['user may not be set'] : []),
      ...(role ? ['role may not be set'] : []),
    ];
    return { reason: 'seLinuxOptions', detail: `${who.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
  };

function procMount(pod: CheckedPod): Result {
  const types = new Set<string>();
  const bad = containersOf(pod.spec).filter((c) => {
    const value = text(sc(c).procMount);
    if (value === undefined || value === 'Default') return false;
    types.add(value);
    return true;
  });
  if (!bad.length) return undefined;
  return { reason: 'procMount', detail: `${containers(bad.map(nameOf))} must not set securityContext.procMount to ${quoted([...types].sort())}` };
}

/** The seccomp profile types allowed where one is set (check_seccompProfile_baseline.go validSeccomp). */
const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];
const seccompType = (s: Loose) => (s.seccompProfile === undefined || s.seccompProfile === null ? undefined : (text(mapping(s.seccompProfile).type) ?? ''));

/** Seccomp annotations before 1.19 (check_seccompProfile_baseline.go seccompProfileBaseline_1_0). */
function seccompAnnotations(pod: CheckedPod): Result {
  const ok = (v: string) => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
  const keys = [
    'seccomp.security.alpha.kubernetes.io/pod',
    ...containersOf(pod.spec).map((c) => `container.seccomp.security.alpha.kubernetes.io/${nameOf(c)}`),
  ];
  const bad = [...new Set(keys)].filter((k) => pod.annotations[k] !== undefined && !ok(pod.annotations[k])).map((k) => `${k}="${pod.annotations[k]}"`);
  return bad.length ? { reason: 'seccompProfile', detail: `forbidden ${plural('annotation', 'annotations', bad.length)} ${bad.sort().join(', ')}` } : undefined;
}

/** Seccomp fields; `required` is the restricted check, which also wants a profile on every container the pod's does not cover. */
const seccompProfile =
  (required: boolean) =>
  (pod: CheckedPod): Result => {
    const values = new Set<string>();
    const podType = seccompType(podSc(pod));
    const podBad = podType !== undefined && !SECCOMP_TYPES.includes(podType);
    if (podBad) values.add(podType);
    const explicit: string[] = [];
    const implicit: string[] = [];
    for (const c of containersOf(pod.spec)) {
      const type = seccompType(sc(c));
      if (type !== undefined && !SECCOMP_TYPES.includes(type)) {
        explicit.push(nameOf(c));
        values.add(type);
      } else if (type === undefined && (podType === undefined || podBad)) implicit.push(nameOf(c));
    }
    const who = setters(podBad, explicit);
    if (who.length)
      return { reason: 'seccompProfile', detail: `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${quoted([...values].sort())}` };
    if (!required || !implicit.length) return undefined;
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containers(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  };

/** The sysctls baseline allows, by the minor that added them (check_sysctls.go sysctlsAllowedV1Dot0 … V1Dot37). */
const SYSCTLS: readonly (readonly [number, readonly string[]])[] = [
  [
    0,
    ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

const sysctls =
  (minor: number) =>
  (pod: CheckedPod): Result => {
    const allowed = new Set(SYSCTLS.filter(([since]) => since <= minor).flatMap(([, names]) => names));
    const bad = mappings(podSc(pod).sysctls)
      .map((s) => text(s.name) ?? '')
      .filter((n) => !allowed.has(n));
    return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
  };

function windowsHostProcess(pod: CheckedPod): Result {
  const on = (s: Loose) => mapping(s.windowsOptions).hostProcess === true;
  const who = setters(
    on(podSc(pod)),
    containersOf(pod.spec)
      .filter((c) => on(sc(c)))
      .map(nameOf),
  );
  return who.length ? { reason: 'hostProcess', detail: `${who.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
}

/** Volume sources restricted allows (check_restrictedVolumes.go); any other source is refused by its name. */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

function restrictedVolumes(pod: CheckedPod): Result {
  const types = new Set<string>();
  const bad = mappings(pod.spec.volumes).filter((v) => {
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
    if (sources.some((s) => RESTRICTED_VOLUMES.includes(s))) return false;
    types.add(sources[0] ?? 'unknown');
    return true;
  });
  if (!bad.length) return undefined;
  const list = [...types].sort();
  return {
    reason: 'restricted volume types',
    detail: `${plural('volume', 'volumes', bad.length)} ${quoted(bad.map(nameOf))} ${plural('uses', 'use', bad.length)} ${plural('restricted volume type', 'restricted volume types', list.length)} ${quoted(list)}`,
  };
}

function allowPrivilegeEscalation(pod: CheckedPod): Result {
  const bad = containersOf(pod.spec)
    .filter((c) => sc(c).allowPrivilegeEscalation !== false)
    .map(nameOf);
  return bad.length
    ? { reason: 'allowPrivilegeEscalation != false', detail: `${containers(bad)} must set securityContext.allowPrivilegeEscalation=false` }
    : undefined;
}

function runAsNonRoot(pod: CheckedPod): Result {
  const podValue = podSc(pod).runAsNonRoot;
  const podSet = podValue !== undefined && podValue !== null;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containersOf(pod.spec)) {
    const value = sc(c).runAsNonRoot;
    if (value !== undefined && value !== null) {
      if (value === false) explicit.push(nameOf(c));
    } else if (podValue !== true) implicit.push(nameOf(c));
  }
  const who = setters(podSet && podValue === false, explicit);
  if (who.length) return { reason: 'runAsNonRoot != true', detail: `${who.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (!implicit.length) return undefined;
  return { reason: 'runAsNonRoot != true', detail: `pod or ${containers(implicit)} must set securityContext.runAsNonRoot=true` };
}

function runAsUser(pod: CheckedPod): Result {
  const root = (s: Loose) => finite(s.runAsUser) === 0;
  const who = setters(
    root(podSc(pod)),
    containersOf(pod.spec)
      .filter((c) => root(sc(c)))
      .map(nameOf),
  );
  return who.length ? { reason: 'runAsUser=0', detail: `${who.join(' and ')} must not set runAsUser=0` } : undefined;
}

/** A body that admits Windows pods (the 1.25 versions of the Linux-only restricted checks). */
const notOnWindows = (run: (pod: CheckedPod) => Result) => (pod: CheckedPod) => (windows(pod) ? undefined : run(pod));
/** A body that admits pods in a user namespace (the 1.35 versions). */
const notInUserNamespace = (run: (pod: CheckedPod) => Result) => (pod: CheckedPod) => (userNamespace(pod) ? undefined : run(pod));

/** The checks of policy/registry.go, each with its versions (policy/check_*.go Check.Versions). */
const CHECKS: readonly Check[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: 0, run: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', versions: [{ since: 0, run: privileged }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ since: 0, run: capabilitiesBaseline }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: 0, run: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: 0, run: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ since: 34, run: hostProbes }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ since: 0, run: appArmorProfile }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { since: 0, run: seLinuxOptions(SELINUX_TYPES) },
      { since: 31, run: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { since: 0, run: procMount },
      { since: 35, run: notInUserNamespace(procMount) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { since: 0, run: seccompAnnotations },
      { since: 19, run: seccompProfile(false) },
    ],
  },
  { id: 'sysctls', level: 'baseline', versions: [0, 27, 29, 32, 37].map((since) => ({ since, run: sysctls(since) })) },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ since: 0, run: windowsHostProcess }] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ since: 0, run: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { since: 8, run: allowPrivilegeEscalation },
      { since: 25, run: notOnWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { since: 0, run: runAsNonRoot },
      { since: 35, run: notInUserNamespace(runAsNonRoot) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { since: 23, run: runAsUser },
      { since: 35, run: notInUserNamespace(runAsUser) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { since: 19, run: seccompProfile(true), overrides: ['seccompProfile_baseline'] },
      { since: 25, run: notOnWindows(seccompProfile(true)), overrides: ['seccompProfile_baseline'] },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { since: 22, run: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { since: 25, run: notOnWindows(capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'procMount_restricted', level: 'restricted', versions: [{ since: 35, run: procMount, overrides: ['procMount'] }] },
];

/** The newest Kubernetes minor the checks above know (check_sysctls.go's 1.37 set): `latest` evaluates as this one. */
export const NEWEST_POLICY_MINOR = 37;
/**
 * The oldest minor a `latest` label is judged at: Pod Security admission is stable from Kubernetes 1.25, which removed
 * PodSecurityPolicy. A label of `latest` follows the cluster's version, which the tree does not tell, so a violation
 * counts as certain only when every minor from this one to NEWEST_POLICY_MINOR refuses the pod.
 */
export const OLDEST_LATEST_MINOR = 25;

/** The violations of a pod at one level and minor, in the registry's order (policy/checks.go, registry.go). */
export function podSecurityViolations(pod: CheckedPod, level: PodSecurityLevel, minor: number): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  const applied = CHECKS.filter((c) => level === 'restricted' || c.level === 'baseline').flatMap((c) => {
    const version = [...c.versions].reverse().find((v) => v.since <= minor);
    return version ? [{ id: c.id, version }] : [];
  });
  const overridden = new Set(applied.flatMap((a) => a.version.overrides ?? []));
  return applied
    .filter((a) => !overridden.has(a.id))
    .flatMap((a) => {
      const r = a.version.run(pod);
      return r ? [{ check: a.id, ...r }] : [];
    });
}

/**
 * The violations that hold at every minor a label's version may stand for: the one it names, or for `latest`
 * (undefined) each minor from OLDEST_LATEST_MINOR to NEWEST_POLICY_MINOR; a violation's detail as the newest says it.
 */
export function certainViolations(pod: CheckedPod, level: PodSecurityLevel, minor: number | undefined): PodSecurityViolation[] {
  if (minor !== undefined) return podSecurityViolations(pod, level, Math.min(minor, NEWEST_POLICY_MINOR));
  const newest = podSecurityViolations(pod, level, NEWEST_POLICY_MINOR);
  const minors = Array.from({ length: NEWEST_POLICY_MINOR - OLDEST_LATEST_MINOR }, (_, i) => OLDEST_LATEST_MINOR + i);
  const each = minors.map((m) => new Set(podSecurityViolations(pod, level, m).map((v) => v.check)));
  return newest.filter((v) => each.every((s) => s.has(v.check)));
}
