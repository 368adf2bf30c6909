import * as YAML from 'yaml';
import { runChecks } from '../lib';
import { ALL_RULES } from '../lib/check/engine';
import { DELIVERY_FIXTURES } from './rules/delivery';
import { DIGEST, runtime, RuleFixture, service } from './rules/fixture';
import { SCHEDULING_FIXTURES } from './rules/scheduling';
import { SERVING_FIXTURES } from './rules/serving';

/**
 * Each rule's own fixtures, in the manner of kube-linter's tests/checks: its `example` written out as manifests
 * that fire it, and a near miss (the same manifests with the one thing the rule asks for put right) that does not.
 * Manifests are YAML as a user writes them; each case is checked as one tree, on OpenShift AI 3.0.
 */
const OWN_FIXTURES: Record<string, RuleFixture> = {
  // example: image: quay.io/vllm/vllm:latest
  'image-not-pinned': {
    fires: runtime('quay.io/vllm/vllm:latest'),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`),
  },
  // example: storageUri: oci://quay.io/org/granite-modelcar:latest
  'modelcar-not-pinned': {
    fires: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service({ storageUri: 'oci://quay.io/org/granite-modelcar:latest' }),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service({ storageUri: `oci://quay.io/org/granite-modelcar@${DIGEST}` }),
  },
  // example: kind: ClusterServingRuntime
  'cluster-serving-runtime': {
    fires: runtime(`quay.io/vllm/vllm@${DIGEST}`).replace('kind: ServingRuntime', 'kind: ClusterServingRuntime').replace(', namespace: ai', ''),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`),
  },
  // example: serving.kserve.io/deploymentMode: Serverless on OpenShift AI 3.0
  'deployment-mode': {
    fires: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service({ annotations: 'serving.kserve.io/deploymentMode: Serverless' }),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service({ annotations: 'serving.kserve.io/deploymentMode: RawDeployment' }),
  },
  // example: env: [{name: HF_TOKEN, value: hf_…}]
  'plaintext-secret': {
    fires: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service({ env: '        - {name: HF_TOKEN, value: hf_abcdefghijklmnopqrstuvwxyz012345}' }),
    nearMiss:
      runtime(`quay.io/vllm/vllm@${DIGEST}`) +
      '---' +
      service({ env: '        - name: HF_TOKEN\n          valueFrom: {secretKeyRef: {name: hf-token, key: token}}' }) +
      '---\napiVersion: v1\nkind: Secret\nmetadata: {name: hf-token, namespace: ai}\ntype: Opaque\n',
  },
  // example: runtime: vllm-cuda-runtime, with no ServingRuntime of that name in the namespace
  'runtime-not-found': {
    fires:
      runtime(`quay.io/vllm/vllm@${DIGEST}`).replace('name: vllm-runtime', 'name: vllm-other') +
      '---' +
      service().replace('runtime: vllm-runtime', 'runtime: vllm-cuda-runtime'),
    nearMiss:
      runtime(`quay.io/vllm/vllm@${DIGEST}`).replace('name: vllm-runtime', 'name: vllm-cuda-runtime') +
      '---' +
      service().replace('runtime: vllm-runtime', 'runtime: vllm-cuda-runtime'),
  },
  // example: two InferenceServices named llm in namespace ai in the files of one kustomization
  'duplicate-object': {
    fires: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service() + '---' + service(),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`) + '---' + service() + '---' + service().replace('name: llm', 'name: llm-2'),
    unit: 'serving',
  },
};

const FIXTURES: Record<string, RuleFixture> = { ...OWN_FIXTURES, ...SERVING_FIXTURES, ...SCHEDULING_FIXTURES, ...DELIVERY_FIXTURES };

/** Rules whose fixtures are still the mutation table of check.test.ts only: each leaves this list when it gets its own. */
const WITHOUT_OWN_FIXTURES: readonly string[] = ['argocd-path-missing', 'argocd-project-not-permitted', 'argocd-sync-order', 'argocd-webhook-drift'];

function rulesFiring(yaml: string, unit?: string): string[] {
  const docs = YAML.parseAllDocuments(yaml);
  // a mis-indented fixture must fail here, not be checked as a broken tree
  for (const d of docs) expect(d.errors.map((e) => e.message)).toEqual([]);
  const objects = docs.map((d, i) => ({
    manifest: d.toJS() as Record<string, unknown>,
    file: 'fixture.yaml',
    line: i + 1,
    ...(unit ? { unit } : {}),
  }));
  return [...new Set(runChecks(objects, { platform: 'rhoai-3.0' }).map((f) => f.rule))];
}

describe('each rule fires on its example and not on the near miss', () => {
  const cases = Object.entries(FIXTURES);

  test('fixtures name only rules that exist, and every other rule is listed as still without its own', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(cases.map(([id]) => id).filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.filter((id) => !(id in FIXTURES)).sort()).toEqual([...WITHOUT_OWN_FIXTURES].sort());
  });

  test.each(cases)('%s fires on its example', (id, f) => {
    expect(rulesFiring(f.fires, f.unit)).toContain(id);
  });

  test.each(cases)('%s stays silent on the near miss', (id, f) => {
    expect(rulesFiring(f.nearMiss, f.unit)).not.toContain(id);
  });
});
