import { compareText } from '../lib/private/collate';
import { prng } from './setup/prng';

const ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

describe('compareText', () => {
  test("orders printable ASCII as ICU's English collation does", () => {
    const icu = [...ASCII].sort((a, b) => a.localeCompare(b, 'en'));
    expect([...ASCII].sort(compareText)).toEqual(icu);
    // what the table says, in words: punctuation before digits before letters, a before A before b
    expect(icu.indexOf('-')).toBeLessThan(icu.indexOf('0'));
    expect(icu.indexOf('9')).toBeLessThan(icu.indexOf('a'));
    expect(icu.indexOf('A')).toBe(icu.indexOf('a') + 1);
  });

  test('agrees with localeCompare on seeded strings of ASCII, accents and tabs', () => {
    const random = prng(20261202);
    // mostly printable ASCII with many case pairs and separators; a few characters ICU decides (é, tab, ß)
    const alphabet = [...ASCII, 'a', 'A', 'b', 'B', '-', '/', '.', '_', 'é', '\t', 'ß'];
    const text = () => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const disagreements: string[][] = [];
    for (let i = 0; i < 20000; i++) {
      const a = text();
      const b = random() < 0.2 ? a.toUpperCase() : text();
      if (compareText(a, b) !== Math.sign(a.localeCompare(b, 'en'))) disagreements.push([a, b]);
    }
    expect(disagreements).toEqual([]);
  });

  test('sorts the paths and names synth sorts as before', () => {
    const names = [
      'gitops/b/x.yaml',
      'gitops/a-b/x.yaml',
      'gitops/a/x.yaml',
      'gitops/A_b/y.yaml',
      'PLAN.md',
      'plan.md',
      'mistral-small-24b-tp4',
      'mistral-small-24b',
      'v1beta2',
      'v1',
    ];
    expect([...names].sort(compareText)).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect([...names].sort(compareText)).toEqual([
      // not code-unit order ('-' < '/' < '_'): ICU puts '_' first, then '-', then '/'
      'gitops/A_b/y.yaml',
      'gitops/a-b/x.yaml',
      'gitops/a/x.yaml',
      'gitops/b/x.yaml',
      'mistral-small-24b',
      'mistral-small-24b-tp4',
      'plan.md',
      'PLAN.md',
      'v1',
      'v1beta2',
    ]);
  });
});
