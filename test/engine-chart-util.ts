/**
 * The template of a vLLM Deployment in a local Helm chart, shared by the suites that deliver a chart (a folder, an
 * Argo CD Application, a Validated Pattern): its model, tensor parallel size and GPU count come from the values, so
 * a values file that asks more GPUs than the tensor parallel size uses shows whether the check rendered it.
 */
export function engineTemplate(options: { readonly namespaced?: boolean; readonly env?: string } = {}): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}-engine',
    ...(options.namespaced ? ['  namespace: {{ .Release.Namespace }}'] : []),
    'spec:',
    '  selector:',
    '    matchLabels: {app: {{ .Release.Name }}}',
    '  template:',
    '    metadata:',
    '      labels: {app: {{ .Release.Name }}}',
    '    spec:',
    '      containers:',
    '        - name: engine',
    '          image: vllm/vllm-openai:v0.11.0',
    '          args:',
    '            - --model=/models/{{ .Values.model }}',
    '            - --tensor-parallel-size={{ .Values.tp }}',
    ...(options.env ? ['          env:', ...options.env.split('\n').map((l) => `            ${l}`)] : []),
    '          resources:',
    '            limits:',
    '              nvidia.com/gpu: {{ .Values.gpus }}',
    '',
  ].join('\n');
}
