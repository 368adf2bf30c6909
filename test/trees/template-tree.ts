import { copyTokens } from '../../lib/check/template-tree';

describe('template-tree: the tokens a template repository replaces when it is copied', () => {
  test('upper-case identifiers, and lower-case words joined by - or _', () => {
    expect(copyTokens('<WORKLOAD_CLUSTER_NAME>-web')).toEqual(['<WORKLOAD_CLUSTER_NAME>']);
    expect(copyTokens('https://github.com/<your-org>/<repo_name>.git')).toEqual(['<your-org>', '<repo_name>']);
    expect(copyTokens('<cluster-name>.<your-domain>')).toEqual(['<cluster-name>', '<your-domain>']);
    expect(copyTokens('s3://<your-bucket-2>/models')).toEqual(['<your-bucket-2>']);
  });

  test('near misses: a lower-case word alone (<none>, an HTML tag), a self-closing tag, an e-mail address, arrows, a Go template', () => {
    for (const value of [
      '<none>',
      '<div class="x">',
      '<br/>',
      '<my-',
      'Ann Lee <ann@shop.example.org>',
      'x <- y -> z',
      '{{ .Values.domain }}',
      '<Your-Domain>',
      '<-x->',
    ])
      expect({ value, tokens: copyTokens(value) }).toEqual({ value, tokens: [] });
  });
});
