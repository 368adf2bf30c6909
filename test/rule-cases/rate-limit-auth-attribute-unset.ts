import { ruleFound } from '../util';

type Doc = Record<string, unknown>;

const target = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'chat' };

/** An AuthPolicy on the route with the rules given. */
const auth = (rules: Doc, targetRef: Doc = target): Doc => ({
  apiVersion: 'kuadrant.io/v1',
  kind: 'AuthPolicy',
  metadata: { name: 'chat-auth', namespace: 'ai' },
  spec: { targetRef, rules },
});

const identityFilter = { response: { success: { filters: { identity: { json: { properties: { tier: { selector: 'auth.identity.tier' } } } } } } } };

/** A RateLimitPolicy (or TokenRateLimitPolicy) on the route with one limit: its when predicate and counter. */
const limits = (predicate: string, counter?: string, kind = 'RateLimitPolicy'): Doc => ({
  apiVersion: 'kuadrant.io/v1',
  kind,
  metadata: { name: 'chat-limits', namespace: 'ai' },
  spec: {
    targetRef: target,
    limits: { gold: { rates: [{ limit: 10, window: '1m' }], when: [{ predicate }], ...(counter ? { counters: [{ expression: counter }] } : {}) } },
  },
});

const found = (...docs: Doc[]) =>
  ruleFound(
    'rate-limit-auth-attribute-unset',
    docs.map((manifest) => ({ manifest })),
  ).map((f) => [f.severity, f.object, f.message]);

// Kuadrant: an AuthPolicy's response.success filters are exported as auth.<filter>.<property> to the rate limit
// policies of its target (the authenticated rate limiting guide's filter identity → auth.identity.userid)
describe('rate-limit-auth-attribute-unset', () => {
  test('a predicate on auth.metadata.matchedTier.tier where the AuthPolicy exports auth.identity.tier: an error naming what to read', () => {
    expect(found(auth(identityFilter), limits('auth.metadata.matchedTier.tier == "gold"'))).toEqual([
      [
        'error',
        'RateLimitPolicy/ai/chat-limits',
        'spec.limits.gold.when[0].predicate reads auth.metadata.matchedTier.tier, which AuthPolicy chat-auth on the same target (HTTPRoute/chat) does not fill: ' +
          'it exports auth.identity.tier (response.success.filters become auth.<filter>.<property>, metadata evaluators auth.metadata.<name>); the attribute ' +
          'is missing on every request, so the predicate never holds and the limit never applies; read auth.identity.tier',
      ],
    ]);
  });

  test('a TokenRateLimitPolicy counter on a property the json filter lacks, and a has() test: errors', () => {
    const [[severity, object, message]] = found(auth(identityFilter), limits('auth.identity.tier == "gold"', 'auth.identity.userid', 'TokenRateLimitPolicy'));
    expect([severity, object]).toEqual(['error', 'TokenRateLimitPolicy/ai/chat-limits']);
    expect(message).toContain('spec.limits.gold.counters[0].expression reads auth.identity.userid');
    expect(message).toContain('the counter has no value and the limit is not applied');
    expect(found(auth(identityFilter), limits('has(auth.user.tier)')).length).toBe(1);
  });

  test('near misses: the exported property, a metadata evaluator of the name, a plain filter, no AuthPolicy on the target, request attributes', () => {
    expect(found(auth(identityFilter), limits('auth.identity.tier == "gold"'))).toEqual([]);
    expect(
      found(
        auth({ ...identityFilter, metadata: { matchedTier: { http: { url: 'http://tiers.example/lookup' } } } }),
        limits('auth.metadata.matchedTier.tier == "gold"'),
      ),
    ).toEqual([]);
    expect(found(auth({ response: { success: { filters: { tier: { plain: { selector: 'auth.identity.tier' } } } } } }), limits('auth.tier == "gold"'))).toEqual(
      [],
    );
    expect(found(auth(identityFilter, { ...target, name: 'other' }), limits('auth.metadata.matchedTier.tier == "gold"'))).toEqual([]);
    expect(found(limits('auth.metadata.matchedTier.tier == "gold"'))).toEqual([]);
    expect(found(auth(identityFilter), limits('request.path.startsWith("/v1") && auth.identity["tier"] == "gold"'))).toEqual([]);
  });
});
