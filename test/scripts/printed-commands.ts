import { commandsOf, segmentsOf, withoutPrintedText } from '../../lib/manifests/script-commands';
import { objectsCreatedByScript } from '../../lib/manifests/script-creations';
import { missingAppliedFiles } from '../../lib/manifests/script-applies';
import { readTreeScripts } from '../../lib/manifests/render-scripts';
import { writeTree } from '../util';

const created = (script: string) => objectsCreatedByScript(script).map((o) => `${o.kind}/${o.name}`);

describe('commands a script only prints create nothing', () => {
  test('echo and printf of a kubectl command line: text shown to the reader', () => {
    expect(created('echo "   kubectl create serviceaccount vllm-sa -n serving"\n')).toEqual([]);
    expect(created("printf '%s\\n' 'kubectl create namespace serving'\n")).toEqual([]);
    expect(created('echo kubectl create secret generic hf-token --from-literal=t=x\n')).toEqual([]);
    expect(created('echo "Next: kubectl create ns a; kubectl create ns b"\n')).toEqual([]);
  });

  test('a heredoc shown with cat, or written to a file, runs nothing of its body', () => {
    expect(created('cat <<EOF\nThen run:\n  kubectl create serviceaccount vllm-sa -n serving\nEOF\n')).toEqual([]);
    expect(created("cat > steps.txt <<'EOF'\nkubectl create namespace serving\nEOF\n")).toEqual([]);
  });

  test('near misses: the command itself, after an echo on the same line, or in a shell a heredoc feeds, runs', () => {
    expect(created('kubectl create serviceaccount vllm-sa -n serving\n')).toEqual(['ServiceAccount/vllm-sa']);
    expect(created('echo "making the account" && kubectl create serviceaccount vllm-sa -n serving\n')).toEqual(['ServiceAccount/vllm-sa']);
    expect(created('bash <<EOF\nkubectl create namespace serving\nEOF\n')).toEqual(['Namespace/serving']);
    // the lines after a printed heredoc run again
    expect(created('cat <<EOF\nusage\nEOF\nkubectl create namespace serving\n')).toEqual(['Namespace/serving']);
  });

  test("a printed heredoc's body runs to the line that is its delimiter alone: an indented EOF in it ends nothing (bash manual, Here Documents)", () => {
    expect(created('cat <<EOF\nusage:\n  EOF\n  kubectl create namespace shown\nEOF\nkubectl create namespace made\n')).toEqual(['Namespace/made']);
    // <<- strips the leading tabs of the delimiter line: the tab-indented EOF ends it
    expect(created('cat <<-EOF\nusage\n\tEOF\nkubectl create namespace made\n')).toEqual(['Namespace/made']);
  });

  test("the commands of a script: a heredoc's lines are none, to the line bash ends it at; a README's block in a list item and a workflow's run block lose their indentation first", () => {
    const programs = (script: string, text: string) => commandsOf(script, text).map((c) => c.tokens[0]);
    const nested = [
      'cat <<EOF | oc apply -f -',
      'kind: ConfigMap',
      'data:',
      '  run.sh: |',
      '    helm version',
      '    EOF',
      '    helm list',
      'EOF',
      'kubectl get cm',
    ];
    expect(programs('run.sh', nested.join('\n'))).toEqual(['cat', 'oc', 'kubectl']);
    const readme = ['1. Apply:', '', '   ```bash', '   cat <<EOF | oc apply -f -', '   kind: ConfigMap', '   EOF', '   kubectl get cm', '   ```'];
    expect(programs('README.md', readme.join('\n'))).toEqual(['cat', 'oc', 'kubectl']);
    const workflow = ['steps:', '  - run: |', '      cat <<EOF | oc apply -f -', '      kind: ConfigMap', '      EOF', '      kubectl get cm'];
    expect(programs('.github/workflows/deploy.yml', workflow.join('\n'))).toContain('kubectl');
    // near miss: a shell script's indented EOF ends nothing, so what follows it is still the heredoc's
    expect(programs('run.sh', readme.slice(3, 7).join('\n'))).toEqual(['cat', 'oc']);
  });

  test('withoutPrintedText keeps the line numbers', () => {
    const text = 'echo "kubectl create ns a"\ncat <<EOF\nkubectl create ns b\nEOF\nkubectl create ns c\n';
    expect(withoutPrintedText(text).split('\n')).toHaveLength(text.split('\n').length);
    expect(objectsCreatedByScript(text).map((o) => o.line)).toEqual([5]);
  });
});

describe('segmentsOf: commands split outside quotes', () => {
  test('separators inside quotes stay in their command', () => {
    expect(segmentsOf('sed "s|a|b|g" x.yaml | kubectl apply -f - && echo "done; ok"').map((s) => [s.text.trim(), s.separator])).toEqual([
      ['sed "s|a|b|g" x.yaml', '|'],
      ['kubectl apply -f -', '&&'],
      ['echo "done; ok"', ''],
    ]);
  });

  test('an echoed kubectl line is no kubectl command; a wrapper that runs its quoted argument still is', () => {
    const programs = (line: string) => commandsOf('run.sh', line).map((c) => c.tokens[0]);
    expect(programs('echo "kubectl apply -f app.yaml"')).toEqual(['echo']);
    expect(programs('pe "kubectl apply -f app.yaml"')).toEqual(['kubectl']);
  });
});

describe('files a script only prints the command to apply', () => {
  test('echo "kubectl apply -f gone.yaml" applies nothing, so nothing is missing; the command itself is', () => {
    const missing = (script: string) => {
      const root = writeTree('printed-applies.', {
        'deploy.sh': `#!/bin/bash\nkubectl apply -f k8s/app.yaml\n${script}`,
        'k8s/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
      });
      return missingAppliedFiles(root, readTreeScripts(root)).map((m) => m.file);
    };
    expect(missing('echo "kubectl apply -f k8s/gone.yaml"\n')).toEqual([]);
    expect(missing('kubectl apply -f k8s/gone.yaml\n')).toEqual(['k8s/gone.yaml']);
  });
});
