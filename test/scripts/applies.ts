import { execFileSync } from 'child_process';
import { readManifests } from '../../lib';
import { missingAppliedFiles, scriptAppliedPaths } from '../../lib/manifests/script-applies';
import { readTreeScripts } from '../../lib/manifests/render-scripts';
import { writeTree } from '../util';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';

/** The missing files the scripts of a tree apply, as `script:line file`. */
function missing(files: Record<string, string>): string[] {
  const root = writeTree('script-applies.', files);
  return missingAppliedFiles(root, readTreeScripts(root)).map((m) => `${m.script}:${m.line} ${m.file}`);
}

describe('files a script applies that are not there', () => {
  test('cd "$(dirname "$0")/..", a script entering a folder from its own place, is followed: the paths after it are judged from there', () => {
    const tree = (cd: string) => ({
      'scripts/up.sh': `#!/bin/bash\nset -e\n${cd}\nkubectl apply -f manifests/queue.yaml\nkubectl apply -f manifests/gone.yaml\n`,
      'manifests/queue.yaml': CONFIG_MAP,
    });
    for (const cd of ['cd "$(dirname "$0")/.."', 'cd "$(dirname "${BASH_SOURCE[0]}")/.."', 'cd $(dirname $0)/..'])
      expect(missing(tree(cd))).toEqual(['scripts/up.sh:5 manifests/gone.yaml']);
    // near miss: a cd the reader cannot follow leaves the paths after it unjudged
    expect(missing(tree('cd "$WORKDIR"'))).toEqual([]);
  });

  test('outside a git work tree the folder may be part of a copy: a warning that says so; in a clone, an error', () => {
    const root = writeTree('script-applies.', {
      'platform/baseline/up.sh': '#!/bin/bash\nset -e\nkubectl apply -k platform/loadgen\n',
      'platform/baseline/kustomization.yaml': 'resources: []\n',
    });
    const judged = () => readManifests([root]).errors.filter((e) => e.kind === 'script-apply-path-missing');
    expect(judged()).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /platform\/loadgen exists neither .*: unless the repository has it where this folder, which is no git work tree \(a copy or a part of the repository\), leaves it out, the command fails .*check the repository's clone to have it judged$/,
        ),
      }),
    ]);
    execFileSync('git', ['init', '-q', root]);
    expect(judged()).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/platform\/loadgen exists neither .*: the command fails \("the path does not exist"\)/),
      }),
    ]);
  });

  test('outside a git work tree, a file in a folder the copy holds is missing wherever the command runs: an error', () => {
    const root = writeTree('script-applies.', {
      'deploy/setup.sh': '#!/bin/bash\nset -e\noc apply -f deploy/infra/minio-backend.yaml\noc apply -f deploy/infra/\n',
      'deploy/infra/minio/minio-backend.yaml': CONFIG_MAP,
    });
    expect(readManifests([root]).errors.filter((e) => e.kind === 'script-apply-path-missing')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /deploy\/infra\/minio-backend.yaml exists neither .*: the command fails .*did you mean deploy\/infra\/minio\/minio-backend.yaml\?$/,
        ),
      }),
    ]);
  });

  test('a renamed file under set -e, with the same name elsewhere in the tree suggested', () => {
    const root = writeTree('script-applies.', {
      'deploy/setup.sh': '#!/bin/bash\nset -e\noc apply -f deploy/infra/minio.yaml -n "$NS"\n',
      'deploy/infra/minio/minio.yaml': CONFIG_MAP,
    });
    const found = missingAppliedFiles(root, readTreeScripts(root));
    expect(found.map((m) => [m.script, m.line, m.file, m.near])).toEqual([
      ['deploy/setup.sh', 3, 'deploy/infra/minio.yaml', ['deploy/infra/minio/minio.yaml']],
    ]);
  });

  test('every way kubectl and oc are given files: -f, --filename, --filename=, -k, --kustomize, options before the subcommand', () => {
    const script = [
      'kubectl -n team apply -f manifests/a.yaml',
      'oc --context prod create --filename manifests/b.yaml',
      'kubectl replace --filename=manifests/c.yaml',
      'kubectl apply -k manifests/overlay',
      'sudo kubectl apply --kustomize manifests/other',
      'kubectl delete -f manifests/gone.yaml',
      'kubectl get -f manifests/gone.yaml',
      'sudo /usr/local/bin/oc apply -f manifests/d.yaml',
    ].join('\n');
    expect(missing({ 'install.sh': script, 'manifests/kept.yaml': CONFIG_MAP })).toEqual([
      'install.sh:1 manifests/a.yaml',
      'install.sh:2 manifests/b.yaml',
      'install.sh:3 manifests/c.yaml',
      'install.sh:4 manifests/overlay',
      'install.sh:5 manifests/other',
      'install.sh:8 manifests/d.yaml',
    ]);
  });

  test('a README is read in its fenced blocks only; a clone of its own repository entered with cd is the root', () => {
    const readme = [
      'Run `oc apply -f deploy/prose.yaml` once the cluster is up.',
      '```bash',
      'git clone https://example.com/org/granite.git',
      'cd granite',
      'oc apply -f deploy/service.yaml',
      '```',
    ].join('\n');
    expect(missing({ 'README.md': readme, 'deploy/isvc.yaml': CONFIG_MAP })).toEqual(['README.md:5 deploy/service.yaml']);
  });

  test("a clone entered from a README below the root may be another repository's: nothing after it is judged", () => {
    const guide = ['```bash', 'git clone https://example.com/org/operator.git', 'cd operator', 'kubectl apply -f config/missing.yaml', '```'].join('\n');
    expect(missing({ 'docs/operator.md': guide, 'config/kept.yaml': CONFIG_MAP })).toEqual([]);
    expect(missing({ 'README.md': guide, 'config/kept.yaml': CONFIG_MAP })).toEqual(['README.md:4 config/missing.yaml']);
  });

  test('a cd to a literal folder is followed; after one to a variable nothing more is judged', () => {
    const followed = 'cd deploy\nkubectl apply -f overlays/missing.yaml\nkubectl apply -f overlays/kept.yaml\n';
    expect(missing({ 'run.sh': followed, 'deploy/overlays/kept.yaml': CONFIG_MAP })).toEqual(['run.sh:2 overlays/missing.yaml']);
    const lost = 'cd "$WORKDIR"\nkubectl apply -f overlays/missing.yaml\n';
    expect(missing({ 'run.sh': lost, 'deploy/overlays/kept.yaml': CONFIG_MAP })).toEqual([]);
  });

  test('after a relative cd the reader cannot follow, a file name no file of the tree bears is missing, with the near name and the cd', () => {
    const root = writeTree('script-applies.', {
      'docs/guide.md': ['```bash', 'cd ./../ai-ml/stack/', 'kubectl apply -f ray-service-diffusion.yaml', '```'].join('\n'),
      'gen-ai/diffusion/ray-serve-diffusion.yaml': CONFIG_MAP,
    });
    expect(missingAppliedFiles(root, readTreeScripts(root)).map((m) => [m.script, m.line, m.file, m.near, m.afterCd])).toEqual([
      ['docs/guide.md', 3, 'ray-service-diffusion.yaml', ['gen-ai/diffusion/ray-serve-diffusion.yaml'], 'cd ./../ai-ml/stack/'],
    ]);
    // a warning: the folder the cd leads to may lie outside the tree
    expect(readManifests([root]).errors.filter((e) => e.kind === 'script-apply-path-missing')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /^line 3 runs `kubectl apply -f ray-service-diffusion.yaml` after `cd .\/..\/ai-ml\/stack\/`, a folder check cannot follow, .*did you mean gen-ai\/diffusion\/ray-serve-diffusion.yaml\?$/,
        ),
      }),
    ]);
  });

  test('near misses after a cd the reader cannot follow: a name the tree has, a path with a folder, a written file, a cd to a variable', () => {
    const tree = (lines: string[]) => ({ 'run.sh': lines.join('\n'), 'deploy/app.yaml': CONFIG_MAP });
    expect(missing(tree(['cd ../elsewhere', 'kubectl apply -f app.yaml']))).toEqual([]);
    expect(missing(tree(['cd ../elsewhere', 'kubectl apply -f overlays/gone.yaml']))).toEqual([]);
    expect(missing(tree(['cd ../elsewhere', 'cat > gone.yaml <<EOF', 'kind: ConfigMap', 'EOF', 'kubectl apply -f gone.yaml']))).toEqual([]);
    expect(missing(tree(['cd "$WORKDIR"', 'kubectl apply -f gone.yaml']))).toEqual([]);
    expect(missing(tree(['cd ../elsewhere', 'cd /opt/app', 'kubectl apply -f gone.yaml']))).toEqual([]);
    // still lost after a second relative cd
    expect(missing(tree(['cd ../elsewhere', 'cd sub', 'kubectl apply -f gone.yaml']))).toEqual(['run.sh:3 gone.yaml']);
  });

  test('not judged: variables, globs, URLs, absolute paths, stdin, bare names, folders the tree lacks, files a script writes', () => {
    const script = [
      'kubectl apply -f $DIR/app.yaml',
      'kubectl apply -f "${DIR}/app.yaml"',
      'kubectl apply -f manifests/*.yaml',
      'kubectl apply -f https://example.com/manifests/app.yaml',
      'kubectl apply -f /etc/app.yaml',
      'cat app.yaml | kubectl apply -f -',
      'kubectl apply -f app.yaml',
      'kubectl apply -f other-repo/config/app.yaml',
      'envsubst < manifests/kept.yaml > manifests/rendered.yaml',
      'kubectl apply -f manifests/rendered.yaml',
      '# kubectl apply -f manifests/commented.yaml',
    ].join('\n');
    expect(missing({ 'deploy.sh': script, 'manifests/kept.yaml': CONFIG_MAP })).toEqual([]);
  });

  test("a README's clean-up step (`oc delete -f` the same path) makes no file: the missing one is still missing; a command that writes one still counts", () => {
    const readme = (cleanup: string) =>
      `# Serving\n\n\`\`\`bash\noc apply -f serving/gateway.yaml\noc apply -f serving/runtime.yaml\n\`\`\`\n\n## Clean up\n\n\`\`\`bash\n${cleanup}\n\`\`\`\n`;
    expect(
      missing({ 'README.md': readme('oc delete -f serving/gateway.yaml\nkubectl get -f serving/gateway.yaml'), 'serving/runtime.yaml': CONFIG_MAP }),
    ).toEqual(['README.md:4 serving/gateway.yaml']);
    // near miss: the file is written by a kubectl command's redirection before it is applied
    expect(
      missing({
        'README.md': readme('kubectl create configmap gw --dry-run=client -o yaml -f x.txt > serving/gateway.yaml'),
        'serving/runtime.yaml': CONFIG_MAP,
      }),
    ).toEqual([]);
  });

  test("a README's drawn folder listing names a file, it writes none: the file applied under that name is still missing; a line that writes it still counts", () => {
    const readme = (listing: string) =>
      [
        '## Layout',
        '',
        '```',
        '.',
        '├── jobs/',
        '│   ├── gang-job.yaml',
        `│   └── ${listing}`,
        '└── README.md',
        '```',
        '',
        '```bash',
        'kubectl apply -f jobs/holder-pod.yaml',
        '```',
      ].join('\n');
    expect(missing({ 'README.md': readme('holder-pod.yaml'), 'jobs/gang-job.yaml': CONFIG_MAP, 'jobs/gpu-holder-pod.yaml': CONFIG_MAP })).toEqual([
      'README.md:12 jobs/holder-pod.yaml',
    ]);
    // near miss: a line that copies the file into place (cp's target) writes it
    const copied = readme('gang-job.yaml').replace('```bash\n', '```bash\ncp jobs/gpu-holder-pod.yaml jobs/holder-pod.yaml\n');
    expect(missing({ 'README.md': copied, 'jobs/gang-job.yaml': CONFIG_MAP, 'jobs/gpu-holder-pod.yaml': CONFIG_MAP })).toEqual([]);
  });

  test('a file name the script applies beside files it applies that are there is judged: the others place the command', () => {
    const steps = ['kubectl apply -f 01-resources.yaml', 'kubectl apply -f 02-pvc.yaml', 'kubectl apply -f 03-secret.yaml', 'kubectl apply -f 04-job.yaml'];
    const tree = { 'jobs/run/01-resources.yaml': CONFIG_MAP, 'jobs/run/02-pvc.yaml': CONFIG_MAP, 'jobs/run/04-job.yaml': CONFIG_MAP };
    expect(missing({ ...tree, 'jobs/run/test.sh': steps.join('\n') })).toEqual(['jobs/run/test.sh:3 03-secret.yaml']);
    expect(missing({ ...tree, 'jobs/run/README.md': ['```bash', ...steps, '```'].join('\n') })).toEqual(['jobs/run/README.md:4 03-secret.yaml']);
    // near misses: a README that names the file in its prose (a file the reader is told to write), a file the script
    // writes, a name the tree holds elsewhere, and a script whose other files are not where it runs either
    const told = ['Save your token as 03-secret.yaml, then:', '```bash', ...steps, '```'].join('\n');
    expect(missing({ ...tree, 'jobs/run/README.md': told })).toEqual([]);
    expect(
      missing({ ...tree, 'jobs/run/test.sh': ['kubectl create secret generic s --dry-run=client -o yaml > 03-secret.yaml', ...steps].join('\n') }),
    ).toEqual([]);
    expect(missing({ ...tree, 'jobs/secrets/03-secret.yaml': CONFIG_MAP, 'jobs/run/test.sh': steps.join('\n') })).toEqual([]);
    expect(missing({ ...tree, 'jobs/test.sh': steps.join('\n') })).toEqual([]);
    // after a cd the script follows, the files placing the command are those of that folder
    expect(missing({ ...tree, 'test.sh': ['cd jobs/run', ...steps].join('\n') })).toEqual(['test.sh:4 03-secret.yaml']);
  });

  test('after a cd the reader cannot follow, every relative cd after it is named: each moves from where the one before led', () => {
    const root = writeTree('script-applies.', {
      'examples/gpu/README.md': ['```bash', 'cd infra-repo/terraform', '```', '```bash', 'cd ../examples/gpu', 'kubectl apply -f lb-service.yaml', '```'].join(
        '\n',
      ),
      'examples/gpu/app.yaml': CONFIG_MAP,
    });
    expect(missingAppliedFiles(root, readTreeScripts(root)).map((m) => m.afterCd)).toEqual(['cd infra-repo/terraform`, then `cd ../examples/gpu']);
    // a cd down, as a guide writes each step from the repository's root, starts over
    const again = writeTree('script-applies.', {
      'docs/guide.md': ['```bash', 'cd infra-repo/stack/', '```', '```bash', 'cd infra-repo/stack/', 'kubectl apply -f lb-service.yaml', '```'].join('\n'),
      'examples/gpu/app.yaml': CONFIG_MAP,
    });
    expect(missingAppliedFiles(again, readTreeScripts(again)).map((m) => m.afterCd)).toEqual(['cd infra-repo/stack/']);
    expect(
      readManifests([root])
        .errors.filter((e) => e.kind === 'script-apply-path-missing')
        .map((e) => e.message),
    ).toEqual([
      expect.stringMatching(
        /^line 6 runs `kubectl apply -f lb-service.yaml` after `cd infra-repo\/terraform`, then `cd ..\/examples\/gpu`, a folder check cannot follow/,
      ),
    ]);
  });

  test('a path the tree holds under another folder (the script runs from there) is not judged', () => {
    expect(
      missing({ 'scripts/install.sh': 'kubectl apply -f config/app.yaml\n', 'charts/app/config/app.yaml': CONFIG_MAP, 'config/other.yaml': CONFIG_MAP }),
    ).toEqual([]);
  });
});

describe('what a script does not run', () => {
  test('heredoc bodies: a block commented out with : <<COMMENT, a manifest piped to apply', () => {
    const script = [
      ': <<COMMENT',
      'oc apply -k retired-operator/base',
      'COMMENT',
      'cat <<EOF | kubectl apply -f -',
      'apiVersion: v1',
      'EOF',
      'oc apply -k operators/missing',
    ].join('\n');
    expect(
      missing({ 'setup.sh': script, 'retired-operator/kustomization.yaml': 'resources: []\n', 'operators/kept/kustomization.yaml': 'resources: []\n' }),
    ).toEqual(['setup.sh:7 operators/missing']);
  });

  test('a bare folder with a trailing slash is a bare name: not judged', () => {
    expect(missing({ 'setup.sh': 'oc apply -k missing-operator/\n', 'operators/kustomization.yaml': 'resources: []\n' })).toEqual([]);
  });
});

describe('a path in other case', () => {
  test('is told apart from a missing one: the file the tree holds is named', () => {
    const root = writeTree('script-applies.', {
      'overlays/falcon-40b/README.md': '```sh\nkubectl apply -k overlays/falcon-40B\n```\n',
      'overlays/falcon-40b/kustomization.yaml': 'resources: []\n',
    });
    const found = missingAppliedFiles(root, readTreeScripts(root));
    expect(found.map((m) => [m.file, m.caseOnly, m.near])).toEqual([['overlays/falcon-40B', true, ['overlays/falcon-40b']]]);
  });
});

describe('where a shell script names the file and whether its failure stops it', () => {
  /** The script-apply-path-missing findings on a tree, as `severity line file`; in a git work tree with `clone`. */
  function judged(files: Record<string, string>, clone = false): string[] {
    const root = writeTree('script-applies.', files);
    if (clone) execFileSync('git', ['init', '-q', root]);
    return readManifests([root])
      .errors.filter((e) => e.kind === 'script-apply-path-missing')
      .map((e) => `${e.severity} ${e.line} ${/ but (\S+) exists/.exec(e.message)?.[1]}`);
  }
  const ownFolder = (value: string) => [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    `HERE=${value}`,
    'MANIFEST="${HERE}/qwen-agg.yaml"',
    'kubectl apply -f "${MANIFEST}"',
  ];

  test("a path named from the script's own folder is missing there, even in a copy of part of a repository: an error under set -e", () => {
    for (const value of ['"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"', '$(dirname "$0")', '"$(cd "$(dirname "$0")"; pwd -P)"'])
      expect(judged({ 'serving/deploy.sh': ownFolder(value).join('\n'), 'serving/qwen-disagg.yaml': CONFIG_MAP })).toEqual(['error 5 qwen-agg.yaml']);
    // a cd into the variable's folder places the bare names after it the same way
    const entered = ['#!/bin/bash', 'set -e', 'ROOT="$(cd "$(dirname "$0")" && pwd)"', 'cd "$ROOT"', 'kubectl apply -f qwen-agg.yaml'];
    expect(judged({ 'serving/deploy.sh': entered.join('\n'), 'serving/qwen-disagg.yaml': CONFIG_MAP })).toEqual(['error 5 qwen-agg.yaml']);
    // near misses: the file is there, or the variable is the caller's (an argument, unknown), or the script writes it
    expect(judged({ 'serving/deploy.sh': ownFolder('"$(cd "$(dirname "$0")" && pwd)"').join('\n'), 'serving/qwen-agg.yaml': CONFIG_MAP })).toEqual([]);
    expect(judged({ 'serving/deploy.sh': ownFolder('"$1"').join('\n'), 'serving/qwen-disagg.yaml': CONFIG_MAP })).toEqual([]);
    const written = [...ownFolder('$(dirname "$0")').slice(0, 4), 'envsubst < template.txt > "$MANIFEST"', 'kubectl apply -f "${MANIFEST}"'];
    expect(judged({ 'serving/deploy.sh': written.join('\n'), 'serving/qwen-disagg.yaml': CONFIG_MAP })).toEqual([]);
  });

  test('a variable set to a literal path is followed', () => {
    const script = ['#!/bin/bash', 'set -e', 'OVERLAY=manifests/gpu', 'kubectl apply -k "$OVERLAY"', 'kubectl apply -f ${OVERLAY}/queue.yaml'];
    const tree = { 'manifests/gpu/kustomization.yaml': 'resources: []\n' };
    expect(judged({ ...tree, 'up.sh': script.join('\n') })).toEqual(['error 5 manifests/gpu/queue.yaml']);
    // set again to something the reader cannot know, the variable is no longer judged
    const reset = [...script.slice(0, 3), 'OVERLAY="$(ls -d manifests/* | head -1)"', ...script.slice(3)];
    expect(judged({ ...tree, 'up.sh': reset.join('\n') })).toEqual([]);
  });

  test('a bare name a shell script applies alone is judged: an error where the failure stops the script, a warning where it goes on', () => {
    const steps = (...lines: string[]) => ({ 'setup.sh': ['#!/bin/bash', ...lines].join('\n'), 'ray-cluster-config.yaml': CONFIG_MAP });
    expect(judged(steps('set -e', 'kubectl apply -f ray-cluster-llama.yaml', 'kubectl get pods'), true)).toEqual(['error 3 ray-cluster-llama.yaml']);
    expect(judged(steps('set -o errexit', 'kubectl apply -f ray-cluster-llama.yaml', 'kubectl get pods'), true)).toEqual(['error 3 ray-cluster-llama.yaml']);
    // the script's last command, or a && chain to its end: its exit status is the script's
    expect(judged(steps('kubectl apply -f ray-cluster-llama.yaml && kubectl get pods'), true)).toEqual(['error 2 ray-cluster-llama.yaml']);
    // no set -e, a command after it: the script goes on without the objects
    expect(judged(steps('kubectl apply -f ray-cluster-llama.yaml', 'kubectl get pods'), true)).toEqual(['warning 2 ray-cluster-llama.yaml']);
    // set -e ignores a failure that is not the last of a && or || list, and set +e turns it off
    expect(judged(steps('set -e', 'kubectl apply -f ray-cluster-llama.yaml && echo applied', 'kubectl get pods'), true)).toEqual([
      'warning 3 ray-cluster-llama.yaml',
    ]);
    expect(judged(steps('set -e', 'set +e', 'kubectl apply -f ray-cluster-llama.yaml', 'kubectl get pods'), true)).toEqual([
      'warning 4 ray-cluster-llama.yaml',
    ]);
    // outside a git work tree the script may run from a folder the copy leaves out: a warning
    expect(judged(steps('set -e', 'kubectl apply -f ray-cluster-llama.yaml', 'kubectl get pods'))).toEqual(['warning 3 ray-cluster-llama.yaml']);
    // near misses: a file the script downloads, one the tree holds in another folder
    expect(judged(steps('set -e', 'curl -sLo ray-cluster-llama.yaml https://example.com/r.yaml', 'kubectl apply -f ray-cluster-llama.yaml'), true)).toEqual([]);
    // a generator the script runs beside it names the file: it writes it
    const generated = {
      ...steps('set -e', 'python3 make_cluster.py', 'kubectl apply -f ray-cluster-llama.yaml'),
      'make_cluster.py': 'open("ray-cluster-llama.yaml", "w")\n',
    };
    expect(judged(generated, true)).toEqual([]);
    expect(judged({ ...generated, 'make_cluster.py': 'open("other.yaml", "w")\n' }, true)).toEqual(['error 4 ray-cluster-llama.yaml']);
    // the script itself is no generator, though its usage line names it and it names the file to apply it
    expect(judged(steps('set -e', 'echo "usage: ./setup.sh"', 'kubectl apply -f ray-cluster-llama.yaml'), true)).toEqual(['error 4 ray-cluster-llama.yaml']);
    expect(
      judged({ ...steps('set -e', 'kubectl apply -f ray-cluster-llama.yaml', 'kubectl get pods'), 'ray/ray-cluster-llama.yaml': CONFIG_MAP }, true),
    ).toEqual([]);
  });

  test('a bare name applied beside another that is there is missing in a copy too: the other places the command', () => {
    const script = [
      '#!/bin/bash',
      'set -e',
      'if [ "$GPU" = true ]; then',
      '  kubectl apply -f sd-gpu.yaml',
      'else',
      '  kubectl apply -f sd-cpu.yaml',
      'fi',
      'echo done',
    ];
    expect(judged({ 'deploy.sh': script.join('\n'), 'sd-gpu.yaml': CONFIG_MAP })).toEqual(['error 6 sd-cpu.yaml']);
  });
});

describe('what the applies of a script tell the rules', () => {
  /** Each apply of `setup.sh` as `line fatal waitedAt`. */
  function applied(script: string): string[] {
    const root = writeTree('script-applies.', { 'setup.sh': script, 'a.yaml': CONFIG_MAP, 'b.yaml': CONFIG_MAP });
    return scriptAppliedPaths(root, readTreeScripts(root)).map((a) => `${a.line} ${String(a.fatal)} ${String(a.waitedAt)}`);
  }

  test('the last command of a file that ends with a newline and blank lines ends the script: its failure stops it', () => {
    expect(applied('#!/bin/bash\nkubectl apply -f a.yaml\nkubectl apply -f b.yaml\n\n\n')).toEqual(['2 false 0', '3 true 0']);
  });

  test('an apply in an if condition is none the rules read; the if may wait, as a loop may, for the apply after it', () => {
    expect(applied('#!/bin/bash\nset -e\nif ! kubectl apply -f a.yaml; then echo later; fi\nkubectl apply -f b.yaml\necho done\n')).toEqual(['4 true 3']);
  });

  test('waitedAt is the last line before the apply whose command may wait: oc wait, sleep, a loop, a function; not echo or an apply', () => {
    expect(applied('#!/bin/bash\nset -e\nkubectl apply -f a.yaml\nNS=demo\necho "$NS"\nkubectl -n "$NS" apply -f b.yaml\n')).toEqual(['3 true 0', '6 true 0']);
    for (const between of [
      'oc wait --for condition=established crd/x.example.com',
      'sleep 30',
      'wait_for_crd x.example.com',
      'kubectl rollout status deploy/x',
    ])
      expect(applied(`#!/bin/bash\nset -e\nkubectl apply -f a.yaml\n${between}\nkubectl apply -f b.yaml\n`)[1]).toBe('5 true 4');
  });
});

describe("a guide's steps are instructions, not a delivery", () => {
  /** The script-apply-path-missing findings on a git work tree, as `severity line file`. */
  function judged(files: Record<string, string>): string[] {
    const root = writeTree('script-applies.', files);
    execFileSync('git', ['init', '-q', root]);
    return readManifests([root])
      .errors.filter((e) => e.kind === 'script-apply-path-missing')
      .map((e) => `${e.severity} ${e.line} ${/ but (\S+) exists/.exec(e.message)?.[1]}`);
  }
  const guide = [
    '# Scaling GPU nodes',
    '',
    '```bash',
    'oc create -f node-limits.yaml',
    'oc create -f pool-small.yaml',
    '```',
    '',
    'Then run the samples:',
    '',
    '```bash',
    'oc create -f sample-small.yaml',
    '```',
  ].join('\n');
  const tree = { 'scaling/node-limits.yaml': CONFIG_MAP, 'scaling/pools/pool-small.yaml': CONFIG_MAP };

  test("a step naming a file the tree does not hold is a warning that says the guide is wrong; a name kept in another folder is judged where the guide's other steps run", () => {
    const root = writeTree('script-applies.', { ...tree, 'scaling/README.md': guide });
    execFileSync('git', ['init', '-q', root]);
    const found = readManifests([root]).errors.filter((e) => e.kind === 'script-apply-path-missing');
    expect(found.map((e) => `${e.severity} ${e.line} ${/ but (\S+) exists/.exec(e.message)?.[1]}`)).toEqual([
      'warning 5 pool-small.yaml',
      'warning 11 sample-small.yaml',
    ]);
    expect(found[0].message).toMatch(
      /a reader following this step of the guide gets "the path does not exist".*did you mean scaling\/pools\/pool-small.yaml\?$/,
    );
    // the same steps in a script under set -e stop the delivery; the name held in another folder is where it runs from
    expect(judged({ ...tree, 'scaling/up.sh': ['#!/bin/bash', 'set -e', ...guide.split('\n').filter((l) => l.startsWith('oc '))].join('\n') })).toEqual([
      'error 5 sample-small.yaml',
    ]);
    // near miss: every file the guide names is beside it
    expect(judged({ ...tree, 'scaling/pool-small.yaml': CONFIG_MAP, 'scaling/sample-small.yaml': CONFIG_MAP, 'scaling/README.md': guide })).toEqual([]);
  });
});
