import * as fs from 'fs';
import { execFileSync } from 'child_process';
import * as path from 'path';
import {
  buildRenderTargets,
  commentRenderer,
  commentSubmitter,
  functionRenderTargets,
  loopVariablesOf,
  nameGlob,
  pathPattern,
  readTreeScripts,
  RenderIndex,
  rendererOf,
  renderingFunctions,
  renderTargets,
} from '../../lib/manifests/render-scripts';
import { envsubstApplied, envsubstFills } from '../../lib/manifests/envsubst-format';
import { readManifests, runChecks } from '../../lib';
import { literalVariables } from '../../lib/manifests/script-creations';
import { exportedVariables, variablesOf } from '../../lib/manifests/script-text';
import { cliInProcess, writeTree } from '../util';

describe('rendererOf: the commands that render a file before it is applied', () => {
  test.each([
    ['envsubst < app.yaml | oc apply -f -', 'envsubst'],
    ['sed "s/NAMESPACE/$NS/g" app.yaml | kubectl apply -f -', 'sed'],
    ["sed -e 's|IMAGE|quay.io/x/y:1|' app.yaml", 'sed'],
    ['oc process -f template.yaml -p NAME=x | oc apply -f -', 'oc process'],
    ['gomplate -f app.yaml.tmpl', 'gomplate'],
    ['j2 app.yaml.j2 values.env > app.yaml', 'j2'],
    ["yq '.metadata.namespace = strenv(NS)' app.yaml", 'yq'],
    ['yq -i ".spec.replicas = 2" app.yaml', 'yq'],
  ])('%s: %s', (line, renderer) => expect(rendererOf(line)).toBe(renderer));

  test.each(['oc apply -f app.yaml', "sed -n '1,5p' app.yaml", "yq '.metadata.name' app.yaml", 'cp app.yaml.j2 /tmp/', 'kubectl process-list'])(
    'not a rendering: %s',
    (line) => expect(rendererOf(line)).toBeUndefined(),
  );
});

describe('commentRenderer: what a file says of itself', () => {
  test('a comment at the start of a line that runs a renderer', () => {
    expect(commentRenderer('# Demo app\n#\n# Usage:\n#   envsubst < app.yaml | oc apply -f -\n---\nkind: ConfigMap\n')).toBe(
      'envsubst < app.yaml | oc apply -f -',
    );
  });

  test('near-misses: a comment that applies the file raw; a `#` line inside a block scalar', () => {
    expect(commentRenderer('# Usage: oc apply -f app.yaml\nkind: ConfigMap\n')).toBeUndefined();
    expect(commentRenderer('kind: ConfigMap\ndata:\n  run.sh: |\n    # envsubst < in.yaml > out.yaml\n')).toBeUndefined();
  });
});

describe('commentSubmitter: a tool of its own that a file says submits it', () => {
  test('a command of the head comment that reads a YAML file with -f, continuations joined, environment assignments dropped', () => {
    expect(commentSubmitter('# Usage:\n#   DEBUG=1 trainctl submit \\\n#     -f config/job.yaml \\\n#     --name x\n\nkind: Job\n')).toEqual({
      tool: 'trainctl submit',
      command: 'trainctl submit -f config/job.yaml --name x',
    });
    expect(commentSubmitter('# queuectl run --file=job.yml\nkind: Job\n')).toEqual({ tool: 'queuectl run', command: 'queuectl run --file=job.yml' });
  });

  test("near-misses: kubectl, oc and helm read the file as it is or as values; a renderer is commentRenderer's; a comment below the head; no file option", () => {
    expect(commentSubmitter('# kubectl apply -f job.yaml\nkind: Job\n')).toBeUndefined();
    expect(commentSubmitter('# oc create -f job.yaml\nkind: Job\n')).toBeUndefined();
    expect(commentSubmitter('# helm install train ./chart -f values.yaml\nkind: Job\n')).toBeUndefined();
    expect(commentSubmitter('# envsubst < job.yaml | trainctl submit -f job.yaml\nkind: Job\n')).toBeUndefined();
    expect(commentSubmitter('kind: Job\n# trainctl submit -f job.yaml\n')).toBeUndefined();
    expect(commentSubmitter('# trainctl submit job.yaml\nkind: Job\n')).toBeUndefined();
  });
});

describe('pathPattern: a path as a script names it, matched in the tree', () => {
  test.each([
    ['$SCRIPT_DIR/manifests/app.yaml', 'manifests/app.yaml'],
    ['${ROOT}/deploy/../k8s/secret.yml', 'k8s/secret.yml'],
    ['./manifests/*.yaml', 'manifests/*.yaml'],
    ['app.json', 'app.json'],
    ['manifests/*', 'manifests/*'],
  ])('%s is %s', (word, pattern) => expect(pathPattern(word)).toBe(pattern));

  test.each(['$f', '${MANIFEST}', 'values.env', 'https://example.com/raw/app.yaml', '$DIR/$NAME.yaml'])('%s names no file', (word) =>
    expect(pathPattern(word)).toBeUndefined(),
  );
});

describe('renderTargets: the files a script renders', () => {
  const patterns = (script: string) => renderTargets(script).map((t) => [t.pattern, t.renderer, t.line]);

  test('a relative path, a variable folder, and a folder given by an assignment', () => {
    const script = [
      '#!/bin/bash',
      'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
      'WEB_DIR="$SCRIPT_DIR/web"',
      'envsubst < "$SCRIPT_DIR/manifests/app.yaml" | oc apply -f -',
      'sed "s/demo-ns/$NAMESPACE/g" "$WEB_DIR/deployment.yaml" | oc apply -f -',
      'oc apply -f "$SCRIPT_DIR/manifests/raw.yaml"',
    ].join('\n');
    expect(patterns(script)).toEqual([
      ['manifests/app.yaml', 'envsubst', 4],
      ['web/deployment.yaml', "sed (replacing 'demo-ns')", 5],
    ]);
  });

  test("a loop over a folder: the loop variable's words", () => {
    const script = 'for f in manifests/*.yaml; do\n  envsubst < "$f" | kubectl apply -f -\ndone\n';
    expect(patterns(script)).toEqual([['manifests/*.yaml', 'envsubst', 2]]);
  });

  test('a loop over a list of files: each file the loop variable takes, inside a variable folder', () => {
    const script = [
      'SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"',
      "VARS='${NAMESPACE} ${IMAGE}'",
      'for f in account.yaml server.yaml; do',
      '  envsubst "$VARS" < "${SCRIPT_DIR}/deploy/${f}" | oc apply -f -',
      'done',
    ].join('\n');
    expect(patterns(script)).toEqual([
      ['deploy/account.yaml', 'envsubst', 4],
      ['deploy/server.yaml', 'envsubst', 4],
    ]);
    expect(patterns('for m in base/*.yaml extra.yaml; do envsubst < "$ROOT/$m" | kubectl apply -f -; done\n')).toEqual([
      ['base/*.yaml', 'envsubst', 1],
      ['extra.yaml', 'envsubst', 1],
    ]);
  });

  test('a pipeline continued on the next line, or after a backslash', () => {
    expect(patterns('cat serving/gateway.yaml \\\n  | sed "s|IMAGE_PLACEHOLDER|$IMAGE|g" \\\n  | oc apply -f -\n')).toEqual([
      ['serving/gateway.yaml', "sed (replacing 'IMAGE_PLACEHOLDER')", 1],
    ]);
    expect(patterns('cat serving/pool.yaml\n  | envsubst\n')).toEqual([['serving/pool.yaml', 'envsubst', 1]]);
  });

  test('the tokens a sed renderer fills go with its target, also after an envsubst of its pipeline (which names the line); a pattern with an operator is no token', () => {
    const fills = (script: string) =>
      renderTargets(script)
        .filter((t) => t.pattern === 'app/root.yaml')
        .map((t) => [t.pattern, t.sedFills]);
    expect(fills("sed -e 's|<REPO_URL>|$URL|g' -e 's/NS/$NS/' app/root.yaml | oc apply -f -\n")).toEqual([['app/root.yaml', ['<REPO_URL>', 'NS']]]);
    expect(fills("envsubst < app/root.yaml | sed 's|<REPO_URL>|$URL|g' | oc apply -f -\n")).toEqual([['app/root.yaml', ['<REPO_URL>']]]);
    expect(fills('sed "s|image: .*|image: $IMG|" app/root.yaml | oc apply -f -\n')).toEqual([['app/root.yaml', undefined]]);
  });

  test("near-misses: a function's parameter, a file only applied, a rendering of no file", () => {
    expect(patterns('apply() {\n  local file="$1"\n  envsubst < "$file" | oc apply -f -\n}\n')).toEqual([]);
    expect(patterns('oc apply -f manifests/app.yaml\n')).toEqual([]);
    expect(patterns("NAME=$(echo $URI | sed 's|.*/||')\n")).toEqual([]);
  });
});

describe('RenderIndex: the renderings of a tree, each script read once', () => {
  const tree = (files: Record<string, string>): string => writeTree('render-index.', files);

  test('a script, a Makefile, a README and a CI workflow anywhere in the tree; the nearest script names the file', () => {
    const dir = tree({
      'demo-a/deploy.sh': 'envsubst < "$SCRIPT_DIR/manifests/minio.yaml" | oc apply -f -\n',
      'demo-b/deploy.sh': 'oc delete -f x\nenvsubst < "$SCRIPT_DIR/manifests/minio.yaml" | oc apply -f -\n',
      Makefile: 'deploy:\n\tsed -e "s/NS/$(NS)/" k8s/secret.yaml | oc apply -f -\n',
      'docs/guide.md': '```\nenvsubst < serving/llm.yaml | oc apply -f -\n```\n',
      '.github/workflows/deploy.yml': 'steps:\n  - run: envsubst < ci/job.yaml | kubectl apply -f -\n',
      'node_modules/pkg/install.sh': 'envsubst < k8s/hidden.yaml\n',
    });
    const index = new RenderIndex(dir);
    const by = (f: string) => index.renderedBy(path.join(dir, f));
    // envsubst piped into an apply fills every variable (no SHELL-FORMAT argument), none of them set by the script: any `$` may become anything
    const envsubst = { renderer: 'envsubst', program: 'envsubst', fills: 'all', sedEdits: [{ pattern: '$', global: true, ignoreCase: false }] };
    expect(by('demo-a/manifests/minio.yaml')).toEqual({ script: 'demo-a/deploy.sh', line: 1, ...envsubst });
    expect(by('demo-b/manifests/minio.yaml')).toEqual({ script: 'demo-b/deploy.sh', line: 2, ...envsubst });
    // make's $(NS) is a variable the recipe does not set: the edit's replacement is unknown
    expect(by('k8s/secret.yaml')).toEqual({
      script: 'Makefile',
      line: 2,
      renderer: "sed (replacing 'NS')",
      program: 'sed',
      sedFills: ['NS'],
      sedExact: true,
      sedEdits: [{ pattern: 'NS', global: false, ignoreCase: false }],
    });
    expect(by('serving/llm.yaml')).toEqual({ script: 'docs/guide.md', line: 2, ...envsubst });
    expect(by('ci/job.yaml')).toEqual({ script: '.github/workflows/deploy.yml', line: 2, ...envsubst });
    // near-misses: a file no script names, a script in node_modules, a file outside the tree
    expect(by('k8s/other.yaml')).toBeUndefined();
    expect(by('k8s/hidden.yaml')).toBeUndefined();
    expect(index.renderedBy(path.join(path.dirname(dir), 'manifests', 'minio.yaml'))).toBeUndefined();
  });

  test('a file handed to a function of the tree that renders its parameter, the function in a sourced helper file', () => {
    const dir = tree({
      'scripts/lib.sh':
        'apply_manifest() {\n  local file="$1"\n  local ns="$2"\n  envsubst < "$file" | oc apply -n "$ns" -f -\n}\nshow() { cat "$1"; }\nrender_one() { envsubst < "${1}" > /tmp/out.yaml; }\n',
      'demo/setup.sh':
        'source ../scripts/lib.sh\nDIR=$(dirname "$0")/manifests\napply_manifest "$DIR/llmisvc.yaml" "$NS"\nrender_one manifests/job.yaml\nshow manifests/raw.yaml\noc apply -f manifests/plain.yaml\n',
    });
    const index = new RenderIndex(dir);
    const by = (f: string) => index.renderedBy(path.join(dir, f));
    // the function that applies what it renders fills every variable; the one that writes a file says nothing of the apply
    expect(by('demo/manifests/llmisvc.yaml')).toEqual({
      script: 'demo/setup.sh',
      line: 3,
      renderer: 'envsubst (in apply_manifest)',
      program: 'envsubst',
      fills: 'all',
    });
    expect(by('demo/manifests/job.yaml')).toEqual({ script: 'demo/setup.sh', line: 4, renderer: 'envsubst (in render_one)', program: 'envsubst' });
    // near misses: a function that only prints its file, a file applied as it is
    expect(by('demo/manifests/raw.yaml')).toBeUndefined();
    expect(by('demo/manifests/plain.yaml')).toBeUndefined();
  });

  test('an Azure Pipelines file: its sed step and its Replace Tokens task render the files they name; a Tekton Pipeline of that name is no script', () => {
    const dir = tree({
      'release-pipeline.yml': [
        'stages:',
        '  - stage: Release',
        '    jobs:',
        '      - job: Apply',
        '        steps:',
        '          - bash: |',
        '              sed -i "s/__APP_NS__/$(appNs)/g" deploy/namespace.yml',
        '          - task: qetza.replacetokens.replacetokens-task.replacetokens@5',
        '            inputs:',
        '              targetFiles: |',
        '                deploy/settings.yaml',
        '                deploy/tpl/app.yaml => deploy/app.yaml',
        '              tokenPattern: default',
        '          - task: replacetokens@6',
        "            inputs: { sources: 'other/*.yaml' }",
        '          - task: Kubernetes@1',
        '            inputs:',
        '              arguments: -f deploy/untouched.yaml',
        '',
      ].join('\n'),
      'tekton/pipeline.yaml': 'apiVersion: tekton.dev/v1\nkind: Pipeline\nspec:\n  tasks:\n    - script: sed -i "s/X/Y/g" deploy/tekton.yaml\n',
    });
    const index = new RenderIndex(dir);
    const by = (f: string) => index.renderedBy(path.join(dir, f));
    expect(by('deploy/namespace.yml')).toEqual({
      script: 'release-pipeline.yml',
      line: 7,
      renderer: "sed (replacing '__APP_NS__')",
      program: 'sed',
      // sed -i edits the file itself
      writes: { tokens: ['__APP_NS__'], inPlace: true },
      sedFills: ['__APP_NS__'],
      sedExact: true,
      sedEdits: [{ pattern: '__APP_NS__', global: true, ignoreCase: false }],
    });
    const task = { script: 'release-pipeline.yml', line: 8, renderer: 'the Replace Tokens task', program: 'replacetokens', writes: { tokens: [] } };
    expect(by('deploy/settings.yaml')).toEqual(task);
    expect(by('deploy/tpl/app.yaml')).toEqual(task);
    expect(by('deploy/app.yaml')).toEqual(task);
    // near misses: a flow-mapping input is not read (one line per input), a file only applied, a Tekton Pipeline's own script
    expect(by('other/a.yaml')).toBeUndefined();
    expect(by('deploy/untouched.yaml')).toBeUndefined();
    expect(by('deploy/tekton.yaml')).toBeUndefined();
  });

  test('a symbolic link to a script outside the tree is not read', () => {
    const outside = tree({ 'render.sh': 'envsubst < k8s/secret.yaml | oc apply -f -\n' });
    const dir = tree({ 'k8s/secret.yaml': 'kind: Secret\n' });
    fs.symlinkSync(path.join(outside, 'render.sh'), path.join(dir, 'render.sh'));
    expect(new RenderIndex(dir).renderedBy(path.join(dir, 'k8s', 'secret.yaml'))).toBeUndefined();
  });
});

describe('buildRenderTargets: the kustomize builds a script pipes into a renderer', () => {
  test('kustomize build, kubectl kustomize and oc kustomize, with a folder, a variable folder, or none', () => {
    const script = [
      'kustomize build manifests | envsubst | kubectl apply -f -',
      'kubectl kustomize --enable-helm "$ROOT/overlays/prod" | envsubst | oc apply -f -',
      'oc kustomize | sed "s/NS/$NS/g" | oc apply -f -',
    ].join('\n');
    expect(buildRenderTargets(script)).toEqual([
      { pattern: 'manifests', renderer: 'envsubst', program: 'envsubst', line: 1, fills: 'all', anchored: true },
      { pattern: 'overlays/prod', renderer: 'envsubst', program: 'envsubst', line: 2, fills: 'all' },
      { pattern: '.', renderer: 'sed', program: 'sed', line: 3, anchored: true },
    ]);
  });

  test('near-misses: a build applied as it is, a renderer before the build, a folder held whole in an unknown variable', () => {
    const script = [
      'kustomize build manifests | kubectl apply -f -',
      'envsubst < x.yaml > y.yaml && kustomize build base | oc apply -f -',
      'kustomize build $DIR | envsubst | oc apply -f -',
    ].join('\n');
    expect(buildRenderTargets(script)).toEqual([]);
  });

  test('the kustomize binary named by a variable: a Makefile recipe $(KUSTOMIZE) build, a script ${KUSTOMIZE_BIN} build', () => {
    const makefile = [
      'install: kustomize',
      '\t$(KUSTOMIZE) build config/overlays/dev | envsubst | kubectl apply -f -',
      'preview:',
      '\t${KUSTOMIZE_BIN} build config/base \\',
      '\t  | envsubst \\',
      '\t  | kubectl apply -f -',
      'plain:',
      '\t$(KUSTOMIZE) build config/plain | kubectl apply -f -',
      '\t$(KUBECTL) apply -f config/rbac | envsubst',
    ].join('\n');
    expect(buildRenderTargets(makefile)).toEqual([
      { pattern: 'config/overlays/dev', renderer: 'envsubst', program: 'envsubst', line: 2, fills: 'all', anchored: true },
      { pattern: 'config/base', renderer: 'envsubst', program: 'envsubst', line: 4, fills: 'all', anchored: true },
    ]);
  });
});

describe('check: a kustomize build a README pipes through envsubst is judged as a template', () => {
  const tree = (readme?: string) =>
    writeTree('build-render-', {
      'manifests/kustomization.yaml': 'resources:\n  - secret.yaml\n',
      'manifests/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: hf-secret\n  namespace: llm\nstringData:\n  hf_token: ${HF_TOKEN}\n',
      ...(readme ? { 'README.md': readme } : {}),
    });
  const verdicts = (dir: string) =>
    runChecks(readManifests([dir]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.message]);

  test('README: kustomize build manifests | envsubst | kubectl apply -f -: envsubst fills every variable before the apply, nothing to say', () => {
    expect(verdicts(tree('# Deploy\n\n```sh\nkustomize build manifests | envsubst | kubectl apply -f -\n```\n'))).toEqual([]);
  });

  test('a SHELL-FORMAT list that names the variable fills it; one that leaves it out applies the literal: an error naming the list', () => {
    expect(verdicts(tree("```sh\nkustomize build manifests | envsubst '${HF_TOKEN}' | kubectl apply -f -\n```\n"))).toEqual([]);
    expect(verdicts(tree("```sh\nkustomize build manifests | envsubst '${NAMESPACE}' | kubectl apply -f -\n```\n"))).toEqual([
      [
        'error',
        expect.stringMatching(
          /stringData\.hf_token holds '\$\{HF_TOKEN\}': README\.md \(line 2\) renders the kustomize build of its folder with envsubst before applying it, but its envsubst fills only the variables its SHELL-FORMAT argument names \(\$\{NAMESPACE\}\)/,
        ),
      ],
    ]);
  });

  test('a build rendered into a file (not piped into the apply): a warning naming the README and line, as a template', () => {
    expect(verdicts(tree('# Deploy\n\n```sh\nkustomize build manifests | envsubst > out.yaml\n```\n'))).toEqual([
      [
        'warning',
        expect.stringMatching(/judged as a template, since README\.md \(line 4\) renders the kustomize build of its folder with envsubst before applying it/),
      ],
    ]);
  });

  test('near miss: a README that applies the build as it is leaves the placeholder an error', () => {
    expect(verdicts(tree('```sh\nkubectl apply -k manifests\n```\n'))).toEqual([
      ['error', expect.stringMatching(/holds '\$\{HF_TOKEN\}': template syntax that nothing renders here/)],
    ]);
  });
});

describe('check: the files of a kustomization a deploy script renders one by one in a loop', () => {
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: ${APP_NS}\nspec:\n  ports:\n    - port: 80\n';
  const verdicts = (script: string) => {
    const dir = writeTree('loop-render-', {
      'deploy/kustomization.yaml': '# kept for reference; deploy.sh renders the files\nresources:\n  - service.yaml\n',
      'deploy/service.yaml': SERVICE,
      'install.sh': script,
    });
    return runChecks(readManifests([dir]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.message]);
  };

  test('for f in … ; do envsubst < "$DIR/deploy/${f}" | oc apply -f -; done: the file is rendered as it is applied, nothing to say', () => {
    const script = 'DIR="$(dirname "$0")"\nfor f in service.yaml; do\n  envsubst < "${DIR}/deploy/${f}" | oc apply -f -\ndone\n';
    expect(verdicts(script)).toEqual([]);
  });

  test('the same loop rendering into files it applies later: a warning naming the script and line, as a template', () => {
    const script = 'DIR="$(dirname "$0")"\nfor f in service.yaml; do\n  envsubst < "${DIR}/deploy/${f}" > "/tmp/${f}"\ndone\n';
    expect(verdicts(script)).toEqual([['warning', expect.stringMatching(/judged as a template, since install\.sh \(line 3\) renders its file with envsubst/)]]);
  });

  test('near miss: a README that also applies the kustomization as it is (oc apply -k) puts the literal back: an error', () => {
    const script = 'for f in service.yaml; do\n  envsubst < "deploy/${f}" | oc apply -f -\ndone\noc apply -k deploy\n';
    expect(verdicts(script)).toEqual([['error', expect.stringMatching(/holds '\$\{APP_NS\}': template syntax that nothing renders here/)]]);
  });

  test('near miss: a loop over other files leaves the placeholder an error', () => {
    const script = 'for f in route.yaml; do\n  envsubst < "deploy/${f}" | oc apply -f -\ndone\n';
    expect(verdicts(script)).toEqual([['error', expect.stringMatching(/holds '\$\{APP_NS\}': template syntax that nothing renders here/)]]);
  });
});

describe('check: a loose Secret file whose object the deploy script creates itself', () => {
  const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: hf-token\n  namespace: vllm\nstringData:\n  token: "${HF_TOKEN}"\n';
  const DEPLOYMENT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: vllm\ndata:\n  MAX_MODEL_LEN: "8192"\n';
  const verdicts = async (script: string) => {
    const dir = writeTree('script-made-', { 'k8s/hf-secret.yaml': SECRET, 'k8s/settings.yaml': DEPLOYMENT, 'scripts/deploy.sh': script });
    const r = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    return (JSON.parse(r.out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.message]);
  };

  test('kubectl create secret … | kubectl apply -f - makes the Secret: the file is a template, a warning naming the script', async () => {
    const script =
      'set -e\nkubectl apply -f k8s/settings.yaml\nkubectl create secret generic hf-token -n vllm \\\n  --from-literal=token="$HF_TOKEN" --dry-run=client -o yaml | kubectl apply -f -\n';
    expect(await verdicts(script)).toEqual([
      ['warning', expect.stringMatching(/scripts\/deploy\.sh \(line 3\) creates Secret 'hf-token' itself rather than applying this file/)],
    ]);
  });

  test('near miss: a script that makes another Secret leaves the placeholder an error', async () => {
    const script = 'kubectl create secret generic other-token -n vllm --from-literal=token="$HF_TOKEN"\n';
    expect((await verdicts(script)).map((v) => v[0])).toEqual(['error']);
  });
});

describe('renderTargets: the files a renderer writes over', () => {
  const writes = (line: string) => renderTargets(line).map((t) => [t.pattern, t.writes?.tokens]);

  test('a redirect target is written (with the placeholder words sed replaces), the template read only', () => {
    // autoconf's app.yaml.in is a template of a manifest, read only, as app.tpl.yaml below
    expect(writes('sed -e "s|REGISTRY_PLACEHOLDER|$REG|g" k8s/api/app.yaml.in > k8s/api/app.yaml')).toEqual([
      ['k8s/api/app.yaml.in', undefined],
      ['k8s/api/app.yaml', ['REGISTRY_PLACEHOLDER']],
    ]);
    expect(writes('envsubst < k8s/app.tpl.yaml > k8s/app.yaml')).toEqual([
      ['k8s/app.tpl.yaml', undefined],
      ['k8s/app.yaml', []],
    ]);
    expect(writes('sed -i.bak "s|PROJECT_NAME|$P|g" k8s/app.yaml')).toEqual([['k8s/app.yaml', ['PROJECT_NAME']]]);
  });

  test('near misses: a pipe into apply, an appended file and a redirected error stream write no manifest', () => {
    expect(writes('envsubst < k8s/app.yaml | kubectl apply -f -')).toEqual([['k8s/app.yaml', undefined]]);
    expect(writes('envsubst < k8s/app.yaml >> all.yaml')).toEqual([
      ['k8s/app.yaml', undefined],
      ['all.yaml', undefined],
    ]);
    expect(writes('envsubst < k8s/app.yaml 2> err.yaml')).toEqual([
      ['k8s/app.yaml', undefined],
      ['err.yaml', undefined],
    ]);
  });
});

describe('check: a file a script writes from its template before the build applies the folder', () => {
  const DEPLOYMENT = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api, namespace: shop}',
    'spec:',
    '  selector: {matchLabels: {app: api}}',
    '  template:',
    '    metadata: {labels: {app: api}}',
    '    spec:',
    '      containers: [{name: api, image: "REGISTRY_PLACEHOLDER/api:1.0"}]',
    '',
  ].join('\n');
  const verdicts = (render: string) => {
    const dir = writeTree('written-render-', {
      'k8s/kustomization.yaml': 'resources:\n  - api/deployment.yaml\n',
      'k8s/api/deployment.yaml': DEPLOYMENT,
      'k8s/api/deployment.yaml.template': DEPLOYMENT,
      'scripts/render.sh': `#!/bin/bash\nREGISTRY="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"\n${render}\n`,
      Makefile: 'deploy:\n\t./scripts/render.sh\n\tkubectl apply -k k8s/\n',
    });
    return runChecks(readManifests([dir]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.message]);
  };

  test('sed … x.yaml.template > x.yaml, then kubectl apply -k: the applied file is filled, a warning naming the script', () => {
    expect(verdicts('sed -e "s|REGISTRY_PLACEHOLDER|${REGISTRY}|g" k8s/api/deployment.yaml.template > k8s/api/deployment.yaml')).toEqual([
      [
        'warning',
        expect.stringMatching(/judged as a template, since scripts\/render\.sh \(line 3\) writes its file with sed \(replacing 'REGISTRY_PLACEHOLDER'\)/),
      ],
    ]);
    expect(verdicts('sed -i "s|REGISTRY_PLACEHOLDER|${REGISTRY}|g" k8s/api/deployment.yaml').map((v) => v[0])).toEqual(['warning']);
  });

  test('near misses: a sed that replaces another word, or one that pipes the template into apply, leaves the applied file as written', () => {
    expect(verdicts('sed -e "s|PROJECT_PLACEHOLDER|shop|g" k8s/api/deployment.yaml.template > k8s/api/deployment.yaml').map((v) => v[0])).toEqual(['error']);
    expect(verdicts('sed -e "s|REGISTRY_PLACEHOLDER|${REGISTRY}|g" k8s/api/deployment.yaml | kubectl apply -f -').map((v) => v[0])).toEqual(['error']);
  });
});

describe('envsubstFills and envsubstApplied: what an envsubst of a script fills, and whether it goes into the apply', () => {
  test("no SHELL-FORMAT fills every variable; a list fills what it references, $NAME or ${NAME}, quoted, escaped, or with make's $$", () => {
    expect(envsubstFills('envsubst < app.yaml | kubectl apply -f -')).toBe('all');
    expect(envsubstFills("kustomize build . | envsubst '${POOL} ${IMAGE}' | kubectl apply -f -")).toEqual(['POOL', 'IMAGE']);
    expect(envsubstFills('kustomize build . | envsubst \\${POOL} | kubectl apply -f -')).toEqual(['POOL']);
    expect(envsubstFills("\tkubectl kustomize rbac | envsubst '$$NAME $$NAMESPACE' | kubectl apply -f -")).toEqual(['NAME', 'NAMESPACE']);
    expect(envsubstFills("envsubst '$NAME, $MODEL_PATH' < sr.yaml.tmpl | oc apply -f -")).toEqual(['NAME', 'MODEL_PATH']);
  });

  test('a chain of envsubst stages fills the union of what each fills (each passes the rest through), across continued lines', () => {
    expect(envsubstFills("kustomize build . | envsubst \\${A} | envsubst \\${B} \\   | envsubst '$C' | kubectl apply -f -")).toEqual(['A', 'B', 'C']);
    expect(envsubstFills("cat x.yaml | envsubst '${A}' | envsubst | kubectl apply -f -")).toBe('all');
    expect(envsubstFills('cat x.yaml | envsubst \\${A} | envsubst "$VARS" | kubectl apply -f -')).toBeUndefined();
    // an envsubst of another command of the line is not a stage of this pipeline
    expect(envsubstFills("envsubst '${A}' < a.yaml | kubectl apply -f - && envsubst '${B}' < b.yaml > b.out")).toEqual(['A']);
    expect(envsubstFills("envsubst '${A}' < a.yaml 2>&1 | envsubst '${B}' | oc apply -f -; envsubst < c.yaml")).toEqual(['A', 'B']);
  });

  test('near misses: a list the shell makes when it runs, a listing of variables, no envsubst at all', () => {
    expect(envsubstFills('envsubst "$VARS" < app.yaml | kubectl apply -f -')).toBeUndefined();
    expect(envsubstFills('envsubst "${POOL}" < app.yaml | kubectl apply -f -')).toBeUndefined();
    expect(envsubstFills('envsubst -v "$TEMPLATE"')).toBeUndefined();
    expect(envsubstFills('make check-envsubst')).toBeUndefined();
  });

  test('applied: a later stage applies what comes out, a filter between and kubectl by a variable or a wrapper allowed', () => {
    expect(envsubstApplied("envsubst '${A}' | awk '{ print }' | $KUBECTL --context kind apply -f -")).toEqual(['A']);
    expect(envsubstApplied('cat x.yaml | envsubst | _kubectl create -f -')).toBe('all');
    expect(envsubstApplied('envsubst < x.yaml > out.yaml')).toBeUndefined();
    expect(envsubstApplied('kustomize build . | envsubst | kubectl delete -f -')).toBeUndefined();
    expect(envsubstApplied('kubectl apply -f - | envsubst')).toBeUndefined();
  });

  test('buildRenderTargets reads the SHELL-FORMAT across a multi-line awk program and the root through variables', () => {
    const script = [
      'BASE="deploy/envs"',
      'ROOT="${BASE}/split"',
      'kubectl kustomize "${ROOT}" \\',
      "  | envsubst '${POOL}' \\",
      "  | awk '",
      '      { print }',
      "    ' \\",
      '  | kubectl apply -f -',
    ].join('\n');
    expect(buildRenderTargets(script)).toEqual([
      { pattern: 'deploy/envs/split', renderer: 'envsubst', program: 'envsubst', line: 3, fills: ['POOL'], anchored: true },
    ]);
  });
});

describe("variablesOf, literalVariables: a script's own default", () => {
  test('X=${X:-default} is the default, its quotes removed as the shell removes them; a default naming another variable is left as written', () => {
    const script = 'NS=${NS:-"llm-d-sim"}\nCTX=${CTX:-\'kind-dev\'}\nTOOL=${TOOL-kubectl}\nOTHER=${OTHER:-$NS}\n';
    const vars = variablesOf(script);
    expect([vars.get('NS'), vars.get('CTX'), vars.get('TOOL')]).toEqual([['llm-d-sim'], ['kind-dev'], ['kubectl']]);
    expect(vars.get('OTHER')).toEqual(['${OTHER:-$NS}']);
    const literals = literalVariables(script, script.length);
    expect([literals.get('NS'), literals.get('CTX'), literals.get('TOOL'), literals.get('OTHER')]).toEqual(['llm-d-sim', 'kind-dev', 'kubectl', undefined]);
  });
});

describe('a helpers library sourced from outside the checked folder', () => {
  const lib = 'render_file() {\n  local f="$1"\n  envsubst \'${PEER_NAME}\' < "$f" | oc apply -f -\n}\n';
  const setup = (sourced: string) =>
    `#!/usr/bin/env bash\nset -euo pipefail\nHERE="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"\n${sourced}\nrender_file "\${HERE}/peer.yaml"\n`;
  const PEER = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${PEER_NAME}\n';

  test('within the git work tree it is followed: the function it defines renders the file', () => {
    const top = writeTree('sourced-lib.', {
      'lib/common.sh': lib,
      'clusters/peer/setup.sh': setup('source "${HERE}/../../lib/common.sh"'),
      'clusters/peer/peer.yaml': PEER,
    });
    execFileSync('git', ['init', '-q', top]);
    const index = new RenderIndex(path.join(top, 'clusters/peer'));
    expect(index.renderedBy(path.join(top, 'clusters/peer/peer.yaml'))).toEqual(
      expect.objectContaining({ script: 'setup.sh', line: 5, renderer: 'envsubst (in render_file)', program: 'envsubst' }),
    );
    // `. ./lib.sh` beside the script, as it is run from its folder
    const beside = writeTree('sourced-lib.', { 'lib.sh': lib, 'peer/setup.sh': setup('. ../lib.sh'), 'peer/peer.yaml': PEER });
    execFileSync('git', ['init', '-q', beside]);
    expect(new RenderIndex(path.join(beside, 'peer')).renderedBy(path.join(beside, 'peer/peer.yaml'))).toBeDefined();
    // near miss: outside any git work tree, a file above the checked folder is not read
    const loose = writeTree('sourced-lib.', {
      'lib/common.sh': lib,
      'clusters/peer/setup.sh': setup('source "${HERE}/../../lib/common.sh"'),
      'clusters/peer/peer.yaml': PEER,
    });
    expect(new RenderIndex(path.join(loose, 'clusters/peer')).renderedBy(path.join(loose, 'clusters/peer/peer.yaml'))).toBeUndefined();
  });

  test('a function check cannot read, handed a file whose placeholders are all ${UPPER_CASE}: a warning, never an error', () => {
    const verdicts = (files: Record<string, string>) => {
      const dir = writeTree('sourced-lib.', files);
      return runChecks(readManifests([dir]).manifests, { platform: 'kserve', rules: ['unrendered-placeholder'] }).map((f) => [
        f.rule,
        f.severity,
        f.object,
        f.message,
      ]);
    };
    expect(verdicts({ 'setup.sh': setup('source "${HERE}/../../lib/common.sh"'), 'peer.yaml': PEER })).toEqual([
      [
        'unrendered-placeholder',
        'warning',
        'Namespace/${PEER_NAME}',
        expect.stringMatching(/judged as a template, since setup.sh \(line 5\) hands it to render_file, a function defined in no file check reads/),
      ],
    ]);
    // the fires: applied as it is, or a placeholder not in envsubst's capitals form
    expect(verdicts({ 'setup.sh': setup('').replace('render_file', 'oc apply -f'), 'peer.yaml': PEER }).map((v) => v[1])).toEqual(['error']);
    expect(verdicts({ 'setup.sh': setup(''), 'peer.yaml': PEER.replace('${PEER_NAME}', '${peer_name}') }).map((v) => v[1])).toEqual(['error']);
  });
});

describe('a shell function that runs os.path.expandvars, called in a loop over a folder and piped into the apply', () => {
  const RENDER = 'render() { python3 -c "import os,sys;sys.stdout.write(os.path.expandvars(open(sys.argv[1]).read()))" "$1"; }';

  test('exportedVariables: export lists and assignments, declare -x, and every variable set while set -a holds', () => {
    expect([...exportedVariables('NS=x\nexport NS IMAGE\nexport TAG=1 NOTE="a b"\ndeclare -x ZONE\n')].sort()).toEqual(['IMAGE', 'NOTE', 'NS', 'TAG', 'ZONE']);
    expect([...exportedVariables('A=1\nset -a\nB=2\nset +a\nC=3\n')]).toEqual(['B']);
    expect([...exportedVariables('NS=x\nkubectl apply -f x.yaml\n')]).toEqual([]);
  });

  test('the function is a renderer of its first parameter; each call in the loop renders the folder, filling the exported variables', () => {
    const script = [
      'ROOT="$(cd "$(dirname "$0")" && pwd)"',
      RENDER,
      'export NAMESPACE IMAGE',
      'for f in "${ROOT}"/infra/*.yaml; do',
      '  render "$f" | kubectl apply -f -',
      'done',
    ].join('\n');
    const functions = renderingFunctions(script);
    expect(functions.get('render')).toEqual({ renderer: 'os.path.expandvars', parameter: 1 });
    const targets = functionRenderTargets(script, functions);
    expect(targets.map((t) => [t.pattern, t.renderer, t.line, t.fills])).toEqual([
      ['infra/*.yaml', 'os.path.expandvars (in render)', 5, ['NAMESPACE', 'IMAGE']],
    ]);
    // a loop written on one line, the call after `do`, ended by `;`
    const oneLine = `${RENDER}\nexport NS\nfor f in k8s/*.yaml; do render "$f" | kubectl apply -f -; done\n`;
    expect(functionRenderTargets(oneLine, renderingFunctions(oneLine)).map((t) => [t.pattern, t.fills])).toEqual([['k8s/*.yaml', ['NS']]]);
  });

  test('an envsubst function whose output the call pipes into the apply fills what its envsubst fills', () => {
    const script = 'fill() { envsubst \'${NS}\' < "$1"; }\nfill k8s/app.yaml | oc apply -f -\nfill k8s/other.yaml > out.yaml\n';
    expect(functionRenderTargets(script, renderingFunctions(script)).map((t) => [t.pattern, t.fills, t.applied !== undefined])).toEqual([
      ['k8s/app.yaml', ['NS'], true],
      ['k8s/other.yaml', undefined, false],
    ]);
  });

  test('near miss: the output written to a file, not applied, says nothing of what is filled', () => {
    const script = `${RENDER}\nexport NS\nfor f in k8s/*.yaml; do render "$f" > "out/$f"; done\n`;
    expect(functionRenderTargets(script, renderingFunctions(script)).map((t) => [t.pattern, t.fills])).toEqual([['k8s/*.yaml', undefined]]);
  });
});

describe('a renderer target whose file name a variable completes', () => {
  test('the glob of every file the name can match; a loop variable, or a name that is a variable and an extension alone, gives none', () => {
    expect(nameGlob('manifests/dep-${X}.yaml', new Set())).toBe('manifests/dep-*.yaml');
    expect(nameGlob('$DIR/k8s/app-$ENV.yml', new Set())).toBe('$DIR/k8s/app-*.yml');
    expect(nameGlob('manifests/dep-${X}.yaml', new Set(['X']))).toBeUndefined();
    expect(nameGlob('manifests/${NAME}.yaml', new Set())).toBeUndefined();
    expect(nameGlob('manifests/dep-a.yaml', new Set())).toBeUndefined();
    expect([...loopVariablesOf('for X in a b; do\n  sed -i "s|A|$B|" dep-${X}.yaml\ndone\n')]).toEqual(['X']);
  });

  test('RenderIndex: dep-a.yaml and dep-b.yaml are both rendered; web-c.yaml is not', () => {
    const dir = writeTree('name-glob.', {
      'README.md': '```bash\nX="a"\nsed -i "s|V_IMAGE|$IMG|" manifests/dep-${X}.yaml\n```\n',
      'manifests/dep-a.yaml': 'kind: ConfigMap\n',
      'manifests/dep-b.yaml': 'kind: ConfigMap\n',
      'manifests/web-c.yaml': 'kind: ConfigMap\n',
    });
    const index = new RenderIndex(dir);
    const by = (f: string) => index.renderedBy(path.join(dir, f));
    expect(by('manifests/dep-b.yaml')).toEqual(expect.objectContaining({ script: 'README.md', line: 3, program: 'sed', sedFills: ['V_IMAGE'] }));
    expect(by('manifests/dep-a.yaml')).toBeDefined();
    expect(by('manifests/web-c.yaml')).toBeUndefined();
  });
});

describe('the scripts of the repository above a checked folder, matched as a check of its root matches them', () => {
  test('a path through a variable folder is matched by its trailing segments; a path named whole is matched whole', () => {
    const top = writeTree('repository-match.', {
      'demo/deploy.sh':
        'DIR="$(cd "$(dirname "$0")" && pwd)"\nenvsubst < "$DIR/manifests/app.yaml" | oc apply -f -\nenvsubst < other/manifests/db.yaml | oc apply -f -\n',
      'demo/manifests/app.yaml': 'kind: ConfigMap\n',
      'demo/manifests/db.yaml': 'kind: ConfigMap\n',
    });
    const index = new RenderIndex(top, readTreeScripts(top));
    expect(index.renderedBy(path.join(top, 'demo/manifests/app.yaml'), true)).toEqual(expect.objectContaining({ script: 'demo/deploy.sh', line: 2 }));
    // near miss: other/manifests/db.yaml is named whole from the script's folder, and demo/manifests/db.yaml is not it
    expect(index.renderedBy(path.join(top, 'demo/manifests/db.yaml'), true)).toBeUndefined();
  });
});
