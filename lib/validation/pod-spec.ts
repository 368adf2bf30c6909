import { isMapping, Loose, mapping, mappings, shown, text } from '../manifests/access';
import { isDnsLabel, isLabelValue } from '../private/names';
import { parseQuantity } from '../private/quantity';

/**
 * The API server's semantic validation of a pod spec, beyond its OpenAPI schema: the checks of kubernetes
 * pkg/apis/core/validation/validation.go (ValidatePodSpec and the functions it calls) for the fields manifests get
 * wrong, as tables of checks, each naming the function it ports. Values are judged as written; the schema's own
 * verdicts (types, required fields, unknown fields) are left to the schema.
 */

/** A container of the pod, with the path it is written at. */
export interface JudgedContainer {
  readonly at: string;
  /** Where its fields come from when not only from where it is written (a container merged with a runtime's). */
  readonly note?: string;
  readonly container: Loose;
  readonly init: boolean;
}

/** A pod spec to judge: where its pod-level fields are written, the spec, and its containers (init containers too). */
export interface JudgedPod {
  readonly at: string;
  readonly spec: Loose;
  readonly containers: readonly JudgedContainer[];
  /** Names of the volumes the pod will have; volume mounts are judged only when these are known. */
  readonly volumes?: ReadonlySet<string>;
  /** Volumes a controller adds to the pod (KServe's storage volumes): a mount may name them, a fix does not offer them. */
  readonly addedVolumes?: ReadonlySet<string>;
  /**
   * Whether the spec's volumes and its containers' volume mounts are the pod's as written, not a strategic merge patch
   * on another object's (an LLMInferenceService's template on its presets, a model container on a runtime outside the
   * tree), whose items of one name or mount path merge into one: duplicates are then judged.
   */
  readonly listsWhole?: boolean;
  /** The restart policies the owning workload allows (apps: Always; batch: OnFailure, Never), and whether unset is refused. */
  readonly restartPolicy?: { readonly allowed: readonly string[]; readonly required: boolean; readonly owner: string; readonly why?: string };
}

/** A value the API server refuses. */
export interface PodSpecProblem {
  /** The full path of the field. */
  readonly field: string;
  readonly value: unknown;
  /** What the API server says, in its words. */
  readonly says: string;
  readonly fix: string;
  /** The container's note (JudgedContainer.note). */
  readonly note?: string;
  /** The container's name and the field's path inside the container (or the pod spec): the same mistake read twice has one key. */
  readonly key: string;
}

/** A problem before it is placed: the field relative to the pod spec or the container. */
interface Found {
  readonly field: string;
  readonly value: unknown;
  readonly says: string;
  readonly fix: string;
}

const quote = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const notSupported = (value: unknown, supported: readonly string[]) => `Unsupported value: "${shown(value)}": supported values: ${quote(supported)}`;

const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateTolerations (validation.go); the key's syntax is metadata-invalid's. */
function tolerationProblems(spec: Loose): Found[] {
  return mappings(spec.tolerations).flatMap((t, i): Found[] => {
    const at = `tolerations[${i}]`;
    const out: Found[] = [];
    const key = text(t.key) ?? '';
    const operator = t.operator ?? '';
    const value = typeof t.value === 'string' ? t.value : '';
    if (!key && operator !== 'Exists')
      out.push({
        field: `${at}.operator`,
        value: operator,
        says: 'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        fix: 'name the taint key, or write operator: Exists to tolerate every taint',
      });
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      out.push({
        field: `${at}.effect`,
        value: t.effect ?? '',
        says: "effect must be 'NoExecute' when `tolerationSeconds` is set",
        fix: 'drop tolerationSeconds, or write effect: NoExecute',
      });
    if (operator === 'Exists' && value)
      out.push({
        field: `${at}.operator`,
        value: operator,
        says: "value must be empty when `operator` is 'Exists'",
        fix: `drop value '${value}' (Exists matches any value), or write operator: Equal to match it`,
      });
    else if ((operator === '' || operator === 'Equal') && !isLabelValue(value))
      out.push({
        field: `${at}.value`,
        value,
        says: 'a valid label value must be 63 characters or less, alphanumeric at both ends',
        fix: 'write the taint value',
      });
    else if (typeof operator === 'string' && !['', ...TOLERATION_OPERATORS].includes(operator))
      out.push({ field: `${at}.operator`, value: operator, says: notSupported(operator, TOLERATION_OPERATORS), fix: operatorFix(operator) });
    // validateTaintEffect with allowEmpty: an empty effect matches every effect
    if (typeof t.effect === 'string' && t.effect && !TAINT_EFFECTS.includes(t.effect))
      out.push({
        field: `${at}.effect`,
        value: t.effect,
        says: notSupported(t.effect, TAINT_EFFECTS),
        fix: `write one of ${TAINT_EFFECTS.join(', ')}, or leave effect out`,
      });
    return out;
  });
}

function operatorFix(operator: string): string {
  const near = TOLERATION_OPERATORS.find((o) => operator.toLowerCase().startsWith(o.toLowerCase()));
  return near ? `write operator: ${near}` : 'write operator: Equal (key and value match) or Exists (the key matches)';
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/**
 * validateRestartPolicy (validation.go), then the owner's: apps ValidatePodTemplateSpecForReplicaSet and the
 * StatefulSet and DaemonSet specs allow only Always; batch validateJobSpec only OnFailure and Never (an unset policy
 * is refused there: "Required value: valid values: "OnFailure", "Never"").
 */
function restartPolicyProblems(spec: Loose, pod: JudgedPod): Found[] {
  const policy = spec.restartPolicy;
  const owner = pod.restartPolicy;
  if (policy === undefined || policy === null || policy === '') {
    if (!owner?.required) return [];
    return [
      {
        field: 'restartPolicy',
        value: '',
        says: `Required value: valid values: ${quote(owner.allowed)}`,
        fix: `write restartPolicy: ${owner.allowed.join(' or ')} in the ${owner.owner}'s pod template`,
      },
    ];
  }
  if (typeof policy !== 'string') return [];
  const allowed = owner?.allowed ?? RESTART_POLICIES;
  if (allowed.includes(policy)) return [];
  const fix = owner ? `a ${owner.owner} allows ${allowed.join(' or ')}${owner.why ? ` (${owner.why})` : ''}` : `write one of ${RESTART_POLICIES.join(', ')}`;
  return [{ field: 'restartPolicy', value: policy, says: notSupported(policy, allowed), fix }];
}

const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** validateDNSPolicy and validatePodDNSConfig (validation.go): None needs dnsConfig with at least one nameserver. */
function dnsPolicyProblems(spec: Loose): Found[] {
  const policy = spec.dnsPolicy;
  if (typeof policy !== 'string' || policy === '') return [];
  if (!DNS_POLICIES.includes(policy))
    return [{ field: 'dnsPolicy', value: policy, says: notSupported(policy, DNS_POLICIES), fix: 'write ClusterFirst, or leave dnsPolicy out' }];
  if (policy !== 'None') return [];
  if (!isMapping(spec.dnsConfig))
    return [
      {
        field: 'dnsConfig',
        value: '',
        says: 'Required value: must provide `dnsConfig` when `dnsPolicy` is None',
        fix: 'add dnsConfig.nameservers, or write dnsPolicy: ClusterFirst',
      },
    ];
  if (!mappings(spec.dnsConfig.nameservers).length && !(Array.isArray(spec.dnsConfig.nameservers) && spec.dnsConfig.nameservers.length))
    return [
      {
        field: 'dnsConfig.nameservers',
        value: '',
        says: 'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
        fix: 'list a nameserver, or write dnsPolicy: ClusterFirst',
      },
    ];
  return [];
}

/** ValidateVolumes (validation.go): each volume's name once in the pod ("Duplicate value"), where the list is the pod's as written. */
function volumeNameProblems(spec: Loose, pod: JudgedPod): Found[] {
  if (!pod.listsWhole) return [];
  const seen = new Set<string>();
  return mappings(spec.volumes).flatMap((v, i): Found[] => {
    const name = text(v.name);
    if (!name) return [];
    if (!seen.has(name)) {
      seen.add(name);
      return [];
    }
    return [
      {
        field: `volumes[${i}].name`,
        value: name,
        says: `Duplicate value: "${name}"`,
        fix: `give each volume its own name, or drop the second '${name}' (and point its mounts at the one kept)`,
      },
    ];
  });
}

/** The pod-level checks, by the function of validation.go they port. */
export const POD_CHECKS: readonly { readonly upstream: string; readonly judge: (spec: Loose, pod: JudgedPod) => Found[] }[] = [
  { upstream: 'validateTolerations', judge: tolerationProblems },
  { upstream: 'validateRestartPolicy', judge: restartPolicyProblems },
  { upstream: 'validateDNSPolicy, validatePodDNSConfig', judge: dnsPolicyProblems },
  { upstream: 'ValidateVolumes', judge: volumeNameProblems },
];

/** IsValidPortName (apimachinery pkg/util/validation): an IANA_SVC_NAME. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const isPort = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** validateContainerPorts (validation.go): names IANA_SVC_NAMEs unique in the container, ports 1 to 65535, known protocols. */
function portProblems(c: Loose): Found[] {
  const names = new Set<string>();
  return mappings(c.ports).flatMap((p, i): Found[] => {
    const at = `ports[${i}]`;
    const out: Found[] = [];
    const name = text(p.name);
    if (name) {
      const bad = portNameProblem(name);
      if (bad)
        out.push({
          field: `${at}.name`,
          value: name,
          says: bad,
          fix: 'name the port with at most 15 lowercase letters, digits and single hyphens, such as http',
        });
      else if (names.has(name))
        out.push({ field: `${at}.name`, value: name, says: `Duplicate value: "${name}"`, fix: 'give each port of the container its own name' });
      names.add(name);
    }
    for (const k of ['containerPort', 'hostPort'] as const)
      if (typeof p[k] === 'number' && !(k === 'hostPort' && p[k] === 0) && !isPort(p[k]))
        out.push({
          field: `${at}.${k}`,
          value: p[k],
          says: p[k] === 0 ? 'Required value' : 'must be between 1 and 65535, inclusive',
          fix: 'write a port number from 1 to 65535',
        });
    if (typeof p.protocol === 'string' && p.protocol && !PROTOCOLS.includes(p.protocol))
      out.push({
        field: `${at}.protocol`,
        value: p.protocol,
        says: notSupported(p.protocol, PROTOCOLS),
        fix: 'write TCP (HTTP and gRPC run over TCP), or leave protocol out',
      });
    return out;
  });
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

/** validatePullPolicy (validation.go). */
function pullPolicyProblems(c: Loose): Found[] {
  const policy = c.imagePullPolicy;
  if (typeof policy !== 'string' || !policy || PULL_POLICIES.includes(policy)) return [];
  return [{ field: 'imagePullPolicy', value: policy, says: notSupported(policy, PULL_POLICIES), fix: `write one of ${PULL_POLICIES.join(', ')}` }];
}

/** The sources of an env var's valueFrom (fileKeyRef is newer and counted so that it is not taken for none). */
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];

/** validateEnvVarValueFrom (validation.go): exactly one source, and no value beside it. */
function envProblems(c: Loose): Found[] {
  return mappings(c.env).flatMap((e, i): Found[] => {
    if (!isMapping(e.valueFrom)) return [];
    const field = `env[${i}].valueFrom`;
    const sources = ENV_SOURCES.filter((k) => e.valueFrom[k] !== undefined && e.valueFrom[k] !== null);
    const name = text(e.name) ?? '';
    if (!sources.length)
      return [
        {
          field,
          value: '',
          says: 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
          fix: `give ${name} one source, or drop valueFrom`,
        },
      ];
    if (typeof e.value === 'string' && e.value !== '')
      return [
        { field, value: '', says: 'may not be specified when `value` is not empty', fix: `${name} has value '${e.value}' and valueFrom: keep one of them` },
      ];
    if (sources.length > 1)
      return [{ field, value: '', says: 'may not have more than one field specified at a time', fix: `${name} reads ${sources.join(' and ')}: keep one` }];
    return [];
  });
}

/**
 * helper.IsOvercommitAllowed (pkg/apis/core/helper): native resources (no '/', or a kubernetes.io/ prefix) other than
 * huge pages may be requested below their limit; extended resources such as nvidia.com/gpu may not.
 */
export function isOvercommitAllowed(resource: string): boolean {
  return (!resource.includes('/') || resource.includes('kubernetes.io/')) && !resource.startsWith('hugepages-');
}

/** helper.IsExtendedResourceName: a name outside kubernetes.io's, which must be a whole number. */
const isExtended = (resource: string) => resource.includes('/') && !resource.includes('kubernetes.io/') && !resource.startsWith('requests.');

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);

/**
 * ValidateContainerResourceRequirements (validation.go): a request at most its limit; a resource that cannot be
 * overcommitted needs a limit, and a request equal to it; an extended resource is a whole number
 * (ValidateResourceQuantityValue). Values that are no quantities are left to the schema and to the other checks.
 */
function resourceProblems(c: Loose): Found[] {
  const requests = mapping(mapping(c.resources).requests);
  const limits = mapping(mapping(c.resources).limits);
  const out: Found[] = [];
  for (const [which, list] of [
    ['limits', limits],
    ['requests', requests],
  ] as const)
    for (const [name, v] of Object.entries(list)) {
      const q = parseQuantity(v);
      if (q !== undefined && isExtended(name) && !Number.isInteger(q))
        out.push({ field: `resources.${which}.${name}`, value: v, says: 'must be an integer', fix: `request whole ${name}` });
    }
  for (const [name, v] of Object.entries(requests)) {
    const request = parseQuantity(v);
    if (request === undefined) continue;
    const field = `resources.requests.${name}`;
    if (!(name in limits)) {
      if (!isOvercommitAllowed(name))
        out.push({
          field: `resources.limits.${name}`,
          value: '',
          says: 'Required value: Limit must be set for non overcommitable resources',
          fix: `set limits.${name}: ${shown(v)} (the request defaults to the limit)`,
        });
      continue;
    }
    const limit = parseQuantity(limits[name]);
    if (limit === undefined) continue;
    if (!isOvercommitAllowed(name) && !same(request, limit))
      out.push({
        field,
        value: v,
        says: `must be equal to ${name} limit of ${shown(limits[name])}`,
        fix: `request as many ${name} as the limit, or write only the limit`,
      });
    else if (request > limit && !same(request, limit))
      out.push({
        field,
        value: v,
        says: `must be less than or equal to ${name} limit of ${shown(limits[name])}`,
        fix: `lower the request or raise the limit to at least ${shown(v)}`,
      });
  }
  return out;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** validateHandler / validateLifecycleHandler (validation.go): exactly one handler. */
function handlerProblems(handler: unknown, field: string, kinds: readonly string[]): Found[] {
  if (!isMapping(handler)) return [];
  const set = kinds.filter((k) => handler[k] !== undefined && handler[k] !== null);
  if (!set.length) return [{ field, value: '', says: 'Required value: must specify a handler type', fix: `give it one of ${kinds.join(', ')}` }];
  if (set.length > 1)
    return [
      {
        field: `${field}.${set[1]}`,
        value: set.join(' and '),
        says: 'Forbidden: may not specify more than 1 handler type',
        fix: `keep one of ${set.join(', ')}`,
      },
    ];
  return [];
}

/**
 * validateHTTPGetAction and validateTCPSocketAction (validation.go) → ValidatePortNumOrName: an IntOrString port is a
 * number from 1 to 65535 or, as a string, a port name (IsValidPortName), so a quoted number ("8080") is a name
 * without a letter and refused.
 */
function handlerPortProblems(handler: unknown, field: string): Found[] {
  return (['httpGet', 'tcpSocket'] as const).flatMap((action): Found[] => {
    const port = mapping(mapping(handler)[action]).port;
    const at = `${field}.${action}.port`;
    if (typeof port === 'number')
      return isPort(port)
        ? []
        : [{ field: at, value: port, says: 'must be between 1 and 65535, inclusive', fix: 'write the port number the container listens on' }];
    if (typeof port !== 'string' || port === '') return [];
    const bad = portNameProblem(port);
    if (!bad) return [];
    const fix = /^\d+$/.test(port)
      ? `write the number without quotes (port: ${port}): a quoted number is read as a port name`
      : "name a port of the container's ports (at most 15 lowercase letters, digits and single hyphens), or write its number";
    return [{ field: at, value: port, says: bad, fix }];
  });
}

/** validateProbe, validateLivenessProbe, validateStartupProbe and validateLifecycle (validation.go). */
function probeProblems(c: Loose): Found[] {
  const out: Found[] = [];
  for (const probe of PROBES) {
    out.push(...handlerProblems(c[probe], probe, PROBE_HANDLERS), ...handlerPortProblems(c[probe], probe));
    const threshold = mapping(c[probe]).successThreshold;
    if (probe !== 'readinessProbe' && typeof threshold === 'number' && threshold !== 1)
      out.push({ field: `${probe}.successThreshold`, value: threshold, says: 'must be 1', fix: 'write successThreshold: 1, or leave it out' });
  }
  for (const hook of ['postStart', 'preStop']) {
    const handler = mapping(c.lifecycle)[hook];
    out.push(...handlerProblems(handler, `lifecycle.${hook}`, LIFECYCLE_HANDLERS), ...handlerPortProblems(handler, `lifecycle.${hook}`));
  }
  return out;
}

/**
 * validateVolumeMounts (validation.go, ValidateVolumeMounts): each mount names a volume of the pod (judged where the
 * pod's volumes are known), and no two mounts of a container share a mount path ("must be unique", judged where the
 * container's mounts are whole).
 */
function mountProblems(c: Loose, pod: JudgedPod): Found[] {
  const volumes = pod.volumes;
  const offered = [...(volumes ?? [])].filter((v) => !pod.addedVolumes?.has(v));
  const paths = new Set<string>();
  return mappings(c.volumeMounts).flatMap((v, i): Found[] => {
    const out: Found[] = [];
    const name = text(v.name);
    if (volumes && name && !volumes.has(name) && !pod.addedVolumes?.has(name))
      out.push({
        field: `volumeMounts[${i}].name`,
        value: name,
        says: `Not found: "${name}"`,
        fix: offered.length ? `name one of the pod's volumes (${offered.join(', ')}) or add a volume '${name}'` : `add a volume '${name}' to the pod's volumes`,
      });
    const path = text(v.mountPath);
    if ((volumes || pod.listsWhole) && path && paths.has(path))
      out.push({
        field: `volumeMounts[${i}].mountPath`,
        value: path,
        says: 'must be unique',
        fix: `mount each path once: drop or move one of the mounts at ${path}`,
      });
    if (path) paths.add(path);
    return out;
  });
}

/** The container checks, by the function of validation.go they port. */
export const CONTAINER_CHECKS: readonly { readonly upstream: string; readonly judge: (c: Loose, pod: JudgedPod) => Found[] }[] = [
  { upstream: 'validateContainerPorts', judge: portProblems },
  { upstream: 'validatePullPolicy', judge: pullPolicyProblems },
  { upstream: 'validateEnvVarValueFrom', judge: envProblems },
  { upstream: 'ValidateContainerResourceRequirements', judge: resourceProblems },
  { upstream: 'validateProbe, validateLifecycle', judge: probeProblems },
  { upstream: 'validateVolumeMounts', judge: mountProblems },
];

/** validateContainers and validateInitContainers (validation.go): names are DNS labels, unique across all containers. */
function nameProblems(pod: JudgedPod): PodSpecProblem[] {
  const seen = new Set<string>();
  return pod.containers.flatMap(({ at, container }): PodSpecProblem[] => {
    const name = container.name;
    if (typeof name !== 'string' || !name) return [];
    const out: PodSpecProblem[] = [];
    if (!isDnsLabel(name))
      out.push({
        field: `${at}.name`,
        value: name,
        says: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        fix: 'name the container with at most 63 lowercase letters, digits and -',
        key: `${name}|name|dns`,
      });
    else if (seen.has(name))
      out.push({
        field: `${at}.name`,
        value: name,
        says: `Duplicate value: "${name}"`,
        fix: 'give each container and init container its own name',
        key: `${name}|name|dup`,
      });
    seen.add(name);
    return out;
  });
}

/** What the API server refuses in one pod spec. */
export function podSpecProblems(pod: JudgedPod): PodSpecProblem[] {
  const place = (at: string, owner: string, note?: string) => (f: Found) => ({
    ...f,
    field: `${at}.${f.field}`,
    key: `${owner}|${f.field}|${f.says}`,
    ...(note ? { note } : {}),
  });
  return [
    ...POD_CHECKS.flatMap((check) => check.judge(pod.spec, pod).map(place(pod.at, ''))),
    ...nameProblems(pod),
    ...pod.containers.flatMap(({ at, container, note }) =>
      CONTAINER_CHECKS.flatMap((check) => check.judge(container, pod).map(place(at, String(container.name), note))),
    ),
  ];
}

/**
 * pkg/apis/autoscaling/validation ValidateHorizontalPodAutoscalerSpec: minReplicas at least 1 (0 only with the alpha
 * HPAScaleToZero gate, off by default and on OpenShift), maxReplicas at least 1 and at least minReplicas.
 */
export function autoscalerProblems(spec: Loose): Omit<PodSpecProblem, 'key'>[] {
  const min = spec.minReplicas;
  const max = spec.maxReplicas;
  const out: Omit<PodSpecProblem, 'key'>[] = [];
  if (typeof min === 'number' && min < 1)
    out.push({
      field: 'spec.minReplicas',
      value: min,
      says: 'must be greater than or equal to 1',
      fix: 'write minReplicas: 1 (scaling a Deployment to zero needs the alpha HPAScaleToZero feature gate, or KEDA, or KServe Serverless)',
    });
  if (typeof max === 'number' && max < 1)
    out.push({ field: 'spec.maxReplicas', value: max, says: 'must be greater than 0', fix: 'write maxReplicas of 1 or more' });
  else if (typeof max === 'number' && typeof min === 'number' && min >= 1 && max < min)
    out.push({ field: 'spec.maxReplicas', value: max, says: 'must be greater than or equal to `minReplicas`', fix: `raise maxReplicas to at least ${min}` });
  return out;
}
