import { runChecks } from '../../lib';
import { patternVerdict } from '../../lib/check/kyverno-patterns';
import { podWorkload } from '../util';

type Doc = Record<string, any>;
const judged = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'kyverno-policy-refuses-pods')
    .map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

/** A ClusterPolicy of one rule matching Pods with this pattern; `spec` and `rule` add fields. */
function policy(pattern: Doc, spec: Doc = { validationFailureAction: 'Enforce' }, rule: Doc = {}): Doc {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { ...spec, rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { message: 'm', pattern }, ...rule }] },
  };
}
const LABELS = { metadata: { labels: { 'app.kubernetes.io/component': '?*' } } };

/** A Deployment in `ns` whose pod template has these labels and this container securityContext. */
function server(labels: Doc, ns = 'ai', securityContext?: Doc): Doc {
  const w = podWorkload('srv', ns, { containers: [{ name: 'c', image: 'busybox:1.36', ...(securityContext ? { securityContext } : {}) }] });
  w.spec.template.metadata.labels = { app: 'srv', ...labels };
  return w;
}

describe('kyverno-policy-refuses-pods', () => {
  test('Enforce, a pod template without the required label: an error on the policy naming the workload and the field', () => {
    expect(judged([policy(LABELS), server({})])).toEqual([
      {
        object: 'ClusterPolicy/p',
        severity: 'error',
        message: expect.stringMatching(
          /^rule 'r' enforces its validate\.pattern \(m\) on the tree's own objects, which break it: Deployment\/ai\/srv \(its pods\): metadata\.labels\.app\.kubernetes\.io\/component is not "\?\*"\. Kyverno's admission webhook denies them/,
        ),
      },
    ]);
    // the rule-level failureAction of Kyverno 1.13, and the legacy lower-case word
    expect(judged([policy(LABELS, {}, { validate: { failureAction: 'Enforce', pattern: LABELS } }), server({})]).map((f) => f.severity)).toEqual(['error']);
    expect(judged([policy(LABELS, { validationFailureAction: 'enforce' }), server({})]).map((f) => f.severity)).toEqual(['error']);
  });

  test('a list pattern: every container', () => {
    const nonRoot = { spec: { containers: [{ securityContext: { runAsNonRoot: true } }] } };
    expect(judged([policy(nonRoot), server({}, 'ai', { runAsNonRoot: true })])).toEqual([]);
    expect(judged([policy(nonRoot), server({}, 'ai')]).map((f) => f.message)).toEqual([
      expect.stringContaining('spec.containers[0].securityContext is not a mapping'),
    ]);
  });

  test('near misses: the label there, Audit (the default), an excluded or filtered namespace, anchors and operators not judged', () => {
    expect(judged([policy(LABELS), server({ 'app.kubernetes.io/component': 'api' })])).toEqual([]);
    expect(judged([policy(LABELS, {}), server({})])).toEqual([]);
    expect(judged([policy(LABELS, { validationFailureAction: 'Audit' }), server({})])).toEqual([]);
    expect(judged([policy(LABELS, undefined, { exclude: { any: [{ resources: { namespaces: ['a*'] } }] } }), server({})])).toEqual([]);
    expect(judged([policy(LABELS), server({}, 'kube-system')])).toEqual([]);
    expect(judged([policy({ metadata: { '=(labels)': { tier: 'web' } } }), server({})])).toEqual([]);
    expect(judged([policy({ metadata: { labels: { tier: '!prod' } } }), server({})])).toEqual([]);
    expect(
      judged([policy(LABELS, undefined, { match: { any: [{ resources: { kinds: ['Pod'], selector: { matchLabels: { x: 'y' } } } }] } }), server({})]),
    ).toEqual([]);
  });

  test('patternVerdict: wildcards, literals, numbers', () => {
    expect(patternVerdict({ a: 'x*' }, { a: 'xyz' })).toEqual({ pass: true });
    expect(patternVerdict({ a: '?*' }, { a: '' })).toEqual({ pass: false, path: 'a', wanted: '"?*"' });
    expect(patternVerdict({ a: 2 }, { a: 2 })).toEqual({ pass: true });
    expect(patternVerdict({ a: { b: true } }, { a: {} })).toEqual({ pass: false, path: 'a.b', wanted: 'true' });
  });
});
