import * as path from 'path';
import { folderBuilder } from '../../lib/manifests/folder-builders';
import { readTreeScripts } from '../../lib/manifests/render-scripts';
import { helmCommandsOf } from '../../lib/manifests/script-helm';
import { objectsCreatedByScript } from '../../lib/manifests/script-creations';
import { withWrappersExpanded, wrappersOf } from '../../lib/manifests/script-wrappers';
import { writeTree } from '../util';

/** The lines of a script as the readers see them, numbered from 1. */
const expanded = (text: string, script = 'deploy.sh') => withWrappersExpanded(script, text).split('\n');

describe('wrapper functions: a call read as the command the function runs', () => {
  test('a multi-line wrapper whose program comes from a variable with a default: its fixed options stay, the call words replace $@', () => {
    const script = [
      'CLI=${CLI:-kubectl}',
      'CLUSTER_CONTEXT=dev-${CLUSTER}',
      'kc() {',
      '    ${CLI} --context ${CLUSTER_CONTEXT} $@',
      '}',
      'kc create namespace serving 2>/dev/null || true',
      'kc apply -f manifests/model.yaml',
    ].join('\n');
    const lines = expanded(script);
    expect(lines[5]).toBe('kubectl --context ${CLUSTER_CONTEXT} create namespace serving 2>/dev/null || true');
    expect(lines[6]).toBe('kubectl --context ${CLUSTER_CONTEXT} apply -f manifests/model.yaml');
    // the definition itself is left as written
    expect(lines.slice(0, 5)).toEqual(script.split('\n').slice(0, 5));
  });

  test('every form of definition: name() { … }, function name { … }, function name() { … }, the brace on the next line', () => {
    const script = [
      'function kn() { kubectl -n "$NS" "$@"; }',
      'function ocw { oc --insecure-skip-tls-verify "$@"; }',
      'hl()',
      '{',
      '  helm "$@" --wait',
      '}',
      'function oa() {',
      '  exec oc apply -f "$1"',
      '}',
      'kn get pods',
      'ocw new-project serving',
      'hl upgrade --install vllm charts/vllm -n serving',
      'oa manifests/app.yaml',
    ].join('\n');
    expect(expanded(script).slice(9)).toEqual([
      'kubectl -n "$NS" get pods',
      'oc --insecure-skip-tls-verify new-project serving',
      'helm upgrade --install vllm charts/vllm -n serving --wait',
      'oc apply -f manifests/app.yaml',
    ]);
    expect([...wrappersOf(script.split('\n')).keys()]).toEqual(['kn', 'ocw', 'hl', 'oa']);
  });

  test('positional arguments: each word at its place, a missing quoted one an empty word; the call quoted as written', () => {
    const script = ['ns_apply() { kubectl apply -n "$2" -f "$1"; }', 'ns_apply "manifests/a b.yaml" serving', 'ns_apply manifests/c.yaml'].join('\n');
    expect(expanded(script).slice(1)).toEqual(['kubectl apply -n serving -f "manifests/a b.yaml"', 'kubectl apply -n "" -f manifests/c.yaml']);
  });

  test('calls after keywords, in a condition, with redirections, a heredoc, a trailing comment, in a group or a subshell', () => {
    const script = [
      'k() { kubectl "$@"; }',
      'if ! k get namespace serving >/dev/null 2>&1; then k create namespace serving; fi',
      'k apply -f - <<EOF',
      'k is not run here',
      'EOF',
      'k port-forward svc/vllm 8000:8000 & # local access',
      '{ k delete pod x; }',
      'h() { helm "$@" --wait; }',
      '(cd charts && h upgrade vllm ./vllm)',
    ].join('\n');
    expect(expanded(script).slice(1)).toEqual([
      'if ! kubectl get namespace serving >/dev/null 2>&1; then kubectl create namespace serving; fi',
      'kubectl apply -f - <<EOF',
      'k is not run here',
      'EOF',
      'kubectl port-forward svc/vllm 8000:8000 & # local access',
      '{ kubectl delete pod x; }',
      'h() { helm "$@" --wait; }',
      // the subshell's parenthesis closes after the command's own words
      '(cd charts && helm upgrade vllm ./vllm --wait )',
    ]);
  });

  test('a call continued over lines is written on its first line; every line keeps its number', () => {
    const script = ['h() { helm "$@"; }', 'h install vllm charts/vllm \\', '  --namespace serving \\', '  --create-namespace', 'h list'].join('\n');
    const lines = expanded(script);
    expect(lines).toHaveLength(5);
    expect(lines.slice(1)).toEqual(['helm install vllm charts/vllm --namespace serving --create-namespace', '', '', 'helm list']);
  });

  test('near misses: functions that do something else with their arguments are left as they are, and so are their calls', () => {
    const script = [
      'say() { echo "[deploy] $*"; }',
      'count() { kubectl get pods -n "$1" | wc -l; }',
      'team() { kubectl create namespace "team-$1"; }',
      'rest() { kubectl "${@:2}"; }',
      'each() {',
      '  for f in "$@"; do kubectl apply -f "$f"; done',
      '}',
      'twice() {',
      '  kubectl apply -f "$1"',
      '  kubectl wait --for=condition=Ready pod -l app=x',
      '}',
      'guarded() { if [ -n "$1" ]; then kubectl apply -f "$1"; fi; }',
      'fixed() { kubectl apply -f crds/; }',
      'kubectl() { command kubectl --context dev "$@"; }',
      'say kubectl apply -f x.yaml',
      'count serving',
      'team a',
      'rest x apply -f y.yaml',
      'each a.yaml b.yaml',
      'twice a.yaml',
      'guarded a.yaml',
      'fixed',
    ].join('\n');
    expect(wrappersOf(script.split('\n')).size).toBe(0);
    expect(withWrappersExpanded('deploy.sh', script)).toBe(script);
  });

  test('near misses: a body that feeds the program a heredoc, and a Makefile, whose recipe lines each run in a shell of their own', () => {
    const heredoc = ['apply_ns() {', '  kubectl apply -n "$1" -f - <<EOF', 'kind: ConfigMap', 'EOF', '}', 'apply_ns serving'].join('\n');
    expect(wrappersOf(heredoc.split('\n')).size).toBe(0);
    expect(withWrappersExpanded('deploy.sh', heredoc)).toBe(heredoc);
    const makefile = ['deploy:', '\tk() { kubectl -n serving "$@"; }; k apply -f app.yaml', '\tk delete -f old.yaml', ''].join('\n');
    expect(withWrappersExpanded('Makefile', makefile)).toBe(makefile);
  });

  test("a workflow's run block and a README's list item keep their indentation and prompt where a call is written again", () => {
    const workflow = ['jobs:', '  deploy:', '    steps:', '      - run: |', '          k() { kubectl -n serving "$@"; }', '          k apply -f app.yaml'].join(
      '\n',
    );
    expect(expanded(workflow, '.github/workflows/deploy.yaml')[5]).toBe('          kubectl -n serving apply -f app.yaml');
    const readme = ['1. Deploy:', '', '   ```sh', '   $ k() { kubectl -n serving "$@"; }', '   $ k apply -f app.yaml', '   ```'].join('\n');
    expect(expanded(readme, 'README.md')[4]).toBe('   $ kubectl -n serving apply -f app.yaml');
  });

  test('a program from a variable the script does not set, or sets to two values, is not known: no wrapper', () => {
    expect(wrappersOf(['k() { $KUBE "$@"; }']).size).toBe(0);
    expect(wrappersOf(['KUBE=kubectl', 'KUBE=oc', 'k() { $KUBE "$@"; }']).size).toBe(0);
    expect(wrappersOf(['k() { ${KUBE:-oc} "$@"; }']).get('k')).toEqual(['oc', '"$@"']);
  });

  test('a name defined twice as different commands is left alone', () => {
    const script = ['if [ -n "$OC" ]; then', '  k() { oc "$@"; }', 'else', '  k() { kubectl "$@"; }', 'fi', 'k apply -f a.yaml'].join('\n');
    expect(wrappersOf(script.split('\n')).size).toBe(0);
  });

  test("a README's wrapper in a fenced block: its calls there are expanded, the prose is not", () => {
    const readme = ['# Deploy', '', 'k apply the fix by hand', '', '```bash', 'k() { kubectl -n serving "$@"; }', 'k apply -f model.yaml', '```'].join('\n');
    const lines = expanded(readme, 'README.md');
    expect(lines[2]).toBe('k apply the fix by hand');
    expect(lines[6]).toBe('kubectl -n serving apply -f model.yaml');
  });

  test('the readers see the real commands: created namespaces and secrets at the line of the call, helm installs', () => {
    const dir = writeTree('script-wrappers-', {
      'deploy.sh': [
        '#!/usr/bin/env bash',
        'KUBECTL=${KUBECTL:-kubectl}',
        'NAMESPACE=${NAMESPACE:-"llm-serving"}',
        '_k() {',
        '  ${KUBECTL} --context kind-dev $@',
        '}',
        'helm_do() { helm "$@"; }',
        '_k create ns ${NAMESPACE} 2>/dev/null || true',
        '_k create secret generic hf-token --from-literal=token=x -n ${NAMESPACE}',
        'helm_do upgrade --install vllm ./chart -n ${NAMESPACE}',
      ].join('\n'),
    });
    const [script] = readTreeScripts(dir);
    expect(objectsCreatedByScript(script.text).map((o) => [o.kind, o.name, o.namespace, o.line])).toEqual([
      ['Namespace', 'llm-serving', undefined, 8],
      ['Secret', 'hf-token', 'llm-serving', 9],
    ]);
    expect(helmCommandsOf([script]).map((c) => c.line)).toEqual([10]);
  });

  test('a kustomize folder a wrapper applies (`k apply -k overlays/dev`) is built by the script, named at the call', () => {
    const dir = writeTree('script-wrappers-', {
      'deploy.sh': ['KUBECTL=${KUBECTL:-oc}', 'k() { ${KUBECTL} --context dev "$@"; }', 'k apply -k overlays/dev'].join('\n'),
      'overlays/dev/kustomization.yaml': 'resources: []\n',
    });
    expect(folderBuilder([])(path.join(dir, 'overlays/dev'), dir)).toBe('deploy.sh:3 (oc --context dev apply -k overlays/dev)');
  });
});
