import { parseDocuments } from '../../lib/manifests/yaml-documents';

/** What a document that does not parse is taken for: a template someone renders first (a warning), or broken YAML (an error). */
const problems = (source: string) => parseDocuments(source).problems.map((p) => [p.severity, p.message.replace(/ \(.*$|: .*$/, '')]);

describe('a document that does not parse is a template only where its {{ … }} markers stand outside quoted scalars', () => {
  // a KServe LLMInferenceService carries the controller's own templates in quoted args; a stray key at the wrong
  // column breaks the YAML, which no rendering mends
  const broken = [
    'apiVersion: serving.kserve.io/v1alpha1',
    'kind: LLMInferenceService',
    'metadata: {name: chat}',
    'spec:',
    '  router:',
    '    scheduler:',
    '      args:',
    "        - '{{ ChildName .ObjectMeta.Name `-pool` }}'",
    '        - "{{ .ObjectMeta.Namespace }}"',
    '   route: {}',
    '',
  ].join('\n');

  test('markers only inside quoted scalars: the parse failure is an error of the file', () => {
    expect(problems(broken)).toEqual([['error', 'document 1 is not valid YAML']]);
  });

  test('near misses: an unquoted marker (a Helm control line, a bare value) keeps it a template; an apostrophe inside a word opens no quote', () => {
    const helm = broken.replace("        - '{{ ChildName .ObjectMeta.Name `-pool` }}'", '        {{- if .Values.pool }}');
    expect(problems(helm)).toEqual([['warning', 'document 1 is a template']]);
    // the stray `route:` still breaks these with their markers blanked out: a warning that names the YAML, not the markers
    const notTheMarkers = 'document 1 is not valid YAML, and not for its {{ … }} markers';
    const bare = broken.replace('metadata: {name: chat}', "metadata:\n  name: {{ .Values.name }} # don't quote it");
    expect(problems(bare)).toEqual([['warning', notTheMarkers]]);
    const apostrophe = broken.replace('metadata: {name: chat}', "metadata: {name: chat} # it's {{ .Values.name }} we'd want");
    expect(problems(apostrophe)).toEqual([['warning', notTheMarkers]]);
    // the markers alone break it (a Helm control line among mapping keys): blanked out, it parses, a template
    const control = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: settings',
      'data:',
      '  {{- range .Values.keys }}',
      '  {{ . }}: "on"',
      '  {{- end }}',
      '',
    ].join('\n');
    expect(problems(control)).toEqual([['warning', 'document 1 is a template']]);
  });
});
