/**
 * A vLLM Deployment on a GKE L4 node whose container writes `env:` twice, the given list lines under each (YAML keeps
 * the second): the case of duplicate-key's and gke-driver-path-missing's rule cases.
 */
export function deploymentWithEnvTwice(first: string, second: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: chat, namespace: ai}',
    'spec:',
    '  selector: {matchLabels: {app: chat}}',
    '  template:',
    '    metadata: {labels: {app: chat}}',
    '    spec:',
    '      nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}',
    '      containers:',
    '        - name: vllm',
    '          image: vllm/vllm-openai:v0.10.1',
    '          args: [--model, org/small-chat]',
    '          env:',
    first,
    '          resources: {limits: {nvidia.com/gpu: "1"}}',
    '          env:',
    second,
    '',
  ].join('\n');
}
