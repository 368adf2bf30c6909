import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const RUNTIME = `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: vllm-runtime, namespace: ai}
spec:
  supportedModelFormats: [{name: vLLM, autoSelect: true}]
  containers:
    - {name: kserve-container, image: 'quay.io/vllm/vllm@sha256:${'c'.repeat(64)}', args: [--port=8080, --model=/mnt/models]}
`;

/** A script that applies a service named `name` on runtime `runtime` from a heredoc opened with `delimiter`. */
const SCRIPT = (delimiter: string, name: string, runtime = 'vllm-runtime') => `#!/bin/bash
set -euo pipefail
svc_name="$1"
RUNTIME="$2"
cat <<${delimiter} | kubectl apply -f -
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
  namespace: ai
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: ${runtime}
      storageUri: s3://models/chat/
EOF
`;

const findings = (script: string) => {
  const read = readManifests([writeTree({ 'runtime.yaml': RUNTIME, 'deploy.sh': script }, 'isvc-name-')]);
  return runChecks(read.manifests, { ...read, platform: 'rhoai-3.0' })
    .filter((f) => f.rule === 'inference-service-name' || f.rule === 'runtime-not-found')
    .map((f) => [f.rule, f.severity, f.object, f.message]);
};

// bash manual, "Here Documents": an unquoted delimiter's body undergoes parameter expansion before the command reads
// it; any quoting of the delimiter ('EOF', "EOF", \EOF) keeps the body as written
describe('inference-service-name and runtime-not-found on a heredoc a script applies', () => {
  test.each(['$svc_name', '${svc_name}', 'chat-$svc_name'])('near miss: %s under an unquoted delimiter is filled by the shell', (name) => {
    expect(findings(SCRIPT('EOF', name, '$RUNTIME'))).toEqual([]);
  });

  test.each(["'EOF'", '"EOF"', '\\EOF'])('fires: under %s the name and runtime reach kubectl as written', (delimiter) => {
    expect(findings(SCRIPT(delimiter, '$svc_name', '$RUNTIME'))).toEqual([
      ['inference-service-name', 'error', 'InferenceService/ai/$svc_name', expect.stringContaining("'$svc_name' is not an InferenceService name")],
      // the tree holds the runtimes of namespace ai: a name none of them has is an error
      ['runtime-not-found', 'error', 'InferenceService/ai/$svc_name', expect.stringContaining("spec.predictor.model.runtime '$RUNTIME'")],
    ]);
  });

  test('fires: a literal name under an unquoted delimiter is judged as written', () => {
    expect(findings(SCRIPT('EOF', '7b-chat'))).toEqual([
      ['inference-service-name', 'error', 'InferenceService/ai/7b-chat', expect.stringContaining("'7b-chat' is not an InferenceService name")],
    ]);
  });
});
