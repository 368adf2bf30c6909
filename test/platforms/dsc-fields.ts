import { runChecks } from '../../lib';
import { dscFieldProblems } from '../../lib/check/dsc-fields';
import { Platform } from '../../lib/check/platform';

const REFUSAL = 'the server refuses it';

function dsc(version: string, components: Record<string, unknown>) {
  return { apiVersion: `datasciencecluster.opendatahub.io/${version}`, kind: 'DataScienceCluster', metadata: { name: 'default-dsc' }, spec: { components } };
}

/** Each problem as `severity field-or-message-start`. */
function judge(m: Record<string, unknown>, platform: Platform, assumedAmong?: readonly Platform[]) {
  return (dscFieldProblems(m, platform, assumedAmong, REFUSAL) ?? []).map((p) => ({ severity: p.severity ?? 'error', message: p.message }));
}

describe('DataScienceCluster components by API version and release', () => {
  test('v1 with the v2 pipelines key on 3.0: an error naming the v1 key', () => {
    const found = judge(dsc('v1', { aipipelines: { managementState: 'Managed' } }), 'rhoai-3.0');
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toContain("'spec.components.aipipelines'");
    expect(found[0].message).toContain('did you mean spec.components.datasciencepipelines?');
  });

  test('v2 with the v1 pipelines key: names aipipelines', () => {
    const found = judge(dsc('v2', { datasciencepipelines: { managementState: 'Managed' } }), 'rhoai-3.3');
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toContain('did you mean spec.components.aipipelines?');
  });

  test('v1 with datasciencepipelines and codeflare on 2.x, v2 with aipipelines on 3.0: silent', () => {
    expect(
      judge(dsc('v1', { datasciencepipelines: { managementState: 'Managed', devFlags: {} }, codeflare: { managementState: 'Managed' } }), 'rhoai-2'),
    ).toEqual([]);
    expect(judge(dsc('v2', { aipipelines: { managementState: 'Managed' }, trainer: { managementState: 'Removed' } }), 'rhoai-3.0')).toEqual([]);
  });

  test('v1 with aipipelines on 2.x: an error (no 2.x release has it)', () => {
    expect(judge(dsc('v1', { aipipelines: { managementState: 'Managed' } }), 'rhoai-2').map((f) => f.severity)).toEqual(['error']);
  });

  test('v2 with modelmeshserving on 3.0: an error that says ModelMesh was removed', () => {
    const found = judge(dsc('v2', { modelmeshserving: { managementState: 'Managed' } }), 'rhoai-3.0');
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toContain('ModelMesh serving was removed in OpenShift AI 3.0');
  });

  test('the release only assumed: a warning that says so where a release it may be has the key', () => {
    // 2.x's v1 kserve has serving; 3.x's has not
    const found = judge(dsc('v1', { kserve: { serving: { managementState: 'Managed' } } }), 'rhoai-3.0', ['rhoai-2', 'rhoai-3.0']);
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toContain('OpenShift AI 3.0 is assumed');
  });

  test('the release only assumed, but the key unknown on every release it may be: an error', () => {
    const components = { aipipelines: { managementState: 'Managed' }, distributedworkloads: { managementState: 'Managed' }, kserve: { serving: {} } };
    const among: Platform[] = ['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'];
    expect(judge(dsc('v1', components), 'rhoai-3.0', among).map((f) => [f.severity, f.message.split(':')[0]])).toEqual([
      ['error', "unknown field 'spec.components.aipipelines'"],
      ['error', "unknown field 'spec.components.distributedworkloads'"],
      ['error', "unknown field 'spec.components.kserve.serving'"],
    ]);
    // with 2.x among them, kserve.serving (a 2.x field) depends on the guess; the v2 key modelmeshserving on every 3.x is refused
    expect(judge(dsc('v1', components), 'rhoai-3.0', ['rhoai-2', ...among]).map((f) => f.severity)).toEqual(['error', 'error', 'warning']);
    expect(judge(dsc('v2', { modelmeshserving: {} }), 'rhoai-3.0', among).map((f) => f.severity)).toEqual(['error']);
  });

  test('a key of a newer release: a warning naming it', () => {
    const found = judge(dsc('v2', { sparkoperator: { managementState: 'Managed' } }), 'rhoai-3.3');
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toContain('It is a field of OpenShift AI 3.4');
    expect(judge(dsc('v2', { sparkoperator: { managementState: 'Managed' } }), 'rhoai-3.4')).toEqual([]);
  });

  test("2.x kserve fields on 3.4 v2: each an error that names them 2.x's", () => {
    const found = judge(
      dsc('v2', { kserve: { managementState: 'Managed', defaultDeploymentMode: 'Serverless', serving: { managementState: 'Managed' } } }),
      'rhoai-3.4',
    );
    expect(found.map((f) => [f.severity, f.message.split(':')[0]])).toEqual([
      ['error', "unknown field 'spec.components.kserve.defaultDeploymentMode'"],
      ['error', "unknown field 'spec.components.kserve.serving'"],
    ]);
    expect(found[1].message).toContain('serving is a 2.x field, removed in 3.0');
  });

  test('kserve modelsAsService: a warning on 3.0 (3.3 has it), silent on 3.3', () => {
    expect(judge(dsc('v2', { kserve: { modelsAsService: {} } }), 'rhoai-3.0').map((f) => f.severity)).toEqual(['warning']);
    expect(judge(dsc('v2', { kserve: { modelsAsService: {} } }), 'rhoai-3.3')).toEqual([]);
  });

  test('v1 on 3.x keeps modelmeshserving in its schema, but Managed it is ignored: a warning; Removed is silent', () => {
    const found = judge(dsc('v1', { modelmeshserving: { managementState: 'Managed' } }), 'rhoai-3.3');
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toContain('its operator drops it when it converts the DataScienceCluster to v2');
    expect(judge(dsc('v1', { modelmeshserving: { managementState: 'Removed' } }), 'rhoai-3.3')).toEqual([]);
    expect(judge(dsc('v1', { modelmeshserving: { managementState: 'Managed' } }), 'rhoai-2')).toEqual([]);
  });

  test('DSCInitialization v2 has no serviceMesh; v1 has it', () => {
    const dsci = (version: string) => ({
      apiVersion: `dscinitialization.opendatahub.io/${version}`,
      kind: 'DSCInitialization',
      spec: { applicationsNamespace: 'x', serviceMesh: {} },
    });
    expect(judge(dsci('v2'), 'rhoai-3.0').map((f) => f.message.slice(0, 35))).toEqual(["unknown field 'spec.serviceMesh': n"]);
    expect(judge(dsci('v1'), 'rhoai-3.0')).toEqual([]);
  });

  test('not judged: upstream KServe, v2 on 2.x, other kinds', () => {
    expect(dscFieldProblems(dsc('v2', { x: {} }), 'kserve', undefined, REFUSAL)).toBeUndefined();
    expect(dscFieldProblems(dsc('v2', { x: {} }), 'rhoai-2', undefined, REFUSAL)).toBeUndefined();
    expect(dscFieldProblems({ ...dsc('v1', { x: {} }), kind: 'Other' }, 'rhoai-3.0', undefined, REFUSAL)).toBeUndefined();
  });
});

test('a key only a newer release than those judged has (ogx, Open Data Hub 3.5): a warning naming it, on 3.4 too', () => {
  const found = dscFieldProblems(dsc('v2', { ogx: { managementState: 'Managed' } }), 'rhoai-3.4', undefined, REFUSAL) ?? [];
  expect(found.map((f) => f.severity)).toEqual(['warning']);
  expect(found[0].message).toContain('It is a field of Open Data Hub 3.5');
  expect((dscFieldProblems(dsc('v2', { ogxx: {} }), 'rhoai-3.4', undefined, REFUSAL) ?? []).map((f) => f.severity ?? 'error')).toEqual(['error']);
});

test('inferred as 3.3 or newer (candidates up to 3.4): a key of a newer release is a warning that the tree may target it, not that the object is refused', () => {
  const found = dscFieldProblems(dsc('v2', { ogx: { managementState: 'Managed' } }), 'rhoai-3.3', undefined, REFUSAL, ['rhoai-3.3', 'rhoai-3.4']) ?? [];
  expect(found.map((f) => f.severity)).toEqual(['warning']);
  expect(found[0].message).toContain('schema of the OpenShift AI releases this tool knows (up to OpenShift AI 3.4), but Open Data Hub 3.5 has it');
  expect(found[0].message).toContain("the tree's release is inferred as OpenShift AI 3.3 or newer");
  expect(found[0].message).not.toContain(REFUSAL);
  // near misses: a key no release has stays an error; inferred among releases that stop before the newest, the refusal is said
  expect(
    (dscFieldProblems(dsc('v2', { ogxx: {} }), 'rhoai-3.3', undefined, REFUSAL, ['rhoai-3.3', 'rhoai-3.4']) ?? []).map((f) => f.severity ?? 'error'),
  ).toEqual(['error']);
  const capped = dscFieldProblems(dsc('v2', { ogx: { managementState: 'Managed' } }), 'rhoai-3.3', undefined, REFUSAL, ['rhoai-3.3']) ?? [];
  expect(capped[0].message).toContain(REFUSAL);
});

describe('several DataScienceClusters in one input', () => {
  // a cluster holds one DataScienceCluster: a tree with one file per release keeps alternatives
  const { runChecks } = require('../../lib') as typeof import('../../lib');
  const findings = (docs: Record<string, unknown>[]) =>
    runChecks(
      docs.map((manifest, i) => ({ manifest, file: `dsc-${i}.yaml` })),
      { platform: 'rhoai-3.3' },
    )
      .filter((f) => f.rule === 'field-unknown')
      .map((f) => [f.severity, f.message]);

  test('one declaration: an error; two (one per release): warnings that say they are alternatives', () => {
    const v2 = dsc('v2', { aipipelines: { managementState: 'Managed' }, codeflare: { managementState: 'Managed' } });
    expect(findings([v2]).map(([severity]) => severity)).toEqual(['error']);
    const v1 = dsc('v1', { datasciencepipelines: { managementState: 'Managed' } });
    expect(findings([v2, v1])).toEqual([
      ['warning', expect.stringMatching(/codeflare.*\(the input declares 2 DataScienceClusters and a cluster holds one: judged as one of alternatives\)$/)],
    ]);
  });
});

describe('field-unknown on a DataScienceCluster where the platform is only assumed among the releases the tree leaves', () => {
  // a stable-3.x channel leaves OpenShift AI 3.0, 3.3 and 3.4, of which 3.0 (the default) is assumed
  const subscription = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'rhods-operator', namespace: 'redhat-ods-operator' },
    spec: { name: 'rhods-operator', channel: 'stable-3.x', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
  };
  const found = (components: Record<string, unknown>) =>
    runChecks([{ manifest: subscription }, { manifest: dsc('v1', components) }], { rules: ['field-unknown'] }).map((f) => [
      f.severity,
      f.message.split(':')[0],
    ]);

  test('a key no 3.x release has is an error; one 2.x has would be a warning only with 2.x among them', () => {
    expect(found({ distributedworkloads: { managementState: 'Managed' }, kserve: { serving: {} } })).toEqual([
      ['error', "unknown field 'spec.components.distributedworkloads'"],
      ['error', "unknown field 'spec.components.kserve.serving'"],
    ]);
  });
});

describe('DataScienceCluster spec keys beside components', () => {
  test('a key the spec does not have (enableComponentMonitoring), in v1 on 2.x and v2 on 3.x: an error', () => {
    const withKey = (version: string) => ({
      ...dsc(version, { dashboard: { managementState: 'Managed' } }),
      spec: { components: {}, enableComponentMonitoring: true },
    });
    for (const [version, platform] of [
      ['v1', 'rhoai-2'],
      ['v2', 'rhoai-3.0'],
    ] as const) {
      const found = judge(withKey(version), platform);
      expect(found.map((f) => f.severity)).toEqual(['error']);
      expect(found[0].message).toContain("unknown field 'spec.enableComponentMonitoring'");
    }
  });

  test('components alone: silent', () => {
    expect(judge(dsc('v1', { dashboard: { managementState: 'Managed' } }), 'rhoai-2')).toEqual([]);
  });
});
