import { indentedCodeLines } from '../lib/manifests/markdown-indented-code';
import { fencedText } from '../lib/manifests/script-commands';

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
