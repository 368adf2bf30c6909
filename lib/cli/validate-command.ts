import { parseArgs } from 'util';
import { readManifests } from '../manifests/read-manifests';
import { SchemaValidator } from '../validation/schema-validator';
import { DEFAULT_PLATFORM_ID, isPlatformId, PLATFORM_IDS, PlatformId, PLATFORMS } from '../platform/platform';
import { choosePlatform } from '../check/platform';
import { Command, InputError, isFileSystemError, noObjectsRead, requireInputPaths, UsageError } from './command';
import { kustomizeBuilder } from './kustomize-build';
import { table } from './table';
import { SUMMARIES } from './summaries';

export const validateCommand: Command = {
  name: 'validate',
  summary: SUMMARIES.validate,
  usage: `cdk8s-vllm validate <path>... [--platform <p>] [--crds <dir>] [--kustomize <tool>] [--json] [--allow-empty]

  Reads the paths as check does (folders with a kustomization.yaml as kustomize builds them, - for standard input) and checks
  each object against the schema of its kind: built-in kinds against Kubernetes 1.33, custom resources against their
  CRD. Unknown fields, wrong types, bad quantities, missing required fields and wrong namespace scope are errors.

  --platform <p>      ${PLATFORM_IDS.join(', ')}: the KServe, Kueue, MachineSet, HardwareProfile and Argo CD CRDs
                      of that platform (the README's platform table). When not given, chosen as check chooses it:
                      the project default in .cdk8s-vllm.json, else what the tree tells, else ${DEFAULT_PLATFORM_ID}
  --crds <dir>        also read CustomResourceDefinitions (YAML or JSON, or the shipped schemas/crds format) from this
                      folder, beside the platform's shipped schemas; a kind defined there replaces the shipped one
  --kustomize <tool>  build each kustomization root with the real kustomize (kubectl, oc or kustomize) and validate
                      its output, patches and generators applied
  --json              print {"findings":[{"object","file","field","message"}]}
  --allow-empty       an input with no Kubernetes object passes (by default it is an input error, exit 2)

  Exit code 0 when every object conforms, 1 when one does not, 2 on a usage or input error (a missing path, an
  input with no object, an unreadable --crds folder).`,
  run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        crds: { type: 'string' },
        json: { type: 'boolean' },
        kustomize: { type: 'string' },
        platform: { type: 'string' },
        'allow-empty': { type: 'boolean' },
      },
    });
    if (!positionals.length) throw new UsageError('give at least one file or folder to validate');
    if (values.platform !== undefined && !isPlatformId(values.platform))
      throw new UsageError(`--platform must be one of ${PLATFORM_IDS.join(', ')}, got '${values.platform}'`);
    requireInputPaths(positionals);
    if (values.crds !== undefined) requireInputPaths([values.crds]);
    const build = values.kustomize === undefined ? undefined : kustomizeBuilder(values.kustomize);
    const { manifests, errors } = readManifests(positionals, { stdin: (max) => io.stdin(max), ...(build ? { build } : {}) });
    if (!manifests.length && !values['allow-empty']) throw noObjectsRead(positionals, errors);
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
    const findings = [
      ...errors
        .filter((e) => e.severity === 'error')
        .map((e) => ({ object: '-', file: e.line ? `${e.file}:${e.line}` : e.file, field: '', message: e.message })),
      ...manifests.flatMap((m) => validator.validate(m.manifest, m.file)),
    ];
    const against = ` (schemas of ${PLATFORMS[platform].label}: ${reason}${values.crds === undefined ? '' : `, and the CRDs in ${values.crds}`})`;
    if (values.json) {
      io.out(JSON.stringify({ platform: { id: platform, source: chosen.source, reason }, findings }) + '\n');
    } else if (findings.length) {
      io.out(
        table(
          ['OBJECT', 'FILE', 'FIELD', 'PROBLEM'],
          findings.map((f) => [f.object, f.file ?? '', f.field, f.message]),
        ) + '\n',
      );
      io.out(`\n${findings.length} problem(s) in ${manifests.length} object(s)${against}\n`);
    } else {
      io.out(`${manifests.length} object(s) conform${against}\n`);
    }
    return findings.length ? 1 : 0;
  },
};

/** The platform's shipped schemas plus those of --crds; a folder that holds no CRD, or one that does not parse, is an input error. */
function crdValidator(crdDir: string | undefined, platform: PlatformId): SchemaValidator {
  try {
    return new SchemaValidator({ crdDir, platform });
  } catch (e) {
    if (crdDir === undefined || isFileSystemError(e)) throw e;
    throw new InputError(`--crds ${crdDir}: ${(e as Error).message}`);
  }
}
