import * as path from 'path';
import { fluxKustomization, fluxWorkTree, GIT_REPOSITORY } from '../setup/flux-work-tree';
import { cliInProcess, Found, severityObjectMessages, treeRuleFound } from '../util';

/**
 * Cases after fluxcd/pkg kustomize_varsub.go and envsubst: a Flux Kustomization with post-build variables runs envsubst
 * over every object it builds, scripts in ConfigMaps and a container's `sh -c` included, so a `${VAR}` meant for the
 * shell is written as an empty string unless it is escaped (`$${VAR}`), has a default, or the object opts out.
 */
const RULE = 'flux-substitution-empties-variable';

/** An app's ConfigMap whose entrypoint writes git credentials, its token line as given. */
const entrypoint = (line: string, metadata = '') =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: agent-entry',
    metadata,
    'data:',
    '  entrypoint.sh: |',
    '    #!/bin/sh',
    '    set -eu',
    `    ${line}`,
    '    exec sleep infinity',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');

/** A Deployment whose container runs the shell script given. */
const deployment = (script: string, args: string[] = ['-c', script]) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: agent}',
    'spec:',
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata: {labels: {app: agent}}',
    '    spec:',
    '      containers:',
    '        - name: agent',
    '          image: ghcr.io/acme/agent:1.0.0',
    '          command: [/bin/sh]',
    `          args: ${JSON.stringify(args)}`,
    '',
  ].join('\n');

const TOKEN_LINE = `printf 'https://x-access-token:%s@github.com' "\${GITHUB_TOKEN}" > "$\${HOME}/.git-credentials"`;

/** A tree of one Flux Kustomization (with the spec lines given) building apps/agent, which holds the files given. */
const tree = (more: string, app: Record<string, string>) => ({
  'clusters/lab/agent.yaml': fluxKustomization('agent', './apps/agent', more, 'flux-system'),
  'apps/agent/kustomization.yaml': `resources: [${Object.keys(app).join(', ')}]\n`,
  ...Object.fromEntries(Object.entries(app).map(([f, t]) => [`apps/agent/${f}`, t])),
});
const SUBSTITUTE = '  targetNamespace: tools\n  postBuild:\n    substitute: {APP: agent}\n';

const found = async (files: Record<string, string>): Promise<[string, string, string][]> =>
  severityObjectMessages(await treeRuleFound(RULE, 'flux-empties-', files, ['--platform', 'kserve']));

describe('flux-substitution-empties-variable', () => {
  test('a ConfigMap script with ${GITHUB_TOKEN}, none of the variables: an error naming the Kustomization, the variable, the field and the escape', async () => {
    expect(await found(tree(SUBSTITUTE, { 'configmap.yaml': entrypoint(TOKEN_LINE) }))).toEqual([
      [
        'error',
        'ConfigMap/tools/agent-entry',
        'Kustomization flux-system/agent runs its post-build substitution over this object, and ${GITHUB_TOKEN} in data.entrypoint.sh is none of its variables (spec.postBuild.substitute, substituteFrom) and without a default: ' +
          "Flux writes each as an empty string (or, with kustomize-controller's StrictPostBuildSubstitutions feature gate on, refuses the whole Kustomization), so the script or program that reads it never sees its own variable; " +
          'escape it as $${GITHUB_TOKEN} (Flux then writes ${GITHUB_TOKEN}), or label the object kustomize.toolkit.fluxcd.io/substitute: disabled',
      ],
    ]);
  });

  test("a container's sh -c script: the same error, naming the argument", async () => {
    const f = await found(tree(SUBSTITUTE, { 'deployment.yaml': deployment('cd ${WORKDIR} && exec ./run.sh') }));
    expect(f).toEqual([
      ['error', 'Deployment/tools/agent', expect.stringContaining('${WORKDIR} in spec.template.spec.containers[0].args[1] is none of its variables')],
    ]);
  });

  test.each([
    ['escaped as $${GITHUB_TOKEN}', SUBSTITUTE, entrypoint(TOKEN_LINE.replace('${GITHUB_TOKEN}', () => '$${GITHUB_TOKEN}'))],
    ['given a default', SUBSTITUTE, entrypoint(TOKEN_LINE.replace('${GITHUB_TOKEN}', '${GITHUB_TOKEN:=none}'))],
    ['one of substitute', SUBSTITUTE.replace('{APP: agent}', '{APP: agent, GITHUB_TOKEN: x}'), entrypoint(TOKEN_LINE)],
    ['a Secret of substituteFrom may give it', '  postBuild:\n    substituteFrom: [{kind: Secret, name: cluster-secrets}]\n', entrypoint(TOKEN_LINE)],
    ['the object opts out', SUBSTITUTE, entrypoint(TOKEN_LINE, '  annotations: {kustomize.toolkit.fluxcd.io/substitute: disabled}')],
    ['no post-build variables (no substitution runs)', '', entrypoint(TOKEN_LINE)],
    ['a bare $GITHUB_TOKEN (Flux reads ${…} only)', SUBSTITUTE, entrypoint(TOKEN_LINE.replace('${GITHUB_TOKEN}', '$GITHUB_TOKEN'))],
  ])('near miss: %s, no finding', async (_, more, configMap) => {
    expect(await found(tree(more, { 'configmap.yaml': configMap }))).toEqual([]);
  });

  test("near miss: a one-line value of a container that runs no shell is unrendered-placeholder's, not this rule's", async () => {
    const files = tree(SUBSTITUTE, { 'deployment.yaml': deployment('', ['--workdir=${WORKDIR}']).replace('command: [/bin/sh]', 'command: [/app/agent]') });
    expect(await found(files)).toEqual([]);
  });
});

describe('flux-substitution-empties-variable: the Flux Kustomization of the git work tree that builds the checked folder', () => {
  /** A work tree whose Flux Kustomization, written in clusters/lab, builds apps/agent: the folder checked. */
  const workTree = (more: string) =>
    fluxWorkTree({
      'clusters/lab/repository.yaml': GIT_REPOSITORY,
      'clusters/lab/agent.yaml': fluxKustomization('agent', './apps/agent', more),
      'apps/agent/kustomization.yaml': 'resources: [configmap.yaml]\n',
      'apps/agent/configmap.yaml': entrypoint(TOKEN_LINE),
    });
  const checked = async (root: string): Promise<Found[]> => {
    const r = await cliInProcess(['check', path.join(root, 'apps', 'agent'), '--json', '--platform', 'kserve']);
    return (JSON.parse(r.out).findings as (Found & { rule: string })[]).filter((f) => f.rule === RULE);
  };

  test('checked alone, the app folder is judged as the Kustomization outside it builds it, which the message names with its file', async () => {
    expect((await checked(workTree(SUBSTITUTE))).map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'error',
        'ConfigMap/tools/agent-entry',
        expect.stringMatching(
          /^Kustomization flux-system\/agent \(in clusters\/lab\/agent\.yaml\) runs its post-build substitution over this object, and \$\{GITHUB_TOKEN\} in data\.entrypoint\.sh/,
        ),
      ],
    ]);
  });

  test('near misses: that Kustomization suspended, or building from another repository, is not taken as the delivery', async () => {
    expect(await checked(workTree(`${SUBSTITUTE}  suspend: true\n`))).toEqual([]);
    const other = fluxWorkTree({
      'clusters/lab/agent.yaml': fluxKustomization('agent', './apps/agent', SUBSTITUTE, 'vendor-apps'),
      'clusters/lab/vendor.yaml': GIT_REPOSITORY.replace('home-cluster,', 'vendor-apps,').replace('lab/home-cluster.git', 'vendor/apps.git'),
      'clusters/lab/repository.yaml': GIT_REPOSITORY,
      'apps/agent/kustomization.yaml': 'resources: [configmap.yaml]\n',
      'apps/agent/configmap.yaml': entrypoint(TOKEN_LINE),
    });
    expect(await checked(other)).toEqual([]);
  });
});
