import { ruleFound, severityObjectMessages } from '../util';

/** A vLLM Deployment reading its model from the claim `weights` mounted at /models. */
const server = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'qwen', namespace: 'serve' },
  spec: {
    selector: { matchLabels: { app: 'qwen' } },
    template: {
      metadata: { labels: { app: 'qwen' } },
      spec: {
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.10.1',
            args: ['--model', '/models/Qwen2.5-7B-Instruct'],
            volumeMounts: [{ name: 'w', mountPath: '/models' }],
          },
        ],
        volumes: [{ name: 'w', persistentVolumeClaim: { claimName: 'weights' } }],
      },
    },
  },
};

const claim = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'weights', namespace: 'serve' },
  spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '100Gi' } }, ...spec },
});

/** A volume over an FSx for Lustre file system that exists already (the model synced into it from S3). */
const lustre = (spec: Record<string, unknown> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'lustre-weights', ...(labels ? { labels } : {}) },
  spec: {
    capacity: { storage: '1200Gi' },
    accessModes: ['ReadWriteMany'],
    csi: {
      driver: 'fsx.csi.aws.com',
      volumeHandle: 'fs-0a1b2c3d4e5f60718',
      volumeAttributes: { dnsname: 'fs-0a1b2c3d4e5f60718.fsx.eu-west-1.amazonaws.com', mountname: 'xyzabcde' },
    },
    ...spec,
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      'model-path-not-filled',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe('model-path-not-filled: claims', () => {
  test('a dynamically provisioned claim with no dataSource that nothing writes: a warning that it starts empty', () => {
    expect(findings(server, claim({ storageClassName: 'gp3' }))).toEqual([
      ['warning', 'Deployment/serve/qwen', expect.stringMatching(/PersistentVolumeClaim 'weights', which the tree creates empty \(no dataSource\)/)],
    ]);
  });

  test('a volume of the tree of another class, too small or selected away does not bind it: still a warning', () => {
    expect(findings(server, claim({ storageClassName: 'gp3' }), lustre())).toHaveLength(1);
    expect(findings(server, claim({ storageClassName: 'lustre' }), lustre({ storageClassName: 'lustre', capacity: { storage: '10Gi' } }))).toHaveLength(1);
    expect(
      findings(
        server,
        claim({ storageClassName: 'lustre', selector: { matchLabels: { data: 'weights' } } }),
        lustre({ storageClassName: 'lustre' }, { data: 'logs' }),
      ),
    ).toHaveLength(1);
  });

  test('near misses: a claim that binds a pre-provisioned volume holds what that storage holds', () => {
    // class '': only a static volume binds it, here the FSx volume of the tree
    expect(findings(server, claim({ storageClassName: '' }), lustre())).toEqual([]);
    // named by volumeName, or pre-bound by the volume's claimRef (an NFS export)
    expect(findings(server, claim({ storageClassName: 'gp3', volumeName: 'lustre-weights' }))).toEqual([]);
    const nfs = lustre({ csi: undefined, nfs: { server: '10.0.4.20', path: '/exports/models' }, claimRef: { name: 'weights', namespace: 'serve' } });
    expect(findings(server, claim({ storageClassName: 'standard' }), nfs)).toEqual([]);
    // a volume of the claim's class that satisfies its size, access modes and selector binds before any provisioning
    expect(
      findings(
        server,
        claim({ storageClassName: 'lustre', selector: { matchLabels: { data: 'weights' } } }),
        lustre({ storageClassName: 'lustre' }, { data: 'weights' }),
      ),
    ).toEqual([]);
  });
});
