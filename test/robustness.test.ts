import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests, SchemaValidator } from '../lib';
import { ROOT, cliInProcess, tempDir } from './util';

/** Inputs from the field that once crashed, hung or misled the CLI: each ends with findings or a clear error. */

const cli = cliInProcess;

const STEP05_BASE = path.join(ROOT, 'dist', 'gitops', 'step-05-llm-on-vllm');

/** A copy of the rendered step-05 tree to break. */
function step05Copy(): string {
  const dir = tempDir('faults-');
  fs.cpSync(STEP05_BASE, dir, { recursive: true });
  return dir;
}

describe('files that are not regular files', () => {
  test('a FIFO, a device link and a symlink loop are reported, and the rest is read once', async () => {
    const dir = step05Copy();
    execFileSync('mkfifo', [path.join(dir, 'base', 'pipe.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'base', 'zero.yaml'));
    fs.symlinkSync('.', path.join(dir, 'base', 'loop'));
    // read as plain folders (the kustomizations are removed) so that every entry is looked at
    for (const f of execFileSync('find', [dir, '-name', 'kustomization.yaml'], { encoding: 'utf8' }).trim().split('\n')) fs.rmSync(f);
    const { manifests, errors } = readManifests([dir]);
    expect(errors.map((e) => [path.relative(dir, e.file), e.message])).toEqual(
      expect.arrayContaining([
        ['base/pipe.yaml', 'is a FIFO: not read'],
        ['base/zero.yaml', 'is a device: not read'],
        ['base/loop', expect.stringMatching(/a loop\): not followed/)],
      ]),
    );
    const ids = manifests.map((m) => `${(m.manifest as { kind: string }).kind}/${(m.manifest as { metadata: { name: string } }).metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    const r = await cli(['check', dir, '--json']);
    expect(JSON.parse(r.out).findings.filter((f: { rule: string }) => f.rule === 'unreadable-input').length).toBe(2);
  });

  test('validate reports the same files and goes on', async () => {
    const dir = tempDir('faults-');
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    fs.writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai\n');
    const r = await cli(['validate', dir, '--json']);
    expect(JSON.parse(r.out).findings).toEqual([expect.objectContaining({ file: path.join(dir, 'pipe.yaml'), message: 'is a FIFO: not read' })]);
  });
});

describe('encodings, aliases, sizes and stray documents', () => {
  test('a UTF-16 quota file is decoded, so the quota rules still run', () => {
    const dir = tempDir('faults-');
    const quota = fs.readFileSync(path.join(STEP05_BASE, 'cluster', 'kueue-quota.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'quota.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(quota, 'utf16le')]));
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect(manifests.map((m) => (m.manifest as { kind: string }).kind)).toContain('ClusterQueue');
  });

  test('150 aliases in a small file are fine; a billion-laughs document is refused naming the file', () => {
    const dir = tempDir('faults-');
    const aliases = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  base: &v "x"\n${Array.from({ length: 150 }, (_, i) => `  k${i}: *v`).join('\n')}\n`;
    fs.writeFileSync(path.join(dir, 'aliases.yaml'), aliases);
    const laughs = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: b}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat(
        ['b', 'c', 'd', 'e', 'f', 'g', 'h'].map(
          (k, i) =>
            `  ${k}: &${k} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(',')}]`,
        ),
      )
      .join('\n');
    fs.writeFileSync(path.join(dir, 'laughs.yaml'), laughs);
    const { manifests, errors } = readManifests([dir]);
    expect(manifests.map((m) => m.file)).toEqual([path.join(dir, 'aliases.yaml')]);
    expect(errors).toEqual([expect.objectContaining({ file: path.join(dir, 'laughs.yaml'), message: expect.stringMatching(/aliases expand beyond/) })]);
  });

  test('an oversized file is refused with its size; the rest is still checked', () => {
    const dir = tempDir('faults-');
    fs.writeFileSync(path.join(dir, 'big.yaml'), `# ${'x'.repeat(2 * 2 ** 20)}\n`);
    fs.writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai\n');
    const { manifests, errors } = readManifests([dir], { maxFileBytes: 2 ** 20 });
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/is 2.0 MiB, more than the 1 MiB a manifest file may have/) })]);
    expect(manifests).toHaveLength(1);
  });

  test('scalars, lists and objects without a kind are reported as skipped documents', () => {
    const dir = tempDir('faults-');
    fs.writeFileSync(path.join(dir, 'stray.yaml'), 'just text\n---\n- a\n- b\n---\nfoo: bar\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ai}\n');
    const { manifests, errors } = readManifests([dir]);
    expect(manifests).toHaveLength(1);
    expect(errors.map((e) => [e.severity, e.line, e.message])).toEqual([
      ['warning', 1, 'document 1 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
      ['warning', 3, 'document 2 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
      ['warning', 6, 'document 3 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
    ]);
  });

  test('a file that does not parse is a finding naming file and line; the other files are still checked', async () => {
    const dir = step05Copy();
    fs.writeFileSync(path.join(dir, 'base', 'inference', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n');
    fs.appendFileSync(path.join(dir, 'base', 'inference', 'kustomization.yaml'), '  - broken.yaml\n');
    const r = await cli(['check', path.join(dir, 'base'), '--json']);
    const findings = JSON.parse(r.out).findings;
    expect(findings[0]).toMatchObject({ rule: 'unreadable-input', severity: 'error', file: path.join(dir, 'base', 'inference', 'broken.yaml'), line: 4 });
    expect(findings.map((f: { rule: string }) => f.rule)).toContain('secret-not-in-tree');
    expect(r.code).toBe(1);
  });
});

describe('wrong-typed fields never crash check', () => {
  const isvcFile = path.join(STEP05_BASE, 'base', 'inference', 'mistral-small-24b-tp4.yaml');
  const mutations: [string, (docs: Record<string, any>[]) => void][] = [
    [
      'args: [4]',
      (d) => {
        d[0].spec.predictor.model.args = [4];
      },
    ],
    [
      'args: [null]',
      (d) => {
        d[0].spec.predictor.model.args = [null];
      },
    ],
    [
      'args: true',
      (d) => {
        d[0].spec.predictor.model.args = true;
      },
    ],
    [
      'env: {a: b}',
      (d) => {
        d[0].spec.predictor.model.env = { a: 'b' };
      },
    ],
    [
      'resources: 3.7',
      (d) => {
        d[0].spec.predictor.model.resources = 3.7;
      },
    ],
    [
      'predictor: []',
      (d) => {
        d[0].spec.predictor = [];
      },
    ],
    [
      'metadata: 5',
      (d) => {
        d[0].metadata = 5;
      },
    ],
  ];
  test.each(mutations)('%s', async (_name, change) => {
    const dir = step05Copy();
    const docs = YAML.parseAllDocuments(fs.readFileSync(isvcFile, 'utf8')).map((x) => x.toJS());
    change(docs);
    fs.writeFileSync(path.join(dir, 'base', 'inference', 'mistral-small-24b-tp4.yaml'), docs.map((x) => YAML.stringify(x)).join('---\n'));
    const r = await cli(['check', dir, '--json']);
    expect(r.err).toBe('');
    expect(Array.isArray(JSON.parse(r.out).findings)).toBe(true);
  });

  test('a ServingRuntime with containers: 0 and a Job with containers: 3.7', async () => {
    const dir = tempDir('faults-');
    fs.writeFileSync(
      path.join(dir, 'a.yaml'),
      [
        { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime', metadata: { name: 'r', namespace: 'ai' }, spec: { containers: 0 } },
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ai' }, spec: { template: { spec: { containers: 3.7 } } } },
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'i', namespace: 'ai' },
          spec: { predictor: { model: { runtime: 'r', args: 5 } } },
        },
      ]
        .map((x) => YAML.stringify(x))
        .join('---\n'),
    );
    const r = await cli(['check', dir, '--json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toHaveProperty('findings');
  });
});

describe('validate checks what the API server checks', () => {
  const validator = new SchemaValidator();
  const job = (change: (m: Record<string, any>) => void) => {
    const m: Record<string, any> = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'upload', namespace: 'ai' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'c',
                image: 'i',
                env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } }],
                resources: { limits: { 'nvidia.com/gpu': '1' } },
              },
            ],
          },
        },
      },
    };
    change(m);
    return validator.validate(m).map((f) => [f.field, f.message]);
  };
  test('names of objects and references are DNS names', () => {
    expect(job(() => undefined)).toEqual([]);
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name = 'HF Token';
      }),
    ).toEqual([
      [
        'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name',
        "'HF Token' is not a valid object name: use lowercase letters, digits, '-' and '.'",
      ],
    ]);
    expect(
      job((m) => {
        m.metadata.name = 'ünï名前🚀';
      }),
    ).toEqual([['metadata.name', expect.stringMatching(/is not a valid Job name/)]]);
  });
  test('quantities are finite and non-negative', () => {
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '1e400';
      }).map((x) => x[0]),
    ).toContain('spec.template.spec.containers[0].resources.limits.nvidia.com/gpu');
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = Infinity;
      })
        .map((x) => x[1])
        .join(),
    ).toMatch(/not a finite number|not finite/);
    expect(
      job((m) => {
        m.spec.template.spec.containers[0].resources.limits.cpu = '-2';
      }),
    ).toEqual([['spec.template.spec.containers[0].resources.limits.cpu', 'quantity -2 is negative: resources must be finite and non-negative']]);
  });

  test("the CRDs' CEL rules are evaluated on structurally valid objects", () => {
    const cq = (resources: string[]) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'q' },
      spec: {
        namespaceSelector: {},
        resourceGroups: [{ coveredResources: ['cpu', 'memory'], flavors: [{ name: 'f', resources: resources.map((name) => ({ name, nominalQuota: '1' })) }] }],
      },
    });
    expect(validator.validate(cq(['cpu']))).toEqual([
      expect.objectContaining({
        field: 'spec.resourceGroups[0]',
        message: expect.stringMatching(
          /flavors must have the same number of resources as the coveredResources \(CEL rule of CRD clusterqueues.kueue.x-k8s.io\)/,
        ),
      }),
    ]);
    expect(validator.validate(cq(['cpu', 'memory']))).toEqual([]);
  });
});
