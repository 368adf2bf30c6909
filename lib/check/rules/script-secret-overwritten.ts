import { mapping, text } from '../../manifests/access';
import type { ScriptCreated } from '../../manifests/script-creations';
import { GraphObject } from '../graph-object';
import { Applied, appliesObject } from '../script-delivery';
import { Problem, Rule } from '../rule';

/** The values of a Secret manifest, each key with its value as written, for the message (a few, shortened). */
function valuesShown(o: GraphObject): string {
  const pairs = [
    ...Object.entries(mapping(o.manifest.stringData)).map(([k, v]) => `${k}: '${String(v)}'`),
    ...Object.keys(mapping(o.manifest.data)).map((k) => `${k} (data)`),
  ];
  return pairs.length ? ` (${pairs.slice(0, 3).join(', ')}${pairs.length > 3 ? ', …' : ''})` : '';
}

/** A Markdown guide: its commands are steps a reader runs, not a script run in order. */
const MARKDOWN = /\.(md|markdown)$/i;

/** The finding: the create command, the later apply of the file, and which namespace each is in. */
function overwritten(o: GraphObject, created: ScriptCreated, by: Applied, ns: string | undefined): Problem {
  const same = ns !== undefined && created.namespace !== undefined;
  const guide = MARKDOWN.test(created.script);
  const where = same
    ? `in namespace '${ns}'`
    : `where both land in the same namespace (${ns === undefined ? 'the file and the apply name none' : 'the create command names none'}: the kubeconfig context's decides)`;
  // a guide's reader may run the two steps as written, or only one of them: what happens depends on the reader
  const steps = guide ? ', for a reader who runs both steps as written' : '';
  return {
    ...(same && !guide ? {} : { severity: 'warning' as const }),
    message:
      `${created.file ?? created.script}:${created.line} creates Secret '${created.name}' (\`${created.command ?? 'create secret'}\`), and line ${by.line} then applies this file's Secret of the same name ` +
      `(\`${by.command}\`) ${where}${steps}: kubectl apply patches the existing Secret with this manifest, so its values${valuesShown(o)} replace the ones the create command made; ` +
      `keep the file out of what the apply reads (move it out of the folder, or name it so \`kubectl apply -f\` skips it: it reads only .yaml, .yml and .json files), apply only the files needed, or drop the create command and fill this Secret instead`,
  };
}

export const scriptSecretOverwritten: Rule = {
  id: 'script-secret-overwritten',
  title: 'a script or README creates a Secret imperatively, then applies a file or folder that holds a Secret of the same name: the apply replaces its values',
  severity: 'error',
  appliesTo: ['Secret'],
  premise:
    "a script, Makefile or README (its fenced blocks) of the tree runs `kubectl|oc create secret … NAME` (values generated or given on the command line) and, later in the same file, `kubectl|oc apply -f` a file or folder (-R: and its subfolders) or `-k` a kustomization of the tree that holds a Secret NAME; the create command's -n and the Secret's namespace (or the apply's -n) are the same: an error for a script, which runs both; a warning where either names none (the kubeconfig context's namespace decides), and for a README, whose steps a reader runs by choice; not judged: a README whose prose offers the two as alternatives ('Or apply secret.yaml after replacing the placeholder' after the create step; 'Alternatively', '(Alternative)' or 'Or use Kustomize' before the apply step), a Secret made from a heredoc, one the apply reads before the create command (the create then fails with AlreadyExists), or a Secret of another name or namespace",
  example:
    '`kubectl -n llm create secret generic vllm-secrets --from-literal=VLLM_API_KEY=$(openssl rand -hex 32)` in a deploy script, then `kubectl apply -f manifests/` whose folder holds Secret vllm-secrets with a placeholder',
  fix: 'keep the example Secret out of the applied folder (move it, or rename it secret.yaml.example), apply only the files needed, or drop the create command and fill the Secret of the folder instead',
  source:
    'kubectl pkg/cmd/apply/apply.go (an object without the last-applied-configuration annotation is patched with the manifest: "The missing annotation will be patched automatically") and a Secret\'s stringData is merged into data by the API server (pkg/apis/core/v1 conversion), so the file\'s keys replace the created values',
  check(o, { graph }) {
    const name = text(mapping(o.manifest.metadata).name);
    const own = text(mapping(o.manifest.metadata).namespace);
    for (const created of graph.scriptCreated) {
      if (created.kind !== 'Secret' || created.name !== name || created.heredoc || !created.file) continue;
      const by = graph.scriptApplied.find((a) => (a as Applied).file === created.file && a.line > created.line && appliesObject(a, o));
      // a guide that offers the two steps as alternatives ("Or apply secret.yaml after replacing the placeholder") has its reader run one
      if (!by || created.otherOffered || by.offeredInstead) continue;
      const ns = own ?? by.namespace;
      if (ns !== undefined && created.namespace !== undefined && ns !== created.namespace) continue;
      return [overwritten(o, created, by, ns)];
    }
    return [];
  },
};
