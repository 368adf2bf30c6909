import { alternativeArms, armPaths } from '../../lib/manifests/script-branches';

describe('the arms of if and case a script line is in', () => {
  test("a heredoc's body runs to the line that is its delimiter alone: an indented EOF and an if after it are text", () => {
    const script = ['cat <<EOF', '  EOF', 'if text; then', 'EOF', 'if [ -n "$A" ]; then', '  run a', 'fi'].join('\n');
    const arms = armPaths(script);
    expect(arms[3]).toEqual([]);
    expect(arms[6]).toEqual(['if@5#0']);
  });

  test('if/elif/else arms, a nested if, a case, a one-line if, a heredoc body', () => {
    const script = [
      'if [ "$A" = 1 ]; then', // 1
      '  run a', // 2
      '  if [ -n "$B" ]; then run b; fi', // 3: a one-line if opens no arm
      'elif [ "$A" = 2 ]; then', // 4
      '  run c', // 5
      'else', // 6
      '  cat <<EOF', // 7
      'if this is text', // 8: a heredoc's body, no if
      'EOF', // 9
      'fi', // 10
      'case "$M" in', // 11
      '  x) run x ;;', // 12
      '  y)', // 13
      '    run y', // 14
      '    ;;', // 15
      'esac', // 16
      'run z', // 17
    ].join('\n');
    const arms = armPaths(script);
    expect(arms[2]).toEqual(['if@1#0']);
    expect(arms[3]).toEqual(['if@1#0']);
    expect(arms[5]).toEqual(['if@1#1']);
    expect(arms[8]).toEqual(['if@1#2']);
    expect(arms[12]).toEqual(['case@11#0']);
    expect(arms[14]).toEqual(['case@11#1']);
    expect(arms[17]).toEqual([]);
    expect(alternativeArms(arms[2], arms[5])).toBe(true);
    expect(alternativeArms(arms[12], arms[14])).toBe(true);
    // near misses: one arm, or one line outside the construct
    expect(alternativeArms(arms[2], arms[3])).toBe(false);
    expect(alternativeArms(arms[2], arms[17])).toBe(false);
    expect(alternativeArms(arms[5], arms[12])).toBe(false);
  });
});
