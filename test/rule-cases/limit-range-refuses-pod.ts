import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { ruleFindings, writeTree } from '../util';

const RULE = 'limit-range-refuses-pod';
const limitRange = (item: Record<string, unknown>, namespace = 'ai') => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'bounds', namespace },
  spec: { limits: [{ type: 'Container', ...item }] },
});
const deployment = (resources: Record<string, unknown>, namespace = 'ai') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace },
  spec: {
    selector: { matchLabels: { app: 'llm' } },
    template: { metadata: { labels: { app: 'llm' } }, spec: { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.11.1', resources }] } },
  },
});

describe('limit-range-refuses-pod: a LimitRange of the namespace refuses the pods', () => {
  test('a default limit below the request: an error naming the item, the request and the refusal', () => {
    expect(ruleFindings(RULE, [limitRange({ default: { cpu: '1' } }), deployment({ requests: { cpu: '3' } })])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'server' cpu request 3 and no limit: LimitRange 'bounds' gives it limit 1 from spec\.limits\[0\]\.default, below the request.*must be less than or equal to cpu limit.*FailedCreate/,
      ),
    ]);
  });

  test('the default limit taken from the max when no default is written', () => {
    expect(ruleFindings(RULE, [limitRange({ max: { memory: '8Gi' } }), deployment({ requests: { memory: '16Gi' } })])).toEqual([
      expect.stringMatching(/memory request 16Gi and no limit: .*limit 8Gi from spec\.limits\[0\]\.max/),
    ]);
  });

  test('a limit above the max, a request below the min', () => {
    expect(ruleFindings(RULE, [limitRange({ max: { cpu: '4' } }), deployment({ limits: { cpu: '8' } })])).toEqual([
      expect.stringMatching(/cpu limit 8: LimitRange 'bounds' \(spec\.limits\[0\]\.max\) bounds it.*maximum … usage per Container is 4, but limit is 8/),
    ]);
    expect(ruleFindings(RULE, [limitRange({ min: { memory: '256Mi' } }), deployment({ requests: { memory: '128Mi' }, limits: { memory: '1Gi' } })])).toEqual([
      expect.stringMatching(/minimum … usage per Container is 256Mi, but request is 128Mi/),
    ]);
  });

  test.each([
    ['a limit of its own at the request', [limitRange({ default: { cpu: '1' } }), deployment({ requests: { cpu: '3' }, limits: { cpu: '3' } })]],
    ['a request under the default limit', [limitRange({ default: { cpu: '1' } }), deployment({ requests: { cpu: '500m' } })]],
    ['another namespace', [limitRange({ default: { cpu: '1' } }, 'other'), deployment({ requests: { cpu: '3' } })]],
    ['an item of type Pod', [{ ...limitRange({}), spec: { limits: [{ type: 'Pod', max: { cpu: '1' } }] } }, deployment({ limits: { cpu: '3' } })]],
    ['nothing set: the defaults fit', [limitRange({ default: { cpu: '1' }, min: { cpu: '100m' }, max: { cpu: '2' } }), deployment({})]],
    ['a value that is not a quantity', [limitRange({ default: { cpu: '1' } }), deployment({ requests: { cpu: '${CPU}' } })]],
  ])('%s: silent', (_what, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});

/** The rule's findings on `apps/chat/` of a git work tree holding the files, as severity and message. */
function inRepository(files: Record<string, string>): [string, string][] {
  const root = writeTree('limit-range-repo-', files);
  fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, 'apps', 'chat')]);
  return runChecks(read.manifests, { platform: 'kserve', rules: [RULE], ...read }).map((f) => [f.severity, f.message]);
}

const CHAT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: serving\nspec:\n  selector:\n    matchLabels: {app: chat}\n' +
  '  template:\n    metadata:\n      labels: {app: chat}\n    spec:\n      containers:\n        - name: server\n          image: vllm/vllm-openai:v0.11.1\n' +
  '          resources:\n            requests: {memory: 24Gi}\n';
const QUOTA = (namespace: string) =>
  `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: small-pods\n  namespace: ${namespace}\nspec:\n  limits:\n    - type: Container\n      default: {memory: 2Gi}\n`;

describe('limit-range-refuses-pod: LimitRanges the repository puts in the namespace outside the checked folder', () => {
  test("one of the workload's namespace: a warning naming its file", () => {
    expect(inRepository({ 'apps/chat/deploy.yaml': CHAT, 'cluster/limits.yaml': QUOTA('serving') })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'server' memory request 24Gi and no limit: LimitRange 'small-pods' of .*cluster\/limits\.yaml, line 1 \(a manifest of the repository outside the checked folder\) gives it limit 2Gi .*once that LimitRange is applied to namespace 'serving'.*FailedCreate/,
        ),
      ],
    ]);
  });

  test('one a kustomization places in the namespace counts; one of another namespace, or one the tree holds by name, does not', () => {
    const kustomized = {
      'apps/chat/deploy.yaml': CHAT,
      'cluster/limits.yaml': QUOTA('default').replace('  namespace: default\n', ''),
      'cluster/kustomization.yaml': 'namespace: serving\nresources:\n  - limits.yaml\n',
    };
    expect(inRepository(kustomized).map(([s]) => s)).toEqual(['warning']);
    expect(inRepository({ 'apps/chat/deploy.yaml': CHAT, 'cluster/limits.yaml': QUOTA('batch') })).toEqual([]);
    const ownFits = QUOTA('serving').replace('{memory: 2Gi}', '{memory: 32Gi}');
    expect(inRepository({ 'apps/chat/deploy.yaml': CHAT, 'apps/chat/limits.yaml': ownFits, 'cluster/limits.yaml': QUOTA('serving') })).toEqual([]);
  });
});
