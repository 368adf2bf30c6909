import { runChecks } from '../../lib';
import type { Platform } from '../../lib/check/platform';
import { podWorkload, ruleFound } from '../util';

type Doc = Record<string, unknown>;
const RULE = 'pod-security-refused';

const namespace = (name: string, labels: Record<string, string>): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const restricted = (extra: Record<string, string> = {}) => namespace('apps', { 'pod-security.kubernetes.io/enforce': 'restricted', ...extra });
const baseline = (extra: Record<string, string> = {}) => namespace('apps', { 'pod-security.kubernetes.io/enforce': 'baseline', ...extra });

/** A container that meets restricted in itself; the pod still needs a seccomp profile. */
const tight = (name = 'app', extra: Doc = {}): Doc => ({
  name,
  image: 'registry.example.com/app:1.0.0',
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  ...extra,
});
const seccomp = { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } };
const deployment = (pod: Doc, ns = 'apps') => podWorkload('web', ns, pod);

const findings = (docs: Doc[], platform: Platform = 'kserve') =>
  ruleFound(
    RULE,
    docs.map((manifest) => ({ manifest })),
    { platform },
  );

describe('pod-security-refused: the baseline and restricted checks of Pod Security admission', () => {
  test('restricted: a pod that names no seccomp profile anywhere is refused, the message quoting the check', () => {
    expect(findings([restricted(), deployment({ containers: [tight()] })])).toEqual([
      {
        severity: 'error',
        object: 'Deployment/apps/web',
        message: expect.stringMatching(
          /^the pod template violates PodSecurity "restricted:latest", which Namespace apps enforces \(pod-security\.kubernetes\.io\/enforce: restricted\): seccompProfile \(pod or container "app" must set securityContext\.seccompProfile\.type to "RuntimeDefault" or "Localhost"\); its ReplicaSet cannot create the pods/,
        ),
      },
    ]);
  });

  test('restricted: a container of its own with no securityContext misses four checks; a pod-level profile covers every container', () => {
    const [f] = findings([restricted(), deployment({ ...seccomp, initContainers: [{ name: 'fetch', image: 'busybox:1.36' }], containers: [tight()] })]);
    expect(f.message).toContain('allowPrivilegeEscalation != false (container "fetch" must set securityContext.allowPrivilegeEscalation=false)');
    expect(f.message).toContain('runAsNonRoot != true (pod or container "fetch" must set securityContext.runAsNonRoot=true)');
    expect(f.message).toContain('unrestricted capabilities (container "fetch" must set securityContext.capabilities.drop=["ALL"])');
    expect(f.message).not.toContain('seccompProfile');
  });

  test('a container-level Unconfined profile is refused even where the pod sets RuntimeDefault; Localhost passes', () => {
    const unconfined = tight('app', { securityContext: { ...(tight().securityContext as Doc), seccompProfile: { type: 'Unconfined' } } });
    expect(findings([restricted(), deployment({ ...seccomp, containers: [unconfined] })])[0].message).toContain(
      'seccompProfile (container "app" must not set securityContext.seccompProfile.type to "Unconfined")',
    );
    const localhost = tight('app', {
      securityContext: { ...(tight().securityContext as Doc), seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
    });
    expect(findings([restricted(), deployment({ containers: [localhost] })])).toEqual([]);
  });

  test('baseline refuses privileged containers, host namespaces, hostPath, host ports and added capabilities outside the default set', () => {
    const loose = {
      name: 'agent',
      image: 'registry.example.com/agent:2.0.0',
      securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'CHOWN'] } },
      ports: [{ containerPort: 9100, hostPort: 9100 }],
    };
    const [f] = findings([baseline(), deployment({ hostNetwork: true, volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [loose] })]);
    expect(f.message).toMatch(/^the pod template violates PodSecurity "baseline:latest"/);
    for (const part of [
      'host namespaces (hostNetwork=true)',
      'privileged (container "agent" must not set securityContext.privileged=true)',
      'non-default capabilities (container "agent" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
      'hostPath volumes (volume "root")',
      'hostPort (container "agent" uses hostPort 9100)',
    ])
      expect(f.message).toContain(part);
  });

  test('restricted: a volume source outside its list is refused by restrictedVolumes, which replaces the baseline hostPath check', () => {
    const [f] = findings([
      restricted(),
      deployment({
        ...seccomp,
        volumes: [
          { name: 'share', nfs: { server: 'nas', path: '/x' } },
          { name: 'host', hostPath: { path: '/tmp' } },
        ],
        containers: [tight()],
      }),
    ]);
    expect(f.message).toContain('restricted volume types (volumes "share", "host" use restricted volume types "hostPath", "nfs")');
    expect(f.message).not.toContain('hostPath volumes');
  });

  test('restricted: runAsUser 0 and runAsNonRoot false are refused; only NET_BIND_SERVICE may be added', () => {
    const root = tight('app', {
      securityContext: {
        allowPrivilegeEscalation: false,
        runAsNonRoot: false,
        runAsUser: 0,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'NET_RAW'] },
      },
    });
    const [f] = findings([restricted(), deployment({ ...seccomp, containers: [root] })]);
    expect(f.message).toContain('runAsNonRoot != true (container "app" must not set securityContext.runAsNonRoot=false)');
    expect(f.message).toContain('runAsUser=0 (container "app" must not set runAsUser=0)');
    expect(f.message).toContain('unrestricted capabilities (container "app" must not include "NET_RAW" in securityContext.capabilities.add)');
  });

  test('baseline: AppArmor unconfined, an SELinux user, Unmasked procMount and an unsafe sysctl are refused', () => {
    const pod = {
      securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '65536' }], seLinuxOptions: { user: 'system_u' } },
      containers: [
        { name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { appArmorProfile: { type: 'Unconfined' }, procMount: 'Unmasked' } },
      ],
    };
    const [f] = findings([baseline(), deployment(pod)]);
    expect(f.message).toContain('forbidden AppArmor profile (container "app" must not set AppArmor profile type to "Unconfined")');
    expect(f.message).toContain('seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)');
    expect(f.message).toContain('procMount (container "app" must not set securityContext.procMount to "Unmasked")');
    expect(f.message).toContain('forbidden sysctls (kernel.msgmax)');
  });

  test('near misses: a pod that meets restricted; a baseline namespace with restricted-only gaps; warn and audit labels only; a namespace the tree does not hold', () => {
    expect(findings([restricted(), deployment({ ...seccomp, containers: [tight()] })])).toEqual([]);
    expect(
      findings([
        baseline({ 'pod-security.kubernetes.io/warn': 'restricted' }),
        deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] }),
      ]),
    ).toEqual([]);
    const warnOnly = namespace('apps', { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
    expect(
      findings([warnOnly, deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true } }] })]),
    ).toEqual([]);
    expect(findings([deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true } }] })])).toEqual(
      [],
    );
    expect(findings([namespace('apps', { 'pod-security.kubernetes.io/enforce': 'privileged' }), deployment({ hostPID: true, containers: [tight()] })])).toEqual(
      [],
    );
  });
});

describe('pod-security-refused: the version the labels name', () => {
  const probeHost = tight('app', { readinessProbe: { httpGet: { host: '10.0.0.1', port: 8080, path: '/ready' } } });

  test('a probe host is refused from 1.34 only: judged at v1.34, not at v1.33, and not at latest, which an older cluster reads as its own version', () => {
    const at = (version: string) => findings([baseline({ 'pod-security.kubernetes.io/enforce-version': version }), deployment({ containers: [probeHost] })]);
    expect(at('v1.34')[0].message).toContain('probe or lifecycle host (container "app" uses probe or lifecycle host "10.0.0.1")');
    expect(at('v1.34')[0].message).toContain('PodSecurity "baseline:v1.34"');
    expect(at('v1.33')).toEqual([]);
    expect(at('latest')).toEqual([]);
  });

  test('a sysctl allowed from 1.32 is refused at v1.31 only; a user-namespace pod is exempt from runAsNonRoot from 1.35', () => {
    const rmem = (version: string) =>
      findings([
        baseline({ 'pod-security.kubernetes.io/enforce-version': version }),
        deployment({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] }, containers: [tight()] }),
      ]);
    expect(rmem('v1.31')[0].message).toContain('forbidden sysctls (net.ipv4.tcp_rmem)');
    expect(rmem('v1.32')).toEqual([]);
    const userNs = (version: string) =>
      findings([
        restricted({ 'pod-security.kubernetes.io/enforce-version': version }),
        deployment({
          hostUsers: false,
          ...seccomp,
          containers: [tight('app', { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } })],
        }),
      ]);
    expect(userNs('v1.34')[0].message).toContain('runAsNonRoot != true');
    expect(userNs('v1.35')).toEqual([]);
  });

  test('a Windows pod is exempt from the Linux-only restricted checks, not from runAsNonRoot', () => {
    const [f] = findings([restricted(), deployment({ os: { name: 'windows' }, containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] })]);
    expect(f.message).toContain('runAsNonRoot != true');
    expect(f.message).not.toMatch(/seccompProfile|allowPrivilegeEscalation|capabilities/);
  });
});

describe('pod-security-refused: the pods KServe builds', () => {
  const isvc = (model: Doc, predictor: Doc = {}, annotations: Record<string, string> = {}): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'churn', namespace: 'apps', annotations },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, protocolVersion: 'v2', ...model }, ...predictor } },
  });

  test('an auto-selected runtime KServe installs sets no seccompProfile: the predictor pod is refused, naming the runtime', () => {
    expect(findings([restricted(), isvc({ storageUri: 'pvc://models/churn' }, {}, { 'serving.kserve.io/deploymentMode': 'Standard' })])).toEqual([
      {
        severity: 'error',
        object: 'InferenceService/apps/churn',
        message: expect.stringMatching(
          /^the predictor pod KServe builds \(spec\.predictor merged with ClusterServingRuntime kserve-mlserver \(as KServe v[0-9.]+ installs it\)\) violates PodSecurity "restricted:latest", .*seccompProfile \(pod or container "kserve-container" must set/,
        ),
      },
    ]);
  });

  test("with no deploymentMode, upstream KServe's default (Knative) is assumed: the refusal is a warning naming that and secure-pod-defaults", () => {
    const [unset, ...rest] = findings([restricted(), isvc({ storageUri: 'pvc://models/churn' })]);
    expect(rest).toEqual([]);
    expect(unset).toMatchObject({ severity: 'warning', object: 'InferenceService/apps/churn' });
    expect(unset.message).toContain(
      "the service runs in Knative mode: it sets no serving.kserve.io/deploymentMode and the cluster's default is taken to be Knative's",
    );
    expect(unset.message).toContain("Knative's secure-pod-defaults is off, its default");
    expect(unset.message).toContain("the ReplicaSet of KServe's Knative revision cannot create the pods");
  });

  test('the storage-initializer and modelcar containers KServe injects carry no restricted settings: a pod-level profile on the predictor does not save them', () => {
    const secured = { securityContext: { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true } };
    const [s3] = findings([restricted(), isvc({ storageUri: 's3://models/churn/' }, secured)]);
    expect(s3.message).toContain('the storage-initializer init container');
    expect(s3.message).toContain('allowPrivilegeEscalation != false (container "storage-initializer" must set');
    expect(s3.message).not.toContain('seccompProfile (');
    const [oci] = findings([restricted(), isvc({ storageUri: 'oci://registry.example.com/models/churn:1.0' }, secured)]);
    expect(oci.message).toContain('unrestricted capabilities (containers "modelcar-init", "modelcar" must set');
    expect(findings([restricted(), isvc({ storageUri: 'pvc://models/churn' }, secured)])).toEqual([]);
  });

  test("in Knative mode, with secure-pod-defaults not written, the refusal is a warning naming the assumption; config-features Enabled fills the revision's containers", () => {
    const knative = isvc({ storageUri: 'pvc://models/churn' }, {}, { 'serving.kserve.io/deploymentMode': 'Knative' });
    expect(findings([restricted(), knative])).toEqual([
      {
        severity: 'warning',
        object: 'InferenceService/apps/churn',
        message: expect.stringMatching(/\(assumed: Knative's secure-pod-defaults is off, its default/),
      },
    ]);
    const features = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config-features', namespace: 'knative-serving' },
      data: { 'secure-pod-defaults': 'Enabled' },
    };
    expect(findings([restricted(), knative, features])).toEqual([]);
    const off = { ...features, data: { 'secure-pod-defaults': 'Disabled' } };
    expect(findings([restricted(), knative, off]).map((f) => f.severity)).toEqual(['error']);
  });
});

describe('pod-security-refused on OpenShift: only what the restricted-v2 SCC leaves', () => {
  test('the SCC sets the seccomp profile, capabilities and a uid: a bare pod is admitted; an explicit runAsNonRoot: false is not', () => {
    const bare = deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] });
    expect(findings([restricted(), bare], 'rhoai-3.0')).toEqual([]);
    const rootAllowed = deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { runAsNonRoot: false } }] });
    expect(findings([restricted(), rootAllowed], 'rhoai-3.0')).toEqual([
      {
        severity: 'error',
        object: 'Deployment/apps/web',
        message: expect.stringContaining('runAsNonRoot != true (container "app" must not set securityContext.runAsNonRoot=false)'),
      },
    ]);
  });

  test("near misses: what restricted-v2 refuses itself is scc-refuses-pod's; a namespace whose labels the syncer is told to rewrite", () => {
    const privileged = deployment({
      containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true, runAsNonRoot: false } }],
    });
    expect(findings([restricted(), privileged], 'rhoai-3.0')).toEqual([]);
    const rootAllowed = deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { runAsNonRoot: false } }] });
    expect(findings([restricted({ 'security.openshift.io/scc.podSecurityLabelSync': 'true' }), rootAllowed], 'rhoai-3.0')).toEqual([]);
  });

  test('a tree with no OpenShift mark is judged as upstream Kubernetes (an error); where OpenShift is only assumed, what the SCC would fix is a warning that says so', () => {
    const docs = [restricted(), deployment({ containers: [tight()] })].map((manifest) => ({ manifest }));
    expect(
      runChecks(docs)
        .filter((f) => f.rule === RULE)
        .map((f) => f.severity),
    ).toEqual(['error']);
    const assumed = runChecks(docs, { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-3.0', 'kserve'] }).filter(
      (f) => f.rule === RULE,
    );
    expect(assumed).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'Deployment/apps/web',
        message: expect.stringMatching(/assumed: the cluster is upstream Kubernetes .*pass --platform/),
      }),
    ]);
  });
});
