import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;

/** The referenced-key-missing findings of a tree, as [severity, message]. */
const found = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'referenced-key-missing')
    .map((f) => [f.severity, f.message]);

const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf-token', namespace: 'ml' }, stringData: { token: 'x' } };
const reading = (key: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'picker', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'picker' } },
    template: {
      metadata: { labels: { app: 'picker' } },
      spec: { containers: [{ name: 'epp', image: 'epp:1', env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key } } }] }] },
    },
  },
});

describe('referenced-key-missing: a key holding template syntax', () => {
  test('key `${HF_SECRET_KEY}` of a Secret the tree declares: a key only rendering decides, not judged (it was an error on the literal)', () => {
    expect(found([secret, reading('${HF_SECRET_KEY}')])).toEqual([]);
  });

  test('near miss: a key written out that the Secret lacks is an error', () => {
    expect(found([secret, reading('hf-token')])).toEqual([
      ['error', expect.stringMatching(/reads key 'hf-token' of Secret hf-token in 'ml', which the tree declares with only token/)],
    ]);
  });
});
