import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { ChartRelease, chartReleases } from '../chart-releases';
import { Rule } from '../rule';
import { lookAlikeKind } from '../../k8s/kind-groups';

/**
 * KubeAI's Model controller (substratusai/kubeai internal/modelcontroller model_controller.go): the Model's
 * `resourceProfile: <name>:<count>` names a profile of the release's `resourceProfiles` (charts/kubeai values.yaml),
 * whose requests and limits it multiplies by the count for the server container; lookupServerImage takes
 * spec.image, else `modelServers.<engine>.images[<profile imageName>]`, else the `default` image.
 */

/** The kubeai chart releases of the tree (the kubeai chart by name). */
const kubeaiReleases = (releases: readonly ChartRelease[]) => releases.filter((r) => r.chart === 'kubeai');

/** The device-plugin resource domains of accelerators (NVIDIA, AMD, Google TPU, Intel, Habana, AWS Neuron). */
const ACCELERATOR = /^(nvidia\.com|amd\.com|google\.com|gpu\.intel\.com|habana\.ai|aws\.amazon\.com)\//;

/** The chart's `cpu` profile names imageName cpu (charts/kubeai values.yaml resourceProfiles.cpu). */
const CHART_PROFILE_IMAGE: Readonly<Record<string, string>> = { cpu: 'cpu' };

/** The chart's default VLLM image (charts/kubeai values.yaml modelServers.VLLM.images.default), a CUDA build. */
const CHART_DEFAULT_IMAGE = 'vllm/vllm-openai';

/** An image built for CPUs: its name or tag says cpu (`substratusai/vllm:v0.6.3-cpu`, `vllm-openai-cpu`, `vllm-cpu`). */
const CPU_IMAGE = /(^|[^a-z])cpu([^a-z]|$)/i;

/** Whether an image is vLLM's CUDA build (vllm/vllm-openai without a CPU tag): it looks for a GPU at start. */
const cudaVllm = (image: string) => /(^|\/)vllm\/vllm-openai(:|@|$)/.test(image) && !CPU_IMAGE.test(image);

/**
 * The image KubeAI gives the server: spec.image, else the release's image of the profile's imageName, else its
 * `default` (helm lays the values over the chart's, whose default is vLLM's CUDA build); undefined where the imageName
 * is one the chart may define (cpu, a TPU build) that the values do not set, whose image this check does not know.
 */
function serverImage(spec: Loose, profileName: string, profile: Loose, values: Loose): { image: string; from: string } | undefined {
  if (text(spec.image)) return { image: text(spec.image)!, from: 'spec.image' };
  const imageName = text(profile.imageName) ?? CHART_PROFILE_IMAGE[profileName] ?? 'default';
  const images = mapping(mapping(mapping(values.modelServers).VLLM).images);
  if (text(images[imageName])) return { image: text(images[imageName])!, from: `modelServers.VLLM.images.${imageName}` };
  if (imageName !== 'default') return undefined;
  return { image: CHART_DEFAULT_IMAGE, from: "the chart's default VLLM image" };
}

export const kubeaiVllmProfileNoAccelerator: Rule = {
  id: 'kubeai-vllm-profile-no-accelerator',
  title: "a KubeAI Model serves with vLLM's CUDA image on a resource profile that gives the pod no accelerator: vLLM fails to start",
  severity: 'error',
  // a Model of kubeai.org: another group's Model (the Ollama operator's) is indexed by its name alone
  appliesTo: [lookAlikeKind('Model', 'kubeai.org')],
  scope: 'graph',
  premise:
    "a kubeai.org Model with engine VLLM whose spec.resourceProfile `<name>:<count>` names a profile the tree's kubeai chart release (a Flux HelmRelease or an Argo CD Application of the chart kubeai, values written inline) defines under resourceProfiles, whose requests and limits name no accelerator resource (nvidia.com/, amd.com/, google.com/, gpu.intel.com/, habana.ai/, aws.amazon.com/), and whose server image is vLLM's CUDA build: spec.image, else the release's modelServers.VLLM.images entry of the profile's imageName (the chart's `cpu` profile names `cpu`), else `default`, which the chart sets to vllm/vllm-openai; not judged where the release's values come from elsewhere (valueFiles, valuesFrom), the profile is one of the chart's own, or the image is a CPU build or another engine's",
  example:
    'a Model with `engine: VLLM` and `resourceProfile: small:1` where the kubeai release values define the profile `small:` under `resourceProfiles:` with only cpu and memory, no imageName',
  fix: "give the profile the accelerator (limits nvidia.com/gpu: 1 and the GPU nodes' nodeSelector), or set its imageName to cpu (the chart's CPU build of vLLM), or serve the model with engine OLlama",
  source:
    'substratusai/kubeai internal/modelcontroller/model_controller.go (the profile\'s requests and limits multiplied by the count; lookupServerImage: spec.image, else modelServers images[imageName], else default) and charts/kubeai/values.yaml (resourceProfiles, modelServers.VLLM.images: default vllm/vllm-openai, cpu a CPU build); KubeAI docs concepts/resource-profiles; vllm-project/vllm vllm/config (DeviceConfig with device auto: "Failed to infer device type" where the CUDA build finds no GPU)',
  check(o, ctx) {
    if (!String(o.manifest.apiVersion ?? '').startsWith('kubeai.org/')) return [];
    const spec = mapping(o.manifest.spec);
    if (text(spec.engine) !== 'VLLM') return [];
    const [profileName, count] = (text(spec.resourceProfile) ?? '').split(':');
    if (!profileName || !/^\d+$/.test(count ?? '')) return [];
    const releases = ctx.graph.once('kubeai-releases', () => kubeaiReleases(chartReleases(ctx.graph)));
    return releases.flatMap((r) => {
      const profile = mapping(r.values.resourceProfiles)[profileName];
      if (r.valuesElsewhere || !isMapping(profile)) return [];
      const resources = [...new Set([...Object.keys(mapping(profile.requests)), ...Object.keys(mapping(profile.limits))])];
      if (resources.some((k) => ACCELERATOR.test(k))) return [];
      const server = serverImage(spec, profileName, profile, r.values);
      if (!server || !cudaVllm(server.image)) return [];
      const meta = mapping(r.object.manifest.metadata);
      const releaseName = `${String(r.object.manifest.kind)}/${text(meta.namespace) ?? ''}/${text(meta.name) ?? ''}`;
      return [
        {
          message:
            `spec.resourceProfile '${profileName}:${count}' names the profile the kubeai release ${releaseName} defines under resourceProfiles.${profileName}, which requests no accelerator (${resources.join(', ') || 'no resources'}), ` +
            `while the server runs ${server.image} (${server.from}), vLLM's CUDA build: the pod is given no GPU and vLLM stops at start ("Failed to infer device type"); ` +
            `add the accelerator to the profile's limits (nvidia.com/gpu) with the GPU nodes' nodeSelector, or set its imageName to cpu for the CPU build, or serve with engine OLlama`,
        },
      ];
    });
  },
};
