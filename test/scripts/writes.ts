import { readManifests } from '../../lib';
import { writeTargets } from '../../lib/manifests/script-writes';
import { writeTree } from '../util';

describe('writeTargets: the files a script writes', () => {
  const targets = (script: string, markdown = false) => writeTargets(script, markdown).map((t) => [t.pattern, t.line, t.how]);

  test('envsubst piped into sponge, a redirect, cp, mv and tee; a variable folder is dropped', () => {
    const script = [
      'ROOT="$(dirname "$0")"',
      'envsubst < "${ROOT}/templates/model.tpl.env" | sponge "${ROOT}/base/model.env"',
      'cat > overlay/runtime.env <<EOF',
      'MODEL=granite',
      'EOF',
      'cp defaults/keys.properties "$ROOT/secret/keys.properties"',
      'mv /tmp/out.json settings/out.json',
      'echo hi | tee -a logs/run.log',
      'sudo /bin/cp defaults/host.conf etc/host.conf',
    ].join('\n');
    expect(targets(script)).toEqual([
      ['base/model.env', 2, 'envsubst and sponge'],
      ['overlay/runtime.env', 3, 'a redirect'],
      ['secret/keys.properties', 6, 'cp'],
      ['settings/out.json', 7, 'mv'],
      ['logs/run.log', 8, 'tee'],
      ['etc/host.conf', 9, 'cp'],
    ]);
  });

  test('near misses: descriptors, /dev/null, a read (<), a comment, a whole-variable target, Markdown prose', () => {
    expect(targets('run 2>&1 > /dev/null\ncat < in.env\n# cp a b.env\ncp a.env "$TARGET"\n')).toEqual([]);
    expect(targets('Open Settings > Secrets, then:\n\n```sh\nenvsubst < a.tpl > a.env\n```\n', true)).toEqual([['a.env', 4, 'envsubst and a redirect']]);
  });

  test('a loop over a glob writes one file per match, a literal suffix trimmed (${t%.template}, ${t#tpl-}); a glob trim stays unexpanded', () => {
    expect(targets('for t in *.yaml.template; do\n  envsubst < "$t" > "${t%.template}.local"\ndone\n')).toEqual([
      ['*.yaml.local', 2, 'envsubst and a redirect'],
    ]);
    expect(targets('for t in tpl-*.yaml; do sed s/x/y/ "$t" > "out/${t#tpl-}"; done\n')).toEqual([['out/*.yaml', 1, 'sed and a redirect']]);
    expect(targets('for t in *.yaml.template; do cat "$t" > "${t%.*}"; done\n')).toEqual([]);
  });
});

describe('check: a generator file a script of the tree writes before the build', () => {
  const tree = (script: string) =>
    writeTree('written-env-', {
      'app/base/kustomization.yaml': 'configMapGenerator:\n  - name: serving\n    envs:\n      - serving.env\nresources:\n  - deploy.yaml\n',
      'app/base/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: server\nspec:\n  selector:\n    matchLabels: {app: s}\n  template:\n    metadata:\n      labels: {app: s}\n    spec:\n      containers:\n        - name: c\n          image: busybox:1.36.1\n',
      'app/overlay/kustomization.yaml':
        'resources:\n  - ../base\nreplacements:\n  - source:\n      kind: ConfigMap\n      name: serving\n      fieldPath: data.IMAGE\n    targets:\n      - select:\n          kind: Deployment\n        fieldPaths:\n          - spec.template.spec.containers.0.image\n',
      'app/templates/serving.tpl.env': 'IMAGE=${IMAGE}\n',
      'app/setup.sh': script,
    });
  const problems = (dir: string) => readManifests([dir]).errors.map((e) => [e.severity, e.kind, e.message]);

  test('envsubst | sponge into the listed path: one warning naming the script, what the missing file would refuse folded into it, no error', () => {
    const errors = readManifests([
      tree('#!/bin/bash\nHERE=$(dirname "$0")\nenvsubst < "$HERE/templates/serving.tpl.env" | sponge "$HERE/base/serving.env"\n'),
    ]).errors;
    expect(errors.map((e) => [e.severity, e.kind, e.message])).toEqual([
      [
        'warning',
        undefined,
        expect.stringMatching(/^lists the file 'serving\.env', which is not in the tree: app\/setup\.sh \(line 3, envsubst and sponge\) writes it/),
      ],
    ]);
    // the ConfigMap is made without the keys of the file not yet written: the overlay's replacement of one of them is a
    // consequence of the missing file, said with it
    expect(errors[0].consequences?.map((c) => [c.file.split('/').slice(-2).join('/'), c.message])).toEqual([
      ['overlay/kustomization.yaml', expect.stringMatching(/^replacement 1: fieldPath `data\.IMAGE` is missing for its source ConfigMap 'serving'/)],
    ]);
  });

  test('near miss: a script that writes another file leaves the missing file a refusal', () => {
    expect(problems(tree('#!/bin/bash\nenvsubst < templates/serving.tpl.env > base/other.env\n'))).toEqual([
      ['error', 'kustomize-build-fails', expect.stringMatching(/^lists the file 'serving\.env', which does not exist /)],
      ['error', 'kustomize-build-fails', expect.stringMatching(/^replacement 1: its source selects no object of the build \(ConfigMap 'serving'\)/)],
    ]);
  });
});
