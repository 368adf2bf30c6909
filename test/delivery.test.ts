import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests, runChecks, SchemaValidator } from '../lib';
import { kubectlBinary } from './setup/kubectl';
import { renderStep05, ROOT, tempDir } from './util';

/** Argo CD delivery of the step-05 tree: Applications and least-privilege AppProjects, and the checks that guard them. */
const STEP = 'gitops/step-05-llm-on-vllm';

function writeTree(): string {
  const dir = tempDir('delivery-');
  for (const [f, content] of renderStep05().files) {
    fs.mkdirSync(path.dirname(path.join(dir, 'dist', f)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', f), content);
  }
  return dir;
}

function check(dir: string) {
  const prev = process.cwd();
  process.chdir(dir); // paths as in the repository: dist/…
  try {
    return runChecks(readManifests(['dist']).manifests);
  } finally {
    process.chdir(prev);
  }
}

describe('Argo CD delivery of the step-05 tree', () => {
  const tree = renderStep05();
  const docs = YAML.parseAllDocuments(tree.files.get(`${STEP}/argocd/applications.yaml`)!).map((d) => d.toJS());
  const app = (name: string) => docs.find((d) => d.kind === 'Application' && d.metadata.name === name);
  const project = (name: string) => docs.find((d) => d.kind === 'AppProject' && d.metadata.name === name);

  test('one Application per root, the cluster one in an earlier wave, with the seed repository sync options', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'AppProject/step-05-base',
      'AppProject/step-05-cluster',
      'Application/step-05-base',
      'Application/step-05-cluster',
    ]);
    expect(Number(app('step-05-cluster').metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(
      Number(app('step-05-base').metadata.annotations['argocd.argoproj.io/sync-wave']),
    );
    const sync = app('step-05-base').spec.syncPolicy;
    expect(sync.automated).toEqual({ prune: true, selfHeal: true });
    expect(sync.syncOptions).toEqual(
      expect.arrayContaining([
        'CreateNamespace=false',
        'PruneLast=true',
        'ApplyOutOfSyncOnly=true',
        'ServerSideApply=true',
        'SkipDryRunOnMissingResource=true',
      ]),
    );
    expect(sync.retry.limit).toBe(5);
    expect(app('step-05-base').spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'private-ai' });
    expect(app('step-05-base').spec.source).toEqual({
      repoURL: 'https://github.com/example-org/llm-gitops.git',
      targetRevision: 'main',
      path: `dist/${STEP}/base`,
    });
  });

  test('least privilege: the serving project permits no cluster-scoped kind, the cluster project only what cluster/ holds', () => {
    expect(project('step-05-base').spec.clusterResourceWhitelist).toEqual([]);
    expect(project('step-05-base').spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'private-ai' }]);
    expect(project('step-05-cluster').spec.clusterResourceWhitelist).toEqual([
      { group: 'kueue.x-k8s.io', kind: 'ClusterQueue' },
      { group: 'kueue.x-k8s.io', kind: 'ResourceFlavor' },
    ]);
    expect(project('step-05-cluster').spec.namespaceResourceWhitelist).toEqual([
      { group: 'kueue.x-k8s.io', kind: 'LocalQueue' },
      { group: 'machine.openshift.io', kind: 'MachineSet' },
    ]);
  });

  test('only the fields a webhook may rewrite are ignored, per service', () => {
    expect(app('step-05-base').spec.ignoreDifferences.map((d: any) => [d.name, d.jsonPointers])).toEqual([
      ['mistral-small-24b', ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations']],
      ['mistral-small-24b-tp4', ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations']],
    ]);
    expect(app('step-05-cluster').spec.ignoreDifferences).toBeUndefined();
  });

  test('validates against the Argo CD v3.1 CRDs; every path builds with kubectl; check passes the whole tree', () => {
    const validator = new SchemaValidator();
    expect(docs.flatMap((d) => validator.validate(d))).toEqual([]);
    const dir = writeTree();
    for (const a of docs.filter((d) => d.kind === 'Application')) {
      expect(() => execFileSync(kubectlBinary(), ['kustomize', path.join(dir, a.spec.source.path)], { encoding: 'utf8' })).not.toThrow();
    }
    const findings = check(dir);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.filter((f) => f.rule.startsWith('argocd-'))).toEqual([]);
  });

  test('a MachineSet moved into the serving folder is refused by the serving project', () => {
    const dir = writeTree();
    const base = path.join(dir, 'dist', STEP, 'base', 'inference');
    fs.copyFileSync(path.join(dir, 'dist', STEP, 'cluster', 'gpu-machinesets.yaml'), path.join(base, 'machinesets.yaml'));
    fs.appendFileSync(path.join(base, 'kustomization.yaml'), '  - machinesets.yaml\n');
    const refused = check(dir).filter((f) => f.rule === 'argocd-project-not-permitted');
    expect(refused.length).toBe(2); // both MachineSets of the file
    for (const f of refused) {
      expect(f).toMatchObject({
        severity: 'error',
        object: 'Application/openshift-gitops/step-05-base',
        message: expect.stringMatching(/does not permit machine.openshift.io\/MachineSet/),
      });
    }
  });

  test('a path that is not in the tree, a removed ignoreDifferences and swapped waves are reported', () => {
    const dir = writeTree();
    const file = path.join(dir, 'dist', STEP, 'argocd', 'applications.yaml');
    const edited = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    const base = edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-base');
    delete base.spec.ignoreDifferences;
    base.metadata.annotations['argocd.argoproj.io/sync-wave'] = '-5';
    edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-cluster').spec.source.path = `dist/${STEP}/clustr`;
    fs.writeFileSync(file, edited.map((d) => YAML.stringify(d)).join('---\n'));
    const rules = check(dir).map((f) => `${f.rule} ${f.object}`);
    expect(rules).toContain('argocd-path-missing Application/openshift-gitops/step-05-cluster');
    expect(rules).toContain('argocd-webhook-drift Application/openshift-gitops/step-05-base');
    const fixed = writeTree();
    const again = YAML.parseAllDocuments(fs.readFileSync(path.join(fixed, 'dist', STEP, 'argocd', 'applications.yaml'), 'utf8')).map((d) => d.toJS());
    again.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-base').metadata.annotations['argocd.argoproj.io/sync-wave'] = '-5';
    fs.writeFileSync(path.join(fixed, 'dist', STEP, 'argocd', 'applications.yaml'), again.map((d) => YAML.stringify(d)).join('---\n'));
    expect(
      check(fixed)
        .filter((f) => f.rule === 'argocd-sync-order')
        .map((f) => f.object),
    ).toEqual(['Application/openshift-gitops/step-05-base']);
  });

  test('the committed dist/ holds the Applications', () => {
    expect(fs.readFileSync(path.join(ROOT, 'dist', STEP, 'argocd', 'applications.yaml'), 'utf8')).toBe(tree.files.get(`${STEP}/argocd/applications.yaml`));
  });
});
