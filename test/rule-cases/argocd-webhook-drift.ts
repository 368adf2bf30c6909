import * as YAML from 'yaml';
import { jqPointer } from '../../lib/check/rules/argocd-webhook-drift';
import { cliInProcess, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly object: string;
  readonly message: string;
}

/** A vLLM service in the deployment mode given, with its runtime, in the folder an Application delivers. */
function serving(mode: string): Record<string, string> {
  const runtime = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm', namespace: 'llm' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'quay.io/vllm/vllm:v0.9.2', args: ['--port=8080', '--model=/mnt/models'] }],
    },
  };
  const service = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'assistant', namespace: 'llm', annotations: { 'serving.kserve.io/deploymentMode': mode } },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'oci://quay.io/example/assistant-modelcar:2.1' } } },
  };
  return {
    'deploy/kustomization.yaml': 'resources: [runtime.yaml, service.yaml]\n',
    'deploy/runtime.yaml': YAML.stringify(runtime),
    'deploy/service.yaml': YAML.stringify(service),
  };
}

/** The Application delivering deploy/, with its sync policy and ignoreDifferences. */
function application(syncPolicy: unknown, ignoreDifferences?: unknown[]): string {
  return YAML.stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'assistant', namespace: 'openshift-gitops' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/team/assistant.git', targetRevision: 'main', path: 'deploy' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'llm' },
      syncPolicy,
      ...(ignoreDifferences ? { ignoreDifferences } : {}),
    },
  });
}

const SELF_HEAL = { automated: { prune: true, selfHeal: true } };

async function findings(files: Record<string, string>, platform: string): Promise<Finding[]> {
  const dir = writeTree('webhook-drift-', files);
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', platform, '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'argocd-webhook-drift');
}

describe('argocd-webhook-drift: a deprecated deploymentMode alias the defaulter rewrites', () => {
  test('RawDeployment on OpenShift AI 3.4 under selfHeal: a warning naming Standard and ignoreDifferences', async () => {
    const [f, ...rest] = await findings({ ...serving('RawDeployment'), 'apps/assistant.yaml': application(SELF_HEAL) }, 'rhoai-3.4');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.object).toBe('Application/openshift-gitops/assistant');
    expect(f.message).toContain("serving.kserve.io/deploymentMode 'RawDeployment'");
    expect(f.message).toContain("rewrites to 'Standard'");
    expect(f.message).toContain('/metadata/annotations/serving.kserve.io~1deploymentMode');
    expect(f.message).toContain("selfHeal fights the webhook; write 'Standard' or ignore those fields");
  });

  test('upstream KServe: the same warning; without selfHeal only a note', async () => {
    expect((await findings({ ...serving('RawDeployment'), 'apps/assistant.yaml': application(SELF_HEAL) }, 'kserve')).map((f) => f.severity)).toEqual([
      'warning',
    ]);
    const [note] = await findings({ ...serving('RawDeployment'), 'apps/assistant.yaml': application({ syncOptions: ['CreateNamespace=true'] }) }, 'rhoai-3.4');
    expect(note.severity).toBe('info');
    expect(note.message).toContain('nothing fights the webhook');
  });

  test('near misses: Standard written, the annotation ignored, KServe 0.15 (no rewrite), an upstream tree pinning KServe 0.16', async () => {
    expect(await findings({ ...serving('Standard'), 'apps/assistant.yaml': application(SELF_HEAL) }, 'rhoai-3.4')).toEqual([]);
    const byPointer = [{ group: 'serving.kserve.io', kind: 'InferenceService', jsonPointers: ['/metadata/annotations/serving.kserve.io~1deploymentMode'] }];
    expect(await findings({ ...serving('RawDeployment'), 'apps/assistant.yaml': application(SELF_HEAL, byPointer) }, 'rhoai-3.4')).toEqual([]);
    const byJq = [{ group: 'serving.kserve.io', kind: 'InferenceService', jqPathExpressions: ['.metadata.annotations["serving.kserve.io/deploymentMode"]'] }];
    expect(await findings({ ...serving('RawDeployment'), 'apps/assistant.yaml': application(SELF_HEAL, byJq) }, 'rhoai-3.4')).toEqual([]);
    expect(await findings({ ...serving('RawDeployment'), 'apps/assistant.yaml': application(SELF_HEAL) }, 'rhoai-3.0')).toEqual([]);
    const pinned = { 'install/kustomization.yaml': 'resources:\n  - https://github.com/kserve/kserve/releases/download/v0.16.0/kserve.yaml\n' };
    expect(await findings({ ...serving('RawDeployment'), ...pinned, 'apps/assistant.yaml': application(SELF_HEAL) }, 'kserve')).toEqual([]);
  });

  test('jq paths read as JSON pointers', () => {
    expect(jqPointer('.spec.predictor.nodeSelector')).toBe('/spec/predictor/nodeSelector');
    expect(jqPointer('.metadata.annotations["serving.kserve.io/deploymentMode"]')).toBe('/metadata/annotations/serving.kserve.io~1deploymentMode');
    expect(jqPointer('.metadata.annotations."a/b"')).toBe('/metadata/annotations/a~1b');
    expect(jqPointer('.spec.containers[] | select(.name == "x")')).toBeUndefined();
  });
});
