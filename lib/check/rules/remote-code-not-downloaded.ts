import * as path from 'path';
import { strings } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { templateContainers } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { tokensOf } from '../../manifests/script-commands';
import { workloadVllmLines } from '../workload-lines';
import { perText } from '../../private/run-memo';

/** Files a model's config.json auto_map names for --trust-remote-code (transformers dynamic_module_utils: `<module>.py` of the repository). */
const CODE_FILES = ['configuration_model.py', 'modeling_model.py', 'tokenization_model.py'];

/** One Hub download of a container's command: the repository, its --include patterns and its --local-dir. */
interface Download {
  readonly owner: GraphObject;
  readonly where: string;
  readonly repo?: string;
  readonly include: readonly string[];
  readonly localDir: string;
}

/** A glob as huggingface_hub's filter_repo_objects reads it (fnmatch: `*` and `?`, `[…]` sets). */
function globTest(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The downloads a command runs: `huggingface-cli download REPO [FILES] --include P… --local-dir DIR` or `hf download …`. */
function downloadsOf(text: string): Omit<Download, 'owner' | 'where'>[] {
  const out: Omit<Download, 'owner' | 'where'>[] = [];
  for (const segment of text.split(/&&|\|\||[;|\n]/)) {
    const words = tokensOf(segment);
    const at = words.findIndex((w, i) => (w.endsWith('huggingface-cli') || w === 'hf') && words[i + 1] === 'download');
    if (at < 0) continue;
    const rest = words.slice(at + 2);
    const include: string[] = [];
    let localDir: string | undefined;
    let repo: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      const [flag, attached] = rest[i].split(/=(.*)/s);
      if (flag === '--include') {
        if (attached !== undefined) include.push(attached);
        while (rest[i + 1] !== undefined && !rest[i + 1].startsWith('--')) include.push(rest[++i]);
      } else if (flag === '--local-dir') localDir = attached ?? rest[++i];
      else if (!rest[i].startsWith('-') && repo === undefined) repo = rest[i];
    }
    if (localDir && !/[$`]/.test(localDir)) out.push({ repo, include, localDir: path.posix.normalize(localDir).replace(/\/$/, '') });
  }
  return out;
}

/** The downloads of every container and init container of the tree's workloads, by namespace. */
function treeDownloads(graph: ObjectGraph): Download[] {
  return graph.once('remote-code-not-downloaded:downloads', () =>
    graph.objects
      .filter((o) => WORKLOAD_KINDS.includes(String(o.manifest.kind)))
      .flatMap((o) =>
        [
          ...containersOf(o.manifest).map((c) => ({ where: `${c.init ? 'init container' : 'container'} '${c.name}'`, container: c.container })),
          ...templateContainers(o.manifest),
        ].flatMap(({ where, container }) =>
          perText('hf-downloads', [...strings(container.command), ...strings(container.args)].join(' '), downloadsOf).map((d) => ({ ...d, owner: o, where })),
        ),
      ),
  );
}

/** Whether a download with --include patterns leaves out every Python file (no pattern matches a module's file name). */
function leavesOutCode(d: Download): boolean {
  return d.include.length > 0 && !d.include.some((p) => CODE_FILES.some((f) => globTest(p).test(f)));
}

export const remoteCodeNotDownloaded: Rule = {
  id: 'remote-code-not-downloaded',
  title: "vLLM serves a folder with --trust-remote-code that the tree's download step fills without the model's code files",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS],
  premise:
    "a container or init container of the tree (a Job, an initContainer) runs `huggingface-cli download` or `hf download` with --local-dir DIR and --include patterns none of which matches a .py file; a container of the same namespace visibly starts vLLM with --trust-remote-code and serves DIR or a folder below it; a warning, since the tree does not show the model's files: a model whose config.json auto_map names configuration_*.py or modeling_*.py needs them in DIR, one without auto_map does not",
  example:
    '`hf download microsoft/Phi-3-vision-128k-instruct --include "*.safetensors" "*.json" --local-dir /models/phi3v` then `--trust-remote-code` on `/models/phi3v`',
  fix: 'add "*.py" to the --include patterns (or drop --include), so that the code files config.json auto_map names are downloaded too',
  source:
    'huggingface_hub snapshot_download allow_patterns (--include, fnmatch) downloads only matching files; transformers dynamic_module_utils get_class_from_dynamic_module loads the auto_map module `<name>.py` from the model folder, so a folder without it fails to load (vLLM: "No module named …" / file not found) under --trust-remote-code',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const downloads = treeDownloads(graph).filter((d) => leavesOutCode(d) && graph.namespaceOf(d.owner.manifest) === ns);
    if (!downloads.length) return [];
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      const model = c.args.model();
      if (!c.args.invoked || !model || c.args.enabled('--trust-remote-code') !== true) return [];
      const served = path.posix.normalize(model).replace(/\/$/, '');
      const d = downloads.find((x) => served === x.localDir || served.startsWith(`${x.localDir}/`));
      if (!d) return [];
      return [
        {
          message:
            `${c.where} serves ${model} with --trust-remote-code, a folder ${graph.id(d.owner)} ${d.where} fills by downloading ${d.repo ?? 'a repository'} with --include ${d.include.join(' ')}, ` +
            `none of which matches a .py file: if the model's config.json names code in auto_map (configuration_*.py, modeling_*.py), the folder lacks it and vLLM fails to load the model; ` +
            `the tree does not show the model's files: add "*.py" to --include, or drop --trust-remote-code if the model needs no code of its own`,
        },
      ];
    });
  },
};
