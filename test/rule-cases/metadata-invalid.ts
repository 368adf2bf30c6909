import { execFileSync } from 'child_process';
import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { kubectlBinary } from '../setup/kubectl';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityMessages, treeRuleFound } from '../util';

const messages = (metadata: unknown) =>
  severityMessages(ruleFound('metadata-invalid', [{ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata } }], { platform: 'kserve' }));

// label keys and values from apimachinery's validation tests (pkg/apis/meta/v1/validation TestValidateLabels,
// util/validation TestIsQualifiedName / TestIsValidLabelValue), written out here
describe('metadata-invalid: label keys and values', () => {
  test.each([
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'a.b.c/0',
  ])('key %s is a qualified name', (key) => {
    expect(messages({ name: 'c', labels: { [key]: 'v' } })).toEqual([]);
  });

  test.each(['nospecialchars%^=@', 'cantendwithadash-', 'only/one/slash', 'Example.com/abc', '/simple', 'simple/', 'a'.repeat(64)])(
    'key %s is refused',
    (key) => {
      expect(messages({ name: 'c', labels: { [key]: 'v' } })).toEqual([
        ['error', expect.stringMatching(new RegExp(`^metadata.labels key '.*' is not a qualified name`))],
      ]);
    },
  );

  test.each(['', 'simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63)])('value %p is a label value', (value) => {
    expect(messages({ name: 'c', labels: { k: value } })).toEqual([]);
  });

  test('a value of 64 characters, or with other characters, is refused', () => {
    expect(messages({ name: 'c', labels: { k: 'a'.repeat(64), j: 'nospecialchars%^=@', i: '-dash' } }).map((m) => m[1])).toEqual([
      expect.stringContaining("metadata.labels.i '-dash' is not a label value"),
      "metadata.labels.j 'nospecialchars%^=@' is not a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the API server refuses the object; shorten it or move it to an annotation",
      expect.stringContaining("metadata.labels.k 'aaaa"),
    ]);
    expect(messages({ name: 'c', labels: { k: 'a'.repeat(64) } })[0][1]).toContain('(64 characters, at most 63)');
  });

  test("a live object's resourceVersion is live-object-fields' (one finding naming the export), not this rule's", () => {
    expect(messages({ name: 'c', resourceVersion: '48211', uid: '5e2f1a8c-0c1d-4c55-9a0e-1f2e3d4c5b6a', managedFields: [] })).toEqual([]);
    const rules = runChecks([{ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '48211' } } }], { platform: 'kserve' })
      .filter((f) => f.severity === 'error')
      .map((f) => f.rule);
    expect(rules).toEqual(['live-object-fields']);
  });

  test('a key or value another tool fills in (envsubst, Helm) is judged once rendered', () => {
    expect(messages({ name: 'c', labels: { 'machine.openshift.io/cluster-api-cluster': '${INFRA_ID}', k: '{{ .Values.team }}', $KEY: 'v' } })).toEqual([]);
    // an unquoted {{ NAME }} reads as a mapping { '{ NAME }': null }: still a template, not an object name
    expect(messages({ name: { '{ NAME }': null }, namespace: { '{NAMESPACE}': null } })).toEqual([]);
    expect(messages({ name: { real: 'map' } }).map((m) => m[0])).toEqual(['error']);
    // a guide's fill-in <UPPER_CASE> word is a placeholder too; a lower-case <tag> or a one-letter <T> is text
    expect(messages({ name: 'c', labels: { app: '<WORKBENCH_NAME>', 'kubernetes.io/metadata.name': '<PROJECT>' } })).toEqual([]);
    expect(messages({ name: 'c', labels: { app: '<workbench>' } }).map((m) => m[0])).toEqual(['error']);
    expect(messages({ name: 'c', labels: { app: '<T>' } }).map((m) => m[0])).toEqual(['error']);
  });
});

describe('metadata-invalid: types', () => {
  test('a value YAML reads as a bool or a number is refused, with the quoted form', () => {
    expect(messages({ name: 'c', labels: { 'opendatahub.io/dashboard': true }, annotations: { 'argocd.argoproj.io/sync-wave': 0 } }).map((m) => m[1])).toEqual([
      'metadata.annotations.argocd.argoproj.io/sync-wave is number 0, not a string: YAML reads it so and the API server refuses the object ("cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string"); quote it: argocd.argoproj.io/sync-wave: "0"',
      'metadata.labels.opendatahub.io/dashboard is bool true, not a string: YAML reads it so and the API server refuses the object ("cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"); quote it: opendatahub.io/dashboard: "true"',
    ]);
  });

  test('null values and null maps decode to empty (encoding/json keeps the zero value): no finding', () => {
    expect(messages({ name: 'c', labels: { k: null }, annotations: null })).toEqual([]);
    expect(messages({ name: null })).toEqual([]);
  });

  test('annotations written as one string (no space after the colon) are not a map', () => {
    expect(messages({ name: 'c', annotations: 'argocd.argoproj.io/sync-wave:"0"' })).toEqual([
      [
        'error',
        'metadata.annotations is string ("argocd.argoproj.io/sync-wave:\\"0\\""), not a map: the API server refuses the object ("cannot unmarshal string into Go struct field ObjectMeta.metadata.annotations of type map[string]string"): put a space after the colon',
      ],
    ]);
    expect(messages({ name: 'c', labels: ['app=web'] })[0][1]).toMatch(/^metadata.labels is array, not a map: .*write it as a map of key: value$/);
  });

  test('a name that is a number is refused', () => {
    expect(messages({ name: 2024 })[0][1]).toMatch(/^metadata.name is number, not a string: .*quote it$/);
  });

  test('annotation keys are checked lower-cased (ValidateAnnotations), label keys as written', () => {
    expect(messages({ name: 'c', annotations: { 'Example.com/Owner': 'x' } })).toEqual([]);
    expect(messages({ name: 'c', annotations: { 'has space': 'x' } })[0][1]).toMatch(/^metadata.annotations key 'has space' is not a qualified name/);
  });

  test('annotations over 256 KiB in all are refused; exactly 256 KiB is admitted', () => {
    const limit = 256 * 1024;
    expect(messages({ name: 'c', annotations: { a: 'x'.repeat(limit - 1) } })).toEqual([]);
    expect(messages({ name: 'c', annotations: { a: 'x'.repeat(limit), b: 'y' } }).map((m) => m[1])).toEqual([
      expect.stringMatching(/^metadata.annotations total 262147 bytes/),
    ]);
  });
});

// kubectl kustomize (v5, kyaml) builds annotations that are no map away, writes annotation values as strings and
// keeps label values as they are: checked here against the kubectl binary
describe('metadata-invalid through a kustomization', () => {
  const CM = (meta: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ai\n${meta}\ndata: {k: v}\n`;
  const run = (meta: string) => {
    const dir = writeTree({ 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': CM(meta) }, 'metadata-invalid-');
    const built = execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8' });
    const { manifests } = readManifests([dir]);
    const found = severityMessages(ruleFound('metadata-invalid', manifests, { platform: 'kserve' }));
    return { built, found };
  };

  test('annotations written as a string: kustomize drops them, a warning', () => {
    const { built, found } = run('  annotations: \'argocd.argoproj.io/sync-wave:"2"\'');
    expect(built).not.toContain('sync-wave');
    expect(found).toEqual([
      [
        'warning',
        'metadata.annotations is string ("argocd.argoproj.io/sync-wave:\\"2\\""), not a map: kustomize builds the object without them, so none of them reaches the cluster (a sync-wave or hook among them is ignored): put a space after the colon',
      ],
    ]);
  });

  test('an annotation value YAML reads as a number: kustomize writes it as a string, no finding', () => {
    const { built, found } = run('  annotations:\n    argocd.argoproj.io/sync-wave: 2');
    expect(built).toContain('argocd.argoproj.io/sync-wave: "2"');
    expect(found).toEqual([]);
  });

  test('a label value YAML reads as a bool: kustomize keeps it, the API server refuses it', () => {
    const { built, found } = run('  labels:\n    opendatahub.io/dashboard: true');
    expect(built).toContain('opendatahub.io/dashboard: true');
    expect(found.map((f) => f[0])).toEqual(['error']);
  });
});

describe('metadata-invalid: label syntax the API validates in a spec', () => {
  const found = (manifest: Record<string, unknown>) => severityMessages(ruleFound('metadata-invalid', [{ manifest }], { platform: 'kserve' }));
  const flavor = (spec: Record<string, unknown>) => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'tas' }, spec });
  // kueue pkg/webhooks/resourceflavor_webhook_test.go: an invalid label key, an invalid taint key
  test("a ResourceFlavor's nodeLabels and nodeTaints keys and values, as Kueue's webhook validates them", () => {
    expect(found(flavor({ nodeLabels: { 'cloud.provider.com/': 'tas-group', 'x/y': 'bad value' } }))).toEqual([
      [
        'error',
        expect.stringMatching(/^spec\.nodeLabels key 'cloud\.provider\.com\/' is not a qualified name .*Kueue's ResourceFlavor webhook refuses the object/),
      ],
      ['error', expect.stringMatching(/^spec\.nodeLabels\.x\/y 'bad value' is not a label value/)],
    ]);
    expect(
      found(
        flavor({
          nodeTaints: [
            { key: 'foo@bar', value: 'v', effect: 'NoSchedule' },
            { key: 'ok', value: '-bad', effect: 'NoSchedule' },
          ],
        }),
      ),
    ).toEqual([
      ['error', expect.stringMatching(/^spec\.nodeTaints\[0\]\.key 'foo@bar' is not a qualified name/)],
      ['error', expect.stringMatching(/^spec\.nodeTaints\[1\]\.value '-bad' is not a label value/)],
    ]);
    expect(found(flavor({ tolerations: [{ key: 'a/b/c', operator: 'Exists' }] }))).toEqual([
      ['error', expect.stringMatching(/^spec\.tolerations\[0\]\.key 'a\/b\/c' is not a qualified name/)],
    ]);
    // near misses: prefixed and dotted keys, an empty value, a toleration with no key (it tolerates every taint)
    expect(
      found(
        flavor({
          nodeLabels: { 'cloud.provider.com/topology-block': 'b1', 'instance-type': '' },
          nodeTaints: [{ key: 'nvidia.com/gpu', value: '', effect: 'NoSchedule' }],
          tolerations: [{ operator: 'Exists' }],
        }),
      ),
    ).toEqual([]);
  });
  test("a workload's nodeSelector and pod template labels; an InferenceService's predictor refuses the Deployment KServe makes", () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd', 'team/': 'x' } },
          spec: { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA L40S' }, containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    expect(found(deployment)).toEqual([
      ['error', expect.stringMatching(/^spec\.template\.metadata\.labels key 'team\/' is not a qualified name .*the API server refuses the object/)],
      ['error', expect.stringMatching(/^spec\.template\.spec\.nodeSelector\.nvidia\.com\/gpu\.product 'NVIDIA L40S' is not a label value/)],
    ]);
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 's', namespace: 'ai' },
      spec: { predictor: { nodeSelector: { 'gpu type': 'l40s' }, model: { modelFormat: { name: 'vLLM' }, storageUri: 'hf://org/m' } } },
    };
    expect(found(isvc)).toEqual([['error', expect.stringMatching(/^spec\.predictor\.nodeSelector key 'gpu type' .*the Deployment KServe makes from it/)]]);
    // a placeholder is judged once rendered
    const templated = { ...isvc, spec: { predictor: { nodeSelector: { 'node.kubernetes.io/instance-type': '${INSTANCE_TYPE}' } } } };
    expect(found(templated)).toEqual([]);
  });
});

// names from apimachinery's validation tests (util/validation TestIsDNS1123Subdomain, TestIsDNS1123Label), written out here
describe('metadata-invalid: names and namespaces', () => {
  const of = (manifest: Record<string, unknown>) =>
    runChecks([{ manifest }], { platform: 'kserve' })
      .filter((f) => f.rule === 'metadata-invalid' || f.rule === 'unrendered-placeholder')
      .map((f) => `${f.rule} ${f.severity}: ${f.message}`);
  const cm = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });

  test.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '0-1', 'a.a', 'a.1', '1.a', 'a-1.a-1b', `${'a'.repeat(63)}.${'b'.repeat(63)}`])(
    'ConfigMap name %s is a DNS subdomain',
    (name) => {
      expect(of(cm(name, 'ai'))).toEqual([]);
    },
  );

  test.each(['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '_', 'a_b', 'a..b', '_.a', 'a.', '.a', 'a b', 'a'.repeat(254)])(
    'ConfigMap name %p is refused',
    (name) => {
      expect(of(cm(name))).toEqual(
        name === '' ? [] : [expect.stringMatching(/^metadata-invalid error: metadata.name '.*' is not a valid ConfigMap name \(a DNS subdomain/)],
      );
    },
  );

  test('a Namespace or a Service is named by a DNS label (no dots); a namespace that is no label is refused', () => {
    expect(of({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rag.demo' } })).toEqual([
      expect.stringMatching(/^metadata-invalid error: metadata.name 'rag.demo' is not a valid Namespace name \(a DNS label: at most 63/),
    ]);
    expect(of(cm('settings', 'Team_A'))).toEqual([expect.stringMatching(/^metadata-invalid error: metadata.namespace 'Team_A' is not a namespace name/)]);
  });

  test('RBAC names are path segments (system:… roles), InferenceService names are judged by inference-service-name: not judged here', () => {
    expect(of({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:openshift:scc:anyuid' } })).toEqual([]);
  });

  test('a placeholder in a name is unrendered-placeholder’s alone, an error: ${VAR}, and a guide’s <NAME> or <name> nothing fills, which leaves no DNS name', () => {
    expect(of({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: '<YOUR_PROJECT_NAME>' } })).toEqual([
      "unrendered-placeholder error: metadata.name holds '<YOUR_PROJECT_NAME>': a placeholder left to be replaced by hand, and no name or hostname admits '<' or '>': applied as it is, the API server refuses the object; write the real value",
    ]);
    expect(of(cm('settings', '<your-namespace>'))).toEqual([
      expect.stringMatching(/^unrendered-placeholder error: metadata.namespace holds '<your-namespace>'/),
    ]);
    expect(of(cm('${APP}-settings', 'ai'))).toEqual([expect.stringMatching(/^unrendered-placeholder error: metadata.name holds '\$\{APP\}'/)]);
  });

  test('hostnames holding <NAME>: an Ingress host, a Gateway listener; a Route host written out and text for humans are not judged', () => {
    const templated = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: { host: 'chat.${DOMAIN}', to: { name: 'chat' } },
    };
    expect(of(templated)).toEqual([expect.stringMatching(/^unrendered-placeholder error: spec.host holds '\$\{DOMAIN\}'/)]);
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'inference', namespace: 'openshift-ingress', annotations: { description: 'set <CLUSTER_DOMAIN> before applying' } },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'inference.apps.<CLUSTER_DOMAIN>' }] },
    };
    // no DNS subdomain holds '<' or '>': the Gateway API's hostname pattern refuses it, an error
    expect(of(gateway)).toEqual([expect.stringMatching(/^unrendered-placeholder error: spec.listeners\[0\].hostname holds '<CLUSTER_DOMAIN>'/)]);
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: { rules: [{ host: 'chat.<domain>' }] },
    };
    expect(of(ingress)).toEqual([expect.stringMatching(/^unrendered-placeholder error: spec.rules\[0\].host holds '<domain>'/)]);
    const route = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: { host: 'chat.apps.example.com', to: { name: 'chat' } },
    };
    expect(of(route)).toEqual([]);
    const described = {
      ...cm('settings', 'ai'),
      metadata: { name: 'settings', namespace: 'ai', annotations: { 'openshift.io/description': 'Replace <PROJECT> in the guide' } },
    };
    expect(of(described)).toEqual([]);
  });
});

describe('metadata-invalid: names of a file the reader takes for a template', () => {
  const JOB =
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job_ID_\n  namespace: bench\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: run, image: "quay.io/example/bench:1"}]\n';
  const verdicts = (file: string) =>
    severityMessages(ruleFound('metadata-invalid', readManifests([writeTree({ [file]: JOB }, 'template-names-')]).manifests, { platform: 'kserve' }));

  test('job-template.yaml: the invalid name is a warning naming why the file is a template', () => {
    expect(verdicts('job-template.yaml')).toEqual([
      [
        'warning',
        expect.stringMatching(
          /metadata\.name 'job_ID_' is not a valid Job name .* \(judged as a template, since its name job-template\.yaml marks a template: if it is applied as it is\)$/,
        ),
      ],
    ]);
  });

  test('near miss: the same object in job.yaml is refused (error)', () => {
    expect(verdicts('job.yaml')).toEqual([['error', expect.stringMatching(/metadata\.name 'job_ID_' is not a valid Job name/)]]);
  });
});

describe('metadata-invalid: names in a file taken for a template', () => {
  const job = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'train' }, spec: {} });
  const found = (name: string, sedFills?: string[]) =>
    runChecks(
      [{ manifest: job(name), file: 'train.yaml-template', template: 'its name train.yaml-template marks a template', ...(sedFills ? { sedFills } : {}) }],
      {
        platform: 'kserve',
        rules: ['metadata-invalid'],
      },
    ).map((f) => [f.severity, f.message.includes('judged as a template')]);

  test('a bad name the rendering cannot change (an underscore, no token): the error, as it is applied as written', () => {
    expect(found('llama2_7b-fsdp')).toEqual([['error', false]]);
  });

  test('a name holding what a renderer fills (capitals of a token, a sed token): the warning', () => {
    expect(found('job_ID_-run')).toEqual([['warning', true]]);
    expect(found('run_job_x', ['_job_'])).toEqual([['warning', true]]);
  });

  test('a name in template syntax is judged once rendered: no error', () => {
    expect(found('{{ .Values.name }}-x').filter(([s]) => s === 'error')).toEqual([]);
  });
});

describe('metadata-invalid: a name holding a token a script seds before it applies the file', () => {
  const hpa = (name: string) =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}\n  minReplicas: 1\n  maxReplicas: 3\n  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}\n`;
  const SCRIPT = '#!/bin/bash\nset -e\nACC=${1:-team1}\nsed -i -e "s|V_ACC|$ACC|" manifests/hpa.yaml\nkubectl apply -f manifests/\n';
  const found = async (files: Record<string, string>) =>
    severityMessages(
      (await treeRuleFound('metadata-invalid', 'metadata-sed-', files, ['--platform', 'kserve'])).filter((f) => f.object.startsWith('HorizontalPodAutoscaler')),
    );

  test('app-V_ACC in the file the script seds: a warning naming the script (it was an error: the token is no placeholder word)', async () => {
    expect(await found({ 'deploy.sh': SCRIPT, 'manifests/hpa.yaml': hpa('app-V_ACC') })).toEqual([
      [
        'warning',
        "metadata.name 'app-V_ACC' is not a valid HorizontalPodAutoscaler name (a DNS subdomain: at most 253 lowercase letters, digits and '-' and '.', starting and ending with a letter or digit): the API server refuses the object; rename it (judged as a template, since deploy.sh (line 4) fills it with sed (replacing 'V_ACC') before applying it: if it is applied as it is)",
      ],
    ]);
  });

  test('still fires: the same name in a file no script seds is applied as written', async () => {
    expect(await found({ 'deploy.sh': SCRIPT, 'manifests/hpa.yaml': hpa('app-ok'), 'manifests/other.yaml': hpa('app-V_ACC') })).toEqual([
      ['error', expect.stringMatching(/^metadata\.name 'app-V_ACC' is not a valid HorizontalPodAutoscaler name .*rename it$/)],
    ]);
  });
});
