import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocuments } from '../../lib/manifests/yaml-documents';
import { readManifests } from '../../lib/manifests/read-manifests';
import { kubectlBinary } from '../setup/kubectl';
import { tempDir } from '../util';

/** A claim whose size was left as an unquoted `{{ … }}` placeholder: a flow mapping whose key is a flow mapping. */
const CLAIM = [
  'apiVersion: v1',
  'kind: PersistentVolumeClaim',
  'metadata:',
  '  name: models',
  'spec:',
  '  accessModes: [ReadWriteOnce]',
  '  resources:',
  '    requests:',
  '      storage: {{MODELS_PVC_SIZE}}',
  '',
].join('\n');

function tree(files: Record<string, string>): string {
  const dir = tempDir('yaml-map-keys-');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('a mapping key that is a mapping or a sequence (go-yaml: "invalid map key")', () => {
  test('an unquoted {{ X }} value: an error naming the line and the fix; the object is not read', () => {
    const { objects, problems } = parseDocuments(CLAIM);
    expect(objects).toEqual([]);
    expect(problems.map((p) => [p.severity, p.line])).toEqual([['error', 9]]);
    expect(problems[0].message).toContain('the unquoted {{MODELS_PVC_SIZE}} is a flow mapping');
    expect(problems[0].message).toContain('quote the value ("{{MODELS_PVC_SIZE}}")');
  });

  test('kustomize refuses the same file when a kustomization lists it, and the reader says so on the file', () => {
    const dir = tree({ 'kustomization.yaml': 'resources:\n- claim.yaml\n', 'claim.yaml': CLAIM });
    expect(() => execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/invalid map key/);
    const read = readManifests([dir]);
    expect(read.manifests.filter((m) => m.file.endsWith('claim.yaml'))).toEqual([]);
    expect(read.errors.filter((e) => e.file.endsWith('claim.yaml')).map((e) => [e.severity, e.line])).toEqual([['error', 9]]);
  });

  test('a sequence or mapping written as a key of a manifest, with `?`: an error telling to quote the key', () => {
    const source = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  ? [a, b]\n  : c\n';
    const { problems } = parseDocuments(source);
    expect(problems.map((p) => [p.severity, p.line])).toEqual([['error', 6]]);
    expect(problems[0].message).toMatch(/the key \[a, b\] is a sequence, .*quote the key$/);
  });

  test('near misses: a quoted placeholder is a string; complex keys in a YAML file that is no manifest are not judged', () => {
    const quoted = parseDocuments(CLAIM.replace('{{MODELS_PVC_SIZE}}', '"{{MODELS_PVC_SIZE}}"'));
    expect(quoted.problems).toEqual([]);
    expect(quoted.objects).toHaveLength(1);
    const values = parseDocuments('matrix:\n  ? [linux, amd64]\n  : enabled\n  ? {os: mac}\n  : disabled\n');
    expect(values.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^document 1 is not a Kubernetes object/)]);
  });
});
