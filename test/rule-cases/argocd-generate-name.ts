import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityMessages } from '../util';

const APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: runs, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: https://example.com/org/repo.git, path: runs}
  destination: {server: https://kubernetes.default.svc, namespace: ci}
`;
const JOB = (meta: string) =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  namespace: ci\n${meta.replace(/^/gm, '  ')}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox@sha256:${'a'.repeat(64)}}]\n`;

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'generate-name-');
  const read = readManifests([dir]);
  return severityMessages(ruleFound('argocd-generate-name', read.manifests, { ...read, platform: 'rhoai-3.0' }));
};

// kubectl pkg/cmd/apply refuses generateName ("cannot use generate name with apply"); Argo CD creates generateName
// objects for hooks only (resource_hooks.md "Generate Name")
describe('argocd-generate-name', () => {
  test('a plain resource of a directory source: an error naming the Application and the hook fix', () => {
    expect(findings({ 'apps/runs.yaml': APP, 'runs/job.yaml': JOB('generateName: smoke-') })).toEqual([
      [
        'error',
        "metadata.generateName 'smoke-' without a name, synced by Application 'runs' as a plain resource: Argo CD applies it and the apply refuses it (\"cannot use generate name with apply\"), so the sync fails; annotate it argocd.argoproj.io/hook: PostSync (or Sync) to have a new one created on each sync, or give it a fixed metadata.name",
      ],
    ]);
  });

  test.each([
    ['an Argo CD hook', 'generateName: smoke-\nannotations: {argocd.argoproj.io/hook: Sync}'],
    ['a Helm hook, which Argo CD reads as one', 'generateName: smoke-\nannotations: {helm.sh/hook: post-install}'],
    ['a name beside the generateName (the name is used)', 'name: smoke\ngenerateName: smoke-'],
  ])('near miss: %s', (_, meta) => {
    expect(findings({ 'apps/runs.yaml': APP, 'runs/job.yaml': JOB(meta) })).toEqual([]);
  });

  test('near miss: a file no Application syncs (kubectl create accepts it)', () => {
    expect(findings({ 'apps/runs.yaml': APP, 'runs/keep.yaml': JOB('name: keep'), 'manual/job.yaml': JOB('generateName: smoke-') })).toEqual([]);
  });

  test('through a kustomization kustomize refuses it first: kustomize-build-fails, not this rule', () => {
    const files = { 'apps/runs.yaml': APP, 'runs/kustomization.yaml': 'resources: [job.yaml]\n', 'runs/job.yaml': JOB('generateName: smoke-') };
    expect(findings(files)).toEqual([]);
    const { errors } = readManifests([writeTree(files, 'generate-name-')]);
    // the reader reports it as kustomize does (the CLI shows it under kustomize-build-fails)
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('has no metadata.name ("missing metadata.name in object")')]);
  });
});

// the same refusal where a script or README gives the file to `kubectl|oc apply -f`; `create -f` accepts it
describe('argocd-generate-name: a script or README applies the file', () => {
  const job = JOB('generateName: smoke-');

  test.each([
    ['a script applies the folder', { 'run.sh': '#!/bin/sh\nset -e\noc apply -f jobs/\n' }, 'run.sh:3', '`oc apply -f jobs/`'],
    [
      'a README step applies the file',
      { 'README.md': '# Smoke\n\n```bash\nkubectl apply -f jobs/job.yaml\n```\n' },
      'README.md:4',
      '`kubectl apply -f jobs/job.yaml`',
    ],
    [
      'a server-side apply, refused the same',
      { 'run.sh': '#!/bin/sh\nkubectl apply --server-side -f jobs/\n' },
      'run.sh:2',
      '`kubectl apply --server-side -f jobs/`',
    ],
  ])('%s: an error naming the command and the create fix', (_, script, where, command) => {
    expect(findings({ 'jobs/job.yaml': job, ...script })).toEqual([
      [
        'error',
        `metadata.generateName 'smoke-' without a name, applied by ${command} (${where}): kubectl apply refuses it ("cannot use generate name with apply"), so it is never created and the command exits with an error; ` +
          'create it with `kubectl create -f` (which lets the API server make the name), or give it a fixed metadata.name',
      ],
    ]);
  });

  test.each([
    ['kubectl create -f', { 'run.sh': '#!/bin/sh\nkubectl create -f jobs/\n' }],
    ['oc create -f on the file', { 'README.md': '```bash\noc create -f jobs/job.yaml\n```\n' }],
    ['an apply of another folder', { 'run.sh': '#!/bin/sh\nkubectl apply -f other/\n', 'other/keep.yaml': JOB('name: keep') }],
    [
      'an apply -k of a kustomization beside it',
      { 'run.sh': '#!/bin/sh\nkubectl apply -k other/\n', 'other/kustomization.yaml': 'resources: [keep.yaml]\n', 'other/keep.yaml': JOB('name: keep') },
    ],
  ])('near miss: %s', (_, script) => {
    expect(findings({ 'jobs/job.yaml': job, ...script })).toEqual([]);
  });
});

// a folder of manifests nothing in the tree delivers: applied whole (kubectl apply -f <folder>, an Argo CD sync), the
// generateName object is refused; `kubectl create -f` of the file makes it
describe('argocd-generate-name: a folder of named manifests whose delivery the tree does not show', () => {
  const job = JOB('generateName: smoke-');
  const queue = 'apiVersion: kueue.x-k8s.io/v1beta2\nkind: LocalQueue\nmetadata: {name: q, namespace: ci}\nspec: {clusterQueue: shared}\n';

  test('beside objects with fixed names: a warning naming them, the refusal and kubectl create', () => {
    expect(findings({ 'demo/job.yaml': job, 'demo/queue.yaml': queue })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^metadata\.generateName 'smoke-' without a name, in a folder of manifests with fixed names \(LocalQueue\/q\) that nothing in the tree shows the delivery of: .*cannot use generate name with apply.*only `kubectl create -f` makes it/,
        ),
      ],
    ]);
  });

  test.each([
    ['alone in its folder', { 'demo/job.yaml': job, 'other/queue.yaml': queue }],
    ['beside another generateName object only', { 'demo/job.yaml': job, 'demo/job2.yaml': JOB('generateName: again-') }],
    ['a README creates it', { 'demo/job.yaml': job, 'demo/queue.yaml': queue, 'demo/README.md': '```bash\nkubectl create -f job.yaml\n```\n' }],
  ])('near miss: %s', (_, files) => {
    expect(findings(files)).toEqual([]);
  });
});

// the repository above the checked folder tells its delivery too: its README, Makefile or scripts folder creating the
// file (`kubectl create -f bench/job.yaml`, which makes the generated name) is the delivery; its apply is refused
describe('argocd-generate-name: the repository above the checked folder creates or applies the file', () => {
  const job = JOB('generateName: smoke-');
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: smoke-config, namespace: ci}\ndata: {a: b}\n';
  const inRepository = (files: Record<string, string>, folder = 'bench') => {
    const dir = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'bench/job.yaml': job, 'bench/config.yaml': config, ...files }, 'generate-name-repo-');
    const read = readManifests([`${dir}/${folder}`]);
    return severityMessages(ruleFound('argocd-generate-name', read.manifests, { ...read, platform: 'rhoai-3.0' })).map(([s, m]) => [
      s,
      m.replace(dir, '<repo>'),
    ]);
  };

  test.each([
    [
      'the README at the root, in an indented code block',
      { 'README.md': '# Smoke\n\nRun it:\n\n    kubectl apply -f bench/config.yaml\n    kubectl create -f bench/job.yaml\n' },
    ],
    ['the README at the root, in a fenced block', { 'README.md': '# Smoke\n\n```bash\nkubectl create -f bench/job.yaml -n ci\n```\n' }],
    ['a Makefile at the root', { Makefile: 'smoke:\n\tkubectl apply -f bench/config.yaml\n\tkubectl create -f bench/job.yaml\n' }],
    ['a script of the scripts folder', { 'scripts/smoke.sh': '#!/bin/sh\nset -e\noc create -f bench/job.yaml\n' }],
  ])('near miss: %s creates it', (_, files) => {
    expect(inRepository(files)).toEqual([]);
  });

  test('the README at the root applies the folder: an error naming the command and the README', () => {
    expect(inRepository({ 'README.md': '# Smoke\n\n```bash\nkubectl apply -f bench/\n```\n' })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^metadata\.generateName 'smoke-' without a name, applied by `kubectl apply -f bench\/` \(<repo>\/README\.md:4\): kubectl apply refuses it/,
        ),
      ],
    ]);
  });

  test('an Application syncs the folder as well: the error stands, and says the create works and the sync fails', () => {
    const app = APP.replace('path: runs', 'path: bench');
    const found = inRepository({ 'apps/runs.yaml': app, 'README.md': '# Smoke\n\n```bash\nkubectl create -f bench/job.yaml\n```\n' }, '.');
    expect(found).toEqual([
      [
        'error',
        expect.stringMatching(
          /^metadata\.generateName 'smoke-' without a name, synced by Application 'runs' as a plain resource \(`kubectl create -f bench\/job\.yaml` \(README\.md:4\) creates it, which works; the Application's sync is what fails\): Argo CD applies it/,
        ),
      ],
    ]);
  });
});
