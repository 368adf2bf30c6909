import { execFileSync } from 'child_process';
import { cliInProcess, ruleFindings, writeTree } from '../util';
import { CLAIM_TEMPLATE, fluxApp, fluxKustomization, fluxWorkTree, GIT_REPOSITORY, REMOTE } from '../setup/flux-work-tree';

/** A Deployment whose image is `image`, with `comment` on the lines above and beside it as given. */
const deployment = (image: string, { beside = '', above = '' } = {}) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: server, namespace: ai}',
    'spec:',
    '  selector: {matchLabels: {app: server}}',
    '  template:',
    '    metadata: {labels: {app: server}}',
    '    spec:',
    '      containers:',
    '        - name: server',
    ...(above ? [`          # ${above}`] : []),
    `          image: '${image}'${beside ? ` # ${beside}` : ''}`,
    '',
  ].join('\n');

/** The unrendered-placeholder findings of a tree, as [severity, message]. */
async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('unrendered-placeholder-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'unrendered-placeholder')
    .map((f) => [f.severity, f.message]);
}

const IMAGE = '${REGISTRY}/server:1.0';

describe('unrendered-placeholder: a placeholder the tree tells its reader to set by hand', () => {
  test('a comment beside the value, or on the line above it, that has the reader change it: a warning that the file must be edited before it is applied', async () => {
    expect(await found({ 'app/deployment.yaml': deployment(IMAGE, { beside: 'Change for your image registry' }) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'server' image holds '\$\{REGISTRY\}': judged as a template, since its own comment beside the value has the reader set it \('# Change for your image registry'\): the file must be edited before it is applied;/,
        ),
      ],
    ]);
    expect(await found({ 'app/deployment.yaml': deployment(IMAGE, { above: 'replace with the registry you pushed to' }) })).toEqual([
      ['warning', expect.stringMatching(/\('# replace with the registry you pushed to'\): the file must be edited before it is applied/)],
    ]);
  });

  test('a README step above the file that has the reader edit the object, its block showing the placeholder: a warning naming the step', async () => {
    const readme = [
      '# Deploy',
      '',
      '1. Build and push the image.',
      '2. Edit the Deployment to use your registry:',
      '',
      '```yaml',
      `image: ${IMAGE}`,
      '```',
      '',
    ].join('\n');
    expect(await found({ 'README.md': readme, 'app/deployment.yaml': deployment(IMAGE) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /since README.md \(line 4\) has the reader edit it \('2. Edit the Deployment to use your registry:'\): the file must be edited before it is applied/,
        ),
      ],
    ]);
  });

  test('near misses: a comment that asks for nothing, an edit step whose block shows another value, a "set up" step: the error stands', async () => {
    // an image keeps its error in a folder nothing in the input delivers, saying so
    const error = [
      [
        'error',
        expect.stringMatching(
          /template syntax, and nothing in the input renders it; if a script outside the input runs envsubst, check from the repository root/,
        ),
      ],
    ];
    expect(await found({ 'app/deployment.yaml': deployment(IMAGE, { beside: 'the serving image' }) })).toEqual(error);
    const otherBlock = ['2. Edit the Deployment to use your registry:', '', '```yaml', 'replicas: 2', '```', ''].join('\n');
    expect(await found({ 'README.md': otherBlock, 'app/deployment.yaml': deployment(IMAGE) })).toEqual(error);
    const setUp = ['Set up the cluster first:', '', '```bash', `podman push ${IMAGE}`, '```', ''].join('\n');
    expect(await found({ 'README.md': setUp, 'app/deployment.yaml': deployment(IMAGE) })).toEqual(error);
  });

  test('a `<NAME>` placeholder follows the same reading: a heading that has the reader replace placeholders, its section listing it, or a sentence followed by a list naming it', async () => {
    const angle = '<YOUR-ACR-NAME>.azurecr.io/server:1.0';
    const heading = [
      '# Serving',
      '',
      '## Before you run anything (replace placeholders)',
      '',
      '- `<YOUR-ACR-NAME>`: your registry name',
      '',
      '## Deploy',
      '',
    ].join('\n');
    expect(await found({ 'README.md': heading, 'deployment.yaml': deployment(angle) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'server' image holds '<YOUR-ACR-NAME>': judged as a template, since README.md \(line 3\) has the reader edit it \('## Before you run anything \(replace placeholders\)'\)/,
        ),
      ],
    ]);
    const list = ['Replace these values in the manifests:', '- `<YOUR-ACR-NAME>`: your registry name', ''].join('\n');
    expect(await found({ 'README.md': list, 'deployment.yaml': deployment(angle) }).then((f) => f.map((x) => x[0]))).toEqual(['warning']);
  });

  test('near misses for `<NAME>`: no README step names it, the section that names it asks for no edit, or the edit section is another one: the error stands', async () => {
    const angle = '<YOUR-ACR-NAME>.azurecr.io/server:1.0';
    const error = [['error', expect.stringMatching(/holds '<YOUR-ACR-NAME>': a placeholder left to be replaced by hand/)]];
    expect(await found({ 'deployment.yaml': deployment(angle) })).toEqual(error);
    const noVerb = ['## Registry', '', '- `<YOUR-ACR-NAME>` is where the image lives', ''].join('\n');
    expect(await found({ 'README.md': noVerb, 'deployment.yaml': deployment(angle) })).toEqual(error);
    const otherSection = ['## Replace the model', '', '- `<MODEL_ID>`: the model to serve', '', '## Registry', '', '- `<YOUR-ACR-NAME>`', ''].join('\n');
    expect(await found({ 'README.md': otherSection, 'deployment.yaml': deployment(angle) })).toEqual(error);
  });
});

/** The unrendered-placeholder findings of the folder `checked` of a tree, as [severity, message]. */
async function foundAt(files: Record<string, string>, checked: string): Promise<[string, string][]> {
  const dir = writeTree('unrendered-placeholder-', files);
  const { out } = await cliInProcess(['check', `${dir}/${checked}`, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'unrendered-placeholder')
    .map((f) => [f.severity, f.message]);
}

/** A kustomize root of a development environment whose names and images are envsubst variables, as a repository's script renders it. */
const DEV_ENVIRONMENT = {
  'deploy/envs/single/kustomization.yaml': 'resources:\n  - pool.yaml\n  - server.yaml\n  - objective.yaml\n',
  'deploy/envs/single/pool.yaml': [
    'apiVersion: inference.networking.k8s.io/v1',
    'kind: InferencePool',
    'metadata:',
    '  name: ${POOL_NAME}',
    'spec:',
    '  selector:',
    '    matchLabels: {app: chat}',
    '  targetPorts: [{number: 8000}]',
    '  endpointPickerRef: {name: chat-epp, port: {number: 9002}}',
    '',
  ].join('\n'),
  'deploy/envs/single/server.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: chat',
    'spec:',
    '  selector:',
    '    matchLabels: {app: chat}',
    '  template:',
    '    metadata:',
    '      labels: {app: chat}',
    '    spec:',
    '      containers:',
    '        - name: server',
    '          image: ${SERVER_IMAGE}',
    '        - name: proxy',
    '          image: ${PROXY_IMAGE}',
    '',
  ].join('\n'),
  'deploy/envs/single/objective.yaml': [
    'apiVersion: inference.networking.x-k8s.io/v1alpha2',
    'kind: InferenceModel',
    'metadata:',
    '  name: chat',
    'spec:',
    '  modelName: ${MODEL_NAME}',
    '  poolRef:',
    '    name: ${POOL_NAME}',
    '',
  ].join('\n'),
};

/**
 * A script of the repository, above the checked root: the root through variables, envsubst with a SHELL-FORMAT list,
 * an awk stage spanning lines, a function wrapping kubectl.
 */
const DEV_SCRIPT = [
  '#!/usr/bin/env bash',
  'set -euo pipefail',
  'KUBECTL=${KUBECTL:-kubectl}',
  '_kubectl() { ${KUBECTL} --context "${KIND_CONTEXT:-kind-dev}" "$@"; }',
  'ENV_BASE="deploy/envs"',
  'if [ "${SPLIT:-false}" = "true" ]; then OVERLAY="${ENV_BASE}/split"; else OVERLAY="${ENV_BASE}/single"; fi',
  'kubectl kustomize "${OVERLAY}" \\',
  "  | envsubst '${POOL_NAME} ${SERVER_IMAGE}' \\",
  "  | awk '",
  '      /^ *- ""$/ { next }',
  '      { print }',
  "    ' \\",
  '  | _kubectl apply -f -',
  '',
].join('\n');

describe('unrendered-placeholder: a kustomize build a script pipes through envsubst into the apply', () => {
  test('the script of the repository above the checked root fills the variables its SHELL-FORMAT names: those are no findings (they were errors); one it leaves out is judged as applied', async () => {
    const found = await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'scripts/dev-env.sh': DEV_SCRIPT, ...DEV_ENVIRONMENT }, 'deploy/envs/single');
    expect(found).toEqual([
      [
        'error',
        "container 'proxy' image holds '${PROXY_IMAGE}': scripts/dev-env.sh (line 7) renders the kustomize build of its folder with envsubst before applying it, but its envsubst fills only the variables its SHELL-FORMAT argument names (${POOL_NAME} ${SERVER_IMAGE}), so it is applied literally: add the variable to that list, or write the value",
      ],
      [
        'warning',
        expect.stringMatching(
          /^spec\.modelName holds '\$\{MODEL_NAME\}': scripts\/dev-env\.sh \(line 7\) renders .* fills only the variables its SHELL-FORMAT argument names/,
        ),
      ],
    ]);
  });

  test('near miss: a chain of envsubst stages, one variable each, fills the union: only the variable no stage names is left', async () => {
    const chain = "envsubst \\${POOL_NAME} | envsubst \\${SERVER_IMAGE} \\\n  | envsubst '${PROXY_IMAGE}'";
    const script = DEV_SCRIPT.replace("envsubst '${POOL_NAME} ${SERVER_IMAGE}'", chain);
    const found = await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'scripts/dev-env.sh': script, ...DEV_ENVIRONMENT }, 'deploy/envs/single');
    expect(found).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.modelName holds '\$\{MODEL_NAME\}': scripts\/dev-env\.sh \(line 7\) renders .* names \(\$\{POOL_NAME\} \$\{SERVER_IMAGE\} \$\{PROXY_IMAGE\}\)/,
        ),
      ],
    ]);
  });

  test('a script of a folder above that names the root through a variable folder ("$HERE/envs/single") is matched by its trailing segments, as when the repository root is checked', async () => {
    const script = DEV_SCRIPT.replace('ENV_BASE="deploy/envs"', 'HERE="$(cd "$(dirname "$0")" && pwd)"\nENV_BASE="$HERE/envs"').replace(
      "envsubst '${POOL_NAME} ${SERVER_IMAGE}'",
      'envsubst',
    );
    expect(await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'deploy/dev-env.sh': script, ...DEV_ENVIRONMENT }, 'deploy/envs/single')).toEqual([]);
    // near miss: outside a git work tree the script above the checked folder is not read
    expect((await foundAt({ 'deploy/dev-env.sh': script, ...DEV_ENVIRONMENT }, 'deploy/envs/single')).map(([severity]) => severity)).toEqual([
      'error',
      'error',
    ]);
  });

  test('without a SHELL-FORMAT argument envsubst fills every variable: nothing to say', async () => {
    const script = DEV_SCRIPT.replace("envsubst '${POOL_NAME} ${SERVER_IMAGE}'", 'envsubst');
    expect(await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'scripts/dev-env.sh': script, ...DEV_ENVIRONMENT }, 'deploy/envs/single')).toEqual([]);
  });

  test('near miss: outside a git work tree the folders above the checked one are not the tree: the names and images are errors', async () => {
    const found = await foundAt({ 'scripts/dev-env.sh': DEV_SCRIPT, ...DEV_ENVIRONMENT }, 'deploy/envs/single');
    expect(found.map(([severity]) => severity)).toEqual(['error', 'error']);
    expect(found.map(([, message]) => message).join('\n')).toMatch(/metadata\.name holds '\$\{POOL_NAME\}': template syntax that nothing renders here/);
  });

  test('near miss: a script that pipes the build into `kubectl delete -f -` renders nothing that is applied', async () => {
    const script = DEV_SCRIPT.replace('_kubectl apply -f -', '_kubectl delete -f -');
    const found = await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'scripts/dev-env.sh': script, ...DEV_ENVIRONMENT }, 'deploy/envs/single');
    expect(found.map(([severity, message]) => [severity, message.replace(/:.*/s, '')])).toEqual([
      ['warning', "container 'server' image holds '${SERVER_IMAGE}', container 'proxy' image holds '${PROXY_IMAGE}'"],
      ['warning', "metadata.name holds '${POOL_NAME}'"],
    ]);
  });

  test('a README of the folder holding the overlays that says envsubst renders them: judged as a template, a warning', async () => {
    const readme = '# Environments\n\nVariables such as `POOL_NAME` are substituted at deploy time with `envsubst`.\n';
    const found = await foundAt({ 'deploy/envs/README.md': readme, ...DEV_ENVIRONMENT }, 'deploy/envs');
    expect(found.map(([severity]) => severity)).toEqual(['warning', 'warning']);
    expect(found[0][1]).toMatch(/judged as a template, since README\.md, in the folder above it, renders its build with envsubst/);
  });
});

describe('unrendered-placeholder: a file a script pipes through envsubst into the apply', () => {
  const service = [
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    'metadata:',
    '  name: ${NAME}',
    'spec:',
    '  predictor:',
    '    model:',
    '      modelFormat: {name: sklearn}',
    '      storageUri: ${MODEL_URI}',
    '',
  ].join('\n');

  test("`envsubst '$NAME' < k8s/isvc.yaml | oc apply -f -`: the name is filled, the storage URI it leaves is said with the list", async () => {
    const found = await foundAt({ 'k8s/isvc.yaml': service, 'deploy.sh': "#!/bin/sh\nenvsubst '$NAME' < k8s/isvc.yaml | oc apply -f -\n" }, '.');
    expect(found).toEqual([
      [
        'warning',
        "spec.predictor.model.storageUri holds '${MODEL_URI}': deploy.sh (line 2) renders it with envsubst before applying it, but its envsubst fills only the variables its SHELL-FORMAT argument names (${NAME}), so it is applied literally: add the variable to that list, or write the value",
      ],
    ]);
  });

  test('`cat k8s/isvc.yaml | envsubst | kubectl apply -f -` in a README fills both: nothing to say', async () => {
    const readme = '# Deploy\n\n```sh\ncat k8s/isvc.yaml | envsubst | kubectl apply -f -\n```\n';
    expect(await foundAt({ 'k8s/isvc.yaml': service, 'README.md': readme }, '.')).toEqual([]);
  });
});

describe('unrendered-placeholder: the names of what a pod reads', () => {
  test('a secretKeyRef name of `${…}` in a file applied as it is: an error (the rules that look the Secret up leave it)', async () => {
    const job = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: {name: fetch, namespace: ml}',
      'spec:',
      '  template:',
      '    spec:',
      '      restartPolicy: Never',
      '      containers:',
      '        - name: fetch',
      '          image: busybox:1.36',
      '          env:',
      '            - name: HF_TOKEN',
      '              valueFrom: {secretKeyRef: {name: "${TOKEN_SECRET}", key: token}}',
      '',
    ].join('\n');
    expect(await found({ 'job.yaml': job, 'deploy.sh': '#!/bin/bash\nkubectl apply -f job.yaml\n' })).toEqual([
      ['error', expect.stringMatching(/^container 'fetch' env HF_TOKEN Secret name holds '\$\{TOKEN_SECRET\}': template syntax that nothing renders here/)],
    ]);
    // a bare folder (no delivery, no script, no work tree) may be a folder of envsubst templates: a warning saying so
    expect(await found({ 'job.yaml': job })).toEqual([
      [
        'warning',
        "container 'fetch' env HF_TOKEN Secret name holds '${TOKEN_SECRET}': template syntax, and nothing in the input renders it; if a script outside the input runs envsubst, check from the repository root (no Argo CD Application, Flux Kustomization, kustomization or script of the checked folders delivers the file, and they lie in no git work tree to search): applied as it is, the literal reaches the cluster: render the value before delivery, or keep the object out of the tree",
      ],
    ]);
  });
});

describe('unrendered-placeholder: an image that is one upper-case identifier', () => {
  const handFilled = (token: string) => [
    'error',
    `container 'server' image holds '${token}': a placeholder left to be replaced by hand, and no image reference admits capitals in its repository name: applied as it is, the kubelet cannot parse it (InvalidImageName) and the pod never starts; write the real value`,
  ];

  test('IMAGE_NAME, IMAGE delivered as they are: errors as a hand-filled placeholder (they were invalid references to retype)', async () => {
    expect(await found({ 'deployment.yaml': deployment('IMAGE_NAME') })).toEqual([handFilled('IMAGE_NAME')]);
    expect(await found({ 'deployment.yaml': deployment('IMAGE') })).toEqual([handFilled('IMAGE')]);
  });

  test('a README step that has the reader replace it, or a comment beside it: a warning, as for a <NAME>', async () => {
    const readme = [
      '# Multi-host serving',
      '',
      '1. Build the serving image and push it.',
      '2. Replace IMAGE_NAME in deployment.yaml with the image you pushed.',
      '',
    ].join('\n');
    expect(await found({ 'README.md': readme, 'deployment.yaml': deployment('IMAGE_NAME') })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'server' image holds 'IMAGE_NAME': judged as a template, since README.md \(line 4\) has the reader edit it \('2. Replace IMAGE_NAME in deployment.yaml/,
        ),
      ],
    ]);
    expect((await found({ 'deployment.yaml': deployment('IMAGE', { beside: 'replace with the image you built' }) })).map((f) => f[0])).toEqual(['warning']);
  });

  test('near misses: a step naming another word (IMAGE_TAG, not IMAGE), a CI token and a placeholder word keep their own readings', async () => {
    const other = ['## Settings', '', '- Set IMAGE_TAG to the release you test.', ''].join('\n');
    expect(await found({ 'README.md': other, 'app/deployment.yaml': deployment('IMAGE') })).toEqual([handFilled('IMAGE')]);
    expect((await found({ 'deployment.yaml': deployment('__IMAGE__') })).map((f) => f[0])).toEqual(['warning']);
    expect(await found({ 'deployment.yaml': deployment('YOUR_IMAGE') })).toEqual([handFilled('YOUR_IMAGE')]);
    expect(await found({ 'deployment.yaml': deployment('Nginx:latest') })).toEqual([]);
  });
});

describe("unrendered-placeholder: {{ … }} in the containers KServe renders with the service's metadata", () => {
  /** A ServingRuntime (or ClusterServingRuntime) whose kserve-container sets env X to `value`, with an optional sidecar. */
  const runtime = (value: string, { kind = 'ServingRuntime', sidecar = '' } = {}) =>
    [
      'apiVersion: serving.kserve.io/v1alpha1',
      `kind: ${kind}`,
      `metadata: {name: sklearn-rt${kind === 'ServingRuntime' ? ', namespace: demo' : ''}}`,
      'spec:',
      '  supportedModelFormats: [{name: sklearn, version: "1", autoSelect: true}]',
      '  containers:',
      '    - name: kserve-container',
      '      image: docker.io/kserve/sklearnserver:v0.14.1',
      "      args: ['--model_name={{.Name}}', --model_dir=/mnt/models]",
      '      env:',
      '        - name: X',
      `          value: ${JSON.stringify(value)}`,
      ...(sidecar
        ? [
            '    - name: metrics-proxy',
            '      image: quay.io/example/proxy:1.0',
            '      env:',
            '        - name: UPSTREAM',
            `          value: ${JSON.stringify(sidecar)}`,
          ]
        : []),
      '',
    ].join('\n');
  const errorOf = (re: RegExp) => [['error', expect.stringMatching(re)]];

  test('a field ObjectMeta lacks (.StorageURI): an error saying the reconcile fails and no Deployment is made', async () => {
    expect(await found({ 'runtime.yaml': runtime('{{.StorageURI}}') })).toEqual(
      errorOf(
        /^container 'kserve-container' env X holds '\{\{\.StorageURI\}\}' \(ObjectMeta has no field StorageURI \(executing fails: "can't evaluate field StorageURI in type v1\.ObjectMeta"\)\): KServe renders this container of the runtime, .* as a Go template with the service's metadata \(ReplacePlaceholders\), so the predictor's reconcile errors .* and no Deployment is made/,
      ),
    );
    // a chart's value left over, and a field read on a string, fail the same way
    expect(await found({ 'runtime.yaml': runtime('{{ .Values.storage.uri }}') })).toEqual(errorOf(/ObjectMeta has no field Values/));
    expect(await found({ 'runtime.yaml': runtime('{{ .Name.first }}') })).toEqual(errorOf(/\.first is read on string/));
  });

  test('an unknown function, a double-quoted argument, a block left open: the parse fails, an error each', async () => {
    expect(await found({ 'runtime.yaml': runtime('{{ toLower .Name }}') })).toEqual(
      errorOf(/function "toLower" not defined \(ReplacePlaceholders adds no functions/),
    );
    expect(await found({ 'runtime.yaml': runtime('{{ index .Annotations "serving.kserve.io/model" }}') })).toEqual(
      errorOf(/marshalled to JSON before it is parsed, so the " in it reaches Go's parser as \\", which it refuses; write string arguments as raw strings/),
    );
    expect(await found({ 'runtime.yaml': runtime('{{ if .Labels.tier }}gold') })).toEqual(errorOf(/refuses a \{\{if\}\} that no \{\{end\}\} closes/));
    expect(await found({ 'runtime.yaml': runtime('{{ .Name }}', { kind: 'ClusterServingRuntime' }).replace('{{.Name}}', '{{.Spec}}') })).toEqual(
      errorOf(/ObjectMeta has no field Spec/),
    );
  });

  test('near misses: what resolves on ObjectMeta is rendered, no finding', async () => {
    for (const value of [
      '{{.Name}}',
      '{{ .Namespace }}',
      '{{.Labels.modelClass}}',
      '{{index .Annotations `serving.kserve.io/model`}}',
      '{{- .Name -}}.{{ .Namespace }}.svc',
      '{{ if .Labels.tier }}{{ .Labels.tier }}{{ else }}standard{{ end }}',
      '{{ $n := .Name }}{{ printf `%s-model` $n }}',
      '{{/* the service name */}}{{ .Name }}',
    ])
      expect([value, await found({ 'runtime.yaml': runtime(value) })]).toEqual([value, []]);
    expect(await found({ 'runtime.yaml': runtime('{{.Name}}', { kind: 'ClusterServingRuntime' }) })).toEqual([]);
  });

  test('a runtime container KServe does not render (a sidecar) keeps its braces: a warning that it is applied literally', async () => {
    expect(await found({ 'runtime.yaml': runtime('{{.Name}}', { sidecar: 'http://{{.Name}}:8080' }) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'metrics-proxy' env UPSTREAM holds '\{\{\.Name\}\}': template syntax that nothing renders here, so it is applied literally/,
        ),
      ],
    ]);
  });

  test("an InferenceService's model container is merged into the runtime's and rendered too; a custom container's is not", async () => {
    const service = (args: string, model = true) =>
      [
        'apiVersion: serving.kserve.io/v1beta1',
        'kind: InferenceService',
        'metadata: {name: iris, namespace: demo}',
        'spec:',
        '  predictor:',
        ...(model
          ? [
              '    model:',
              '      modelFormat: {name: sklearn}',
              '      storageUri: gs://kfserving-examples/models/sklearn/1.0/model',
              `      args: [${JSON.stringify(args)}]`,
            ]
          : ['    containers:', '      - name: kserve-container', '        image: quay.io/example/server:1.0', `        args: [${JSON.stringify(args)}]`]),
        '',
      ].join('\n');
    expect(await found({ 'isvc.yaml': service('--model_name={{.Name}}') })).toEqual([]);
    expect(await found({ 'isvc.yaml': service('--model_name={{.ModelName}}') })).toEqual(
      errorOf(/ObjectMeta has no field ModelName .*KServe merges the service's model container into its runtime's kserve-container and renders it/),
    );
    expect(await found({ 'isvc.yaml': service('--model_name={{.Name}}', false) })).toEqual([
      ['warning', expect.stringMatching(/holds '\{\{\.Name\}\}': template syntax that nothing renders here/)],
    ]);
  });
});

describe('unrendered-placeholder: a setup script that edits a kustomization in place before it is committed', () => {
  const overlay = (image: string) =>
    ['resources:', '  - ../../../apps/server', 'images:', '  - name: server', `    newName: ${image}`, '    newTag: "1.0"', ''].join('\n');
  const application = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: server-dev, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source: {repoURL: "https://git.example.com/team/serving.git", path: environments/dev/server, targetRevision: main}',
    '  destination: {server: "https://kubernetes.default.svc", namespace: ai}',
    '',
  ].join('\n');
  const tree = (script: string) => ({
    'apps/server/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'apps/server/deployment.yaml': deployment('server:1.0'),
    'environments/dev/server/kustomization.yaml': overlay('YOUR_ACCOUNT_ID.dkr.ecr.eu-west-1.amazonaws.com/server'),
    'argocd/server-dev.yaml': application,
    'scripts/setup.sh': script,
  });
  // the loop's list runs over continuation lines, one quoted path a line, its folder through ${ENV}
  const SETUP = [
    '#!/bin/bash',
    'set -euo pipefail',
    'ENV="${1:-dev}"',
    'for OVERLAY_FILE in \\',
    '    "environments/${ENV}/server/kustomization.yaml" \\',
    '    "environments/${ENV}/batch/kustomization.yaml"; do',
    '  sed -i "s|YOUR_ACCOUNT_ID|${ACCOUNT_ID}|g" "${OVERLAY_FILE}"',
    'done',
    'echo "commit and push the overlays"',
    '',
  ].join('\n');

  test('`sed -i` on the overlay that names the image: the source Argo CD syncs is filled, a warning naming the script', async () => {
    const got = await foundAt(tree(SETUP), '.');
    expect(got.map(([severity]) => severity)).toEqual(['warning']);
    expect(got[0][1]).toMatch(/scripts\/setup\.sh \(line 7\) writes its file with sed \(replacing 'YOUR_ACCOUNT_ID'\)/);
  });

  test('no script edits it: the image placeholder an Argo CD Application syncs is an error', async () => {
    const got = await foundAt(tree('#!/bin/bash\necho nothing to do\n'), '.');
    expect(got.map(([severity]) => severity)).toEqual(['error']);
  });

  test("a sed program's regular expression names no file: a Secret beside the script is not taken for rendered", async () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: hf-token, namespace: ai}\nstringData:\n  token: ${HF_TOKEN}\n';
    const script = '#!/bin/bash\nNAME=$(grep "^name" vars.tfvars | sed \'s/.*= *"\\(.*\\)"/\\1/\')\n';
    const got = await foundAt({ 'k8s/secret.yaml': secret, 'scripts/vars.sh': script }, '.');
    expect(got.map(([severity]) => severity)).toEqual(['error']);
  });

  test('a `sed` without -i that prints the overlay elsewhere leaves the source as it is: still an error', async () => {
    const script = SETUP.replace(
      'sed -i "s|YOUR_ACCOUNT_ID|${ACCOUNT_ID}|g" "${OVERLAY_FILE}"',
      'sed "s|YOUR_ACCOUNT_ID|${ACCOUNT_ID}|g" "${OVERLAY_FILE}" > /tmp/out.yaml',
    );
    const got = await foundAt(tree(script), '.');
    expect(got.map(([severity]) => severity)).toEqual(['error']);
  });
});

describe('unrendered-placeholder: a file the guides of the repository around the checked folder render', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: hub-token, namespace: serving}\nstringData:\n  token: ${HUB_TOKEN}\n';
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: serving}\n';
  const guide = (file: string) => ['# Install', '', 'Export HUB_TOKEN, then:', '', '```sh', `envsubst < ${file} | oc apply -f -`, '```', ''].join('\n');
  /** The findings on the folder `checked` of a git repository holding `files`, as [severity, message]. */
  async function inRepository(files: Record<string, string>, checked: string): Promise<[string, string][]> {
    const repo = writeTree('outside-render-', { '.git/HEAD': 'ref: refs/heads/main\n', ...files });
    const { out } = await cliInProcess(['check', `${repo}/${checked}`, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.message]);
  }

  test('a docs/ guide that pipes the file through envsubst into oc apply: rendered before it is applied, no finding', async () => {
    const tree = { 'deploy/secret.yaml': secret, 'deploy/namespace.yaml': namespace };
    expect(await inRepository({ ...tree, 'docs/install.md': guide('deploy/secret.yaml') }, 'deploy')).toEqual([]);
    // the command in a workflow at the repository's root renders it too
    const workflow = `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: envsubst < deploy/secret.yaml | kubectl apply -f -\n`;
    expect(await inRepository({ ...tree, '.github/workflows/deploy.yml': workflow }, 'deploy')).toEqual([]);
  });

  test('near misses: a guide that renders another file; a file an Argo CD Application of the tree syncs, whatever the guides render', async () => {
    const tree = { 'deploy/secret.yaml': secret, 'deploy/namespace.yaml': namespace };
    expect(await inRepository({ ...tree, 'docs/install.md': guide('deploy/other-secret.yaml') }, 'deploy')).toEqual([
      ['error', expect.stringContaining("stringData.token holds '${HUB_TOKEN}'")],
    ]);
    const application =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: serving, namespace: argocd}\nspec:\n  project: default\n' +
      '  source: {repoURL: https://github.com/example/serving.git, path: gitops/manifests, targetRevision: main}\n' +
      '  destination: {server: https://kubernetes.default.svc, namespace: serving}\n  syncPolicy: {automated: {selfHeal: true}}\n';
    const synced = { 'gitops/app.yaml': application, 'gitops/manifests/secret.yaml': secret, 'gitops/manifests/namespace.yaml': namespace };
    for (const rendered of ['gitops/manifests/other.yaml', 'gitops/manifests/secret.yaml'])
      expect(await inRepository({ ...synced, 'docs/install.md': guide(rendered) }, 'gitops')).toEqual([
        ['error', expect.stringContaining("stringData.token holds '${HUB_TOKEN}'")],
      ]);
  });

  describe('a claim named with a placeholder word', () => {
    const isvc = (uri: string, namespace?: string): Record<string, any> => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'reader', ...(namespace ? { namespace } : {}) },
      spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri: uri } } },
    });
    const found = (docs: Record<string, any>[]) => ruleFindings('unrendered-placeholder', docs);

    test("a pvc:// storageUri naming 'your-model-pvc', which nothing makes, is a warning", () => {
      expect(found([isvc('pvc://your-model-pvc/path/to/model')])).toEqual([
        expect.stringMatching(
          /^warning InferenceService\/reader: spec\.predictor\.model\.storageUri names PersistentVolumeClaim 'your-model-pvc' .*a placeholder \('your'\) that nothing in the tree makes: .*stays Pending/,
        ),
      ]);
    });

    test('near misses: a real claim name, a placeholder claim the tree makes, a namespace the tree creates (pod-reference-not-found says it)', () => {
      expect(found([isvc('pvc://model-store/path/to/model')])).toEqual([]);
      const claim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'your-model-pvc' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      };
      expect(found([claim, isvc('pvc://your-model-pvc/m')])).toEqual([]);
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'serving' } };
      expect(found([ns, isvc('pvc://your-model-pvc/m', 'serving')])).toEqual([]);
      expect(ruleFindings('pod-reference-not-found', [ns, isvc('pvc://your-model-pvc/m', 'serving')])).toEqual([
        expect.stringMatching(/^error .*'your-model-pvc'/),
      ]);
    });
  });
});

/** A PersistentVolume served by NFS from `server`. */
const nfsVolume = (server: string) =>
  `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: share}\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadOnlyMany]\n  nfs: {server: ${server}, path: /exports/share}\n`;
/** A ServiceAccount with the given annotations (YAML flow mapping entries). */
const account = (annotations: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: ai\n  annotations: {${annotations}}\n`;

// the kubelet mounts an NFS or CSI volume from the literal server or bucket (FailedMount); controllers read their
// annotations as written; RFC 2606 and 6761 reserve example domains, where no registry answers
describe('unrendered-placeholder: volume sources, controller annotations and example registries', () => {
  test('a placeholder word as an NFS server: an error, the mount fails', async () => {
    expect(await found({ 'app/share.yaml': nfsVolume('YOUR_NFS_SERVER') })).toEqual([
      [
        'error',
        expect.stringMatching(/^spec nfs\.server holds 'YOUR_NFS_SERVER': a placeholder left to be replaced by hand, .*FailedMount.*ContainerCreating/),
      ],
    ]);
  });

  test('the same server where a guide of the folder has the reader set it: judged as a template, a warning', async () => {
    const files = { 'app/share.yaml': nfsVolume('YOUR_NFS_SERVER'), 'app/README.md': '# Share\n\nSet the server in `share.yaml` before applying it.\n' };
    expect(await found(files)).toEqual([
      ['warning', expect.stringMatching(/^spec nfs\.server holds 'YOUR_NFS_SERVER': judged as a template, since app\/README\.md \(line 3\)/)],
    ]);
  });

  test('a capital slot as a CSI bucket, and ${VAR} in a server: errors; capital words a driver takes, and a real server: none', async () => {
    const pod = (volume: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ai}\nspec:\n  containers: [{name: c, image: quay.io/acme/c:1}]\n  volumes:\n    - ${volume}\n`;
    expect(await found({ 'app/pod.yaml': pod('{name: w, csi: {driver: gcsfuse.csi.storage.gke.io, volumeAttributes: {bucketName: MODEL_BUCKET}}}') })).toEqual([
      ['error', expect.stringMatching(/^volume 'w' csi\.volumeAttributes\.bucketName holds 'MODEL_BUCKET'/)],
    ]);
    const applied = { 'deploy.sh': '#!/bin/bash\nkubectl apply -f app/pod.yaml\n' };
    expect(await found({ 'app/pod.yaml': pod('{name: w, nfs: {server: "${NFS_HOST}", path: /x}}'), ...applied })).toEqual([
      ['error', expect.stringMatching(/^volume 'w' nfs\.server holds '\$\{NFS_HOST\}': template syntax that nothing renders here, so the kubelet mounts/)],
    ]);
    expect(
      await found({ 'app/pod.yaml': pod('{name: w, csi: {driver: file.csi.azure.com, volumeAttributes: {protocol: NFS, skuName: Premium_LRS}}}') }),
    ).toEqual([]);
    expect(await found({ 'app/pod.yaml': pod('{name: w, nfs: {server: 10.0.0.4, path: /x}}') })).toEqual([]);
  });

  test('an FSx for Lustre volume whose handle and DNS name are ${VAR} that nothing of the delivery substitutes: an error', async () => {
    const lustre = (handle: string, dns: string) =>
      `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: weights}\nspec:\n  capacity: {storage: 1200Gi}\n  accessModes: [ReadWriteMany]\n  csi:\n    driver: fsx.csi.aws.com\n    volumeHandle: ${handle}\n    volumeAttributes: {mountname: abcdefgh, dnsname: "${dns}"}\n`;
    const files = {
      'aws/weights-pv.yaml': lustre('${LUSTRE_FS}', '${LUSTRE_FS}.fsx.eu-west-1.amazonaws.com'),
      'aws/kustomization.yaml': 'resources:\n  - weights-pv.yaml\n',
      'up.sh': '#!/bin/bash\nkubectl apply -k aws\n',
    };
    expect(await found(files)).toEqual([
      [
        'error',
        expect.stringMatching(/^spec csi\.volumeHandle holds '\$\{LUSTRE_FS\}', spec csi\.volumeAttributes\.dnsname .*volume handle, which does not exist/),
      ],
    ]);
    // near misses: the script renders the build through envsubst before the apply, or the volume names a real file system
    expect(await found({ ...files, 'up.sh': '#!/bin/bash\nkubectl kustomize aws | envsubst | kubectl apply -f -\n' })).toEqual([]);
    expect(await found({ ...files, 'aws/weights-pv.yaml': lustre('fs-0a1b2c3d4e5f60718', 'fs-0a1b2c3d4e5f60718.fsx.eu-west-1.amazonaws.com') })).toEqual([]);
  });

  test('a placeholder in an annotation a controller reads, or an annotation that is wholly ${VAR}: a warning', async () => {
    expect(await found({ 'app/sa.yaml': account('iam.gke.io/gcp-service-account: "runner@${PROJECT_ID}.iam.gserviceaccount.com"') })).toEqual([
      ['warning', expect.stringMatching(/^metadata\.annotations\.iam\.gke\.io\/gcp-service-account holds '\$\{PROJECT_ID\}'/)],
    ]);
    expect(await found({ 'app/sa.yaml': account('eks.amazonaws.com/role-arn: $ROLE_ARN') })).toEqual([
      ['warning', expect.stringMatching(/^metadata\.annotations\.eks\.amazonaws\.com\/role-arn holds '\$ROLE_ARN'/)],
    ]);
    expect(await found({ 'app/sa.yaml': account('team.acme.io/cost-center: "${COST_CENTER}"') })).toEqual([
      ['warning', expect.stringMatching(/^metadata\.annotations\.team\.acme\.io\/cost-center holds '\$\{COST_CENTER\}'/)],
    ]);
  });

  test('near misses: free text around a placeholder, a fill-in in an annotation nothing reads, and a proxy variable in an annotation no listed controller reads', async () => {
    expect(
      await found({
        'app/sa.yaml': account(
          'description: "set <OWNER> later", team.acme.io/owner: "<TEAM_NAME>", nginx.ingress.kubernetes.io/upstream-hash-by: $request_uri',
        ),
      }),
    ).toEqual([]);
  });

  test('an image from a registry host reserved for examples: an error; "example" in a path or another host: none', async () => {
    expect(await found({ 'app/deployment.yaml': deployment('registry.example.com/ml/server:1.0') })).toEqual([
      ['error', expect.stringMatching(/^container 'server' image holds 'registry\.example\.com': .*reserved for examples \(RFC 2606, RFC 6761\)/)],
    ]);
    expect((await found({ 'app/deployment.yaml': deployment('registry.example.local:5000/ml/server:1.0') })).map((f) => f[0])).toEqual(['error']);
    expect(await found({ 'app/deployment.yaml': deployment('quay.io/example/server:1.0') })).toEqual([]);
    expect(await found({ 'app/deployment.yaml': deployment('registry.examples.io/ml/server:1.0') })).toEqual([]);
  });

  test("an image whose registry or repository is a guide's slot: a warning; a name that only starts with 'your': none", async () => {
    expect(await found({ 'app/deployment.yaml': deployment('your-registry/ml/server:1.0') })).toEqual([
      ['warning', expect.stringMatching(/^container 'server' image holds 'your-registry': a placeholder left to be replaced by hand, .*ErrImagePull/)],
    ]);
    expect((await found({ 'app/deployment.yaml': deployment('yourregistry.azurecr.io/ml/server:1.0') })).map((f) => f[0])).toEqual(['warning']);
    expect((await found({ 'app/deployment.yaml': deployment('your_org/server:1.0') })).map((f) => f[0])).toEqual(['warning']);
    expect((await found({ 'app/deployment.yaml': deployment('yourorg/server:1.0') })).map((f) => f[0])).toEqual(['warning']);
    expect(await found({ 'app/deployment.yaml': deployment('quay.io/yourcompany-ml/server:1.0') })).toEqual([]);
    expect(await found({ 'app/deployment.yaml': deployment('docker.io/younameit/server:1.0') })).toEqual([]);
  });
});

describe('unrendered-placeholder: fill-ins in command lines and required node labels', () => {
  const job = (pod: Record<string, unknown>) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'copy', namespace: 'ai' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }], ...pod } } },
  });
  const zone = (values: string[]) => ({ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values }] });
  const affinity = (...terms: object[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const found = (docs: Record<string, unknown>[]) => ruleFindings('unrendered-placeholder', docs);

  test('a zone left as ZONE or <zone> in the only term, or in a nodeSelector: an error, the pod stays Pending', () => {
    expect(found([job(affinity(zone(['ZONE'])))])).toEqual([
      expect.stringMatching(
        /^error Job\/ai\/copy: .*nodeSelectorTerms\[0\]\.matchExpressions\[0\] \(topology\.kubernetes\.io\/zone\) holds 'ZONE'.*FailedScheduling/,
      ),
    ]);
    expect(found([job({ nodeSelector: { 'topology.kubernetes.io/zone': '<zone>' } })])).toEqual([
      expect.stringMatching(/^error .*nodeSelector\.topology\.kubernetes\.io\/zone holds '<zone>'.*stays Pending/),
    ]);
  });

  test('beside a term without one (terms are ORed): a warning that the term matches no node', () => {
    const family = { matchExpressions: [{ key: 'cloud.google.com/machine-family', operator: 'In', values: ['c3'] }] };
    expect(found([job(affinity(family, zone(['ZONE'])))])).toEqual([
      expect.stringMatching(/^warning .*nodeSelectorTerms\[1\].*holds 'ZONE'.*the terms are ORed/),
    ]);
  });

  test("a <NAME> in a URI an init container fetches: an error; in the main container's command: a warning", () => {
    const copy = { name: 'fetch', image: 'amazon/aws-cli:2.17.0', command: ['sh', '-c', 'aws s3 cp s3://<my-bucket>/adapters/a.json /adapters/a.json'] };
    expect(found([job({ initContainers: [copy] })])).toEqual([
      expect.stringMatching(/^error Job\/ai\/copy: init container 'fetch' command line holds '<my-bucket>'.*before the pod can start/),
    ]);
    expect(found([job({ containers: [copy] })])).toEqual([expect.stringMatching(/^warning Job\/ai\/copy: container 'fetch' command line holds '<my-bucket>'/)]);
  });

  test('near misses: real zones and capital values that are not the label name, URLs printed by echo, a comment', () => {
    expect(found([job(affinity(zone(['us-east1-b'])))])).toEqual([]);
    expect(found([job({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3', 'node.kubernetes.io/lifecycle': 'SPOT' } })])).toEqual([]);
    const echo = { name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo "upload to s3://<bucket>/x"\n# see https://<docs-host>/guide\ntrue'] };
    expect(found([job({ containers: [echo] })])).toEqual([]);
  });
});

/** An Argo CD Application with helm parameters, values and kustomize settings. */
const application = (source: string) =>
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: gpu-nodes\n  namespace: openshift-gitops\nspec:\n  project: default\n' +
  `  destination:\n    server: https://kubernetes.default.svc\n    namespace: openshift-machine-api\n  source:\n    repoURL: https://git.example.com/platform/infra.git\n    targetRevision: main\n    path: machinesets\n${source}`;

describe('unrendered-placeholder: placeholders an Argo CD Application hands its chart or kustomization', () => {
  test('helm parameters, values text and valuesObject holding placeholder words or a whole <NAME>: one warning naming each', async () => {
    const helm =
      '    helm:\n      parameters:\n        - name: infraID\n          value: REPLACE_ME\n        - name: replicas\n          value: "1"\n' +
      '      values: |\n        ami: CHANGEME\n        zone: us-east-2a\n      valuesObject:\n        cluster:\n          name: <CLUSTER_NAME>\n';
    const [f, ...rest] = await found({ 'apps/app.yaml': application(helm) });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toMatch(/spec\.source\.helm\.parameters\[infraID\] holds 'REPLACE_ME'/);
    expect(f[1]).toMatch(/spec\.source\.helm\.values\.ami holds 'CHANGEME'/);
    expect(f[1]).toMatch(/spec\.source\.helm\.valuesObject\.cluster\.name holds '<CLUSTER_NAME>'/);
    expect(f[1]).toMatch(/Argo CD renders the chart or kustomization with that literal text \(argocd app set -p/);
  });

  test('kustomize images and namePrefix', async () => {
    const kustomize = '    kustomize:\n      namePrefix: YOUR_TEAM-\n      images:\n        - server=quay.io/acme/server:REPLACE_WITH_TAG\n';
    const [f] = await found({ 'apps/app.yaml': application(kustomize) });
    expect(f[1]).toMatch(
      /spec\.source\.kustomize\.images\[0\] holds 'REPLACE_WITH_TAG', spec\.source\.kustomize\.namePrefix holds 'YOUR_TEAM': a placeholder left to be replaced by hand/,
    );
  });

  test('near misses: real values, capital values that are no placeholder words', async () => {
    const helm =
      '    helm:\n      parameters:\n        - name: infraID\n          value: demo-7xk2p\n        - name: policy\n          value: ALL\n      values: |\n        ami: ami-0123456789abcdef0\n';
    expect(await found({ 'apps/app.yaml': application(helm) })).toEqual([]);
  });
});

describe('unrendered-placeholder: a lower-case replace-me, and the credentials of a storage-config entry', () => {
  const storageConfig = (entry: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'storage-config', namespace: 'models' },
    stringData: { store: JSON.stringify({ type: 's3', endpoint_url: 'http://minio.models.svc:9000', ...entry }) },
  });
  const portal = (value: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'portal', namespace: 'models' },
    spec: {
      selector: { matchLabels: { app: 'portal' } },
      template: { metadata: { labels: { app: 'portal' } }, spec: { containers: [{ name: 'p', image: 'quay.io/x/p:1.0', env: [{ name: 'API_URL', value }] }] } },
    },
  });

  test("an env value that is only 'replace-me': a warning that the container reads the literal", () => {
    expect(ruleFindings('unrendered-placeholder', [portal('replace-me')])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/models\/portal: container 'p' env API_URL holds 'replace-me': a placeholder left to be replaced by hand, and the container reads the literal text/,
      ),
    ]);
  });

  test("a storage-config entry whose keys are the names of their slots, or fill-in words: a warning naming the entry's fields", () => {
    const [f, ...rest] = ruleFindings('unrendered-placeholder', [
      storageConfig({ access_key_id: 'MINIO_ACCESS_KEY', secret_access_key: 'replace-with-your-secret' }),
    ]);
    expect(rest).toEqual([]);
    expect(f).toMatch(
      /^warning Secret\/models\/storage-config: stringData.store access_key_id holds 'MINIO_ACCESS_KEY', stringData.store secret_access_key holds 'replace-with-your-secret': a placeholder left to be replaced by hand/,
    );
  });

  test('near misses: real-looking keys, a capital bucket name, another Secret, a value that only contains the word', () => {
    expect(
      ruleFindings('unrendered-placeholder', [storageConfig({ access_key_id: 'AKIAIOSFODNN7EXAMPLE1', secret_access_key: 'wJalrXUtnFEMI0K7MDENG' })]),
    ).toEqual([]);
    expect(ruleFindings('unrendered-placeholder', [storageConfig({ bucket: 'MODEL_BUCKET' })])).toEqual([]);
    const other = { ...storageConfig({ access_key_id: 'MINIO_ACCESS_KEY' }), metadata: { name: 'other', namespace: 'models' } };
    expect(ruleFindings('unrendered-placeholder', [other])).toEqual([]);
    expect(ruleFindings('unrendered-placeholder', [portal('replace-me-later-with-the-gateway')])).toEqual([]);
  });
});

/** A root Application whose source fields were left as template syntax. */
const APPLICATION_SOURCE = `# A root Application whose repository and revision were left as template syntax: Argo CD renders no field of an
# Application, so the repo-server looks for a repository literally named '{{ GIT_REMOTE }}'.
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: inference-stack, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: serving}
  source:
    repoURL: '{{ GIT_REMOTE }}'
    targetRevision: '\${STACK_REVISION}'
    path: deploy/serving
`;

/** A tracking server's trusted host and a front end's endpoint URL whose host is a slot to fill by hand. */
const HOST_SLOTS = `# A tracking server told which Host headers to accept, and a chat front end pointed at an embeddings endpoint, both
# with the host left as a slot to fill by hand: the server refuses the real host, the front end calls no such host.
apiVersion: apps/v1
kind: Deployment
metadata: {name: tracker, namespace: mlops}
spec:
  selector: {matchLabels: {app: tracker}}
  template:
    metadata: {labels: {app: tracker}}
    spec:
      containers:
        - name: tracker
          image: ghcr.io/acme/tracker:2.4.1
          args: ['serve', '--port=5000', '--trusted-hosts=tracker.<INGRESS_ADDRESS>.sslip.io,localhost:5000']
        - name: chat
          image: ghcr.io/acme/chat-ui:0.9.0
          env:
            - name: EMBEDDINGS_BASE_URL
              value: 'https://<embeddings-route>/v1'
`;

/** An ApplicationSet's template, a real Application, chat tokens and query words inside longer values, a shell script. */
const TEMPLATE_NEAR_MISSES = `# An ApplicationSet's template is rendered by its generators: its {{ … }} are no leftovers. An Application with real
# source fields, and a container whose chat tokens and query words sit inside longer values, are left alone too.
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: per-cluster, namespace: argocd}
spec:
  generators:
    - list:
        elements:
          - {cluster: east, url: https://east.example.net}
  template:
    metadata: {name: 'serving-{{cluster}}'}
    spec:
      project: default
      destination: {server: '{{url}}', namespace: serving}
      source:
        repoURL: https://git.acme.dev/platform/serving.git
        targetRevision: '{{cluster}}'
        path: 'clusters/{{cluster}}'
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: gateway, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: gateway}
  source:
    repoURL: https://git.acme.dev/platform/gateway.git
    targetRevision: v1.2.0
    path: deploy
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: chat-worker, namespace: mlops}
spec:
  selector: {matchLabels: {app: chat-worker}}
  template:
    metadata: {labels: {app: chat-worker}}
    spec:
      containers:
        - name: worker
          image: ghcr.io/acme/chat-worker:1.0.0
          args: ['--stop=<|im_end|>', '--prefix=models-<suffix>']
          env:
            - name: STATUS_URL
              value: 'https://status.acme.dev/v1?filter=<none>'
        - name: renderer
          image: ghcr.io/acme/tools:1.0.0
          command: ['sh', '-c']
          args: ['exec tracker serve --trusted-hosts="tracker.$(cat /etc/addr).sslip.io" # was tracker.<ADDR>.sslip.io']
`;

describe('unrendered-placeholder: source fields of an Application, and hosts left as slots', () => {
  test("{{ … }} and ${…} in an Application's repoURL and targetRevision: a warning, as Argo CD renders no field of an Application", async () => {
    expect(await found({ 'argocd/app.yaml': APPLICATION_SOURCE })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.source\.repoURL holds '\{\{ GIT_REMOTE \}\}', spec\.source\.targetRevision holds '\$\{STACK_REVISION\}': template syntax that nothing renders here, so it is applied literally/,
        ),
      ],
    ]);
  });

  test('a <NAME> standing for a host in an argument and in an env URL: a warning that the container reads the literal', async () => {
    expect(await found({ 'mlops/deploy.yaml': HOST_SLOTS })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'tracker' command line holds '<INGRESS_ADDRESS>', container 'chat' env EMBEDDINGS_BASE_URL holds '<embeddings-route>': a placeholder left to be replaced by hand, and the container reads the literal text/,
        ),
      ],
    ]);
  });

  test('near misses: an ApplicationSet template, a real Application, <…> inside longer values, a shell script', async () => {
    expect(await found({ 'argocd/apps.yaml': TEMPLATE_NEAR_MISSES })).toEqual([]);
  });

  test("near miss: an Application in a Helm chart's templates/, which Helm renders", async () => {
    const chart = APPLICATION_SOURCE.replace("'{{ GIT_REMOTE }}'", '{{ .Values.repoURL }}').replace("'${STACK_REVISION}'", '{{ .Values.revision | quote }}');
    expect(
      await found({
        'charts/stack/Chart.yaml': 'apiVersion: v2\nname: stack\nversion: 0.1.0\n',
        'charts/stack/values.yaml': 'repoURL: https://git.acme.dev/platform/serving.git\nrevision: main\n',
        'charts/stack/templates/app.yaml': chart,
        'argocd/apps.yaml': TEMPLATE_NEAR_MISSES,
      }),
    ).toEqual([]);
  });
});

/** A Karpenter node class whose subnet and security group terms carry `subnet` and `group` as their discovery tag. */
const nodeClass = (subnet: string, group: string, extraSubnetTerm = '') =>
  `apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: accelerated\nspec:\n  role: KarpenterNodeRole-training\n  amiSelectorTerms:\n    - alias: al2023@latest\n` +
  `  subnetSelectorTerms:\n    - tags:\n        karpenter.sh/discovery: "${subnet}"\n${extraSubnetTerm}` +
  `  securityGroupSelectorTerms:\n    - tags:\n        karpenter.sh/discovery: "${group}"\n`;

describe('unrendered-placeholder: slots in selector terms, labels, hostnames and storage URIs', () => {
  test('every selector term of a NodeClass holding a slot (<<NAME>> or <NAME>): an error that the NodeClass is never Ready', async () => {
    expect(await found({ 'nodes/class.yaml': nodeClass('<<CLUSTER_NAME>>', '<CLUSTER_NAME>') })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.subnetSelectorTerms\[0\]\.tags\.karpenter\.sh\/discovery holds '<<CLUSTER_NAME>>', spec\.securityGroupSelectorTerms\[0\]\.tags\.karpenter\.sh\/discovery holds '<CLUSTER_NAME>':.*SubnetSelector did not match any Subnets.*NodePools launch no node/,
        ),
      ],
    ]);
  });

  test('a slot in one term beside a real one: a warning that the term matches nothing', async () => {
    const other = '    - id: subnet-0a1b2c3d4e5f60718\n';
    const applied = { 'deploy.sh': '#!/bin/bash\nkubectl apply -f nodes/class.yaml\n' };
    expect(await found({ 'nodes/class.yaml': nodeClass('${CLUSTER}', 'training', other), ...applied })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.subnetSelectorTerms\[0\]\.tags\.karpenter\.sh\/discovery holds '\$\{CLUSTER\}'.*that term of subnetSelectorTerms matches nothing/,
        ),
      ],
    ]);
  });

  test('a hostname, a label value and a storage URI left as <<NAME>>: errors; a valid placeholder word in a Service selector: a warning', async () => {
    const ingress =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: chat, namespace: ai}\nspec:\n  rules:\n    - host: chat.<<DOMAIN>>\n' +
      '      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: chat, port: {number: 80}}}}\n';
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: chat, namespace: ai}\nspec:\n  selector: {app: REPLACE_ME}\n  ports: [{port: 80}]\n';
    const gateway = 'apiVersion: v1\nkind: Service\nmetadata: {name: gateway, namespace: ai}\nspec:\n  selector: {app: "<<APP>>"}\n  ports: [{port: 80}]\n';
    const isvc =
      'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: chat, namespace: ai}\nspec:\n  predictor:\n' +
      '    model:\n      modelFormat: {name: huggingface}\n      storageUri: s3://<<MODEL_BUCKET>>/chat\n';
    const f = await found({ 'ingress.yaml': ingress, 'service.yaml': service, 'gateway.yaml': gateway, 'isvc.yaml': isvc });
    expect(f).toEqual(
      expect.arrayContaining([
        ['error', expect.stringMatching(/^spec\.rules\[0\]\.host holds '<<DOMAIN>>'.*the API server refuses the object/)],
        ['error', expect.stringMatching(/^spec\.selector\.app holds '<<APP>>'.*no label value admits/)],
        ['error', expect.stringMatching(/spec\.predictor\.model\.storageUri holds '<<MODEL_BUCKET>>'.*Failed to fetch model.*predictor never starts/)],
        ['warning', expect.stringMatching(/^spec\.selector\.app holds 'REPLACE_ME'.*selects only pods labelled with that literal/)],
      ]),
    );
  });

  test('near misses: an envsubst step of the tree that fills the slot, a documentation ConfigMap, real values; a chart no delivery names is a warning at most', async () => {
    const script = '#!/bin/sh\nset -e\nenvsubst < class.yaml | kubectl apply -f -\n';
    expect(await found({ 'nodes/class.yaml': nodeClass('${CLUSTER_NAME}', '${CLUSTER_NAME}'), 'nodes/apply.sh': script })).toEqual([]);
    const chart = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: nodes\nversion: 0.1.0\n',
      'chart/values.yaml': 'clusterName: <<CLUSTER_NAME>>\n',
      'chart/templates/class.yaml': nodeClass('{{ .Values.clusterName }}', '{{ .Values.clusterName }}'),
      'nodes/class.yaml': nodeClass('training', 'training'),
    };
    // no delivery names the chart: rendered with its defaults, as `check chart/` renders it, the slot is a warning that says so
    expect(await found(chart)).toEqual([
      ['warning', expect.stringMatching(/holds '<<CLUSTER_NAME>>'.*\(rendered with the chart's default values; a delivery's values may change this\)$/)],
    ]);
    const notes =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes, namespace: ai}\ndata:\n  README.md: |\n    Put your cluster in place of <<CLUSTER_NAME>>,\n    and your bucket in s3://<<BUCKET>>/models.\n';
    expect(await found({ 'notes.yaml': notes, 'nodes/class.yaml': nodeClass('training', 'training') })).toEqual([]);
  });
});

describe('unrendered-placeholder: a folder a script of the repository renders with its own function in a loop', () => {
  const SCRIPT = [
    '#!/usr/bin/env bash',
    'set -e',
    'ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    'TEAM_NS="${TEAM_NS:-default}"',
    'render() { python3 -c "import os,sys;sys.stdout.write(os.path.expandvars(open(sys.argv[1]).read()))" "$1"; }',
    'export TEAM_NS',
    'for f in "${ROOT}"/infra/*.yaml; do',
    '  render "$f" | kubectl apply -n "${TEAM_NS}" -f -',
    'done',
    '',
  ].join('\n');
  const ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: queue-runner\n  namespace: ${TEAM_NS}\n';
  const WORKER = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: queue-runner, namespace: "${TEAM_NS}"}',
    'spec:',
    '  selector: {matchLabels: {app: queue-runner}}',
    '  template:',
    '    metadata: {labels: {app: queue-runner}}',
    '    spec:',
    '      serviceAccountName: queue-runner',
    '      containers:',
    '        - name: runner',
    '          image: ${RUNNER_IMAGE}',
    '',
  ].join('\n');

  test('the exported variable is filled where the script applies the folder: nothing to say of it', async () => {
    const found = await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'deploy.sh': SCRIPT, 'infra/account.yaml': ACCOUNT }, 'infra');
    expect(found).toEqual([]);
  });

  test('a variable the script never exports is left as written by os.path.expandvars: the image stays an error, naming the script', async () => {
    const found = await foundAt(
      { '.git/HEAD': 'ref: refs/heads/main\n', 'deploy.sh': SCRIPT, 'infra/account.yaml': ACCOUNT, 'infra/worker.yaml': WORKER },
      'infra',
    );
    expect(found).toEqual([
      [
        'error',
        "container 'runner' image holds '${RUNNER_IMAGE}': deploy.sh (line 8) renders it with os.path.expandvars (in render) before applying it, but os.path.expandvars replaces only the variables the script exports (${TEAM_NS}) and leaves the others as written, so it is applied literally: export the variable before rendering, or write the value",
      ],
    ]);
  });

  test('near miss: without the loop the folder is applied as it is, and its namespace placeholder is an error', async () => {
    const script = SCRIPT.replace(/for f in[\s\S]*done\n/, 'kubectl apply -f "${ROOT}/infra"\n');
    const found = await foundAt({ '.git/HEAD': 'ref: refs/heads/main\n', 'deploy.sh': script, 'infra/account.yaml': ACCOUNT }, 'infra');
    expect(found).toEqual([['error', expect.stringContaining("metadata.namespace holds '${TEAM_NS}': template syntax that nothing renders here")]]);
  });
});

describe('unrendered-placeholder: one image placeholder shared by several workloads', () => {
  const named = (name: string, replicas?: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'ai' },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'server', image: 'IMAGE_NAME' }] } },
    },
  });
  const judged = (docs: Record<string, unknown>[]) => ruleFindings('unrendered-placeholder', docs).map((f) => f.replace(/:.*?( \(latent: .*\))?$/, '$1'));

  test('said once; latent only while none of the workloads runs a pod', () => {
    expect(judged([named('api', 0), named('worker', 0)])).toEqual([
      'warning Deployment/ai/api (latent: Deployment/ai/api, Deployment/ai/worker, whose pods fail, are delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales them, so no pod runs until they are scaled up)',
    ]);
    // the first by id runs no pod, the other does: the error stands
    expect(judged([named('api', 0), named('worker')])).toEqual(['error Deployment/ai/api']);
  });
});

describe('unrendered-placeholder: the scripts of the git repository around a checked subfolder', () => {
  const APP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-settings\n  namespace: ${NAMESPACE}\ndata:\n  mode: fast\n';
  const DEPLOY = [
    '#!/bin/bash',
    'set -euo pipefail',
    'DIR="$(cd "$(dirname "$0")" && pwd)"',
    'export NAMESPACE=${NAMESPACE:-demo}',
    'envsubst < "$DIR/manifests/app.yaml" | oc apply -f -',
    '',
  ].join('\n');
  /** The findings on `checked` of a tree made a git work tree by `git init`, as [severity, message]. */
  async function inGitRepository(files: Record<string, string>, checked: string): Promise<[string, string][]> {
    const dir = writeTree('unrendered-placeholder-git-', files);
    execFileSync('git', ['init', '-q', dir]);
    const { out } = await cliInProcess(['check', `${dir}/${checked}`, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.message]);
  }

  test('a script of the folder above that pipes "$DIR/manifests/app.yaml" through envsubst into oc apply: no finding, as when the root is checked', async () => {
    const files = { 'demo/deploy.sh': DEPLOY, 'demo/manifests/app.yaml': APP };
    expect(await inGitRepository(files, 'demo/manifests')).toEqual([]);
    expect(await inGitRepository(files, 'demo')).toEqual([]);
  });

  test('still fires: a file beside it that no script renders; and outside a git work tree nothing above the folder is read', async () => {
    const files = { 'demo/deploy.sh': DEPLOY, 'demo/manifests/app.yaml': APP, 'demo/manifests/other.yaml': APP.replace('app-settings', 'other-settings') };
    expect(await inGitRepository(files, 'demo/manifests')).toEqual([
      ['error', expect.stringMatching(/^metadata\.namespace holds '\$\{NAMESPACE\}': template syntax that nothing renders here/)],
    ]);
    // nothing in the checked folder delivers it and no work tree can be searched: a warning that says so
    expect(await foundAt({ 'demo/deploy.sh': DEPLOY, 'demo/manifests/app.yaml': APP }, 'demo/manifests')).toEqual([
      [
        'warning',
        expect.stringMatching(/^metadata\.namespace holds '\$\{NAMESPACE\}': template syntax, and nothing in the input renders it; if a script outside/),
      ],
    ]);
  });
});

describe('unrendered-placeholder: a sed whose target file name holds a variable', () => {
  const deployment = (name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: web\n          image: V_IMAGE\n`;
  const readme = (sed: string) =>
    ['# Web', '', '```bash', 'X="a"', 'IMG=quay.io/acme/web:1.2', sed, 'kubectl apply -f manifests/dep-${X}.yaml', '```', ''].join('\n');
  const TEMPLATE = /^container 'web' image holds 'V_IMAGE': judged as a template, since README\.md \(line 6\) renders it with sed \(replacing 'V_IMAGE'\)/;

  test('every file the name pattern can match is a template: dep-a.yaml and dep-b.yaml alike (dep-b was an error)', async () => {
    const files = {
      'README.md': readme('sed -i "s|V_IMAGE|$IMG|" manifests/dep-${X}.yaml'),
      'manifests/dep-a.yaml': deployment('web-a'),
      'manifests/dep-b.yaml': deployment('web-b'),
    };
    expect(await found(files)).toEqual([
      ['warning', expect.stringMatching(TEMPLATE)],
      ['warning', expect.stringMatching(TEMPLATE)],
    ]);
  });

  test('still fires: a file the pattern does not match, and a loop variable that takes its listed values only', async () => {
    const files = {
      'README.md': readme('sed -i "s|V_IMAGE|$IMG|" manifests/dep-${X}.yaml'),
      'manifests/dep-a.yaml': deployment('web-a'),
      'manifests/web-c.yaml': deployment('web-c'),
    };
    expect((await found(files)).map(([severity]) => severity)).toEqual(['error', 'warning']);
    const loop = {
      'deploy.sh': 'IMG=quay.io/acme/web:1.2\nfor X in a; do\n  sed -i "s|V_IMAGE|$IMG|" manifests/dep-${X}.yaml\ndone\nkubectl apply -f manifests/\n',
      'manifests/dep-a.yaml': deployment('web-a'),
      'manifests/dep-b.yaml': deployment('web-b'),
    };
    // the loop's sed fills dep-a.yaml with the image the script sets: only dep-b.yaml, which it never edits, holds the token
    expect((await found(loop)).map(([severity]) => severity)).toEqual(['error']);
  });
});

describe('unrendered-placeholder: a template repository whose Applications hold <NAME> tokens', () => {
  const application = (name: string, repoURL: string) =>
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata:',
      `  name: ${name}`,
      '  namespace: argocd',
      'spec:',
      '  project: default',
      '  destination: {server: https://kubernetes.default.svc, namespace: web}',
      `  source: {repoURL: ${repoURL}, targetRevision: main, path: apps/web}`,
      '',
    ].join('\n');
  const INGRESS =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: web}\nspec:\n  rules:\n    - host: web.<DOMAIN_NAME>\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: {service: {name: web, port: {number: 80}}}\n';

  test("the tree's own Applications hold tokens: an Ingress host web.<DOMAIN_NAME> is a warning saying the tree is a template; the output says why once", async () => {
    const dir = writeTree('template-repository-', {
      'clusters/web.yaml': application('<WORKLOAD_CLUSTER_NAME>-web', '<GITOPS_REPO_URL>'),
      'apps/web/ingress.yaml': INGRESS,
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const json = JSON.parse(out) as { template?: string; findings: { rule: string; severity: string; object: string; message: string }[] };
    expect(json.findings.filter((f) => f.object === 'Ingress/web/web').map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'unrendered-placeholder',
        'warning',
        "spec.rules[0].host holds '<DOMAIN_NAME>': a placeholder left to be replaced by hand, and no name or hostname admits '<' or '>': applied as it is, the API server refuses the object; write the real value (the tree is treated as a template repository: the finding rests on '<DOMAIN_NAME>', a token its tooling replaces when the tree is copied)",
      ],
    ]);
    expect(json.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(json.template).toMatch(
      /^the tree is treated as a template repository whose tooling replaces its <NAME> and <your-name> tokens when it is copied, since its own Argo CD Applications hold them .*Application\/argocd\/<WORKLOAD_CLUSTER_NAME>-web metadata\.name '<WORKLOAD_CLUSTER_NAME>-web'/,
    );
    const table = await cliInProcess(['check', dir, '--platform', 'kserve', '--wide']);
    expect(table.out.split('\n').filter((l) => l.startsWith('template: '))).toHaveLength(1);
  });

  test('still fires: a script of the tree renders its Applications (it fills their tokens itself): the Ingress host stays an error, no template line', async () => {
    const dir = writeTree('template-repository-', {
      'bootstrap.sh': '#!/bin/bash\nsed -e "s#<GITOPS_REPO_URL>#${REPO}#g" clusters/web.yaml | kubectl apply -f -\n',
      'clusters/web.yaml': application('<WORKLOAD_CLUSTER_NAME>-web', '<GITOPS_REPO_URL>'),
      'apps/web/ingress.yaml': INGRESS,
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const json = JSON.parse(out) as { template?: string; findings: { rule: string; severity: string; object: string }[] };
    expect(json.findings.filter((f) => f.object === 'Ingress/web/web').map((f) => [f.rule, f.severity])).toEqual([['unrendered-placeholder', 'error']]);
    expect(json.template).toBeUndefined();
  });

  test('still fires: the same Ingress in a tree whose Applications hold real values is an error, and no template line is printed', async () => {
    const dir = writeTree('template-repository-', {
      'clusters/web.yaml': application('web', 'https://git.example.org/team/web.git'),
      'apps/web/ingress.yaml': INGRESS,
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const json = JSON.parse(out) as { template?: string; findings: { rule: string; severity: string; object: string }[] };
    expect(json.findings.filter((f) => f.object === 'Ingress/web/web').map((f) => [f.rule, f.severity])).toEqual([['unrendered-placeholder', 'error']]);
    expect(json.template).toBeUndefined();
  });
});

describe("unrendered-placeholder: a sed that replaces only some of a file's placeholders", () => {
  const APP = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: shop, namespace: shop}',
    'spec:',
    '  selector: {matchLabels: {app: shop}}',
    '  template:',
    '    metadata: {labels: {app: shop}}',
    '    spec:',
    '      containers:',
    '        - {name: shop, image: IMG}',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata: {name: shop, namespace: shop}',
    'spec:',
    '  rules:',
    '    - host: ${SHOP_HOST}',
    '      http:',
    '        paths:',
    '          - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}',
    '',
  ].join('\n');
  const IMG_WARNING = (line: string) =>
    `container 'shop' image holds 'IMG': judged as a template, since deploy.sh (line 2) renders it with ${line} before applying it; if it is applied as it is, the literal reaches the cluster: render it before (envsubst, Helm, kustomize replacements), or keep it out of the delivered tree`;
  const run = (script: string) => found({ 'deploy.sh': `#!/bin/bash\n${script}\nkubectl apply -f app.yaml\n`, 'app.yaml': APP });

  test('`sed -i "s|IMG|$IMG|" app.yaml`: the image is a warning, the host no sed replaces stays an error naming what the sed replaces', async () => {
    expect(await run('sed -i "s|IMG|$IMG|" app.yaml')).toEqual([
      [
        'error',
        "spec.rules[0].host holds '${SHOP_HOST}': deploy.sh (line 2) renders it with sed (replacing 'IMG') before applying it, but its sed replaces only 'IMG', so this is applied literally: add a substitution for it to that sed, or write the value",
      ],
      ['warning', IMG_WARNING("sed (replacing 'IMG')")],
    ]);
  });

  test("BSD `-i ''` with two substitutions in one script (`s/a/b/g; s/c/d/`), and alternate delimiters: still only what they name; the image it writes literally is filled", async () => {
    const got = await run(`sed -i '' 's#IMG#quay.io/shop/web:1#g; s/shop-ns/shop/' app.yaml`);
    expect(got.map(([s, m]) => [s, m.slice(0, 39)])).toEqual([['error', "spec.rules[0].host holds '${SHOP_HOST}'"]]);
    expect(got[0][1]).toContain("but its sed replaces only 'IMG', 'shop-ns', so this is applied literally");
  });

  test('near miss: `sed -e … -e …` replacing both, or a second sed line on the same file: warnings only', async () => {
    const both = await run('sed -i -e "s|IMG|$IMG|" -e "s|\\${SHOP_HOST}|$HOST|g" app.yaml');
    expect(both.map(([s]) => s)).toEqual(['warning', 'warning']);
    const twoLines = await found({
      'deploy.sh': '#!/bin/bash\nsed -i "s|IMG|$IMG|" app.yaml\nsed -i "s|SHOP_HOST|HOST|" app.yaml\nkubectl apply -f app.yaml\n',
      'app.yaml': APP,
    });
    expect(twoLines.map(([s]) => s)).toEqual(['warning', 'warning']);
  });

  test('near miss: a sed whose pattern is a regular expression (`s/host: .*/…/`) may replace anything: warnings, as before', async () => {
    expect((await run('sed -i "s/host: .*/host: $HOST/; s|IMG|$IMG|" app.yaml')).map(([s]) => s)).toEqual(['warning', 'warning']);
  });

  test("a sed piped into `envsubst '$OTHER'`: the image the sed replaces is a warning, the host the list leaves an error; plain envsubst fills it", async () => {
    const limited = await found({ 'deploy.sh': `#!/bin/bash\nsed "s|IMG|$IMG|" app.yaml | envsubst '$OTHER' | kubectl apply -f -\n`, 'app.yaml': APP });
    expect(limited.map(([s, m]) => [s, m.slice(0, 39)])).toEqual([
      ['error', "spec.rules[0].host holds '${SHOP_HOST}'"],
      ['warning', "container 'shop' image holds 'IMG': jud"],
    ]);
    expect(limited[0][1]).toContain('its envsubst fills only the variables its SHELL-FORMAT argument names (${OTHER})');
    const all = await found({ 'deploy.sh': '#!/bin/bash\nsed "s|IMG|$IMG|" app.yaml | envsubst | kubectl apply -f -\n', 'app.yaml': APP });
    expect(all.map(([s]) => s)).toEqual(['warning']);
  });
});

describe('unrendered-placeholder: a template repository whose Applications hold lower-case <your-name> tokens', () => {
  const application = (name: string, repoURL: string) =>
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata:',
      `  name: ${name}`,
      '  namespace: argocd',
      'spec:',
      '  project: default',
      '  destination: {server: https://kubernetes.default.svc, namespace: shop}',
      `  source: {repoURL: "${repoURL}", targetRevision: main, path: apps/shop}`,
      '',
    ].join('\n');
  const INGRESS =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: shop}\nspec:\n  rules:\n    - host: shop.<your-domain>\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: {service: {name: shop, port: {number: 80}}}\n';
  /** A ConfigMap of notes holding what looks like a token and is none: HTML, `<none>`, an e-mail address, a shell arrow. */
  const NOTES = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: notes, namespace: shop}',
    'data:',
    '  index.html: "<div class=\\"banner\\">Shop<br/>owner: Ann Lee <ann@shop.example.org></div>"',
    '  status: <none>',
    '  wait.sh: "until ready; do sleep 1; done <- retry -> exit"',
    '',
  ].join('\n');
  const errorsOn = async (files: Record<string, string>, object: string) => {
    const dir = writeTree('template-repository-lower-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const json = JSON.parse(out) as { template?: string; findings: { rule: string; severity: string; object: string; message: string }[] };
    return { template: json.template, found: json.findings.filter((f) => f.object === object).map((f) => [f.rule, f.severity]) };
  };

  test('`<cluster-name>` in the name and `<your-org>` in the repoURL: a template repository; the host shop.<your-domain> is a warning', async () => {
    const got = await errorsOn(
      { 'clusters/shop.yaml': application('<cluster-name>-shop', 'https://github.com/<your-org>/platform.git'), 'apps/shop/ingress.yaml': INGRESS },
      'Ingress/shop/shop',
    );
    expect(got.found).toEqual([
      ['host-name-invalid', 'warning'],
      ['unrendered-placeholder', 'warning'],
    ]);
    expect(got.template).toMatch(
      /metadata\.name '<cluster-name>-shop', .*spec\.source\.repoURL 'https:\/\/github\.com\/<your-org>\/platform\.git'\): findings resting/,
    );
  });

  test('near miss: Applications with real values beside notes holding HTML, <none>, an e-mail address and arrows: no template repository, the host stays an error', async () => {
    const got = await errorsOn(
      { 'clusters/shop.yaml': application('shop', 'https://git.example.org/team/shop.git'), 'apps/shop/ingress.yaml': INGRESS, 'apps/shop/notes.yaml': NOTES },
      'Ingress/shop/shop',
    );
    expect(got.found).toEqual([
      ['host-name-invalid', 'error'],
      ['unrendered-placeholder', 'error'],
    ]);
    expect(got.template).toBeUndefined();
  });
});

describe('unrendered-placeholder: `${VAR}` in a folder with no renderer or delivery in sight', () => {
  const SETTINGS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-settings\n  namespace: ${SHOP_NS}\ndata:\n  mode: fast\n';
  const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: shop-db, namespace: shop}\nstringData:\n  password: ${DB_PASSWORD}\n';
  const UNSEEN =
    'template syntax, and nothing in the input renders it; if a script outside the input runs envsubst, check from the repository root (no Argo CD Application, Flux Kustomization, kustomization or script of the checked folders delivers the file, and they lie in no git work tree to search): applied as it is, the literal reaches the cluster: render the value before delivery, or keep the object out of the tree';
  const APPLICATION = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: shop, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source: {repoURL: "https://git.example.org/team/shop.git", path: config, targetRevision: main}',
    '  destination: {server: "https://kubernetes.default.svc", namespace: shop}',
    '',
  ].join('\n');

  test('a bare folder of envsubst templates: a ConfigMap namespace is a warning saying nothing in the input renders it', async () => {
    expect(await found({ 'config/settings.yaml': SETTINGS })).toEqual([['warning', `metadata.namespace holds '\${SHOP_NS}': ${UNSEEN}`]]);
  });

  test("a Secret's value keeps its error, said the same way", async () => {
    expect(await found({ 'config/db.yaml': SECRET })).toEqual([['error', `stringData.password holds '\${DB_PASSWORD}': ${UNSEEN}`]]);
  });

  test('near miss: an Argo CD Application without a plugin syncs the folder raw: the error stands, as before', async () => {
    const got = await found({ 'config/settings.yaml': SETTINGS, 'apps/shop.yaml': APPLICATION });
    expect(got).toEqual([
      ['error', expect.stringMatching(/^metadata\.namespace holds '\$\{SHOP_NS\}': template syntax that nothing renders here, so it is applied literally/)],
    ]);
  });

  test('near miss: a script that applies the folder as it is, or a kustomization that lists the file: the error stands', async () => {
    const script = await found({ 'config/settings.yaml': SETTINGS, 'deploy.sh': '#!/bin/bash\nkubectl apply -f config/\n' });
    expect(script.map(([s]) => s)).toEqual(['error']);
    const kustomized = await found({ 'config/settings.yaml': SETTINGS, 'config/kustomization.yaml': 'resources:\n  - settings.yaml\n' });
    expect(kustomized.map(([s]) => s)).toEqual(['error']);
  });
});

describe('unrendered-placeholder: a chart the repository around the checked folder installs with values files', () => {
  const chart = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: ranker\nversion: 0.1.0\n',
    'chart/values.yaml': 'image: your-org/ranker:latest\n',
    'chart/values-prod.yaml': 'image: quay.io/acme-ml/ranker:1.4.2\n',
    'chart/templates/deploy.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector:\n    matchLabels: {app: ranker}\n' +
      '  template:\n    metadata:\n      labels: {app: ranker}\n    spec:\n      containers:\n        - name: ranker\n          image: {{ .Values.image }}\n',
  };
  /** The findings on the chart folder of a git repository holding `files`, as [severity, object]. */
  async function onChart(files: Record<string, string>): Promise<[string, string][]> {
    const repo = writeTree('chart-values-', { '.git/HEAD': 'ref: refs/heads/main\n', ...chart, ...files });
    const { out } = await cliInProcess(['check', `${repo}/chart`, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string }[] }).findings
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.object]);
  }
  const readme = (command: string) => `# Ranker\n\n\`\`\`bash\n${command}\n\`\`\`\n`;

  test("a README or script at the repository's root installing it with -f or --set: rendered with those values, no finding", async () => {
    expect(await onChart({ 'README.md': readme('helm upgrade --install ranker ./chart -f chart/values-prod.yaml -n ml') })).toEqual([]);
    expect(await onChart({ 'scripts/deploy.sh': 'helm upgrade --install ranker ./chart --values chart/values-prod.yaml\n' })).toEqual([]);
    expect(await onChart({ 'README.md': readme('helm install ranker ./chart --set image=quay.io/acme-ml/ranker:1.4.2') })).toEqual([]);
  });

  test('near misses: installed without values, or not installed at all: rendered with the defaults, a warning', async () => {
    expect(await onChart({ 'README.md': readme('helm upgrade --install ranker ./chart -n ml') })).toEqual([['warning', 'Deployment/ml/ranker']]);
    expect(await onChart({})).toEqual([['warning', 'Deployment/release-name']]);
  });
});

/** The unrendered-placeholder findings of a folder of a Flux work tree, as [severity, object, message]. */
async function fluxFound(files: Record<string, string>, folder: string): Promise<[string, string, string][]> {
  const dir = fluxWorkTree(files);
  const { out } = await cliInProcess(['check', `${dir}/${folder}`, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'unrendered-placeholder')
    .map((f) => [f.severity, f.object, f.message]);
}

describe("unrendered-placeholder: Flux's post-build substitution (fluxcd/pkg kustomize_varsub.go)", () => {
  const tree = (more: string) => ({ 'cluster/flux/repository.yaml': GIT_REPOSITORY, ...CLAIM_TEMPLATE, ...fluxApp('chat', more) });

  test("a variable of a shared template that the app folder's Kustomization substitutes: rendered, no finding; a default (${VOLUME_SIZE:=5Gi}) fills the rest", async () => {
    expect(await fluxFound(tree('  targetNamespace: ai\n  postBuild:\n    substitute: {APP: chat}\n'), 'cluster/apps/chat')).toEqual([]);
  });

  test('variables a substituteFrom ConfigMap or Secret gives (optional or not): rendered, their value unknown, no finding', async () => {
    const from =
      '  postBuild:\n    substituteFrom:\n      - {kind: ConfigMap, name: cluster-settings}\n      - {kind: Secret, name: cluster-secrets, optional: true}\n';
    expect(await fluxFound(tree(from), 'cluster/apps/chat')).toEqual([]);
  });

  test('a variable without a default that no substitute gives: still an error, saying Flux (strict mode off) renders it empty', async () => {
    expect(await fluxFound(tree('  targetNamespace: ai\n  postBuild:\n    substitute: {VOLUME_SIZE: 2Gi}\n'), 'cluster/apps/chat')).toEqual([
      [
        'error',
        'PersistentVolumeClaim/ai/${APP}',
        "metadata.name holds '${APP}': Kustomization flux-system/chat substitutes its post-build variables here, but no spec.postBuild.substitute or substituteFrom gives ${APP} and the token has no default: " +
          "Flux renders it as an empty string (its substitution's strict mode is off), and that is applied; set it in spec.postBuild.substitute, or write a default (${APP:=value})",
      ],
    ]);
  });

  test('a template no Flux Kustomization substitutes (no postBuild), or an object that turns substitution off: an error, nothing renders it', async () => {
    const plain = await fluxFound(tree('  targetNamespace: ai\n'), 'cluster/apps/chat');
    expect(plain).toEqual([
      ['error', 'PersistentVolumeClaim/ai/${APP}', expect.stringMatching(/^metadata.name holds '\$\{APP\}': template syntax that nothing renders here/)],
    ]);
    const off = CLAIM_TEMPLATE['cluster/templates/volume/claim.yaml'].replace(
      'metadata:\n',
      'metadata:\n  labels: {kustomize.toolkit.fluxcd.io/substitute: disabled}\n',
    );
    const disabled = { ...tree('  postBuild:\n    substitute: {APP: chat}\n'), 'cluster/templates/volume/claim.yaml': off };
    expect((await fluxFound(disabled, 'cluster/apps/chat')).map(([severity, object]) => [severity, object])).toEqual([
      ['error', 'PersistentVolumeClaim/${APP}'],
    ]);
  });
});

describe("unrendered-placeholder: a parent Flux Kustomization's spec.patches give its children their substitution", () => {
  const parentPatch = (target: string, postBuild = '            substituteFrom:\n              - {kind: Secret, name: cluster-secrets}\n') =>
    fluxKustomization(
      'cluster-apps',
      './cluster/apps',
      '  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: not-used\n        spec:\n          postBuild:\n' +
        postBuild +
        `      target:\n${target}`,
    );
  const flux = '        group: kustomize.toolkit.fluxcd.io\n        kind: Kustomization\n';
  const tree = (parent: string) => ({
    'cluster/flux/repository.yaml': GIT_REPOSITORY,
    'cluster/flux/apps.yaml': parent,
    'cluster/apps/kustomization.yaml': 'resources: [chat/ks.yaml]\n',
    ...CLAIM_TEMPLATE,
    ...fluxApp('chat', '  targetNamespace: ai\n  postBuild:\n    substitute: {VOLUME_SIZE: 2Gi}\n'),
  });

  test('the parent in the checked tree, or in the repository around the checked app folder: the child substitutes from its Secret, no finding', async () => {
    expect(await fluxFound(tree(parentPatch(flux)), 'cluster')).toEqual([]);
    expect(await fluxFound(tree(parentPatch(flux)), 'cluster/apps/chat')).toEqual([]);
  });

  test('near misses: a patch targeting another kind, or one selecting by a label the child lacks: the error stays', async () => {
    const objects = async (parent: string) => (await fluxFound(tree(parent), 'cluster/apps/chat')).map(([severity, object]) => [severity, object]);
    expect(await objects(parentPatch('        kind: HelmRelease\n'))).toEqual([['error', 'PersistentVolumeClaim/ai/${APP}']]);
    expect(await objects(parentPatch(`${flux}        labelSelector: substitution=on\n`))).toEqual([['error', 'PersistentVolumeClaim/ai/${APP}']]);
  });

  test('a patch selecting the children by a label selector they meet (`key notin (true)`, which a child without the label meets): no finding', async () => {
    expect(await fluxFound(tree(parentPatch(`${flux}        labelSelector: substitution.example.org/disabled notin (true)\n`)), 'cluster/apps/chat')).toEqual(
      [],
    );
    expect(await fluxFound(tree(parentPatch(`${flux}        name: "ch.*"\n        annotationSelector: "!skip-defaults"\n`)), 'cluster')).toEqual([]);
  });

  describe('the substituteFrom ConfigMap the parent adds is in the tree', () => {
    const vars = (data: string) => ({
      'cluster/flux/vars.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: site-vars, namespace: flux-system}\ndata:\n${data}`,
      'cluster/flux/kustomization.yaml': 'resources: [repository.yaml, apps.yaml, vars.yaml]\n',
    });
    const fromVars = '            substituteFrom:\n              - {kind: ConfigMap, name: site-vars}\n';
    const labelled = `${flux}        labelSelector: substitution.example.org/disabled notin (true)\n`;

    test('its data gives the variable the child does not substitute itself: no finding', async () => {
      expect(await fluxFound({ ...tree(parentPatch(labelled, fromVars)), ...vars('  APP: chat\n') }, 'cluster')).toEqual([]);
    });

    test('near miss: a variable none of its sources defines (the ConfigMap read, no Secret among them): the error stays, rendered empty', async () => {
      const got = await fluxFound({ ...tree(parentPatch(labelled, fromVars)), ...vars('  ZONE: eu-west-3a\n') }, 'cluster');
      expect(got.map(([severity, object]) => [severity, object])).toEqual([['error', 'PersistentVolumeClaim/ai/${APP}']]);
      expect(got[0][2]).toContain('no spec.postBuild.substitute or substituteFrom gives ${APP} and the token has no default');
    });
  });

  test('near miss: a patch that names another child: the error stays', async () => {
    expect((await fluxFound(tree(parentPatch(`${flux}        name: wiki\n`)), 'cluster')).map(([severity, object]) => [severity, object])).toEqual([
      ['error', 'PersistentVolumeClaim/ai/${APP}'],
    ]);
  });

  describe('objects rendered from an app-template HelmRelease the child applies (Flux substitutes the release before helm-controller renders it)', () => {
    const release = (env: string) => ({
      'cluster/flux/charts.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: bjw-s, namespace: flux-system}\nspec: {interval: 1h, url: https://bjw-s-labs.github.io/helm-charts}\n',
      'cluster/apps/chat/app/kustomization.yaml': 'resources: [release.yaml, ../../../templates/volume]\n',
      'cluster/apps/chat/app/deployment.yaml': '',
      'cluster/apps/chat/app/release.yaml': [
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata: {name: chat}',
        'spec:',
        '  interval: 1h',
        '  chart: {spec: {chart: app-template, version: 3.7.3, sourceRef: {kind: HelmRepository, name: bjw-s, namespace: flux-system}}}',
        '  values:',
        `    controllers: {chat: {containers: {app: {image: {repository: ghcr.io/example/chat, tag: "2.0.1"}, env: {${env}}}}}}`,
        '    service: {chat: {controller: chat, ports: {http: {port: 8080}}}}',
        '    ingress: {chat: {hosts: [{host: "chat.${SECRET_DOMAIN}", paths: [{path: /, service: {identifier: chat, port: http}}]}]}}',
        '',
      ].join('\n'),
    });
    const withApp = (parent: string, env = 'TZ: "${TIMEZONE}"') => ({ ...tree(parent), ...release(env) });

    test("the parent's Secret may give the variables of the release's values: the rendered Ingress host and env are not reported", async () => {
      expect(await fluxFound(withApp(parentPatch(flux)), 'cluster/apps/chat')).toEqual([]);
      expect(await fluxFound(withApp(parentPatch(flux)), 'cluster')).toEqual([]);
    });

    test("an env variable of its own name (TZ: ${TZ}) the parent's Secret may give: env-shell-reference is silent; without the patch it speaks", async () => {
      const rules = async (parent: string) => {
        const { out } = await cliInProcess(['check', `${fluxWorkTree(withApp(parent, 'TZ: "${TZ}"'))}/cluster/apps/chat`, '--platform', 'kserve', '--json']);
        return (JSON.parse(out) as { findings: { rule: string; object: string }[] }).findings
          .filter((f) => f.rule === 'env-shell-reference')
          .map((f) => f.object);
      };
      expect(await rules(parentPatch(flux))).toEqual([]);
      expect(await rules(parentPatch('        kind: HelmRelease\n'))).toEqual(['Deployment/ai/chat']);
    });

    test('near miss: a parent patch that targets another kind: the rendered Ingress host is an error, the env a warning', async () => {
      const got = await fluxFound(withApp(parentPatch('        kind: HelmRelease\n')), 'cluster/apps/chat');
      expect(got.map(([severity, object]) => [severity, object])).toEqual([
        ['error', 'Ingress/ai/chat'],
        ['error', 'PersistentVolumeClaim/ai/${APP}'],
        ['warning', 'Deployment/ai/chat'],
      ]);
    });

    test('near miss: a variable in no source (the substituteFrom ConfigMap read, no Secret): rendered empty, said so', async () => {
      const fromVars = '            substituteFrom:\n              - {kind: ConfigMap, name: site-vars}\n';
      const files = {
        ...withApp(parentPatch(flux, fromVars), 'TZ: "${TIMEZONE}", MODE: "${NOWHERE}"'),
        'cluster/flux/vars.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: site-vars, namespace: flux-system}\ndata: {APP: chat, TIMEZONE: Europe/Paris, SECRET_DOMAIN: example.org}\n',
        'cluster/flux/kustomization.yaml': 'resources: [repository.yaml, apps.yaml, vars.yaml, charts.yaml]\n',
      };
      const got = await fluxFound(files, 'cluster');
      expect(got.map(([severity, object]) => [severity, object])).toEqual([['warning', 'Deployment/ai/chat']]);
      expect(got[0][2]).toContain("container 'app' env MODE holds '${NOWHERE}': Kustomization flux-system/chat substitutes its post-build variables here");
      expect(got[0][2]).toContain('no spec.postBuild.substitute or substituteFrom gives ${NOWHERE} and the token has no default');
    });
  });
});

describe('unrendered-placeholder: a parent Flux Kustomization whose GitRepository names this repository by a former name', () => {
  // the repository was renamed (lab/home-cluster, once lab/homelab): its own GitRepository still fetches the old URL,
  // which the host redirects; a second GitRepository (charts of a vendor) makes the tree's URLs more than one
  const named = (url: string, more = '') =>
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: home-cluster, namespace: flux-system}\nspec: {interval: 30m, url: '${url}', ref: {branch: main}}\n${more}`;
  const vendor =
    "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: vendor, namespace: flux-system}\nspec: {interval: 1h, url: 'https://git.example.com/vendor/charts.git'}\n";
  const parent = fluxKustomization(
    'cluster-apps',
    './cluster/apps',
    '  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: not-used\n        spec:\n          postBuild:\n            substituteFrom:\n              - {kind: Secret, name: cluster-secrets}\n      target:\n        group: kustomize.toolkit.fluxcd.io\n        kind: Kustomization\n',
  );
  const tree = (repository: string, more: Record<string, string> = {}) => ({
    'cluster/flux/repository.yaml': repository,
    'cluster/flux/vendor.yaml': vendor,
    'cluster/flux/apps.yaml': parent,
    'cluster/apps/kustomization.yaml': 'resources: [chat/ks.yaml]\n',
    ...CLAIM_TEMPLATE,
    ...fluxApp('chat', '  targetNamespace: ai\n  postBuild:\n    substitute: {VOLUME_SIZE: 2Gi}\n'),
    ...more,
  });

  test('the same owner under an older name, or the same name under an older owner: the parent is this repository, its Secret gives the child its variables', async () => {
    expect(await fluxFound(tree(named('https://git.example.com/lab/homelab.git')), 'cluster')).toEqual([]);
    expect(await fluxFound(tree(named('https://git.example.com/lab/homelab.git')), 'cluster/apps/chat')).toEqual([]);
    expect(await fluxFound(tree(named('ssh://git@git.example.com/olduser/home-cluster')), 'cluster/apps/chat')).toEqual([]);
  });

  test('near miss: a URL of another owner and another name whose path happens to be a folder here: another repository, the error stays', async () => {
    const other = await fluxFound(tree(named('https://git.example.com/someone/platform-apps.git')), 'cluster/apps/chat');
    expect(other.map(([severity, object]) => [severity, object])).toEqual([['error', 'PersistentVolumeClaim/${APP}']]);
  });

  test("a clone of a local mirror (no remote URL to compare): the branch the GitRepository follows decides, one of the repository's or not", async () => {
    const committed = (files: Record<string, string>) => {
      const dir = fluxWorkTree(files, '/srv/mirrors/home-cluster.git');
      const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args]);
      git('checkout', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-qm', 'tree');
      return dir;
    };
    const check = async (dir: string) => {
      const { out } = await cliInProcess(['check', `${dir}/cluster/apps/chat`, '--platform', 'kserve', '--json']);
      return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string }[] }).findings
        .filter((f) => f.rule === 'unrendered-placeholder')
        .map((f) => [f.severity, f.object]);
    };
    const url = 'https://git.example.com/someone/platform-apps.git';
    expect(await check(committed(tree(named(url))))).toEqual([]);
    const otherBranch = named(url).replace('{branch: main}', '{branch: release-2}');
    expect(await check(committed(tree(otherBranch)))).toEqual([['error', 'PersistentVolumeClaim/${APP}']]);
  });

  test('near miss: another Kustomization builds the same path from a GitRepository whose url is the remote: the old-named one is not this repository', async () => {
    const own = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: origin, namespace: flux-system}\nspec: {interval: 30m, url: '${REMOTE}'}\n`;
    const files = tree(named('https://git.example.com/lab/homelab.git'), {
      'cluster/flux/origin.yaml': own,
      'cluster/flux/plain.yaml': fluxKustomization('cluster-apps-plain', './cluster/apps', '', 'origin'),
    });
    const got = await fluxFound(files, 'cluster/apps/chat');
    expect(got.map(([severity, object]) => [severity, object])).toEqual([['error', 'PersistentVolumeClaim/ai/${APP}']]);
  });
});

describe('unrendered-placeholder: a `__NAME__` counts as a CI token only as a whole value or a delimited segment', () => {
  /** A Deployment reading env MODE as `mode`, and env `keyEnv` from key `key` of Secret vectors-key. */
  const reader = (mode: string, keyEnv: string, key: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: vectors, namespace: search}',
      'spec:',
      '  selector: {matchLabels: {app: vectors}}',
      '  template:',
      '    metadata: {labels: {app: vectors}}',
      '    spec:',
      '      containers:',
      '        - name: vectors',
      '          image: registry.local/vectors:1.4.0',
      '          env:',
      `            - {name: MODE, value: ${JSON.stringify(mode)}}`,
      `            - name: ${keyEnv}`,
      `              valueFrom: {secretKeyRef: {name: vectors-key, key: ${key}}}`,
      '',
    ].join('\n');
  const secret = (key: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: vectors-key, namespace: search}\nstringData:\n  ${key}: s3cr3t-value\n`;

  test('a nested-settings variable name (VECTORS__SERVICE__API_KEY) as env name and Secret key: no token, no finding', async () => {
    expect(await found({ 'deploy.yaml': reader('fast', 'VECTORS__SERVICE__API_KEY', 'VECTORS__SERVICE__API_KEY') })).toEqual([]);
    // text on one side only is inside the identifier as well
    expect(await found({ 'deploy.yaml': reader('fast', 'API_KEY', 'VECTORS__SERVICE__') })).toEqual([]);
  });

  test('a Secret key spelled `__API_KEY__` that the Secret of the tree holds: a real key, no finding', async () => {
    expect(await found({ 'deploy.yaml': reader('fast', 'API_KEY', '__API_KEY__'), 'secret.yaml': secret('__API_KEY__') })).toEqual([]);
  });

  test('fires: a whole value `__TOKEN__`, a segment set apart by `-`, and a Secret key no Secret of the tree holds', async () => {
    expect(await found({ 'deploy.yaml': reader('__TOKEN__', 'API_KEY', 'api-key'), 'secret.yaml': secret('api-key') })).toEqual([
      ['warning', expect.stringMatching(/^container 'vectors' env MODE holds '__TOKEN__': a CI pipeline's token/)],
    ]);
    expect(await found({ 'deploy.yaml': reader('fast-__TIER__', 'API_KEY', 'api-key'), 'secret.yaml': secret('api-key') })).toEqual([
      ['warning', expect.stringMatching(/^container 'vectors' env MODE holds '__TIER__': a CI pipeline's token/)],
    ]);
    expect(await found({ 'deploy.yaml': reader('fast', 'API_KEY', '__API_KEY__'), 'secret.yaml': secret('api-key') })).toEqual([
      ['warning', expect.stringMatching(/^container 'vectors' env API_KEY Secret key holds '__API_KEY__': a CI pipeline's token/)],
    ]);
  });
});

describe('unrendered-placeholder: the Flux Kustomization that builds the checked folder, wherever the repository writes it', () => {
  /** A backup component apps pull in, named by the app's variable, reaching a host of the cluster's domain. */
  const component = (at: string) => ({
    [`${at}/kustomization.yaml`]: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [secret.yaml, claim.yaml]\n',
    [`${at}/secret.yaml`]:
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: "${APP}-backup"\nstringData:\n  RESTIC_REPOSITORY: "s3:https://s3.${SECRET_DOMAIN}/${APP}"\n',
    [`${at}/claim.yaml`]:
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: "${APP}-cache"\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: "${CACHE_CAPACITY:=2Gi}"\n',
  });
  /** The app folder: a route on the cluster's domain and the component, reached from `up` folders below `kubernetes/`. */
  const app = (folder: string, up: number) => ({
    [`${folder}/kustomization.yaml`]: `resources: [route.yaml]\ncomponents: [${'../'.repeat(up)}components/backup]\n`,
    [`${folder}/route.yaml`]:
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: transcoder}\nspec:\n  hostnames: ["transcoder.${SECRET_DOMAIN}"]\n  rules: [{backendRefs: [{name: transcoder, port: 80}]}]\n',
  });
  const SUBSTITUTED =
    '  targetNamespace: media\n  postBuild:\n    substitute: {APP: transcoder}\n    substituteFrom: [{kind: Secret, name: cluster-secrets}]\n';
  const tree = (ks: Record<string, string>, folder = 'kubernetes/apps/media/transcoder', up = 3) => ({
    'kubernetes/flux/repository.yaml': GIT_REPOSITORY,
    ...component('kubernetes/components/backup'),
    ...app(folder, up),
    ...ks,
  });
  const objects = (f: [string, string, string][]) => f.map(([severity, object]) => [severity, object]);

  test("an app's ks.yaml beside a kustomization that does not list it, its path the folder with or without ./: its substitute and substituteFrom render the component, no finding", async () => {
    for (const written of ['./kubernetes/apps/media/transcoder', 'kubernetes/apps/media/transcoder']) {
      const ks = { 'kubernetes/apps/media/transcoder/ks.yaml': fluxKustomization('transcoder', written, SUBSTITUTED) };
      expect(await fluxFound(tree(ks), 'kubernetes/apps/media/transcoder')).toEqual([]);
    }
  });

  test('the Kustomization in the folder above (ks.yaml beside app/) or in a clusters/ tree: no finding either', async () => {
    const above = { 'kubernetes/apps/media/transcoder/ks.yaml': fluxKustomization('transcoder', './kubernetes/apps/media/transcoder/app', SUBSTITUTED) };
    expect(await fluxFound(tree(above, 'kubernetes/apps/media/transcoder/app', 4), 'kubernetes/apps/media/transcoder/app')).toEqual([]);
    const clusters = { 'clusters/home/transcoder.yaml': fluxKustomization('transcoder', 'kubernetes/apps/media/transcoder', SUBSTITUTED) };
    expect(await fluxFound(tree(clusters), 'kubernetes/apps/media/transcoder')).toEqual([]);
  });

  test('near misses: no substituteFrom leaves ${SECRET_DOMAIN} empty, an error; no postBuild leaves every token, and the Secret is not said to be synced by Argo CD', async () => {
    const only = {
      'kubernetes/apps/media/transcoder/ks.yaml': fluxKustomization(
        'transcoder',
        './kubernetes/apps/media/transcoder',
        '  targetNamespace: media\n  postBuild:\n    substitute: {APP: transcoder}\n',
      ),
    };
    const empty = await fluxFound(tree(only), 'kubernetes/apps/media/transcoder');
    expect(objects(empty)).toEqual([
      ['error', 'HTTPRoute/media/transcoder'],
      ['error', 'Secret/media/transcoder-backup'],
    ]);
    expect(empty[0][2]).toContain('no spec.postBuild.substitute or substituteFrom gives ${SECRET_DOMAIN}');
    const plain = {
      'kubernetes/apps/media/transcoder/ks.yaml': fluxKustomization('transcoder', './kubernetes/apps/media/transcoder', '  targetNamespace: media\n'),
    };
    const literal = await fluxFound(tree(plain), 'kubernetes/apps/media/transcoder');
    expect(objects(literal)).toEqual([
      ['error', 'HTTPRoute/media/transcoder'],
      ['error', 'PersistentVolumeClaim/media/${APP}-cache'],
      ['error', 'Secret/media/${APP}-backup'],
    ]);
    expect(literal.map(([, , message]) => message).join('\n')).not.toContain('Argo CD');
  });
});
