import { literalPattern, pipelinesOf, sedReplacements, sedReplaces, sedTokens } from '../lib/manifests/sed-program';

/** What the sed commands of a one-pipeline line replace. */
const of = (line: string) => sedReplacements(pipelinesOf(line)[0]);

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
