import { parseArgs } from 'util';
import { readManifests } from '../manifests/read-manifests';
import { SchemaValidator } from '../validation/schema-validator';
import { DEFAULT_PLATFORM_ID, isPlatformId, PLATFORM_IDS, PLATFORMS } from '../platform/platform';
import { Command, UsageError } from './command';
import { kustomizeBuilder } from './kustomize-build';
import { table } from './table';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check every manifest under the paths strictly against its schema (Kubernetes 1.33 and the CRDs)',
  usage: `cdk8s-vllm validate <path>... [--platform <p>] [--crds <dir>] [--kustomize <tool>] [--json]

  Reads the paths as check does (folders with a kustomization.yaml as kustomize builds them, - for standard input) and checks
  each object against the schema of its kind: built-in kinds against Kubernetes 1.33, custom resources against their
  CRD. Unknown fields, wrong types, bad quantities, missing required fields and wrong namespace scope are errors.

  --platform <p>      ${PLATFORM_IDS.join(', ')} (default ${DEFAULT_PLATFORM_ID}): the KServe, Kueue, MachineSet,
                      HardwareProfile and Argo CD CRDs of that platform (see the README's platform table)
  --crds <dir>        read CustomResourceDefinitions from this folder instead of the schemas shipped with cdk8s-vllm
  --kustomize <tool>  build each kustomization root with the real kustomize (kubectl, oc or kustomize) and validate
                      its output, patches and generators applied
  --json              print {"findings":[{"object","file","field","message"}]}

  Exit code 1 when any object does not conform.`,
  run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { crds: { type: 'string' }, json: { type: 'boolean' }, kustomize: { type: 'string' }, platform: { type: 'string' } },
    });
    if (!positionals.length) throw new UsageError('give at least one file or folder to validate');
    const platform = values.platform ?? DEFAULT_PLATFORM_ID;
    if (!isPlatformId(platform)) throw new UsageError(`--platform must be one of ${PLATFORM_IDS.join(', ')}, got '${platform}'`);
    if (values.platform !== undefined && values.crds !== undefined)
      throw new UsageError("give --platform or --crds, not both: --crds replaces the platform's CRDs");
    const build = values.kustomize === undefined ? undefined : kustomizeBuilder(values.kustomize);
    const { manifests, errors } = readManifests(positionals, { stdin: () => io.stdin(), ...(build ? { build } : {}) });
    const validator = new SchemaValidator({ crdDir: values.crds, platform });
    const findings = [
      ...errors
        .filter((e) => e.severity === 'error')
        .map((e) => ({ object: '-', file: e.line ? `${e.file}:${e.line}` : e.file, field: '', message: e.message })),
      ...manifests.flatMap((m) => validator.validate(m.manifest, m.file)),
    ];
    const against = values.crds === undefined ? ` (schemas of ${PLATFORMS[platform].label})` : ` (CRDs in ${values.crds})`;
    if (values.json) {
      io.out(JSON.stringify({ platform: values.crds === undefined ? platform : null, findings }) + '\n');
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
