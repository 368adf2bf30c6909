import * as fs from 'fs';
import * as path from 'path';
import { prerequisitesOf, prerequisitesReport, readManifests } from '../../lib';
import { ROOT } from '../setup/scratch';

const manifestsOf = (dir: string) => readManifests([path.join(ROOT, dir)]).manifests.map((m) => m.manifest as Record<string, any>);

describe('PREREQUISITES.md: what the cluster must have before the tree syncs', () => {
  test('the step-05 tree: OpenShift AI, the GPU operator, Kueue, MachineSets, GitOps, the registry, and the S3 connection with its keys', () => {
    const p = prerequisitesOf(manifestsOf('dist'));
    expect(p.features.map((f) => f.name)).toEqual([
      expect.stringMatching(/^Red Hat OpenShift AI with KServe/),
      expect.stringMatching(/^NVIDIA GPU Operator/),
      expect.stringMatching(/^Red Hat build of Kueue/),
      expect.stringMatching(/^OpenShift Machine API/),
      expect.stringMatching(/^Red Hat OpenShift GitOps/),
      expect.stringMatching(/^OpenShift AI Model Registry/),
    ]);
    expect(p.secrets).toEqual([
      expect.objectContaining({
        namespace: 'private-ai',
        name: 'minio-connection',
        kind: 's3-connection',
        keys: ['AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_S3_BUCKET', 'AWS_S3_ENDPOINT', 'AWS_SECRET_ACCESS_KEY'],
      }),
    ]);
    expect(fs.readFileSync(path.join(ROOT, 'dist', 'PREREQUISITES.md'), 'utf8')).toBe(prerequisitesReport(manifestsOf('dist')));
  });

  test('the two-team tree: KEDA and user-workload monitoring; the Hugging Face token with key HF_TOKEN; no credential values', () => {
    const report = prerequisitesReport(manifestsOf('examples/dist'));
    expect(report).toMatch(/Custom Metrics Autoscaler operator \(KEDA\)/);
    expect(report).toMatch(/user-workload monitoring/);
    expect(report).toMatch(/oc create secret generic hf-token -n team-b \\\n {2}--from-literal=HF_TOKEN=<hf-token>/);
    // a Secret in the tree (the metrics reader's token) is not asked for
    expect(report).not.toMatch(/vllm-metrics-reader-token/);
  });

  test('a Secret the tree holds is not listed; optional references are not listed; envFrom asks for all keys', () => {
    const pod = (env: unknown[], envFrom: unknown[] = []) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x', env, envFrom }] } } },
    });
    const ref = (name: string, key: string, optional?: boolean) => ({
      name: 'E',
      valueFrom: { secretKeyRef: { name, key, ...(optional ? { optional } : {}) } },
    });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'held', namespace: 'ns' } };
    const p = prerequisitesOf([pod([ref('held', 'k'), ref('opt', 'k', true), ref('needed', 'password')], [{ secretRef: { name: 'all' } }]), secret]);
    expect(p.secrets.map((s) => [s.name, s.keys])).toEqual([
      ['all', []],
      ['needed', ['password']],
    ]);
    expect(prerequisitesReport([])).toMatch(/- none detected[\s\S]*None: every Secret the objects name is in the tree/);
  });
});
