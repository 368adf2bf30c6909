import { cliInProcess, writeTree } from '../util';
import { deploymentWithEnvTwice } from '../setup/env-written-twice';

/**
 * duplicate-key: a mapping key written twice, as the reader of the file takes it. kubectl, oc and Argo CD's directory
 * source decode with sigs.k8s.io/yaml (the last value wins, no error) and send the decoded object, so a file applied as
 * written loses the first value only where the two differ; kustomize refuses every repeat but repeated annotations.
 */
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vllm-config\n  namespace: ai\ndata:\n${data}`;
const runtime = (name: string) =>
  `apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: ${name}\n  namespace: ai\nspec:\n  supportedModelFormats: [{name: vLLM, autoSelect: true}]\n`;

async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  const dir = writeTree('duplicate-key-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'duplicate-key' || f.rule === 'kustomize-build-fails')
    .map((f) => [f.rule, f.severity, f.message]);
}

describe('duplicate-key: the severity follows the reader of the file', () => {
  test('applied as written, a repeat with two values is a warning naming the dropped line, not a refusal', async () => {
    expect(await found({ 'cm.yaml': configMap('  MAX_MODEL_LEN: "8192"\n  MAX_MODEL_LEN: "16384"\n') })).toEqual([
      [
        'duplicate-key',
        'warning',
        "document 1: the key 'MAX_MODEL_LEN' appears twice in one mapping; applied as written (kubectl or oc apply, an Argo CD directory source), the document is decoded with sigs.k8s.io/yaml, where the last value of a repeated key wins without an error, so the different value written at line 7 is dropped silently (kustomize would refuse the file as a resource): keep one",
      ],
    ]);
  });

  test('a repeat with the same value loses nothing: a note, not an error', async () => {
    const dsc =
      'apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    trainingoperator:\n      managementState: Managed\n      managementState: Managed\n';
    const [finding] = await found({ 'dsc.yaml': dsc });
    expect(finding.slice(0, 2)).toEqual(['duplicate-key', 'info']);
    expect(finding[2]).toMatch(/both values are the same, so nothing is lost .*: remove the repeat$/);
    expect(finding[2]).not.toMatch(/strict field validation|duplicate field/);
  });

  test('several keys, some equal and some not: a warning naming only the lines whose value is lost', async () => {
    const [finding] = await found({ 'cm.yaml': configMap('  A: "1"\n  B: "2"\n  A: "1"\n  B: "3"\n') });
    expect(finding.slice(0, 2)).toEqual(['duplicate-key', 'warning']);
    expect(finding[2]).toMatch(/^document 1: the keys 'A', 'B' each appear twice .* the different value written at line 8 is dropped silently/);
  });

  test('two objects without a separator: an error naming the object never created; the same object written twice is a note', async () => {
    expect(await found({ 'runtimes.yaml': runtime('vllm-runtime') + runtime('vllm-community-runtime') })).toEqual([
      [
        'duplicate-key',
        'error',
        expect.stringMatching(
          /^document 1 repeats 'apiVersion', 'kind', 'metadata', 'spec': two objects without a `---` separator, .* only the second object's values are kept and ServingRuntime vllm-runtime is never created: put a line `---` before the second apiVersion$/,
        ),
      ],
    ]);
    const [twice] = await found({ 'runtimes.yaml': runtime('vllm-runtime') + runtime('vllm-runtime') });
    expect(twice.slice(0, 2)).toEqual(['duplicate-key', 'info']);
    expect(twice[2]).toMatch(/one object written twice without a `---` separator, each key with the same value; .*nothing is lost/);
  });

  test('the same repeat in a resource of a kustomization fails the build, whatever the values', async () => {
    const same = configMap('  MODE: fast\n  MODE: fast\n');
    expect(await found({ 'kustomization.yaml': 'resources:\n- cm.yaml\n', 'cm.yaml': same })).toEqual([
      [
        'kustomize-build-fails',
        'error',
        expect.stringMatching(/kustomize refuses it as a resource of .* \("mapping key "MODE" already defined at line 7"\), so the build fails: keep one$/),
      ],
    ]);
  });

  test('a values file (no object) with a repeated block: a warning, or a note when the blocks are equal', async () => {
    const cm = configMap('  MODE: fast\n');
    expect((await found({ 'cm.yaml': cm, 'values.yaml': 'grafana:\n  enabled: true\ngrafana:\n  enabled: false\n' })).map((f) => f[1])).toEqual(['warning']);
    expect((await found({ 'cm.yaml': cm, 'values.yaml': 'grafana:\n  enabled: true\ngrafana:\n  enabled: true\n' })).map((f) => f[1])).toEqual(['info']);
  });
});

describe('duplicate-key: a container env list written twice', () => {
  const deployment = deploymentWithEnvTwice;

  test('the dropped list set GKE driver path the kept one lacks: the warning names the variable, its value and what it was for', async () => {
    const [finding, ...rest] = await found({
      'd.yaml': deployment(
        '            - {name: LD_LIBRARY_PATH, value: "/usr/local/nvidia/lib64:/usr/local/cuda/lib64"}',
        '            - {name: VLLM_LOGGING_LEVEL, value: DEBUG}',
      ),
    });
    expect(rest).toEqual([]);
    expect(finding.slice(0, 2)).toEqual(['duplicate-key', 'warning']);
    expect(finding[2]).toContain(
      'the env list written at line 14 sets LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/cuda/lib64, which the list kept does not, so the container runs without it; ' +
        "the dropped LD_LIBRARY_PATH held GKE's driver libraries (/usr/local/nvidia/lib64)",
    );
  });

  test('near miss: the kept list sets every variable of the dropped one: nothing said of lost variables', async () => {
    const [finding] = await found({
      'd.yaml': deployment('            - {name: VLLM_LOGGING_LEVEL, value: INFO}', '            - {name: VLLM_LOGGING_LEVEL, value: DEBUG}'),
    });
    expect(finding.slice(0, 2)).toEqual(['duplicate-key', 'warning']);
    expect(finding[2]).not.toContain('runs without');
  });
});
