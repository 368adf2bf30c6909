import { mappings, text } from '../../manifests/access';
import { predictorAccountOf, secretHasKey } from '../predictor-account';
import { storageLocationOf } from '../serving-model';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import type { ObjectGraph } from '../graph';
import type { Loose } from '../../manifests/access';
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
    "a workload container that starts vLLM on a gated Hugging Face model (GATED_MODELS: meta-llama/*, google/gemma-*, google/medgemma-*, as the Hub's model API marks them gated) by its hub id, with no token variable and no envFrom, not offline and no volume at a cache folder (it may hold the weights); for an InferenceService, the storage URI is hf:// and the serving container (or its runtime) sets HF_TOKEN or HUGGING_FACE_HUB_TOKEN, or sets neither while the repository is gated (an error unless the predictor's ServiceAccount is outside the tree or lists Secrets outside it); the predictor's ServiceAccount (`default` when serviceAccountName is unset) is judged by its Secrets when the tree defines it",
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
    if (!tokenEnv) return gatedWithoutToken(graph, o.manifest, uri);
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
 * Google's Gemma ones (google/gemma-*, google/medgemma-*) are all gated on the Hub: the Hub's model API
 * (`GET https://huggingface.co/api/models/<repo>`) answers `"gated": "manual"` for meta-llama and `"auto"` for Gemma.
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

/** The repository of an `hf://org/name[:revision]` storage URI (KServe storage.py _download_hf: repo and revision). */
function hfRepoOf(uri: string): string {
  return uri.slice('hf://'.length).split(':')[0];
}

/**
 * An InferenceService downloading a gated repository with no token anywhere: none on the serving container, and the
 * predictor's ServiceAccount, which alone gives the storage initializer its credentials, is default and not in the
 * tree, or is in the tree with no Secret holding HF_TOKEN. An account outside the tree, or Secrets of it outside the
 * tree, may hold one: not judged.
 */
function gatedWithoutToken(graph: ObjectGraph, isvc: Loose, uri: string): Problem[] {
  const repo = hfRepoOf(uri);
  if (!GATED_MODELS.some((g) => g.test(repo))) return [];
  const acct = predictorAccountOf(graph, isvc);
  if (acct.ambiguous || (!acct.account && !acct.implicit)) return [];
  if (acct.secretsInTree.length < acct.secrets.length || acct.secretsInTree.some((x) => secretHasKey(x, HF_TOKEN_KEY))) return [];
  const who = acct.account
    ? `ServiceAccount ${acct.name}${acct.secrets.length ? ` (${acct.secrets.join(', ')})` : ''}`
    : 'ServiceAccount default, which the tree does not define,';
  return [
    {
      severity: 'error',
      message:
        `downloads ${repo}, a gated Hugging Face repository, with no token: the serving container sets neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN, and ${who} gives the storage initializer no Secret with ${HF_TOKEN_KEY}; ` +
        `the Hub answers 401 (GatedRepoError) and the predictor never starts: put the token of an account that accepted the licence in a Secret (key ${HF_TOKEN_KEY}), list it on a ServiceAccount and set spec.predictor.serviceAccountName to it`,
    },
  ];
}
