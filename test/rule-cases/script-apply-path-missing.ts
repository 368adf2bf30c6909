import { execFileSync } from 'child_process';
import { readManifests } from '../../lib';
import { writeTree } from '../util';

/**
 * script-apply-path-missing in a Makefile: make expands a recipe line before the shell runs it, so a path built from
 * the Makefile's own variables (`$(BASE)/yaml/x.yaml`, BASE the Makefile's folder) is judged with them put in.
 */
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';

function judged(files: Record<string, string>): [string, number | undefined, string][] {
  const root = writeTree('make-applies.', files);
  execFileSync('git', ['init', '-q', root]);
  return readManifests([root])
    .errors.filter((e) => e.kind === 'script-apply-path-missing')
    .map((e) => [e.severity, e.line, e.message]);
}

const BASE = 'BASE:=$(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))\nNAMESPACE=demo\n\n';

describe('script-apply-path-missing: a Makefile recipe with make variables', () => {
  test("a path from the Makefile's own folder that is not there: an error quoting the recipe line as written", () => {
    const found = judged({
      Makefile: `${BASE}demo:\n\t@oc apply -f $(BASE)/yaml/infra/model-pvc.yaml\n\t@oc apply -f \${BASE}/yaml/demo/guidellm.yaml -n $(NAMESPACE)\n`,
      'yaml/demo/model-pvc.yaml': CONFIG_MAP,
      'yaml/demo/guidellm.yaml': CONFIG_MAP,
      'yaml/infra/minio.yaml': CONFIG_MAP,
    });
    expect(found).toEqual([
      [
        'error',
        5,
        'line 5 runs `@oc apply -f $(BASE)/yaml/infra/model-pvc.yaml`, but yaml/infra/model-pvc.yaml exists neither beside the script nor at the root of the tree: the command fails ("the path does not exist"), and the delivery stops there; did you mean yaml/demo/model-pvc.yaml?',
      ],
    ]);
  });

  test('a simple variable of the Makefile (`DIR = yaml`) is put in; a line led by `-` is a warning, make goes on', () => {
    const found = judged({
      Makefile: 'DIR = yaml\nup:\n\toc apply -f $(DIR)/infra/gone.yaml\n\t-oc apply -f $(DIR)/infra/also-gone.yaml\n',
      'README.md': '# Setup\n\n```sh\nmake up\n```\n',
      'yaml/infra/minio.yaml': CONFIG_MAP,
    });
    expect(found.map(([severity, line]) => [severity, line])).toEqual([
      ['error', 3],
      ['warning', 4],
    ]);
    expect(found[1][2]).toMatch(/and make goes on without what the file declares \(the recipe line is led by `-`/);
  });

  describe('a Makefile nothing of the tree runs', () => {
    // a target of another project's Makefile: its paths are that project's folders, none of them in the tree
    const copied = 'build:\n\tgo build ./...\n\ninstall:\n\tkubectl apply -k config/crd\n\tkubectl apply -k config/manager\n';
    const tree = { 'config/samples/queue.yaml': CONFIG_MAP, 'serve/model.yaml': CONFIG_MAP };

    test('every path its target applies is missing: a warning naming the target and that nothing runs it', () => {
      const found = judged({ 'vendor-tool/Makefile': copied, ...tree });
      expect(found.map(([severity, line]) => [severity, line])).toEqual([
        ['warning', 5],
        ['warning', 6],
      ]);
      expect(found[0][2]).toMatch(/nor does any path target 'install' applies, and nothing of the tree runs this Makefile .*another project's Makefile/);
    });

    test('near misses, still an error: a README step, a CI workflow or a script runs make there, or the target applies a path the tree holds', () => {
      const errors = (files: Record<string, string>) => judged({ ...tree, ...files }).map(([severity, line]) => [severity, line]);
      const runReadme = '# Install\n\n```bash\nmake -C vendor-tool install\n```\n';
      expect(errors({ 'vendor-tool/Makefile': copied, 'README.md': runReadme })).toEqual([
        ['error', 5],
        ['error', 6],
      ]);
      const workflow = 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd vendor-tool && make install\n';
      expect(errors({ 'vendor-tool/Makefile': copied, '.github/workflows/deploy.yml': workflow })).toEqual([
        ['error', 5],
        ['error', 6],
      ]);
      const partly = 'install:\n\tkubectl apply -f serve/model.yaml\n\tkubectl apply -k config/manager\n';
      expect(errors({ Makefile: partly })).toEqual([['error', 3]]);
    });
  });

  test('near misses: a variable the Makefile does not set, one set in a conditional, `$$` for the shell, a file that is there', () => {
    expect(
      judged({
        Makefile:
          'ifdef PROD\nENVDIR = prod\nendif\nup:\n\toc apply -f $(OVERLAY)/infra/gone.yaml\n\toc apply -f $(ENVDIR)/infra/gone.yaml\n\toc apply -f $$ROOT/yaml/infra/gone.yaml\n\toc apply -f $(CURDIR)/yaml/infra/minio.yaml\n',
        'yaml/infra/minio.yaml': CONFIG_MAP,
      }),
    ).toEqual([]);
  });

  test('each recipe line runs in its own shell: a cd on one line does not move the next', () => {
    expect(
      judged({
        Makefile: 'up:\n\tcd yaml && oc apply -f infra/minio.yaml\n\toc apply -f yaml/infra/minio.yaml\n',
        'yaml/infra/minio.yaml': CONFIG_MAP,
      }),
    ).toEqual([]);
  });
});

describe('script-apply-path-missing: a file an earlier terraform apply writes', () => {
  // hashicorp/local local_file: `terraform apply` writes filename, relative to the module's folder
  const pools =
    'resource "local_file" "pool" {\n  content  = templatefile("${path.module}/pool.yaml.tpl", { zone = var.zone })\n  filename = "${path.module}/../rendered/gpu-pool.yaml"\n}\n';
  const tree = {
    'infra/pools.tf': pools,
    'infra/pool.yaml.tpl': CONFIG_MAP,
    'rendered/README.md': 'filled in by terraform\n',
    'rendered/cpu-pool.yaml': CONFIG_MAP,
  };

  test('terraform apply on the configuration first, then the file applied: not missing', () => {
    const script = '#!/bin/bash\nset -e\ncd "$(dirname "$0")"\nterraform -chdir=infra apply -auto-approve\nkubectl apply -f rendered/gpu-pool.yaml\n';
    expect(judged({ ...tree, 'deploy.sh': script })).toEqual([]);
    const guide =
      '# Setup\n\n```bash\ncd infra\nterraform init\nterraform apply -auto-approve\ncd ../rendered\nkubectl apply -f cpu-pool.yaml\nkubectl apply -f gpu-pool.yaml\n```\n';
    expect(judged({ ...tree, 'README.md': guide })).toEqual([]);
    // the same guide, the configuration writing another file: the step names a file nothing makes
    const elsewhere = { ...tree, 'infra/pools.tf': pools.replace('gpu-pool.yaml', 'spare-pool.yaml') };
    expect(judged({ ...elsewhere, 'README.md': guide }).map(([severity, line]) => [severity, line])).toEqual([['warning', 9]]);
  });

  test('near misses: no terraform apply before the command, or the configuration writes another file: still missing', () => {
    const noApply = '#!/bin/bash\nset -e\ncd "$(dirname "$0")"\nkubectl apply -f rendered/gpu-pool.yaml\nterraform -chdir=infra apply -auto-approve\n';
    expect(judged({ ...tree, 'deploy.sh': noApply }).map(([severity, line]) => [severity, line])).toEqual([['error', 4]]);
    const other = '#!/bin/bash\nset -e\ncd "$(dirname "$0")"\nterraform -chdir=infra apply -auto-approve\nkubectl apply -f rendered/gpu-pools.yaml\n';
    expect(judged({ ...tree, 'deploy.sh': other }).map(([severity, line]) => [severity, line])).toEqual([['error', 5]]);
  });
});

describe('script-apply-path-missing: a Makefile path one edit from a file where it leads (.yaml for .yml)', () => {
  test("a Makefile in a subfolder, nothing running it: an error (the near file shows the paths are this tree's) naming the near file from the tree's root", () => {
    const found = judged({
      'demo/Makefile': `${BASE}deploy:\n\toc apply -f $(BASE)/yaml/app/server.yaml -n $(NAMESPACE)\n`,
      'demo/yaml/app/server.yml': CONFIG_MAP,
    });
    expect(found).toEqual([
      [
        'error',
        5,
        'line 5 runs `oc apply -f $(BASE)/yaml/app/server.yaml -n $(NAMESPACE)`, but yaml/app/server.yaml exists neither beside the script nor at the root of the tree: the command fails ("the path does not exist"), and the delivery stops there; did you mean demo/yaml/app/server.yml?',
      ],
    ]);
  });

  test('`BASE ?= .` and $(CURDIR) place the path the same way', () => {
    for (const makefile of ['BASE ?= .\nup:\n\toc apply -f $(BASE)/yaml/app/server.yaml\n', 'up:\n\toc apply -f $(CURDIR)/yaml/app/server.yaml\n'])
      expect(
        judged({ Makefile: makefile, 'yaml/app/server.yml': CONFIG_MAP }).map(([severity, , message]) => [
          severity,
          message.endsWith('did you mean yaml/app/server.yml?'),
        ]),
      ).toEqual([['error', true]]);
  });
});
