import { acceleratorBuildOf } from '../../catalog/vllm-images';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { requestsAccelerator } from '../gpu-supply';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { MULTI_POD_KINDS, templatePods } from '../pod-templates';
import { podSpecPath } from '../pod-spec-fields';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** Words of a claim, a device class or its CEL selector that say it asks for a GPU (NVIDIA's gpu.nvidia.com driver, a MIG slice, AMD's). */
const GPU_WORD = /gpu|nvidia|\bmig\b|mig-|cuda|amd\.com|accelerator/i;

/** Command-line text that runs code on a GPU: PyTorch's CUDA calls, nvidia-smi, CuPy, TensorFlow's GPU devices, nvcc. */
const GPU_CODE = /\btorch\.cuda\b|\bnvidia-smi\b|\bcupy\b|\.to\(\s*["']cuda|device\s*=\s*["']cuda|list_physical_devices\(\s*["']GPU|\bnvcc\b/;

/** The device class names of a ResourceClaim's (or a template's) requests: resource.k8s.io v1 `exactly`, v1beta1 plain, `firstAvailable` alternatives. */
function deviceClassNames(claimSpec: Loose): string[] {
  return mappings(mapping(claimSpec.devices).requests).flatMap((r) =>
    [mapping(r.exactly).deviceClassName, r.deviceClassName, ...mappings(r.firstAvailable).map((a) => a.deviceClassName)].flatMap((n) => text(n) ?? []),
  );
}

/** What the tree says a pod claim asks for: its template or claim, their device classes and those classes' CEL selectors. */
function claimWords(entry: Loose, graph: ObjectGraph, ns: string | undefined): { described: string; words: string[] } {
  const templateName = text(entry.resourceClaimTemplateName);
  const claimName = text(entry.resourceClaimName);
  const source = templateName ? graph.find('ResourceClaimTemplate', templateName, ns) : claimName ? graph.find('ResourceClaim', claimName, ns) : undefined;
  const spec = templateName ? mapping(mapping(source?.manifest.spec).spec) : mapping(source?.manifest.spec);
  const classes = deviceClassNames(spec);
  const selectors = classes.flatMap((c) =>
    mappings(mapping(graph.find('DeviceClass', c)?.manifest.spec).selectors).flatMap((s) => text(mapping(s.cel).expression) ?? []),
  );
  const from = templateName ? `ResourceClaimTemplate ${templateName}` : claimName ? `ResourceClaim ${claimName}` : 'no claim source';
  const described = classes.length ? `${from}, device class ${classes.join(', ')}` : from;
  return { described, words: [text(entry.name) ?? '', templateName ?? '', claimName ?? '', ...classes, ...selectors] };
}

/** The container whose command line runs GPU code (or vLLM's CUDA or ROCm build), with what shows it. */
function gpuCodeIn(containers: readonly Loose[]): { name: string; shown: string } | undefined {
  for (const c of containers) {
    const code = GPU_CODE.exec([...strings(c.command), ...strings(c.args)].join('\n'));
    const build = acceleratorBuildOf(text(c.image) ?? '');
    if (code || build) return { name: text(c.name) ?? '<unnamed>', shown: code ? `its command runs ${code[0]}` : `it runs vLLM's ${build?.build} build` };
  }
  return undefined;
}

/** One pod spec's claims that no container or init container lists in resources.claims. */
function unconsumed(pod: Loose, at: string, graph: ObjectGraph, ns: string | undefined): Problem[] {
  const containers = [...mappings(pod.initContainers), ...mappings(pod.containers)];
  const listed = new Set(containers.flatMap((c) => mappings(mapping(c.resources).claims).flatMap((r) => text(r.name) ?? [])));
  return mappings(pod.resourceClaims).flatMap((entry): Problem[] => {
    const name = text(entry.name);
    if (!name || listed.has(name)) return [];
    const { described, words } = claimWords(entry, graph, ns);
    const gpuClaim = words.some((w) => GPU_WORD.test(w));
    const code = gpuCodeIn(mappings(pod.containers));
    if (!gpuClaim && !code) return [];
    const only = gpuClaim && !requestsAccelerator(containers);
    const head =
      `${at}.resourceClaims '${name}' (${described}) is listed in no container's or init container's resources.claims: ` +
      `the kubelet prepares its devices but hands them to no container (the runtime gets the CDI devices of the claims a container lists)`;
    const fix = `; list it in the container that uses it (resources.claims: [{name: ${name}}])`;
    if (only && code) {
      return [{ message: `${head}, so container '${code.name}' sees no GPU though ${code.shown}, and fails or runs on CPU${fix}` }];
    }
    const maybe = only ? 'no container gets the GPU the claim allocates' : 'no container gets the claimed devices';
    return [
      { severity: 'warning', message: `${head}: ${maybe}, unless its driver acts on the pod as a whole (a network driver), which a GPU driver does not${fix}` },
    ];
  });
}

export const resourceClaimUnconsumed: Rule = {
  id: 'resource-claim-unconsumed',
  title: "a pod's resourceClaims entry (DRA) that no container lists in resources.claims: the claimed GPU reaches no container",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    'a pod spec (a workload template, a Pod, each template of a multi-pod kind) has a spec.resourceClaims entry whose name no container or init container lists in resources.claims, and the claim asks for a GPU ' +
    "(its name, its ResourceClaimTemplate or ResourceClaim in the tree, their device classes or those classes' CEL selectors say gpu, nvidia, MIG, cuda, amd.com, accelerator) or a container runs GPU code. " +
    "The kubelet prepares every claim of the pod but passes a container the CDI devices of the claims that container lists only. An error when the pod asks for a GPU through such claims alone (no container requests an extended resource) and a container's command line shows GPU code (torch.cuda, nvidia-smi, CuPy, a vLLM CUDA build); else a warning. A claim whose words say no GPU and no GPU code runs is not judged: a driver acting on the pod's sandbox (a network device) needs no container to list it",
  example: '`resourceClaimTemplateName: trainer-gpu` in the pod and `torch.cuda` in a container whose `resources: {}` lists no claim',
  fix: 'add resources.claims: [{name: <claim>}] to each container (or init container) that uses the device; with several requests in the claim, name the request too',
  source:
    'kubernetes/kubernetes pkg/kubelet/cm/dra/manager.go Manager.GetResources (CDI devices only for the pod claims the container lists in Resources.Claims; PrepareResources prepares all of the pod\'s); k8s.io/api core/v1 types.go PodSpec.ResourceClaims ("made available to those containers which consume them by name") and ResourceRequirements.Claims; Kubernetes docs "Dynamic Resource Allocation" (workloads reference a claim in spec.resourceClaims and the containers\' resources.claims); KEP-4381',
  check(o: GraphObject, ctx) {
    const m = o.manifest;
    const ns = ctx.graph.namespaceOf(m);
    const own = podSpecOf(m);
    const pods = [
      ...(own ? [{ pod: own, at: podSpecPath(m) }] : []),
      ...templatePods(m).map((t) => ({ pod: mapping(t.manifest.spec), at: `${t.prefix}spec` })),
    ];
    return pods.flatMap(({ pod, at }) => unconsumed(pod, at, ctx.graph, ns));
  },
};
