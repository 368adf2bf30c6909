import { setAsideActions, templateActions, TemplateSyntax } from '../../lib/private/template-actions';

const spans = (text: string, syntaxes: readonly TemplateSyntax[] = ['go']) => templateActions(text, syntaxes).map((a) => [text.slice(a.start, a.end), a.kind]);

describe('template actions as the lexers find them (text/template parse/lex.go, jinja2 lexer)', () => {
  test('an action between text, an empty one, and several on a line', () => {
    expect(spans('a: {{ .Values.x }}\nb: {{}}{{.y}}')).toEqual([
      ['{{ .Values.x }}', 'expression'],
      ['{{}}', 'expression'],
      ['{{.y}}', 'expression'],
    ]);
  });

  test('trim markers on either delimiter belong to the action', () => {
    expect(spans('x {{- 3 -}} y {{-.z}}')).toEqual([
      ['{{- 3 -}}', 'expression'],
      ['{{-.z}}', 'expression'],
    ]);
  });

  test('a }} inside a quoted string, a character constant or a raw string ends nothing', () => {
    expect(spans('{{ printf "%s}}" .a }} {{ \'}\' }} {{ `}}` }}')).toEqual([
      ['{{ printf "%s}}" .a }}', 'expression'],
      ["{{ '}' }}", 'expression'],
      ['{{ `}}` }}', 'expression'],
    ]);
    expect(spans('{{ "a \\" }}" }}')).toEqual([['{{ "a \\" }}" }}', 'expression']]);
  });

  test('a raw string and an action itself may span lines; a quoted string may not', () => {
    expect(spans('{{ `one\ntwo}}` }}')).toEqual([['{{ `one\ntwo}}` }}', 'expression']]);
    expect(spans('{{ if and .a\n  .b }}')).toEqual([['{{ if and .a\n  .b }}', 'expression']]);
    expect(spans('{{ "open\n" }}')).toEqual([]);
  });

  test('a comment runs to */ and the closing delimiter, with or without trim markers, across lines', () => {
    expect(spans('{{/* a }} b */}}{{- /* c\nd */ -}}')).toEqual([
      ['{{/* a }} b */}}', 'comment'],
      ['{{- /* c\nd */ -}}', 'comment'],
    ]);
  });

  test('an action that never closes is none', () => {
    expect(spans('a: {{ .x\nb: 1')).toEqual([]);
  });

  test("Jinja's expressions, statements and comments, a quoted %} included", () => {
    expect(spans('{% if x == "%}" %}{{ y }}{# note #}{%- endif -%}', ['jinja'])).toEqual([
      ['{% if x == "%}" %}', 'statement'],
      ['{{ y }}', 'expression'],
      ['{# note #}', 'comment'],
      ['{%- endif -%}', 'statement'],
    ]);
    expect(spans('{% if x %}', ['go'])).toEqual([]);
  });
});

describe('setting actions aside', () => {
  const source = ['kind: Deployment', '{{- if .x }}', 'spec:', '  port: {{ "p" | getPort }}', '  {{ end }} {{/* c */}}', 'done: true'].join('\n');

  test('lines of actions alone removed, every other action replaced', () => {
    expect(setAsideActions(source, { syntaxes: ['go'], replacement: 'V', wholeLines: 'remove' })).toBe('kind: Deployment\nspec:\n  port: V\ndone: true');
  });

  test('lines of actions alone blanked, the lines after kept where they were', () => {
    const out = setAsideActions(source, { syntaxes: ['go'], replacement: '0', wholeLines: 'blank' });
    expect(out).toBe('kind: Deployment\n\nspec:\n  port: 0\n\ndone: true');
    const spanning = setAsideActions('{{ if and .a\n .b }}\nc: {{ .d }}', { syntaxes: ['go'], replacement: '0', wholeLines: 'blank' });
    expect(spanning).toBe('\n\nc: 0');
  });

  test('an action sharing its line with text is replaced, not its line', () => {
    expect(setAsideActions('{{ .k }}: v\n', { syntaxes: ['go'], replacement: 'K', wholeLines: 'remove' })).toBe('K: v\n');
  });
});
