/** A rule's fixtures: manifests that fire it, and the near miss that does not. */
export interface RuleFixture {
  /** Manifests that show the rule's `example`: the rule fires on them. */
  readonly fires: string;
  /** The near miss: the example fixed; the rule stays silent. */
  readonly nearMiss: string;
  /** The build the objects are applied together in (a chart), for rules about one build. */
  readonly unit?: string;
}

export const DIGEST = `sha256:${'b'.repeat(64)}`;

export const runtime = (image: string, extra = '') => `
apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: vllm-runtime, namespace: ai}
spec:
  supportedModelFormats: [{name: vLLM, autoSelect: true}]
  containers:
    - name: kserve-container
      image: ${image}
      args: [--port=8080, --model=/mnt/models]${extra}
`;

export const service = (opts: { storageUri?: string; annotations?: string; env?: string } = {}) => `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
  namespace: ai
  annotations: {${opts.annotations ?? ''}}
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: vllm-runtime
      storageUri: ${opts.storageUri ?? 's3://models/m/'}
      storage: {key: minio-connection}${opts.env ? `\n      env:\n${opts.env}` : ''}
`;

/** A ClusterQueue of one flavor covering CPU, memory and GPUs, with that nominal quota and no cohort. */
export const clusterQueue = (name: string, flavor: string, quota: { cpu: string; memory: string; gpus: number | string }) => `
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: ${name}}
spec:
  namespaceSelector: {}
  resourceGroups:
    - coveredResources: [cpu, memory, nvidia.com/gpu]
      flavors:
        - name: ${flavor}
          resources:
            - {name: cpu, nominalQuota: '${quota.cpu}'}
            - {name: memory, nominalQuota: ${quota.memory}}
            - {name: nvidia.com/gpu, nominalQuota: '${quota.gpus}'}
`;
