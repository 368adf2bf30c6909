import { ruleFindings } from '../util';

const RULE = 'network-policy-blocks-dns';

type Doc = Record<string, any>;

const deployment = (name: string, container: Doc, pod: Doc = {}): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'app' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { ...pod, containers: [{ name, image: 'quay.io/acme/web:2.3.1', ...container }] } },
  },
});
const web = deployment('web', { env: [{ name: 'API_URL', value: 'http://api.app.svc.cluster.local:8000' }] });
const api = deployment('api', { ports: [{ containerPort: 8000 }] });
const egress = (rules: Doc[], name = 'web-egress', podSelector: Doc = { matchLabels: { app: 'web' } }): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'app' },
  spec: { podSelector, policyTypes: ['Egress'], egress: rules },
});
const toApi = { to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8000 }] };
const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

describe('network-policy-blocks-dns', () => {
  test('egress only to the api pods, and the pods name a host: an error naming the policy, the host and the rule to add', () => {
    expect(ruleFindings(RULE, [web, api, egress([toApi])])).toEqual([
      "error Deployment/app/web: NetworkPolicy 'web-egress' selects the pods for egress and no egress rule of the namespace's policies admits DNS (UDP or TCP 53 or 5353) to the cluster DNS (CoreDNS, k8s-app: kube-dns in kube-system): every name lookup of the pods times out, and they resolve names: container 'web' env API_URL names api.app.svc.cluster.local, so that connection fails; add an egress rule to {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}} on port 53 (UDP and TCP) (on OpenShift, to openshift-dns on 5353)",
    ]);
    // on OpenShift the fix names openshift-dns and 5353; a ConfigMap the pod reads through envFrom names the host
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-env', namespace: 'app' },
      data: { BACKEND: 'https://backend.tools.svc:9091/api' },
    };
    const fromConfig = deployment('web', { envFrom: [{ configMapRef: { name: 'web-env' } }] });
    expect(ruleFindings(RULE, [fromConfig, config, egress([toApi])], 'rhoai-3.0')).toEqual([
      expect.stringMatching(
        /^error Deployment\/app\/web: .*to OpenShift's cluster DNS .*ConfigMap web-env key BACKEND .* names backend\.tools\.svc, .*openshift-dns.* on port 5353 \(UDP and TCP; 53 beside it\)$/,
      ),
    ]);
    // a default-deny egress policy (no rules) isolates every pod of the namespace
    expect(ruleFindings(RULE, [web, egress([], 'default-deny', {})])).toEqual([
      expect.stringMatching(/^error Deployment\/app\/web: NetworkPolicy 'default-deny' selects/),
    ]);
    // DNS to kube-system on OpenShift reaches no DNS pod there: openshift-dns runs them
    expect(ruleFindings(RULE, [web, egress([toApi, { to: [ns('kube-system')], ports: [{ port: 53, protocol: 'UDP' }] }])], 'rhoai-3.0')).toHaveLength(1);
  });

  test('a vLLM pod downloading from Hugging Face resolves huggingface.co: an error; a volume at its cache makes it a warning', () => {
    const vllm = (mounts: Doc[] = []) =>
      deployment('chat', {
        image: 'vllm/vllm-openai:v0.11.0',
        args: ['--model', 'Qwen/Qwen2.5-1.5B-Instruct'],
        volumeMounts: mounts,
      });
    const https = { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] };
    const policy = egress([https], 'chat-egress', { matchLabels: { app: 'chat' } });
    expect(ruleFindings(RULE, [vllm(), policy])).toEqual([
      expect.stringMatching(/^error Deployment\/app\/chat: .*downloads Qwen\/Qwen2\.5-1\.5B-Instruct from huggingface\.co/),
    ]);
    expect(ruleFindings(RULE, [vllm([{ name: 'cache', mountPath: '/root/.cache/huggingface' }]), policy])).toEqual([
      expect.stringMatching(/^warning Deployment\/app\/chat: .*\(a volume may already hold what it downloads\)/),
    ]);
  });

  test('pods the tree shows naming no host: a warning; Cilium policies beside it: a warning', () => {
    expect(ruleFindings(RULE, [api, egress([], 'api-egress', { matchLabels: { app: 'api' } })])).toEqual([
      expect.stringMatching(/^warning Deployment\/app\/api: .*the tree does not show them naming a host/),
    ]);
    const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'dns', namespace: 'app' }, spec: {} };
    expect(ruleFindings(RULE, [web, egress([toApi]), cilium])).toEqual([
      expect.stringMatching(/^warning Deployment\/app\/web: .*\(unless the tree's CiliumNetworkPolicy allow it\)/),
    ]);
  });

  test.each<[string, Doc[]]>([
    ['a rule to the DNS namespace on 53', [egress([toApi, { to: [ns('kube-system')], ports: [{ port: 53, protocol: 'UDP' }] }])]],
    ['a rule to openshift-dns on 5353', [egress([toApi, { to: [ns('openshift-dns')], ports: [{ port: 5353, protocol: 'UDP' }] }])]],
    [
      'a rule on port 53 to any peer',
      [
        egress([
          toApi,
          {
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ]),
      ],
    ],
    ['a rule to every namespace without ports', [egress([toApi, { to: [{ namespaceSelector: {} }] }])]],
    [
      'another policy of the namespace admits DNS',
      [egress([toApi]), egress([{ to: [ns('kube-system')], ports: [{ port: 'dns', protocol: 'UDP' }] }], 'dns', {})],
    ],
    ['an ipBlock without ports (the plugin decides whether it holds the DNS pods)', [egress([toApi, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }])]],
    [
      'a namespace label the tree does not show',
      [egress([toApi, { to: [{ namespaceSelector: { matchLabels: { purpose: 'dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }])],
    ],
    ['a policy for Ingress only', [{ ...egress([]), spec: { podSelector: {}, policyTypes: ['Ingress'] } }]],
    ['a policy of other pods', [egress([], 'api-only', { matchLabels: { app: 'api' } })]],
  ])('near miss: %s', (_, policies) => {
    expect(ruleFindings(RULE, [web, ...policies])).toEqual([]);
  });

  test('near miss: pods on the host network, or with their own resolvers (dnsPolicy None, Default), do not ask the cluster DNS', () => {
    const env = { env: [{ name: 'API_URL', value: 'http://api.app.svc.cluster.local:8000' }] };
    for (const pod of [{ hostNetwork: true }, { dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.53'] } }, { dnsPolicy: 'Default' }])
      expect(ruleFindings(RULE, [deployment('web', env, pod), egress([toApi])])).toEqual([]);
  });

  test('an address is no name: an IP URL, localhost and an allow-list of origins leave the pods naming no host (a warning)', () => {
    const env = [
      { name: 'API_URL', value: 'http://10.0.0.12:8000' },
      { name: 'HEALTH', value: 'http://localhost:8080/healthz' },
      { name: 'CORS_ALLOWED_ORIGINS', value: 'https://chat.example.com' },
    ];
    expect(ruleFindings(RULE, [deployment('web', { env }), egress([toApi])])).toEqual([expect.stringMatching(/^warning .*naming a host/)]);
  });
});
