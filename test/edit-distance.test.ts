import { editDistance, editsAllowed, nearWithin } from '../lib/private/edit-distance';

describe('edit distance and closeness bounds', () => {
  test('Levenshtein distance: one edit per insertion, deletion or substitution', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('the bound is measured from the word, the candidate or the longer, with a floor and uncounted leading characters', () => {
    expect(editsAllowed('abcdefghi', 'ab', { charactersPerEdit: 3, of: 'word', atLeast: 1 })).toBe(3);
    expect(editsAllowed('abcdefghi', 'ab', { charactersPerEdit: 3, of: 'candidate', atLeast: 1 })).toBe(1);
    expect(editsAllowed('ab', 'abcdefghij', { charactersPerEdit: 5, of: 'longer', atLeast: 0 })).toBe(2);
    expect(editsAllowed('ab', 'a', { charactersPerEdit: 5, of: 'longer', atLeast: 2 })).toBe(2);
    // a long option of ten characters after its dashes: two edits, not three
    expect(editsAllowed('--abcdefghij', '', { charactersPerEdit: 4, of: 'word', atLeast: 0, uncounted: 2 })).toBe(2);
  });

  test('the candidates within the bound, nearest first, ties in the order given; a caller may count a pair its own way', () => {
    const bound = { charactersPerEdit: 3, of: 'candidate', atLeast: 1 } as const;
    expect(nearWithin('gitop', ['gitops', 'git', 'gitopz', 'namespace'], bound)).toEqual([
      { candidate: 'gitops', distance: 1 },
      { candidate: 'gitopz', distance: 1 },
    ]);
    // two edits from 'git' are more than a third of its three letters
    expect(nearWithin('gitop', ['git', 'namespace'], bound)).toEqual([]);
    expect(nearWithin('--device-type', ['--device'], { charactersPerEdit: 4, of: 'word', atLeast: 2, uncounted: 2 }, () => 1)).toEqual([
      { candidate: '--device', distance: 1 },
    ]);
  });
});
