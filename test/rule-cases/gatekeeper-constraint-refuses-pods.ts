import { ruleFindings } from '../util';

/**
 * gatekeeper-constraint-refuses-pods: a deny-mode constraint of a known pod-security template whose match covers the
 * tree's pods, which break it (gatekeeper-library pod-security-policy templates; a tree template's Rego).
 */
const POD_MATCH = { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] };
const constraint = (kind: string, spec: object) => ({ apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind, metadata: { name: 'policy' }, spec });
const deployment = (securityContext?: object, podSecurityContext?: object) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'serving' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: {
      metadata: { labels: { app: 'chat' } },
      spec: {
        ...(podSecurityContext ? { securityContext: podSecurityContext } : {}),
        containers: [{ name: 'server', image: 'registry.example.com/chat:1.0', ...(securityContext ? { securityContext } : {}) }],
      },
    },
  },
});
const ownTemplate = (kind: string, rego: string) => ({
  apiVersion: 'templates.gatekeeper.sh/v1beta1',
  kind: 'ConstraintTemplate',
  metadata: { name: kind.toLowerCase() },
  spec: { crd: { spec: { names: { kind } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', rego }] },
});
const find = (docs: object[]) => ruleFindings('gatekeeper-constraint-refuses-pods', docs as Record<string, unknown>[]);

describe('gatekeeper-constraint-refuses-pods', () => {
  test('a library template in deny mode (the default) over every Pod: a warning naming the pods and containers', () => {
    expect(find([constraint('K8sPSPReadOnlyRootFilesystem', { match: POD_MATCH }), deployment()])).toEqual([
      expect.stringMatching(
        /^warning K8sPSPReadOnlyRootFilesystem\/policy: .*readOnlyRootFilesystem: true on every container, enforcementAction deny \(the default\).*Deployment\/chat (\S+ )?\(server\)/,
      ),
    ]);
  });

  test("MustRunAsNonRoot users, and a tree's own template whose Rego requires runAsNonRoot", () => {
    const users = constraint('K8sPSPAllowedUsers', { match: POD_MATCH, parameters: { runAsUser: { rule: 'MustRunAsNonRoot' } } });
    expect(find([users, deployment()])).toHaveLength(1);
    expect(find([users, deployment(undefined, { runAsUser: 1001 })])).toEqual([]);
    const own = ownTemplate(
      'K8sNonRootPods',
      'package x\nviolation[{"msg": msg}] {\n  sc := input.review.object.spec.securityContext\n  not sc.runAsNonRoot\n  msg := "no"\n}',
    );
    expect(find([own, constraint('K8sNonRootPods', { match: POD_MATCH }), deployment()])).toEqual([expect.stringMatching(/runAsNonRoot: true/)]);
    expect(find([own, constraint('K8sNonRootPods', { match: POD_MATCH }), deployment(undefined, { runAsNonRoot: true })])).toEqual([]);
  });

  test('near misses: dryrun, another namespace, a label selector, a match on Deployments only, an unknown template', () => {
    expect(find([constraint('K8sPSPReadOnlyRootFilesystem', { enforcementAction: 'dryrun', match: POD_MATCH }), deployment()])).toEqual([]);
    expect(find([constraint('K8sPSPReadOnlyRootFilesystem', { match: { ...POD_MATCH, namespaces: ['prod-*'] } }), deployment()])).toEqual([]);
    expect(find([constraint('K8sPSPReadOnlyRootFilesystem', { match: { ...POD_MATCH, labelSelector: { matchLabels: { a: 'b' } } } }), deployment()])).toEqual(
      [],
    );
    expect(find([constraint('K8sPSPReadOnlyRootFilesystem', { match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } }), deployment()])).toEqual(
      [],
    );
    expect(find([constraint('K8sRequiredLabels', { match: POD_MATCH }), deployment()])).toEqual([]);
  });
});
