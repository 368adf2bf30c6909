import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { cliInProcess, ROOT, tempDir } from '../util';

/** Exit codes as documented: 0 clean, 1 findings, 2 usage or input errors, for every input a CI job can get wrong. */
const DIST = path.join(ROOT, 'dist');

/** A custom resource of a made-up group, and the CRD that defines it (a fixture written for this test). */
const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'a' }, spec: { size: 3 } };
const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer', maximum: 5 } } } },
          },
        },
      },
    ],
  },
};

describe('input errors exit 2 with a message naming the input', () => {
  const empty = tempDir('empty-tree-');

  test.each([
    ['validate', 'a missing folder', ['validate', 'no-such-tree/'], /no such file or folder: no-such-tree\//],
    ['check', 'a missing folder', ['check', 'no-such-tree/'], /no such file or folder: no-such-tree\//],
    ['validate', 'an empty folder (a tree cdk8s synth wiped)', ['validate', empty], /no Kubernetes objects read from/],
    ['check', 'an empty folder', ['check', empty], /no Kubernetes objects read from/],
    ['validate', 'a missing --crds folder', ['validate', DIST, '--crds', 'no-such-crds/'], /no such file or folder: no-such-crds\//],
    ['validate', 'a --crds folder without a CRD', ['validate', DIST, '--crds', empty], /--crds .*: no CustomResourceDefinition found/],
    ['init', 'a missing --template', ['init', path.join(empty, 'app')], /--template is required/],
    ['init', 'an unknown template', ['init', path.join(empty, 'app'), '--template', 'gke'], /--template must be aws-machinesets or existing-nodes, got 'gke'/],
    ['plan', 'a missing model folder', ['plan', '--model', 'no-such-model', '--gpu', 'L4'], /no-such-model/],
    ['check', 'a file that holds no Kubernetes object', ['check', path.join(ROOT, 'README.md')], /no Kubernetes objects read from .*README\.md/],
    ['validate', 'a file that holds no Kubernetes object', ['validate', path.join(ROOT, 'README.md')], /no Kubernetes objects read from/],
    ['upload', 'a missing local folder', ['upload', 'no-such-model/', 's3://models/x/'], /no-such-model\/ is not a folder/],
    ['catalog', 'a missing price file', ['catalog', '--prices', 'no-such-prices.json'], /no-such-prices\.json/],
    [
      'init',
      'a folder that cannot be created',
      ['init', '/proc/no-such-app', '--template', 'existing-nodes'],
      /cannot create \/proc\/no-such-app: .* \(nothing was written\)/,
    ],
    // a malformed location is refused before any request (the unreachable endpoint would otherwise answer first)
    ['inspect', 'a location that is not s3://', ['inspect', 'hf://org/model', '--endpoint', 'http://127.0.0.1:9'], /'hf:\/\/org\/model' is not an S3 URI/],
    ['verify', 'a location that is not s3://', ['verify', 's3:/models/x/', '--endpoint', 'http://127.0.0.1:9'], /'s3:\/models\/x\/' is not an S3 URI/],
    [
      'upload',
      'a destination that is not s3://',
      ['upload', ROOT, 'minio://models/x/', '--endpoint', 'http://127.0.0.1:9'],
      /'minio:\/\/models\/x\/' is not an S3 URI/,
    ],
  ])('%s: %s', async (_cmd, _what, args, message) => {
    const r = await cliInProcess(args);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/ENOENT|at .*\.js:\d+/);
    expect(r.code).toBe(2);
  });

  test('init into a folder that is not empty refuses and writes nothing', async () => {
    const dir = tempDir('init-busy-');
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const r = await cliInProcess(['init', dir, '--template', 'existing-nodes']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not an empty folder/);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  });
});

describe('validate --crds adds to the shipped schemas', () => {
  const dir = tempDir('extra-crds-');
  fs.writeFileSync(path.join(dir, 'widgets.yaml'), YAML.stringify(WIDGET_CRD));
  const tree = tempDir('widget-tree-');
  fs.writeFileSync(path.join(tree, 'widget.yaml'), YAML.stringify(WIDGET));
  fs.copyFileSync(path.join(DIST, 'gitops/step-05-llm-on-vllm/base/inference/mistral-small-24b-tp4.yaml'), path.join(tree, 'isvc.yaml'));

  test('a custom resource of the extra CRD and an InferenceService of the shipped ones both validate', async () => {
    const r = await cliInProcess(['validate', tree, '--crds', dir]);
    expect(r.out).toMatch(/^2 object\(s\) conform/);
    expect(r.code).toBe(0);
  });

  test('without --crds the custom resource has no schema', async () => {
    const r = await cliInProcess(['validate', tree]);
    expect(r.out).toMatch(/Widget/);
    expect(r.code).toBe(1);
  });

  test("the extra CRD's schema is applied (a size above its maximum is a finding)", async () => {
    const bad = tempDir('widget-bad-');
    fs.writeFileSync(path.join(bad, 'widget.yaml'), YAML.stringify({ ...WIDGET, spec: { size: 9 } }));
    const r = await cliInProcess(['validate', bad, '--crds', dir, '--json']);
    expect(JSON.parse(r.out).findings.map((f: { field: string }) => f.field)).toEqual(['spec.size']);
    expect(r.code).toBe(1);
  });

  test('the shipped schemas/crds folder, in its own description-free format, is accepted', async () => {
    const r = await cliInProcess(['validate', DIST, '--crds', path.join(ROOT, 'schemas', 'crds')]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/object\(s\) conform/);
    expect(r.code).toBe(0);
  });
});
