import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * mig-strategy-mismatch: what a pod asks of a MIG node against the strategy the tree sets for NVIDIA's device plugin
 * and GPU feature discovery (mixed: nvidia.com/mig-<profile> resources and per-profile labels; single: nvidia.com/gpu
 * and a -MIG-<profile> product; none: neither).
 */
async function found(files: Record<string, string>): Promise<{ severity: string; message: string }[]> {
  const dir = writeTree('mig-strategy-', files);
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'mig-strategy-mismatch');
}

const yaml = (...objects: object[]) => objects.map((o) => YAML.stringify(o)).join('---\n');
const policy = (strategy: string) => ({
  apiVersion: 'nvidia.com/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'cluster-policy' },
  spec: { mig: { strategy } },
});
const pod = (resource: string, nodeSelector: Record<string, string> = {}) =>
  podWorkload('infer', 'ai', { nodeSelector, containers: [{ name: 'main', image: 'registry.example.com/i:1', resources: { limits: { [resource]: '1' } } }] });
const migProduct = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3-MIG-1g.10gb' };

describe('mig-strategy-mismatch', () => {
  test('a ClusterPolicy strategy: a slice resource needs mixed, a -MIG- product needs single', async () => {
    expect((await found({ 'a.yaml': yaml(policy('single'), pod('nvidia.com/mig-1g.10gb')) })).map((f) => f.severity)).toEqual(['error']);
    expect(await found({ 'a.yaml': yaml(policy('mixed'), pod('nvidia.com/mig-1g.10gb')) })).toEqual([]);
    const product = await found({ 'a.yaml': yaml(policy('mixed'), pod('nvidia.com/gpu', migProduct)) });
    expect(product.map((f) => f.severity)).toEqual(['error']);
    expect(product[0].message).toMatch(
      /gpu.product: NVIDIA-H100-80GB-HBM3-MIG-1g.10gb exists only under the MIG strategy single .* tree sets mixed \(ClusterPolicy cluster-policy spec.mig.strategy\)/,
    );
    expect(await found({ 'a.yaml': yaml(policy('single'), pod('nvidia.com/gpu', migProduct)) })).toEqual([]);
    expect((await found({ 'a.yaml': yaml(policy('none'), pod('nvidia.com/gpu', { 'nvidia.com/mig-1g.10gb.count': '7' })) })).length).toBe(1);
  });

  test("near miss: a vendored operator chart no delivery names is rendered with its defaults, whose strategy is the chart's, not the release's", async () => {
    const chart = {
      'operator/Chart.yaml': 'apiVersion: v2\nname: gpu-operator\nversion: 1.0.0\n',
      'operator/values.yaml': 'mig:\n  strategy: single\n',
      'operator/templates/policy.yaml':
        'apiVersion: nvidia.com/v1\nkind: ClusterPolicy\nmetadata: {name: cluster-policy}\nspec:\n  mig: {strategy: {{ .Values.mig.strategy }}}\n',
      'examples/a.yaml': yaml(pod('nvidia.com/mig-1g.10gb')),
    };
    expect(await found(chart)).toEqual([]);
    // the same ClusterPolicy written out as a manifest states the strategy: the error stays
    expect((await found({ 'examples/a.yaml': yaml(pod('nvidia.com/mig-1g.10gb')), 'policy.yaml': yaml(policy('single')) })).map((f) => f.severity)).toEqual([
      'error',
    ]);
  });

  test("a script's helm --set of the gpu-operator chart states it; a release of another chart does not", async () => {
    const sh = (chart: string) => `helm install --wait --generate-name -n gpu-operator ${chart} --set driver.enabled=false,mig.strategy=single\n`;
    const f = await found({ 'install.sh': sh('nvidia/gpu-operator'), 'a.yaml': yaml(pod('nvidia.com/mig-2g.20gb')) });
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0].message).toMatch(/install.sh line 1 \(helm install --set mig.strategy=single\)/);
    expect(await found({ 'install.sh': sh('example/other-chart'), 'a.yaml': yaml(pod('nvidia.com/mig-2g.20gb')) })).toEqual([]);
  });

  test('two strategies stated, only one fitting: a warning naming both', async () => {
    const f = await found({
      'base.sh': 'helm install gpu-operator nvidia/gpu-operator --set mig.strategy=single\n',
      'sharing.sh': 'helm upgrade gpu-operator nvidia/gpu-operator --set mig.strategy=mixed\n',
      'a.yaml': yaml(pod('nvidia.com/gpu', migProduct)),
    });
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0].message).toMatch(/tree sets mixed \(sharing.sh line 1 .*Pending; the tree also sets single \(base.sh line 1/);
  });

  test("a script's patch of the ClusterPolicy states it; a later step of the same script overrides an earlier one", async () => {
    const patch = `kubectl patch clusterpolicies.nvidia.com/cluster-policy --type='json' -p='[{"op":"replace", "path":"/spec/mig/strategy", "value":"mixed"}]'`;
    const install = 'helm upgrade gpu-operator nvidia/gpu-operator -n gpu-operator --set mig.strategy=single';
    expect(await found({ 'setup.sh': `${install}\n${patch}\n`, 'a.yaml': yaml(pod('nvidia.com/mig-3g.40gb')) })).toEqual([]);
    const f = await found({ 'setup.sh': `${patch}\n${install}\n`, 'a.yaml': yaml(pod('nvidia.com/mig-3g.40gb')) });
    expect(f.map((x) => x.severity)).toEqual(['error']);
    // a merge patch, in another script: both stand, one fitting
    const merge = `oc patch clusterpolicy cluster-policy --type merge -p '{"spec":{"mig":{"strategy":"mixed"}}}'`;
    const g = await found({ 'install.sh': `${install}\n`, 'mig.sh': `${merge}\n`, 'a.yaml': yaml(pod('nvidia.com/mig-3g.40gb')) });
    expect(g.map((x) => x.severity)).toEqual(['warning']);
    expect(g[0].message).toMatch(/also sets mixed \(mig.sh line 1 \(patch of the ClusterPolicy's spec.mig.strategy\)\)/);
  });

  test('without an operator strategy the device-plugin configs are read; the operator strategy overrides them', async () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'plugin', namespace: 'gpu-operator' },
      data: { a100: 'version: v1\nflags:\n  migStrategy: none\n' },
    };
    expect((await found({ 'a.yaml': yaml(config, pod('nvidia.com/mig-1g.10gb')) })).map((f) => f.severity)).toEqual(['error']);
    expect(await found({ 'a.yaml': yaml(config, policy('mixed'), pod('nvidia.com/mig-1g.10gb')) })).toEqual([]);
  });

  test('asking for what no one strategy produces is an error even where no strategy is stated; nothing stated, nothing else judged', async () => {
    expect((await found({ 'a.yaml': yaml(pod('nvidia.com/mig-1g.10gb', migProduct)) })).map((f) => f.severity)).toEqual(['error']);
    expect(await found({ 'a.yaml': yaml(pod('nvidia.com/gpu', migProduct)) })).toEqual([]);
  });
});
