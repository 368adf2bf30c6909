import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { closest } from '../../private/json-config';
import { onOpenShift } from '../platform';
import { writtenPodSpecs } from '../pod-spec-fields';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { CheckContext, Problem, Rule } from '../rule';
import { predictorModelOf } from '../runtime-selection';
import { holdsTemplate } from '../template-syntax';

/** The Linux capabilities, without their CAP_ prefix (linux include/uapi/linux/capability.h, 0 to CAP_LAST_CAP 40). */
const LINUX_CAPABILITIES: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
];
const KNOWN: ReadonlySet<string> = new Set(LINUX_CAPABILITIES);

/** A container of the object, with the path its securityContext is written at. */
interface Placed {
  readonly at: string;
  readonly container: Loose;
}

function containersOfObject(m: Loose): Placed[] {
  const listed = (list: unknown, at: string) =>
    mappings(list).map((container, i) => ({ at: `${at}[${i}] ('${text(container.name) ?? '<unnamed>'}')`, container }));
  const model = m.kind === 'InferenceService' ? predictorModelOf(m) : undefined;
  return [
    ...(model ? [{ at: model.field, container: model.spec }] : []),
    // a ClusterServingRuntime's spec is a pod spec as a ServingRuntime's is
    ...(m.kind === 'ClusterServingRuntime' ? [{ path: 'spec', spec: mapping(m.spec) }] : writtenPodSpecs(m)).flatMap((w) => [
      ...listed(w.spec.initContainers, `${w.path}.initContainers`),
      ...listed(w.spec.containers, `${w.path}.containers`),
    ]),
  ];
}

/** What the container runtimes make of a name: containerd prefixes CAP_ whatever is written, CRI-O only where it is missing. */
function judged(name: string, list: 'add' | 'drop', field: string, openShift: boolean): Problem | undefined {
  const upper = name.toUpperCase();
  if (upper === 'ALL' || KNOWN.has(upper) || holdsTemplate(name)) return undefined;
  const bare = upper.startsWith('CAP_') ? upper.slice(4) : undefined;
  if (bare !== undefined && KNOWN.has(bare)) {
    // CRI-O, OpenShift's runtime, keeps a written CAP_ prefix: the name works there
    if (openShift) return undefined;
    const outcome = list === 'add' ? `the container runs without ${bare}` : `${bare} is not dropped`;
    return {
      severity: 'warning',
      message: `${field} '${name}': Kubernetes capability names carry no CAP_ prefix; containerd adds one to each name (CAP_${upper}) and runc ignores a capability it does not know, so on containerd ${outcome} (CRI-O accepts the prefix); write ${bare}`,
    };
  }
  const near = closest(bare ?? upper, LINUX_CAPABILITIES);
  const fix = near ? `write ${near}` : 'write a Linux capability name without the CAP_ prefix (NET_ADMIN, SYS_PTRACE, ...)';
  if (list === 'drop')
    return {
      severity: 'warning',
      message: `${field} '${name}' is no Linux capability: the runtime drops nothing for it, so the capability meant stays; ${fix}`,
    };
  return {
    message: `${field} '${name}' is no Linux capability: CRI-O refuses to create the container (unknown capability "CAP_${bare ?? upper}" to add) and on containerd runc ignores it, so the container runs without it; ${fix}`,
  };
}

function containerProblems(p: Placed, openShift: boolean): Problem[] {
  const caps = mapping(mapping(p.container.securityContext).capabilities);
  return (['add', 'drop'] as const).flatMap((list) =>
    strings(caps[list]).flatMap((name, i) => judged(name, list, `${p.at} securityContext.capabilities.${list}[${i}]`, openShift) ?? []),
  );
}

export const capabilityNameInvalid: Rule = {
  id: 'capability-name-invalid',
  title: 'a container capability that is no Linux capability (NET_ADMN), or written with the CAP_ prefix Kubernetes names leave out',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'ClusterServingRuntime', 'LLMInferenceService'],
  premise:
    "each name in a container's securityContext.capabilities.add and drop (any case; ALL is the runtimes' word for every capability): a name that is no Linux capability, with or without CAP_, is an error when added (CRI-O refuses the container; containerd's runc runs it without the capability) and a warning when dropped (nothing is dropped); " +
    'a known capability written with CAP_ is a warning off OpenShift (containerd prefixes it again and runc ignores the result) and silent on OpenShift, whose CRI-O keeps a written prefix; names holding a placeholder are not judged',
  example: '`add: ["NET_ADMN"]` in a container\'s securityContext.capabilities',
  fix: 'write the capability without its prefix (NET_ADMIN), spelled as Linux names it',
  source:
    'containerd internal/cri/opts/spec_linux_opts.go WithCapabilities ("Capabilities in CRI doesn\'t have `CAP_` prefix, so add it": "CAP_"+strings.ToUpper(c)); runc libcontainer/capabilities New ("ignoring unknown or unavailable capabilities"); CRI-O internal/factory/container/container.go SpecSetupCapabilities (toCAPPrefixed keeps a written prefix; "unknown capability %q to add"); linux include/uapi/linux/capability.h',
  scope: 'object',
  check(o, ctx: CheckContext) {
    const openShift = onOpenShift(ctx);
    return containersOfObject(o.manifest).flatMap((p) => containerProblems(p, openShift));
  },
};
