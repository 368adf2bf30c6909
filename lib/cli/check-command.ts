import { parseArgs } from 'util';
import { runChecks } from '../check/engine';
import { normalizeUri } from '../check/graph';
import { choosePlatform, Platform, PLATFORMS, PROJECT_FILE } from '../check/platform';
import { REGISTERED_RULES } from '../check/registry';
import { countsLine, textRows } from '../check/summary';
import { readManifests } from '../manifests/read-manifests';
import { ModelProfile } from '../planning/model-profile';
import { isDnsLabel } from '../private/names';
import { Command, InputError, noObjectsRead, requireInputPaths, UsageError } from './command';
import { kustomizeBuilder } from './kustomize-build';
import { FINDING_FORMATS, FindingFormat, inputFindings, writeFindings } from './output/findings';
import { renderTable } from './output/table';
import { SUMMARIES } from './summaries';

export const checkCommand: Command = {
  name: 'check',
  summary: SUMMARIES.check,
  usage: `cdk8s-vllm check <path>... [--namespace <ns>] [--platform <p>] [--model <storageUri>=<dir>]... [--format table|json|sarif] [--wide] [--allow-empty] [--verbose] [--rules]

  Reads the paths (files, folders, or - for a multi-document stream on standard input, as from kubectl kustomize).
  A folder with a kustomization.yaml is read as kustomize builds it: its resources, recursively, with its namespace;
  patches that name their target by kind and name are applied, what kustomize refuses is an error, and remote
  bases and fields check does not apply (generators, name prefixes) are reported. Other folders
  are read whole (*.yaml, *.yml). References are resolved across everything read, and the rules run (--rules lists
  them).

  --namespace <ns>      namespace of objects that name none (as kubectl -n; default: whatever their delivery gives
                        them, so references to and from them match any namespace)
  --platform <p>        ${PLATFORMS.join(', ')}: deployment-mode names, API versions and what is available.
                        When not given: the project default in ${PROJECT_FILE} ({"platform": "<p>"}) in the checked
                        folder or above it (up to the repository root), else what the tree tells (deployment-mode
                        names, Kueue, LLMInferenceService and HardwareProfile versions), else rhoai-3.0; the
                        output says which platform was used and why
  --kustomize <tool>    build each kustomization root with the real kustomize and check its output, so patches,
                        generators, images and Helm charts count exactly: kubectl (kubectl kustomize), oc, or
                        kustomize (kustomize build); a root that does not build is an error
  --model <uri>=<dir>   the model stored at <uri> is described by the config.json (and model.safetensors.index.json)
                        in <dir>; needed only for services whose manifests record no cdk8s-vllm.io/model-profile
  --format <f>          table (default), json ({"platform":{"id","source","reason"},"findings":[{"rule","severity",
                        "object","message","file","line","summary","acknowledged"}]}, the shape validate prints;
                        keys without a value are left out) or sarif (SARIF 2.1.0, for code scanning); --json is
                        --format json
  --wide                table lines in full; by default the message column wraps to the terminal's width (100
                        when the output is not a terminal), its continuation lines indented under it
  --allow-empty         an input with no Kubernetes object passes (by default it is an input error, exit 2: an
                        empty folder or stream, or a render that failed upstream in a pipe)
  --verbose             list each of the findings that say the same thing of many objects (model unknown, GPU fit
                        not checked, …) instead of one line with their count (JSON and SARIF list each; JSON marks
                        them with their "summary")
  --rules               list the rules (with --json or --format json: their metadata) and exit

  Findings acknowledged on an object (annotation checks.cdk8s-vllm.io/<rule>: <reason>) print as warnings.
  Exit code 0 when no error remains, 1 when one does, 2 on a usage error or an input with no object (a missing path,
  an empty folder).`,
  run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        wide: { type: 'boolean' },
        rules: { type: 'boolean' },
        format: { type: 'string' },
        namespace: { type: 'string' },
        platform: { type: 'string' },
        kustomize: { type: 'string' },
        'allow-empty': { type: 'boolean' },
        verbose: { type: 'boolean' },
      },
    });
    const format = values.format ?? (values.json ? 'json' : 'table');
    if (!(FINDING_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${FINDING_FORMATS.join(', ')}, got '${format}'`);
    if (values.rules) {
      if (format === 'table')
        io.out(
          `${renderTable(
            ['RULE', 'SEVERITY', 'CATCHES'],
            REGISTERED_RULES.map((r) => [r.id, r.severity, r.title]),
            { wide: values.wide, columns: io.columns },
          )}\n`,
        );
      else
        io.out(
          `${JSON.stringify({ rules: REGISTERED_RULES.map(({ id, title, severity, appliesTo, premise, example, fix, source }) => ({ id, title, severity, appliesTo, premise, example, fix, source })) }, null, 2)}\n`,
        );
      return 0;
    }
    const platform = values.platform;
    if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform))
      throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}, got '${platform}'`);
    if (values.namespace !== undefined && !isDnsLabel(values.namespace))
      throw new UsageError(`--namespace '${values.namespace}' is not a namespace name (lowercase letters, digits and '-')`);
    if (!positionals.length) throw new UsageError('give at least one file or folder to check, or - for standard input');
    requireInputPaths(positionals);
    const models = new Map<string, ModelProfile>();
    for (const spec of values.model ?? []) {
      const i = spec.indexOf('=', spec.indexOf('://') + 3);
      if (!spec.includes('://') || i < 0)
        throw new UsageError(`--model '${spec}' must be <storageUri>=<dir>, e.g. s3://models/mistral-small-24b/=./models/mistral`);
      try {
        models.set(normalizeUri(spec.slice(0, i)), ModelProfile.fromDirectory(spec.slice(i + 1)));
      } catch (e) {
        throw new InputError(`--model ${spec}: ${(e as Error).message}`);
      }
    }
    const build = values.kustomize === undefined ? undefined : kustomizeBuilder(values.kustomize);
    const { manifests, errors, folders, leftOut } = readManifests(positionals, { stdin: (max) => io.stdin(max), ...(build ? { build } : {}) });
    if (!manifests.length && !values['allow-empty']) throw noObjectsRead(positionals, errors);
    let chosen;
    try {
      chosen = choosePlatform(manifests, platform as Platform | undefined, positionals);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const findings = [...inputFindings(errors), ...runChecks(manifests, { models, namespace: values.namespace, platform: chosen.platform, folders, leftOut })];
    const platformLine = `platform: ${chosen.platform} (${chosen.reason})`;
    const errorCount = findings.filter((f) => f.severity === 'error').length;
    writeFindings(
      io,
      format as FindingFormat,
      {
        findings,
        platform: { id: chosen.platform, source: chosen.source, reason: chosen.reason },
        rules: REGISTERED_RULES,
        table: {
          header: ['SEVERITY', 'RULE', 'OBJECT', 'MESSAGE'],
          rows: textRows(findings, values.verbose === true),
          footer: `${countsLine(findings, manifests.length)}\n${platformLine}`,
          empty: `no findings in ${manifests.length} object(s)\n${platformLine}`,
        },
      },
      { wide: values.wide },
    );
    return errorCount ? 1 : 0;
  },
};
