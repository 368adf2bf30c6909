import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { parseDocuments } from '../../lib/manifests/yaml-documents';
import { tempDir } from '../util';

/** A file whose documents fail to parse is one finding: the first failure, naming the others. */
describe('documents that are not valid YAML', () => {
  const notes = 'kind: Job\noc project demo\noc label ns demo a=b\nmetadata: {}\n';
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: ok}\n';
  const broken = 'metadata:\n  name: x\n  oc get pods\n    -o wide: 1\n';

  test('several in one file: the first, with the numbers of the others', () => {
    const { objects, problems } = parseDocuments([notes, job, broken, broken].join('---\n'));
    expect(objects.map((o) => o.index)).toEqual([1]);
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^document 1 is not valid YAML: .*; 2 more documents \(3, 4\) are not valid YAML either$/);
    expect(errors[0].line).toBe(2);
  });

  test('one alone is said as it is', () => {
    const errors = parseDocuments([job, broken].join('---\n')).problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.message)).toEqual([expect.stringMatching(/^document 2 is not valid YAML: [^;]*$/)]);
  });
});

/**
 * A plain folder (no kustomization) with a file kubectl cannot parse: `kubectl apply -f <folder>` visits each file on
 * its own and goes on after an error (cli-runtime pkg/resource: the builder's ContinueOnError; StreamVisitor applies a
 * file's documents until the one it cannot decode). The other files, and the documents before the broken one, are
 * read and checked; the parse error stays an error.
 */
describe('a folder with one file that does not parse', () => {
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n   level: 2\n';
  const before = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: early}\n';
  const volume =
    'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: scratch}\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: disks\n  local: {path: /mnt/disk1}\n';

  test("the other file's defect is still found beside the parse error", () => {
    const dir = tempDir('broken-folder-');
    fs.writeFileSync(path.join(dir, 'a-settings.yaml'), [before, broken].join('---\n'));
    fs.writeFileSync(path.join(dir, 'b-volume.yaml'), volume);
    const { manifests, errors } = readManifests([dir]);
    expect(manifests.map((m) => `${path.basename(m.file)} ${(m.manifest as { metadata: { name: string } }).metadata.name}`)).toEqual([
      'a-settings.yaml early',
      'b-volume.yaml scratch',
    ]);
    expect(errors).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^document 2 is not valid YAML/) })]);
    const findings = runChecks(manifests, { platform: 'rhoai-3.0' });
    expect(findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'persistent-volume-invalid', severity: 'error', object: 'PersistentVolume/scratch' })]),
    );
  });
});
