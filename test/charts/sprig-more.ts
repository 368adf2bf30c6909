import { renderFuncs } from '../../lib/helm/funcs';
import { Exec, TemplateFunc } from '../../lib/helm/template-exec';
import { Node } from '../../lib/helm/template-nodes';
import { parseTemplate } from '../../lib/helm/template-parse';

/** One template run with Helm's function map, as the engine runs a chart's template. */
function run(text: string): string {
  const parsed = parseTemplate(text, 't');
  const set = new Map<string, Node[]>(parsed.defines);
  const funcs = new Map<string, TemplateFunc>();
  const exec = new Exec(set, funcs);
  for (const [k, f] of renderFuncs(exec)) funcs.set(k, f);
  return exec.run(parsed.root, {}, 't');
}

/**
 * Cases of Sprig's own tests (Masterminds/sprig v3 strings_test.go TestGoutils, TestWrap, TestWrapWith, TestBase32;
 * list_test.go TestTuple, TestChunk; numeric_test.go TestBiggest, TestSeq; functions_test.go TestBase … TestExt) for
 * the functions the other tables lacked.
 */
const SPRIG_TESTS: [string, string][] = [
  ['{{wrap 5 "Hello World"}}', 'Hello\nWorld'],
  ['{{wrapWith 5 "\\t" "Hello World"}}', 'Hello\tWorld'],
  ['{{ "" | wrap 10 }}', ''],
  ['{{ wrap -1 "With a negative wrap." }}', 'With\na\nnegative\nwrap.'],
  ['{{ "This is a long string that needs to be wrapped." | wrap 10 }}', 'This is a\nlong\nstring\nthat needs\nto be\nwrapped.'],
  ['{{ "This is a long string that needs to be wrapped." | wrapWith 10 "\\t" }}', 'This is a\tlong\tstring\tthat needs\tto be\twrapped.'],
  [
    '{{ "This is a long string that needs to be wrapped with a looooooooooooooooooooooooooooooooooooong word." | wrapWith 10 "\\t" }}',
    'This is a\tlong\tstring\tthat needs\tto be\twrapped\twith a\tlooooooooo\toooooooooo\toooooooooo\toooooooong\tword.',
  ],
  ['{{initials "First Try"}}', 'FT'],
  ['{{b32enc "coffee"}}', 'MNXWMZTFMU======'],
  ['{{b32dec "MNXWMZTFMU======"}}', 'coffee'],
  ['{{$t := tuple 1 "a" "foo"}}{{index $t 2}}{{index $t 0 }}{{index $t 1}}', 'foo1a'],
  ['{{ tuple 1 2 3 4 5 6 7 | chunk 3 | len }}', '3'],
  ['{{ tuple | chunk 3 | len }}', '0'],
  ['{{ range ( tuple 1 2 3 4 5 6 7 8 9 | chunk 3 ) }}{{. | join "-"}}|{{end}}', '1-2-3|4-5-6|7-8-9|'],
  ['{{ range ( tuple 1 2 3 4 5 6 7 8 | chunk 3 ) }}{{. | join "-"}}|{{end}}', '1-2-3|4-5-6|7-8|'],
  ['{{ range ( tuple 1 2 | chunk 3 ) }}{{. | join "-"}}|{{end}}', '1-2|'],
  ['{{ biggest 1 2 3 345 5 6 7}}', '345'],
  ['{{seq 0 1 3}}', '0 1 2 3'],
  ['{{seq 0 3 10}}', '0 3 6 9'],
  ['{{seq 3 3 2}}', ''],
  ['{{seq 3 -3 2}}', '3'],
  ['{{seq}}', ''],
  ['{{seq 0 4}}', '0 1 2 3 4'],
  ['{{seq 5}}', '1 2 3 4 5'],
  ['{{seq -5}}', '1 0 -1 -2 -3 -4 -5'],
  ['{{seq 0}}', '1 0'],
  ['{{seq 0 1 2 3}}', ''],
  ['{{seq 0 -4}}', '0 -1 -2 -3 -4'],
  ['{{ base "foo/bar" }}', 'bar'],
  ['{{ dir "foo/bar/baz" }}', 'foo/bar'],
  ['{{ isAbs "/foo" }}', 'true'],
  ['{{ isAbs "foo" }}', 'false'],
  ['{{ clean "/foo/../foo/../bar" }}', '/bar'],
  ['{{ ext "/foo/bar/baz.txt" }}', '.txt'],
  ['{{ hello }}', 'Hello!'],
];

describe("Sprig functions ported from its functions.go genericMap, on Sprig's own test cases", () => {
  test.each(SPRIG_TESTS)('%s', (text, want) => expect(run(text)).toBe(want));

  test('a function that reads the clock leaves the chart unrendered, naming it', () => {
    expect(() => run('{{ date_in_zone "2006" 0 "UTC" }}')).toThrow(/date_in_zone, which reads the clock/);
  });
});
