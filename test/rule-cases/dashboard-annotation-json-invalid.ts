import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/** dashboard-annotation-json-invalid: a dashboard annotation meant as a JSON array that does not parse. */
const imageStream = (deps: string, accelerators?: string) =>
  `apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: wb\n  namespace: redhat-ods-applications\n` +
  (accelerators ? `  annotations:\n    opendatahub.io/recommended-accelerators: '${accelerators}'\n` : '') +
  `spec:\n  tags:\n  - name: "2.0"\n    annotations:\n      opendatahub.io/notebook-python-dependencies: '${deps}'\n    from: {kind: DockerImage, name: quay.io/x/wb:2.0}\n`;

function found(yaml: string): [string, string, string][] {
  const root = writeTree('dashboard-json-', { 'tree/all.yaml': yaml });
  const read = readManifests([path.join(root, 'tree')]);
  return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['dashboard-annotation-json-invalid'], ...read }).map((f) => [
    f.severity,
    f.object,
    f.message,
  ]);
}

describe('dashboard-annotation-json-invalid', () => {
  test("a tag's package list with a trailing comma: a warning naming the tag, the key and the empty list", () => {
    const [f, ...rest] = found(imageStream('[{"name":"PyTorch","version":"2.4"},]'));
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('ImageStream/redhat-ods-applications/wb');
    expect(f[2]).toMatch(/^spec.tags\[0\] \(2.0\).annotations opendatahub.io\/notebook-python-dependencies is not valid JSON .*empty list.*lists no packages/);
  });

  test('recommended accelerators in single quotes do not parse either', () => {
    const [f] = found(imageStream('[]', "[\\'nvidia.com/gpu\\']".replace(/\\'/g, "''")));
    expect(f[2]).toMatch(/^metadata.annotations opendatahub.io\/recommended-accelerators is not valid JSON.*recommends no accelerator/);
  });

  test('near misses: valid JSON, an empty list, a value that is no JSON array, template syntax', () => {
    expect(found(imageStream('[{"name":"PyTorch","version":"2.4"}]', '["nvidia.com/gpu"]'))).toEqual([]);
    expect(found(imageStream('[]'))).toEqual([]);
    expect(found(imageStream('PyTorch 2.4'))).toEqual([]);
    expect(found(imageStream('[{{ .Values.deps }}]'))).toEqual([]);
  });
});
