import { indentedCodeLines } from '../../lib/manifests/markdown-indented-code';
import { fencedText } from '../../lib/manifests/script-commands';

/** The code lines (1-based) of a Markdown text, each as its code. */
function code(text: string): [number, string][] {
  const lines = text.split('\n');
  return [...indentedCodeLines(text)].map(([i, base]) => [i + 1, lines[i].replace(/\t/g, '    ').slice(base)]);
}

describe('indented code blocks of Markdown (CommonMark 0.31 §4.4)', () => {
  test('a chunk indented four columns after a blank line is code, its indentation removed (spec example 107)', () => {
    expect(code('Run:\n\n    kubectl apply -f app.yaml\n      --wait\n\nDone.\n')).toEqual([
      [3, 'kubectl apply -f app.yaml'],
      [4, '  --wait'],
    ]);
  });

  test('blank lines inside a block belong to it, those at its end do not (spec example 111)', () => {
    expect(code('\n    first\n\n    second\n\n\nprose\n')).toEqual([
      [2, 'first'],
      [4, 'second'],
    ]);
  });

  test('an indented line cannot interrupt a paragraph: it continues it (spec example 113)', () => {
    expect(code('Foo\n    bar\n')).toEqual([]);
  });

  test('a tab indents to the next tab stop (spec example 1)', () => {
    expect(code('\tkubectl get pods\n')).toEqual([[1, 'kubectl get pods']]);
  });

  test('four columns under `1. ` continue its prose; seven (its content column and four) make code in it (spec examples 254, 273)', () => {
    const text = '1. Create the token:\n\n    kubectl create secret generic hf\n\n2. Or:\n\n       kubectl create secret generic hg\n';
    expect(code(text)).toEqual([[7, 'kubectl create secret generic hg']]);
    expect(code('- item\n\n    still the item\n')).toEqual([]);
  });

  test('after a list ends at an unindented paragraph, four columns are code again', () => {
    expect(code('- item\n\nprose\n\n    kubectl get ns\n')).toEqual([[5, 'kubectl get ns']]);
  });

  test('lines of a fenced block are no indented code, nor is a heading followed by prose', () => {
    expect(code('```\n    inside\n```\n')).toEqual([]);
    expect(code('# Title\n    code\n')).toEqual([[2, 'code']]);
  });

  test('a list item whose marker five spaces or more follow starts with indented code (§5.2 rule 2); one starting with a blank line has its content one column past the marker (rule 3)', () => {
    expect(code('1.     kubectl get ns\n\n   prose\n\n       kubectl get pods\n')).toEqual([
      [1, 'kubectl get ns'],
      [5, 'kubectl get pods'],
    ]);
    expect(code('-\n      kubectl get ns\n')).toEqual([[2, 'kubectl get ns']]);
    // an item begins with at most one blank line: the list ends, and four columns are code again
    expect(code('-\n\n    kubectl get ns\n')).toEqual([[3, 'kubectl get ns']]);
  });

  test('a thematic break, a heading or a fence is no lazy continuation: it ends the list, and four columns are code again (§5.2)', () => {
    expect(code('1. Step\n---\n\tkubectl get ns\n')).toEqual([[3, 'kubectl get ns']]);
    expect(code('- Step\n# Next\n    kubectl get ns\n')).toEqual([[3, 'kubectl get ns']]);
    // a fence in a list item ends with the item
    expect(code('- Step\n  ```\n  x\n---\n    kubectl get ns\n')).toEqual([[5, 'kubectl get ns']]);
  });

  test('a setext underline ends the paragraph (§4.3); an empty item, or one not numbered 1, cannot interrupt it (§5.2)', () => {
    expect(code('Create it:\n===\n    kubectl get ns\n')).toEqual([[3, 'kubectl get ns']]);
    expect(code('Create it:\n2.\n    kubectl get ns\n')).toEqual([]);
    expect(code('Create it:\n1. x\n\n    kubectl get ns\n')).toEqual([]);
  });

  test('a line four columns into its container opens no block: after a paragraph it continues it', () => {
    expect(code('Create it:\n    1. kubectl get ns\n===\n    kubectl get pods\n')).toEqual([[4, 'kubectl get pods']]);
  });

  test("a closing fence is at most three columns in: a fence's content may hold an indented one (§4.5)", () => {
    expect(code('```\n    ```\n    kubectl get ns\n```\n\n    kubectl get pods\n')).toEqual([[6, 'kubectl get pods']]);
  });

  test('in a block quote the content starts after `>` and its space (§5.1); a lazy line continues its paragraph', () => {
    const quoted = (text: string) => [...indentedCodeLines(text)].map(([i, base]) => [i + 1, text.split('\n')[i].slice(base)]);
    expect(quoted('> Create it:\n>\n>     kubectl get ns\n')).toEqual([[3, 'kubectl get ns']]);
    expect(quoted('> Create it:\n    kubectl get ns\n')).toEqual([]);
    expect(quoted('- Step\n\n  >     kubectl get ns\n')).toEqual([[3, 'kubectl get ns']]);
  });

  test('no indented code inside an HTML block (§4.6); after a comment that ends on its line there is', () => {
    expect(code('<div>\n    kubectl get ns\n</div>\n')).toEqual([]);
    expect(code('<details>\n<summary>Setup</summary>\n\n    kubectl get ns\n\n</details>\n')).toEqual([[4, 'kubectl get ns']]);
    expect(code('<!-- setup -->\n    kubectl get ns\n')).toEqual([[2, 'kubectl get ns']]);
    expect(code('<!--\n    kubectl get ns\n-->\n')).toEqual([]);
  });

  test("a Markdown script's commands are those of its fenced and of its indented code blocks, at their line numbers", () => {
    expect(fencedText('Intro\n\n    oc apply -f a.yaml\n\n```sh\noc apply -f b.yaml\n```\n').split('\n')).toEqual([
      '',
      '',
      'oc apply -f a.yaml',
      '',
      '',
      'oc apply -f b.yaml',
      '',
      '',
    ]);
  });
});
