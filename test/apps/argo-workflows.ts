import * as YAML from 'yaml';
import { argoWorkflowPods } from '../../lib/check/argo-workflow-pods';
import { podTemplatesOf } from '../../lib/check/pod-templates';
import { cliInProcess, writeTree } from '../util';

/**
 * Argo Workflows templates read as the pods the workflow controller builds, after argo-workflows
 * workflow/controller/workflowpod_test.go (TestWFLevelNodeSelector, TestTmplLevelNodeSelector, TestWFLevelAffinity,
 * TestTmplLevelAffinity, TestWFLevelTolerations, TestTmplLevelTolerations, TestPodSpecPatch, TestMainContainerCustomization).
 */
const gpuAffinity = {
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }] } },
};
const wfSpec = (templates: object[], extra: object = {}) => ({
  entrypoint: 'main',
  serviceAccountName: 'runner',
  nodeSelector: { pool: 'cpu' },
  affinity: gpuAffinity,
  tolerations: [{ key: 'batch', operator: 'Exists' }],
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }],
  templates,
  ...extra,
});
const podOf = (spec: object, i = 0) => argoWorkflowPods(spec, 'spec')[i].template.spec;

describe('the pods of an Argo Workflows spec', () => {
  test('a container template inherits the workflow-level scheduling, account and volumes (WFLevel*)', () => {
    const pod = podOf(wfSpec([{ name: 'main', container: { image: 'alpine:3.20', command: ['true'] } }]));
    expect(pod).toEqual({
      serviceAccountName: 'runner',
      nodeSelector: { pool: 'cpu' },
      affinity: gpuAffinity,
      tolerations: [{ key: 'batch', operator: 'Exists' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }],
      containers: [{ name: 'main', image: 'alpine:3.20', command: ['true'] }],
    });
  });

  test("the template's own nodeSelector, tolerations and account win; `affinity: {}` clears the workflow's (TmplLevel*)", () => {
    const pod = podOf(
      wfSpec([
        {
          name: 'gpu',
          affinity: {},
          nodeSelector: { pool: 'gpu' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
          serviceAccountName: 'gpu-runner',
          script: { image: 'python:3.12', source: 'print(1)' },
        },
      ]),
    );
    expect(pod.affinity).toEqual({});
    expect(pod.nodeSelector).toEqual({ pool: 'gpu' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists' }]);
    expect(pod.serviceAccountName).toBe('gpu-runner');
    // a script's source is staged by the executor, not a container field
    expect(pod.containers).toEqual([{ name: 'main', image: 'python:3.12' }]);
  });

  test('steps, dag and suspend templates run no pod; a containerSet runs its containers, with sidecars and init containers', () => {
    const pods = argoWorkflowPods(
      wfSpec([
        { name: 'main', steps: [[{ name: 'a', template: 'set' }]] },
        { name: 'wait', suspend: {} },
        {
          name: 'set',
          containerSet: {
            containers: [
              { name: 'a', image: 'alpine:3.20' },
              { name: 'b', image: 'alpine:3.20' },
            ],
          },
          sidecars: [{ name: 'proxy', image: 'envoy:1.30' }],
          initContainers: [{ name: 'fetch', image: 'alpine:3.20' }],
        },
      ]),
      'spec',
    );
    expect(pods.map((p) => p.path)).toEqual(['spec.templates[2] (set)']);
    expect(pods[0].template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['a', 'b', 'proxy']);
    expect(pods[0].template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['fetch']);
  });

  test("the workflow's podSpecPatch and then the template's are merged by container name; a patch with {{…}} parameters is left out (TestPodSpecPatch)", () => {
    const pod = podOf(
      wfSpec(
        [
          {
            name: 'main',
            podSpecPatch: '{"containers":[{"name":"main","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}',
            container: { image: 'alpine:3.20', resources: { requests: { cpu: '1' } } },
          },
          {
            name: 'param',
            podSpecPatch: '{"containers":[{"name":"main","resources":{"limits":{"nvidia.com/gpu":"{{inputs.parameters.n}}"}}}]}',
            container: { image: 'alpine:3.20' },
          },
        ],
        { podSpecPatch: 'containers:\n  - name: main\n    imagePullPolicy: Always\n' },
      ),
    );
    expect(pod.containers).toEqual([
      { name: 'main', image: 'alpine:3.20', imagePullPolicy: 'Always', resources: { requests: { cpu: '1' }, limits: { 'nvidia.com/gpu': '1' } } },
    ]);
    const param = podOf(
      wfSpec([
        {
          name: 'param',
          podSpecPatch: '{"containers":[{"name":"main","resources":{"limits":{"nvidia.com/gpu":"{{inputs.parameters.n}}"}}}]}',
          container: { image: 'alpine:3.20' },
        },
      ]),
    );
    expect(param.containers).toEqual([{ name: 'main', image: 'alpine:3.20' }]);
  });

  test('parameters the workflow writes are filled in: workflow arguments, and a template input no caller passes (its value or default)', () => {
    const env = (name: string) => ({ name: name.toUpperCase(), valueFrom: { secretKeyRef: { name: `{{${name}}}`, key: 'k' } } });
    const names = (spec: object, i: number) =>
      (podOf(spec, i).containers as { env: { valueFrom: { secretKeyRef: { name: string } } }[] }[])[0].env.map((e) => e.valueFrom.secretKeyRef.name);
    const spec = {
      entrypoint: 'main',
      arguments: { parameters: [{ name: 'token', value: 'api-token' }, { name: 'given-later' }] },
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'b', template: 'called', arguments: { parameters: [{ name: 'creds', value: 'other-creds' }] } }] } },
        {
          name: 'alone',
          inputs: {
            parameters: [
              { name: 'creds', default: 'default-creds' },
              { name: 'pinned', value: 'pinned-creds' },
            ],
          },
          container: {
            image: 'alpine:3.20',
            env: [env('workflow.parameters.token'), env('workflow.parameters.given-later'), env('inputs.parameters.creds'), env('inputs.parameters.pinned')],
          },
        },
        {
          name: 'called',
          inputs: { parameters: [{ name: 'creds', default: 'default-creds' }] },
          container: { image: 'alpine:3.20', env: [env('inputs.parameters.creds')] },
        },
      ],
    };
    expect(names(spec, 0)).toEqual(['api-token', '{{workflow.parameters.given-later}}', 'default-creds', 'pinned-creds']);
    // a task passes creds to the template: the caller's argument wins, so the default says nothing
    expect(names(spec, 1)).toEqual(['{{inputs.parameters.creds}}']);
  });

  test("a CronWorkflow's pods are its spec.workflowSpec's", () => {
    const cron = { kind: 'CronWorkflow', spec: { schedule: '0 * * * *', workflowSpec: wfSpec([{ name: 'main', container: { image: 'alpine:3.20' } }]) } };
    expect(podTemplatesOf(cron).map((t) => t.path)).toEqual(['spec.workflowSpec.templates[0] (main)']);
  });
});

describe('the pod rules read Argo Workflows templates', () => {
  async function findings(objects: object[]): Promise<{ rule: string; severity: string; message: string }[]> {
    const dir = writeTree('argo-pods-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
    return JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out).findings;
  }
  test("a template's image and Secret references are judged where they are written", async () => {
    const wf = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: 'etl', namespace: 'pipelines' },
      spec: wfSpec([{ name: 'main', container: { image: 'registry.example.com/etl/load:latest', envFrom: [{ secretRef: { name: 'warehouse' } }] } }]),
    };
    const got = await findings([wf]);
    expect(got.filter((f) => f.rule === 'image-not-pinned').map((f) => f.message)).toEqual([
      expect.stringMatching(/^spec\.templates\[0\] \(main\) container 'main' uses registry.example.com\/etl\/load:latest/),
    ]);
    expect(got.filter((f) => f.rule === 'secret-not-in-tree').map((f) => f.message)).toEqual([expect.stringMatching(/warehouse/)]);
  });

  test('argo-variable-unresolved: an undeclared input is an error; expressions, declared inputs and inline templates are not', async () => {
    const wf = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'vars', namespace: 'pipelines' },
      spec: wfSpec([
        {
          name: 'main',
          steps: [[{ name: 'a', inline: { inputs: { parameters: [{ name: 'x' }] }, container: { image: 'alpine:3.20', args: ['{{inputs.parameters.x}}'] } } }]],
        },
        {
          name: 'read',
          inputs: { parameters: [{ name: 'path' }] },
          container: {
            image: 'alpine:3.20',
            args: ['{{inputs.parameters.path}}', '{{inputs.parameters.size}}', '{{=inputs.parameters.other}}', '{{ workflow.parameters.day }}'],
          },
        },
      ]),
    };
    const got = (await findings([wf])).filter((f) => f.rule === 'argo-variable-unresolved');
    expect(got.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^error: spec\.templates\[1\] \(read\): \{\{inputs\.parameters\.size\}\} names no input of this template \(inputs\.parameters declares 'path'\)/,
      ),
    ]);
  });

  test('argo-template-field-misplaced: each container field beside container: or script:, none on a steps template or a resource template', async () => {
    const wf = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'fields', namespace: 'pipelines' },
      spec: wfSpec([
        { name: 'main', steps: [[{ name: 'a', template: 'run' }]] },
        { name: 'run', env: [{ name: 'A', value: '1' }], volumeMounts: [{ name: 'data', mountPath: '/data' }], container: { image: 'alpine:3.20' } },
        { name: 'make', resource: { action: 'create', manifest: 'kind: ConfigMap' } },
      ]),
    };
    const got = (await findings([wf])).filter((f) => f.rule === 'argo-template-field-misplaced');
    expect(got.map((f) => f.message)).toEqual([
      expect.stringMatching(/^spec\.templates\[1\] \(run\)\.env is written beside `container:`/),
      expect.stringMatching(/^spec\.templates\[1\] \(run\)\.volumeMounts is written beside `container:`/),
    ]);
  });
});
