import { ruleFindings } from '../util';

/** A Job whose container runs the script with bash -ec. */
const job = (script: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'seed', namespace: 'chat' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'seed', image: 'x', command: ['/bin/bash', '-ec'], args: [script] }] } } },
});
const BODY = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: seeded, namespace: chat}\nEOF\n';

describe('heredoc-apply-joined', () => {
  test('a heredoc piped into oc apply after an export on the same line: an error naming the line, the command and the fix', () => {
    expect(ruleFindings('heredoc-apply-joined', [job(`set -x\nexport NS=$(cat /tmp/ns)   cat << EOF | oc apply -f-\n${BODY}`)])).toEqual([
      'error Job/chat/seed: container \'seed\': line 2 of its shell script runs `export NS=$(cat /tmp/ns)` and the heredoc piped into `oc apply -f-` as one command (nothing separates them): the heredoc becomes the input of `export` (`cat` one more of its words) and `oc apply -f-` reads what that command prints, not the heredoc (nothing at all from export: "error: no objects passed to apply"), so the objects are never applied; put the heredoc on a line of its own, or end the first command with `;` or `&&`',
    ]);
    expect(ruleFindings('heredoc-apply-joined', [job(`oc project chat cat <<'EOF' | kubectl create -f -\n${BODY}`)]).length).toBe(1);
  });

  test('near miss: separated by ; or &&, on its own line, after assignments only or a keyword, a comment', () => {
    for (const line of [
      'export NS=$(cat /tmp/ns); cat << EOF | oc apply -f-',
      'oc project chat && cat << EOF | oc apply -f-',
      'NS=chat cat << EOF | oc apply -f -',
      'if true; then cat << EOF | oc apply -f -',
      '# export NS=x cat << EOF | oc apply -f-',
      'cat << EOF | oc apply -f -',
    ])
      expect({ line, found: ruleFindings('heredoc-apply-joined', [job(`${line}\n${BODY}`)]) }).toEqual({ line, found: [] });
  });
});
