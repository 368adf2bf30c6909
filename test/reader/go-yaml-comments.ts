import { parseDocuments } from '../../lib/manifests/yaml-documents';
import { kubectlBuild, writeTree } from '../setup/kustomize-build';

// A `#` right after a quoted scalar or a flow collection: YAML 1.2 (and the yaml library) wants white space before a
// comment, go-yaml reads one there (scannerc.go yaml_parser_scan_to_next_token). Each case is built with the real
// kubectl kustomize (kyaml, go-yaml v3) and read by the reader; the expected value is written by hand.
const CM = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;
const built = (text: string) => kubectlBuild(writeTree({ 'kustomization.yaml': 'resources: [r.yaml]\n', 'r.yaml': text }, 'go-yaml-comments-'));

describe('a comment with no space before its #', () => {
  test.each<[string, string, Record<string, string>, number[]]>([
    ['after a double-quoted value (a cron schedule)', '  schedule: "0 0 * * 0"# weekly\n', { schedule: '0 0 * * 0' }, [6]],
    ['after a single-quoted value, and two on separate lines', '  a: \'x\'#one\n  b: "y"#two\n', { a: 'x', b: 'y' }, [6, 7]],
  ])('%s: kustomize reads the value without the comment, and so does the reader, with a note per line', (_, data, expected, lines) => {
    const text = CM(data);
    const kustomize = built(text);
    expect(kustomize).toHaveProperty('objects');
    expect((kustomize as { objects: { data: unknown }[] }).objects[0].data).toEqual(expected);
    const { objects, problems } = parseDocuments(text);
    expect(objects.map((o) => o.manifest.data)).toEqual([expected]);
    expect(problems.map((p) => [p.severity, p.line])).toEqual(lines.map((l) => ['info', l]));
    expect(problems[0].message).toContain(
      'a comment follows its value with no space before the #: go-yaml (kubectl, kustomize, Argo CD) reads it as a comment',
    );
  });

  test('a # inside a plain value is part of it, and a quoted value with a spaced comment is plain YAML: no note', () => {
    const { objects, problems } = parseDocuments(CM('  a: x#y\n  b: "z" # fine\n'));
    expect(objects[0].manifest.data).toEqual({ a: 'x#y', b: 'z' });
    expect(problems).toEqual([]);
  });
});
