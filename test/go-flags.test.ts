import { GoFlagKind, goFlags, isGoFlagWord, lastGoFlag } from '../lib/private/go-flags';

/** A program's declared flags, as its FlagSet would hold them. */
const declared =
  (table: Record<string, 'bool' | 'value'>) =>
  (name: string): GoFlagKind =>
    table[name];

const kind = declared({ verbose: 'bool', quiet: 'bool', count: 'value', label: 'value', wait: 'value' });
const pairs = (words: string[], interspersed = true) => goFlags(words, { kind, interspersed }).map((f) => [f.name, f.value]);

describe('the Go flag reader (Go flag.go parseOne, pflag flag.go parseArgs)', () => {
  test('one dash or two, the value after = or as the next word, all the same', () => {
    expect(pairs(['-count', '3', '--label', 'a', '-wait=5s', '--count=4'])).toEqual([
      ['count', '3'],
      ['label', 'a'],
      ['wait', '5s'],
      ['count', '4'],
    ]);
  });

  test('a boolean takes no value word: it is given alone or with =false, and the next word is not its', () => {
    expect(pairs(['--verbose', '-quiet=false', '--count', '1'])).toEqual([
      ['verbose', undefined],
      ['quiet', 'false'],
      ['count', '1'],
    ]);
    // `-verbose false` leaves `false` a word of its own (the program sees an argument, not the flag's value)
    expect(pairs(['-verbose', 'false', '-count=2'])).toEqual([
      ['verbose', undefined],
      ['count', '2'],
    ]);
  });

  test('a valued flag takes the next word whatever it holds: a negative number, a word with dashes, even --', () => {
    expect(pairs(['-count', '-7', '--label', '--verbose'])).toEqual([
      ['count', '-7'],
      ['label', '--verbose'],
    ]);
    expect(pairs(['--label', '--', '--count', '1'])).toEqual([
      ['label', '--'],
      ['count', '1'],
    ]);
  });

  test('the value after = keeps its own = signs and may be empty', () => {
    expect(pairs(['--label=a=b', '-wait='])).toEqual([
      ['label', 'a=b'],
      ['wait', ''],
    ]);
  });

  test('-- ends the flags: what follows is arguments', () => {
    expect(pairs(['--count', '1', '--', '--label', 'x'])).toEqual([['count', '1']]);
  });

  test('pflag reads on past an argument (interspersed); Go flag stops at it, and at a lone -', () => {
    const words = ['-verbose', 'input.txt', '--count', '2'];
    expect(pairs(words)).toEqual([
      ['verbose', undefined],
      ['count', '2'],
    ]);
    expect(pairs(words, false)).toEqual([['verbose', undefined]]);
    expect(pairs(['-quiet', '-', '-count=1'], false)).toEqual([['quiet', undefined]]);
  });

  test('a flag the program does not declare takes the next word only where that word is no flag', () => {
    expect(pairs(['--other', 'x', '--another', '--count', '1', '--last'])).toEqual([
      ['other', 'x'],
      ['another', undefined],
      ['count', '1'],
      ['last', undefined],
    ]);
  });

  test('a valued flag at the end has no value (the parser refuses it: flag needs an argument)', () => {
    expect(goFlags(['--count'], { kind })).toEqual([{ name: 'count', dashes: '--', word: '--count', written: '--count' }]);
  });

  test('bad flag syntax (---x, -=x) and words that start with no letter are no flags', () => {
    expect(['---count', '-=1', '--=x', '-', '--', '-1', 'x'].map(isGoFlagWord)).toEqual([false, false, false, false, false, false, false]);
    expect(['-x', '--x.y', '-x=1', '--a_b'].map(isGoFlagWord)).toEqual([true, true, true, true]);
  });

  test('the flag as written names its value word; the last given wins', () => {
    const flags = goFlags(['--count', '1', '-count=2', '--label', 'a'], { kind });
    expect(flags.map((f) => f.written)).toEqual(['--count 1', '-count=2', '--label a']);
    expect(lastGoFlag(flags, 'count')?.value).toBe('2');
    expect(lastGoFlag(flags, 'missing', 'label')?.written).toBe('--label a');
    expect(lastGoFlag(flags, 'missing')).toBeUndefined();
  });
});
