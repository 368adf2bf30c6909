import { readManifests } from '../manifests/read-manifests';
import { RuleMetadata } from '../check/rule';
import { SchemaValidator } from '../validation/schema-validator';
import { DEFAULT_PLATFORM_ID, isPlatformId, PLATFORM_IDS, PlatformId, PLATFORMS } from '../platform/platform';
import { choosePlatform } from '../check/platform';
import { Command, InputError, isFileSystemError, judgedWithoutObjects, noObjectsRead, requireInputPaths, UsageError } from './command';
import { findingFormatOf, findingFormatOptions, wideOption } from './finding-options';
import { kustomizeBuilder } from './kustomize-build';
import { inputFindings, OutputFinding, writeFindings } from './output/findings';
import { defineCommand } from './options';

/** The rule id of a schema violation in validate's findings: one id, the field says where. */
export const SCHEMA_RULE = 'schema-violation';

/** A schema violation, as SARIF describes the rule. */
const SCHEMA_RULE_METADATA: RuleMetadata = {
  id: SCHEMA_RULE,
  title: 'an object that does not conform to the schema of its kind (Kubernetes 1.33, or the CRD that defines it)',
  severity: 'error',
  appliesTo: ['(every kind with a schema)'],
  premise: 'the kind is built in, or defined by a CRD of the platform or of --crds',
  example: "a ConfigMap whose data holds a number (data.k: 1): 'data.k' must be of type string",
  fix: 'correct the field the finding names',
  source: 'the API server validates every object against the OpenAPI schema of its kind and refuses (or, for unknown fields, drops) what does not conform',
};

/**
 * What validate reports, for SARIF: schema violations and the reader's input findings. The registry loads every check
 * rule, so only SARIF, which describes the rules, loads it.
 */
async function validateRules(): Promise<RuleMetadata[]> {
  const { INPUT_RULES } = await import('../check/registry');
  return [SCHEMA_RULE_METADATA, ...INPUT_RULES];
}

export const validateCommand: Command = defineCommand({
  name: 'validate',
  synopsis: ['validate <path>... [options]'],
  usage: [
    `  Reads the paths as check does (folders with a kustomization.yaml as kustomize builds them, - for standard input) and checks
  each object against the schema of its kind: built-in kinds against Kubernetes 1.33, custom resources against their
  CRD. Unknown fields, wrong types, bad quantities, missing required fields and wrong namespace scope are errors.`,
    {
      platform: {
        type: 'string',
        value: '<p>',
        help:
          `${PLATFORM_IDS.join(', ')}: the KServe, Kueue, MachineSet, HardwareProfile and Argo CD CRDs of that platform (the ` +
          "README's platform table). When not given, chosen as check chooses it: the project default in .cdk8s-vllm.json, " +
          `else what the tree tells, else ${DEFAULT_PLATFORM_ID}`,
      },
      crds: {
        type: 'string',
        value: '<dir>',
        help:
          'also read CustomResourceDefinitions (YAML or JSON, or the shipped schemas/crds format) from this folder, beside the ' +
          "platform's shipped schemas; a kind defined there replaces the shipped one",
      },
      kustomize: {
        type: 'string',
        value: '<tool>',
        help: 'build each kustomization root with the real kustomize (kubectl, oc or kustomize) and validate its output, patches and generators applied',
      },
      ...findingFormatOptions(
        '{"platform": {"id", "source", "reason"}, "findings": [{"rule", "severity", "object", "message", "file", "line", "field"}]}, ' +
          `the shape check prints: rule ${SCHEMA_RULE} (or unreadable-input for a file not read), severity error; keys without a value are left out`,
      ),
      ...wideOption('problem'),
      'allow-empty': { type: 'boolean', help: 'an input with no Kubernetes object passes (by default it is an input error, exit 2)' },
    },
    `  Exit code 0 when every object conforms, 1 when one does not or a kustomization does not build, 2 on a usage or
  input error (a missing path, an input with no object, an unreadable --crds folder).`,
  ],
  positionals: true,
  async run({ values, positionals }, io) {
    const format = findingFormatOf(values);
    if (!positionals.length) throw new UsageError('give at least one file or folder to validate');
    if (values.platform !== undefined && !isPlatformId(values.platform))
      throw new UsageError(`--platform must be one of ${PLATFORM_IDS.join(', ')}, got '${values.platform}'`);
    requireInputPaths(positionals);
    if (values.crds !== undefined) requireInputPaths([values.crds]);
    const build = values.kustomize === undefined ? undefined : kustomizeBuilder(values.kustomize);
    const { manifests, errors, skipped } = readManifests(positionals, { stdin: (max) => io.stdin(max), ...(build ? { build } : {}) });
    if (!manifests.length && !values['allow-empty'] && !judgedWithoutObjects(errors)) throw noObjectsRead(positionals, errors, skipped);
    // as check chooses it: the flag, the project default beside the tree, what the tree tells, else the default
    let chosen;
    try {
      chosen = choosePlatform(manifests, values.platform, positionals);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    // OpenShift AI 2.x has no schema set here: its trees are read against 3.0's, and the output says so
    const platform: PlatformId = chosen.platform === 'rhoai-2' ? DEFAULT_PLATFORM_ID : chosen.platform;
    const reason = chosen.platform === 'rhoai-2' ? `${chosen.reason}; no OpenShift AI 2.x schemas: ${DEFAULT_PLATFORM_ID}'s used` : chosen.reason;
    const validator = crdValidator(values.crds, platform);
    const findings: OutputFinding[] = [
      ...inputFindings(errors.filter((e) => e.severity === 'error')),
      ...manifests.flatMap((m) =>
        validator.validate(m.manifest, m.file).map((f) => ({ rule: SCHEMA_RULE, severity: 'error' as const, ...f, file: m.file, line: m.line })),
      ),
    ];
    const against = ` (schemas of ${PLATFORMS[platform].label}: ${reason}${values.crds === undefined ? '' : `, and the CRDs in ${values.crds}`})`;
    const at = (f: OutputFinding) => (f.file && f.line ? `${f.file}:${f.line}` : (f.file ?? ''));
    writeFindings(
      io,
      format,
      {
        findings,
        platform: { id: platform, source: chosen.source, reason },
        rules: format === 'sarif' ? await validateRules() : [],
        table: {
          header: ['OBJECT', 'FILE', 'FIELD', 'PROBLEM'],
          rows: findings.map((f) => [f.rule === SCHEMA_RULE ? f.object : '-', at(f), f.field ?? '', f.message]),
          footer: `${findings.length} problem(s) in ${manifests.length} object(s)${against}`,
          empty: `${manifests.length} object(s) conform${against}`,
        },
      },
      { wide: values.wide },
    );
    return findings.length ? 1 : 0;
  },
});

/** The platform's shipped schemas plus those of --crds; a folder that holds no CRD, or one that does not parse, is an input error. */
function crdValidator(crdDir: string | undefined, platform: PlatformId): SchemaValidator {
  try {
    return new SchemaValidator({ crdDir, platform });
  } catch (e) {
    if (crdDir === undefined || isFileSystemError(e)) throw e;
    throw new InputError(`--crds ${crdDir}: ${(e as Error).message}`);
  }
}
