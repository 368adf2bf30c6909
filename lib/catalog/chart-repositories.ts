/**
 * Well-known Helm chart repositories of GPU and LLM serving stacks and the charts each serves, to tell a chart name
 * that is a near miss of one of them (`nvidia-device-pugin`) from a chart of the repository. Each entry names where
 * its chart list comes from. `complete` is false where the repository serves more charts than listed (a vendor's
 * catalog): a near miss there may still be a chart of it.
 */
export interface ChartRepository {
  /** The repository's URLs as Flux HelmRepository spec.url or Argo CD repoURL write them (scheme and trailing `/` aside). */
  readonly urls: readonly string[];
  readonly charts: readonly string[];
  readonly complete: boolean;
  readonly source: string;
}

export const CHART_REPOSITORIES: readonly ChartRepository[] = [
  {
    urls: ['nvidia.github.io/k8s-device-plugin'],
    charts: ['nvidia-device-plugin', 'gpu-feature-discovery'],
    complete: true,
    source: 'NVIDIA/k8s-device-plugin deployments/helm (nvidia-device-plugin, gpu-feature-discovery), published to its gh-pages index.yaml',
  },
  {
    urls: ['nvidia.github.io/gpu-operator'],
    charts: ['gpu-operator'],
    complete: true,
    source: 'NVIDIA/gpu-operator deployments/gpu-operator (Chart.yaml name gpu-operator), published to its gh-pages index.yaml',
  },
  {
    urls: ['helm.ngc.nvidia.com/nvidia'],
    charts: ['gpu-operator', 'network-operator', 'k8s-nim-operator', 'nvidia-dra-driver-gpu'],
    complete: false,
    source:
      'NVIDIA GPU Operator, Network Operator, NIM Operator and DRA driver install docs (helm install … nvidia/<chart> from https://helm.ngc.nvidia.com/nvidia); NGC serves more charts',
  },
  {
    urls: ['ray-project.github.io/kuberay-helm'],
    charts: ['kuberay-operator', 'kuberay-apiserver', 'ray-cluster'],
    complete: true,
    source: 'ray-project/kuberay helm-chart/ (kuberay-operator, kuberay-apiserver, ray-cluster), published to ray-project/kuberay-helm index.yaml',
  },
  {
    urls: ['registry.k8s.io/kueue/charts'],
    charts: ['kueue'],
    complete: false,
    source:
      'kubernetes-sigs/kueue charts/kueue (pushed to oci://registry.k8s.io/kueue/charts by its release; the registry path may hold other charts of the project)',
  },
  {
    urls: ['vllm-project.github.io/production-stack'],
    charts: ['vllm-stack'],
    complete: true,
    source: 'vllm-project/production-stack helm/Chart.yaml (name vllm-stack), published to its gh-pages index.yaml',
  },
  {
    urls: ['otwld.github.io/ollama-helm', 'helm.otwld.com'],
    charts: ['ollama'],
    complete: true,
    source: 'otwld/ollama-helm Chart.yaml (name ollama), its index.yaml',
  },
  {
    urls: ['helm.openwebui.com', 'open-webui.github.io/helm-charts'],
    charts: ['open-webui', 'pipelines', 'mcpo', 'oikb', 'terminals'],
    complete: true,
    source: 'open-webui/helm-charts charts/ (open-webui, pipelines, mcpo, oikb, terminals) and its index.yaml',
  },
];

/** A repository URL as compared: no scheme, no trailing `/`, lower case. */
export function chartRepositoryKey(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^(?:oci|https?):\/\//, '')
    .replace(/\/+$/, '');
}

/** The catalogued repository a URL names, if any. */
export function catalogedChartRepository(url: string): ChartRepository | undefined {
  const key = chartRepositoryKey(url);
  return CHART_REPOSITORIES.find((r) => r.urls.includes(key));
}
