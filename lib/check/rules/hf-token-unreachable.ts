import { mappings, text } from '../../manifests/access';
import { predictorAccountOf, secretHasKey } from '../predictor-account';
import { storageLocationOf } from '../serving-model';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { ContainerLine, workloadVllmLines } from '../workload-lines';
import { HF_TOKEN_KEY } from '../../k8s/keys';

/** Environment names the Hugging Face client reads a token from; setting one shows the model needs it. */
const TOKEN_ENV = new Set(['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']);

export const hfTokenUnreachable: Rule = {
  id: 'hf-token-unreachable',
  title:
    "a Hugging Face token does not reach the download of the model: a workload starts vLLM on a gated model with none, or an InferenceService's storage initializer cannot see the serving container's",
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a workload container that starts vLLM on a gated Hugging Face model (GATED_MODELS) by its hub id, with no token variable and no envFrom, not offline and no volume at a cache folder (it may hold the weights); for an InferenceService, the storage URI is hf:// and the serving container (or its runtime) sets HF_TOKEN or HUGGING_FACE_HUB_TOKEN; the predictor's ServiceAccount (`default` when serviceAccountName is unset) is judged by its Secrets when the tree defines it",
  example: '`storageUri: hf://meta-llama/Llama-3.1-8B-Instruct` with env `HF_TOKEN` from a Secret and no serviceAccountName',
  fix: "a workload: set HF_TOKEN from a Secret; an InferenceService: list the token's Secret (key HF_TOKEN) on a ServiceAccount and set spec.predictor.serviceAccountName to it",
  source:
    "KServe storage-initializer injector: download credentials come only from the Secrets of the predictor's ServiceAccount, default when unset (pkg/credentials CreateSecretVolumeAndEnv: " +
    "HF_TOKEN key); the init container does not inherit the serving container's env; a gated model then fails with 401",
  check(o, { graph }) {
    if (o.manifest.kind !== 'InferenceService') return workloadProblems(o.manifest);
    const uri = storageLocationOf(o.manifest);
    if (!uri?.startsWith('hf://')) return [];
    const env = mappings(graph.servingContainer(o)?.env).map((e) => text(e.name));
    const tokenEnv = env.find((n) => n !== undefined && TOKEN_ENV.has(n));
    if (!tokenEnv) return [];
    const acct = predictorAccountOf(graph, o.manifest);
    const fix = `list a Secret with the key ${HF_TOKEN_KEY} on a ServiceAccount and set spec.predictor.serviceAccountName to it`;
    if (!acct.account) {
      if (!acct.implicit || acct.ambiguous) return []; // the account lives outside the tree, or which one is not told: nothing to judge
      return [
        {
          message:
            `sets ${tokenEnv} on the serving container, but ${uri} is downloaded before vLLM starts by KServe's storage initializer, which reads a token ` +
            `only from the Secrets of the predictor's ServiceAccount: serviceAccountName is unset, so that is default, which the tree does not define; unless it lists a Secret with ${HF_TOKEN_KEY}, ` +
            `the download is anonymous and a gated model fails with 401: ${fix}`,
        },
      ];
    }
    const who = `ServiceAccount ${acct.name}${acct.implicit ? ' (serviceAccountName is unset, so KServe uses default)' : ''}`;
    if (!acct.secrets.length) {
      return [{ message: `${who} lists no Secrets, so the storage initializer downloads ${uri} anonymously: ${fix}` }];
    }
    // a listed Secret in the tree shows its keys: one without HF_TOKEN gives the initializer nothing
    if (acct.secretsInTree.length < acct.secrets.length || acct.secretsInTree.some((s) => secretHasKey(s, HF_TOKEN_KEY))) return [];
    return [
      {
        message: `no Secret of ${who} (${acct.secrets.join(', ')}) has the key ${HF_TOKEN_KEY}, the only key the storage initializer reads: ${fix}`,
      },
    ];
  },
};

/**
 * Hugging Face organisations and names whose repositories are gated: a download needs a token of an account that
 * accepted the licence, else huggingface_hub raises GatedRepoError (401). Meta's Llama repositories (meta-llama/*) and
 * Google's Gemma ones (google/gemma-*, google/medgemma-*) are all gated on the Hub.
 */
const GATED_MODELS = [/^meta-llama\//i, /^google\/(med)?gemma-/i];

/** Variables that keep huggingface_hub from the network: the weights must already be there, no token is asked for. */
const OFFLINE_ENV = ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'];

/** Whether a container may reach a token or already hold the weights: a token variable, envFrom, offline, or a volume at a cache folder. */
function mayHaveToken(c: ContainerLine): boolean {
  if (c.env.some((e) => TOKEN_ENV.has(e.name) || OFFLINE_ENV.includes(e.name)) || c.container.envFrom !== undefined) return true;
  return mappings(c.container.volumeMounts).some((m) => /(^|\/)\.cache(\/|$)|huggingface|models?(\/|$)/i.test(text(m.mountPath) ?? ''));
}

/** A workload's containers that start vLLM on a gated hub model with no token: the download fails with 401 at every start. */
function workloadProblems(m: Record<string, unknown>): Problem[] {
  return workloadVllmLines(m)
    .filter((c) => c.args.invoked && !c.args.unknown('--model'))
    .flatMap((c) => {
      const model = c.args.model();
      if (!model || !GATED_MODELS.some((g) => g.test(model)) || mayHaveToken(c)) return [];
      return [
        {
          severity: 'error' as const,
          message:
            `${c.where}: vLLM downloads ${model}, a gated Hugging Face model, with no token (neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN is set): ` +
            `the Hub answers 401 (GatedRepoError) and vLLM stops at start; set HF_TOKEN from a Secret (valueFrom.secretKeyRef) of an account that accepted the model's licence`,
        },
      ];
    });
}
