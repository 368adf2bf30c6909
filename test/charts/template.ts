import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderChart } from '../../lib/helm/chart-render';
import { renderFuncs } from '../../lib/helm/funcs';
import { GoMap, NotRendered } from '../../lib/helm/go-values';
import { Exec, TemplateFunc } from '../../lib/helm/template-exec';
import { Node } from '../../lib/helm/template-nodes';
import { parseTemplate } from '../../lib/helm/template-parse';

/** One template run with Helm's function map, as the engine runs a chart's template. */
function run(text: string, data: unknown = {}): string {
  const parsed = parseTemplate(text, 't');
  const set = new Map<string, Node[]>(parsed.defines);
  const funcs = new Map<string, TemplateFunc>();
  const exec = new Exec(set, funcs);
  for (const [k, f] of renderFuncs(exec)) funcs.set(k, f);
  return exec.run(parsed.root, data, 't');
}

const DATA: GoMap = { s: 'abc', i: 3n, f: 1.5, b: true, list: [1n, 2n, 3n], m: { one: 1n, two: 2n }, empty: [], nilv: null, nested: { a: { b: 'deep' } } };

/** Cases in the manner of go/src/text/template/exec_test.go: the template, and the text it gives. */
const EXEC: [string, string][] = [
  ['{{.s}}', 'abc'],
  ['{{.nested.a.b}}', 'deep'],
  ['{{.missing}}', '<no value>'],
  ['{{if .b}}yes{{end}}', 'yes'],
  ['{{if .empty}}full{{else}}empty{{end}}', 'empty'],
  ['{{if 0}}a{{else if 1}}b{{else}}c{{end}}', 'b'],
  ['{{range .list}}<{{.}}>{{end}}', '<1><2><3>'],
  ['{{range $i, $e := .list}}{{$i}}:{{$e}} {{end}}', '0:1 1:2 2:3 '],
  ['{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}', 'one=1;two=2;'],
  ['{{range .empty}}x{{else}}none{{end}}', 'none'],
  ['{{range 3}}{{.}}{{end}}', '012'],
  ['{{range .list}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}', '1'],
  ['{{range .list}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}', '13'],
  ['{{with .s}}{{.}}{{end}}', 'abc'],
  ['{{with .missing}}x{{else}}y{{end}}', 'y'],
  ['{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', '2'],
  ['{{define "T"}}[{{.}}]{{end}}{{template "T" "a"}}', '[a]'],
  ['{{block "B" .s}}<{{.}}>{{end}}', '<abc>'],
  ['{{print 1 2 "x" 3}}', '1 2x3'],
  ['{{printf "%d-%s-%v-%5.1f|%-3s|%q" 7 "a" .list 3.14159 "b" "q"}}', '7-a-[1 2 3]-  3.1|b  |"q"'],
  ['{{printf "%v" .m}}', 'map[one:1 two:2]'],
  ['{{printf "%v" .f}} {{1e6}} {{0.00001}}', '1.5 1e+06 1e-05'],
  ['{{len .s}} {{len .list}} {{index .list 1}} {{index .m "two"}}', '3 3 2 2'],
  ['{{and 1 0 "x"}} {{or 0 "" "z"}} {{not 0}}', '0 z true'],
  ['{{eq .s "abc" "x"}} {{ne 1 2}} {{lt 1 2}} {{ge "b" "a"}}', 'true true true true'],
  ['{{html "<a&b>"}} {{urlquery "a b"}}', '&lt;a&amp;b&gt; a+b'],
  ['a {{- " b " -}} c', 'a b c'],
  ['a{{/* comment */}}b', 'ab'],
  ['{{(index .list 0) | printf "%d!"}}', '1!'],
  ['{{.nested.a | len}}', '1'],
];

/** Cases in the manner of Masterminds/sprig's tests: the template, and what it gives. */
const SPRIG: [string, string][] = [
  ['{{ "  x " | trim }}|{{ trimAll "$" "$5$" }}|{{ trimPrefix "-" "-a" }}|{{ trimSuffix "-" "a-" }}', 'x|5|a|a'],
  ['{{ upper "ab" }}{{ lower "CD" }}{{ title "ef gh" }}', 'ABcdEf Gh'],
  ['{{ quote "a" 1 }} {{ squote "b" }}', '"a" "1" \'b\''],
  ['{{ indent 2 "a\\nb" }}|{{ nindent 1 "c" }}', '  a\n  b|\n c'],
  ['{{ trunc 2 "abc" }} {{ trunc -2 "abc" }} {{ substr 1 3 "abcd" }}', 'ab bc bc'],
  ['{{ contains "b" "abc" }} {{ hasPrefix "a" "abc" }} {{ hasSuffix "c" "abc" }}', 'true true true'],
  ['{{ splitList "," "a,b" | join "+" }} {{ (split "." "x.y")._1 }}', 'a+b y'],
  ['{{ default "d" "" }} {{ default "d" "v" }} {{ empty 0 }} {{ coalesce "" nil "c" }} {{ ternary "y" "n" false }}', 'd v true c n'],
  ['{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 9 3 }} {{ min 4 2 }} {{ add1 1 }}', '6 3 6 3 1 9 2 2'],
  ['{{ int "42" }} {{ int64 3.9 }} {{ float64 "1.5" }} {{ atoi "x" }} {{ ceil 1.1 }} {{ floor 1.9 }} {{ round 1.25 1 }}', '42 3 1.5 0 2 1 1.3'],
  ['{{ list 1 2 | toJson }} {{ dict "b" 1 "a" 2 | toJson }}', '[1,2] {"a":2,"b":1}'],
  ['{{ first .list }} {{ last .list }} {{ rest .list }} {{ initial .list }}', '1 3 [2 3] [1 2]'],
  ['{{ append .list 4 }} {{ prepend .list 0 }} {{ concat .list (list 4) }} {{ reverse .list }}', '[1 2 3 4] [0 1 2 3] [1 2 3 4] [3 2 1]'],
  ['{{ uniq (list 1 1 2) }} {{ without .list 2 }} {{ has 2 .list }} {{ compact (list 0 "" "a") }}', '[1 2] [1 3] true [a]'],
  ['{{ keys .m | sortAlpha }} {{ hasKey .m "one" }} {{ get .m "two" }} {{ pluck "one" .m .m }}', '[one two] true 2 [1 1]'],
  ['{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ toJson $d }}', '{"b":2}'],
  ['{{ merge (dict "a" 1) (dict "a" 2 "b" 3) | toJson }} {{ mergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}', '{"a":1,"b":3} {"a":2}'],
  ['{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "" | trunc 8 }}', 'aGk= hi e3b0c442'],
  ['{{ regexMatch "^a.c$" "abc" }} {{ regexFind "\\\\d+" "a12b" }} {{ regexReplaceAll "(a)(b)" "ab" "${2}$1" }}', 'true 12 ba'],
  [
    '{{ semverCompare ">=1.2.0 <2" "1.5.0" }} {{ semverCompare "^1.2" "2.0.0" }} {{ semverCompare "~1.2.3" "1.2.9" }} {{ (semver "v1.2.3").Major }}',
    'true false true 1',
  ],
  ['{{ kindOf .m }} {{ kindOf .list }} {{ typeOf .s }} {{ kindIs "float64" .f }} {{ typeOf .i }}', 'map slice string true int64'],
  ['{{ toYaml .m }}', 'one: 1\ntwo: 2'],
  ['{{ (fromYaml "a: [1, 2]").a }} {{ (fromJson "{\\"x\\": 1}").x }}', '[1 2] 1'],
  ['{{ tpl "{{ .s }}!" . }}', 'abc!'],
  ['{{ include "I" . }}{{ define "I" }}<{{ .s }}>{{ end }}', '<abc>'],
];

describe('Go text/template, as the engine runs it', () => {
  test.each(EXEC)('%s', (text, want) => expect(run(text, DATA)).toBe(want));

  test('errors as Go raises them: a field of nil, comparing different kinds, an undefined variable, a missing template', () => {
    expect(() => run('{{.nilv.x}}', DATA)).toThrow(/nil pointer evaluating interface \{\}\.x/);
    expect(() => run('{{eq 1 "1"}}', DATA)).toThrow(/incompatible types for comparison/);
    expect(() => run('{{template "none"}}', DATA)).toThrow(/no such template "none"/);
    expect(() => parseTemplate('{{$x}}', 't') && run('{{$x}}', DATA)).toThrow(/undefined variable/);
    expect(() => parseTemplate('{{if}}', 't')).toThrow(/missing value for if/);
    expect(() => parseTemplate('{{range .}}', 't')).toThrow(/unexpected EOF/);
    expect(() => parseTemplate('{{break}}', 't')).toThrow(/outside \{\{range\}\}/);
  });

  test('bounds: an include that never ends stops (at the depth limit or the stack), an error thrown, not a hang', () => {
    expect(() => run('{{define "L"}}{{include "L" .}}{{end}}{{include "L" .}}')).toThrow();
    expect(() => run('{{define "M"}}{{template "M" .}}{{end}}{{template "M" .}}')).toThrow();
  });
});

describe('Sprig and Helm functions', () => {
  test.each(SPRIG)('%s', (text, want) => expect(run(text, DATA)).toBe(want));

  test('what differs at each render or reads the machine leaves the chart unrendered', () => {
    for (const t of ['{{ randAlphaNum 5 }}', '{{ now }}', '{{ genCA "x" 1 }}', '{{ uuidv4 }}', '{{ env "HOME" }}']) expect(() => run(t)).toThrow(NotRendered);
  });

  test('regular expressions RE2 and JavaScript read differently are refused, not guessed', () => {
    for (const re of ['[[:alpha:]]', '\\pL', '(?=a)', '\\1']) expect(() => run(`{{ regexMatch "${re.replace(/\\/g, '\\\\')}" "a" }}`)).toThrow(NotRendered);
  });

  test('required and fail are Helm failures naming the template', () => {
    expect(() => run('{{ required "need x" .x }}')).toThrow(/execution error at \(t\): need x/);
    expect(() => run('{{ fail "no" }}')).toThrow(/execution error at \(t\): no/);
  });
});

describe('a hostile chart', () => {
  test('an include that never ends gives a render that says why, never an exception', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-hostile-'));
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: loop\nversion: 0.1.0\n');
    fs.writeFileSync(
      path.join(dir, 'templates', 'x.yaml'),
      '{{- define "loop" }}{{ include "loop" . }}{{ end }}\nkind: ConfigMap\ndata: {{ include "loop" . }}\n',
    );
    const r = renderChart({ chartDir: dir, releaseName: 'r', namespace: 'n', values: {}, capabilities: { clusterUnknown: false }, includeCrds: true });
    expect(r).toEqual({ ok: false, helmFails: expect.any(Boolean), reason: expect.any(String) });
  });
});
