import { literalPattern, literalReplacement, pipelinesOf, sedEdited, sedReplacements, sedReplaces, sedTokens } from '../../lib/manifests/sed-program';

/** What the sed commands of a one-pipeline line replace: the tokens, and whether that is all (the edits are judged below). */
const of = (line: string) => {
  const { edits: _edits, ...replaced } = sedReplacements(pipelinesOf(line)[0]);
  return replaced;
};
/** The edits of a one-pipeline line. */
const editsOf = (line: string) => sedReplacements(pipelinesOf(line)[0]).edits ?? [];

describe('sed-program: the tokens a sed replaces', () => {
  test('-e … -e …, a script of several commands, alternate delimiters, an escaped delimiter', () => {
    expect(of(`sed -e 's|IMG|x|' -e "s#HOST#y#g" app.yaml`)).toEqual({ tokens: ['IMG', 'HOST'], exact: true });
    expect(of(`sed 's/a-1/b/g; s/c-2/d/' app.yaml`)).toEqual({ tokens: ['a-1', 'c-2'], exact: true });
    expect(of(`sed 's|a\\|b|c|' f.yaml`)).toEqual({ tokens: ['a|b'], exact: true });
    expect(of('sed --expression=s/NS/x/ f.yaml')).toEqual({ tokens: ['NS'], exact: true });
  });

  test("in-place flags: GNU -i, -i.bak, BSD -i '' and -i .bak take no script", () => {
    expect(of(`sed -i 's/A1/x/' f.yaml`)).toEqual({ tokens: ['A1'], exact: true });
    expect(of(`sed -i.bak 's/A1/x/' f.yaml`)).toEqual({ tokens: ['A1'], exact: true });
    expect(of(`sed -i '' 's/A1/x/' f.yaml`)).toEqual({ tokens: ['A1'], exact: true });
    expect(of(`sed -i .bak 's/A1/x/' f.yaml`)).toEqual({ tokens: ['A1'], exact: true });
  });

  test('a `${VAR}` pattern: literal in a BRE (`$` only anchors at the end), whether the shell or sed removes the backslash', () => {
    expect(of('sed "s|\\${HOST}|$HOST|" f.yaml')).toEqual({ tokens: ['${HOST}'], exact: true });
    expect(of(`sed 's|\\\${HOST}|x|' f.yaml`)).toEqual({ tokens: ['${HOST}'], exact: true });
    expect(literalPattern('${HOST}', true)).toBeUndefined();
  });

  test('operators make no token and leave the sed unread: `.*`, a class, anchors, groups, a case-insensitive flag, a script file', () => {
    expect(of(`sed 's/image: .*/image: x/' f.yaml`)).toEqual({ tokens: [], exact: false });
    expect(of(`sed 's/[0-9]/x/; s/IMG/y/' f.yaml`)).toEqual({ tokens: ['IMG'], exact: false });
    expect(of(`sed 's/^IMG/x/' f.yaml`).exact).toBe(false);
    expect(of(`sed 's/IMG$/x/' f.yaml`).exact).toBe(false);
    expect(of(`sed 's/\\(IMG\\)/x/' f.yaml`).exact).toBe(false);
    expect(of(`sed -E 's/(IMG)/x/' f.yaml`).exact).toBe(false);
    expect(of(`sed 's/IMG/x/I' f.yaml`)).toEqual({ tokens: ['IMG'], exact: false });
    expect(of('sed -f render.sed f.yaml')).toEqual({ tokens: [], exact: false });
  });

  test('commands that change no kept text (an address with d, p) leave it exact; others (y, a) do not', () => {
    expect(of(`sed -e '/^#/d' -e 's/IMG/x/' f.yaml`)).toEqual({ tokens: ['IMG'], exact: true });
    expect(of(`sed '1,3d; s/IMG/x/' f.yaml`)).toEqual({ tokens: ['IMG'], exact: true });
    expect(of(`sed 'y/abc/xyz/' f.yaml`).exact).toBe(false);
    expect(of(`sed '/kind/a foo' f.yaml`).exact).toBe(false);
  });

  test('pipelines: split at ; && || outside quotes, and a sed of another pipeline is not this one', () => {
    expect(pipelinesOf(`sed -i 's/A1/x/; s/B1/y/' a.yaml && kubectl apply -f a.yaml | tee x; echo 'a;b'`)).toEqual([
      [`sed -i 's/A1/x/; s/B1/y/' a.yaml `],
      [' kubectl apply -f a.yaml ', ' tee x'],
      [" echo 'a;b'"],
    ]);
    expect(sedTokens(`sed -i 's/A1/x/' a.yaml && sed -i 's/B1/y/' b.yaml`)).toEqual(['A1', 'B1']);
    expect(of('cat a.yaml | sed s/A1/x/ | sed s/B1/y/ | kubectl apply -f -')).toEqual({ tokens: ['A1', 'B1'], exact: true });
  });

  test('a Markdown code span running sed is read from `sed` to the closing backtick', () => {
    expect(of("Run `sed -i 's/A1/x/' app.yaml` first")).toEqual({ tokens: ['A1'], exact: true });
  });

  test('what a token replaces: text holding it, text it holds, or (its `.` any character) a match', () => {
    expect(sedReplaces('IMG', 'IMG')).toBe(true);
    expect(sedReplaces('HOST', '${HOST}')).toBe(true);
    expect(sedReplaces('${HOST}', 'HOST')).toBe(true);
    expect(sedReplaces('a.b', 'aXb')).toBe(true);
    expect(sedReplaces('IMG', '${HOST}')).toBe(false);
  });
});

describe('sed-program: the edits a sed makes (sed manual, "The s Command")', () => {
  test('each s command: its literal pattern and replacement, g and i flags; & is the match, an escaped character itself', () => {
    expect(editsOf(`sed -e 's|NS|models|g' -e "s/SIZE/10Gi/I" f.yaml`)).toEqual([
      { pattern: 'NS', replacement: 'models', global: true, ignoreCase: false },
      { pattern: 'SIZE', replacement: '10Gi', global: false, ignoreCase: true },
    ]);
    expect(literalReplacement('x-&', 'NS')).toBe('x-NS');
    expect(literalReplacement('a\\/b', 'NS')).toBe('a/b');
    // a group and a case conversion cannot be read as literal text
    expect(literalReplacement('\\1', 'NS')).toBeUndefined();
    expect(literalReplacement('\\U&', 'NS')).toBeUndefined();
  });

  test('a pattern with operators, a numeric flag, or a script in a file: an edit not read (no pattern)', () => {
    expect(editsOf(`sed -E 's/N[A-Z]+/x/' f.yaml`)).toEqual([{ global: false, ignoreCase: false }]);
    expect(editsOf(`sed 's/NS/x/2' f.yaml`)).toEqual([{ global: false, ignoreCase: false }]);
    expect(editsOf('sed -f edits.sed f.yaml')).toEqual([{ global: true, ignoreCase: false }]);
  });

  test('sedEdited: line by line, first match or every one with g; an unknown replacement or unread edit on a namespace line makes it unknown', () => {
    const text = 'metadata:\n  name: NS-NS\n  namespace: NS\n';
    expect(sedEdited(text, [{ pattern: 'NS', replacement: 'models', global: false, ignoreCase: false }])).toEqual({
      text: 'metadata:\n  name: models-NS\n  namespace: models\n',
      namespaceUnknown: false,
    });
    expect(sedEdited(text, [{ pattern: 'ns', replacement: 'models', global: true, ignoreCase: true }]).text).toBe(
      'metadata:\n  name: models-models\n  namespace: models\n',
    );
    expect(sedEdited(text, [{ pattern: 'NS', global: true, ignoreCase: false }])).toEqual({ text, namespaceUnknown: true });
    expect(sedEdited('metadata:\n  name: NS\n', [{ pattern: 'NS', global: true, ignoreCase: false }]).namespaceUnknown).toBe(false);
    expect(sedEdited(text, [{ global: true, ignoreCase: false }]).namespaceUnknown).toBe(true);
  });
});
