import { mappings, text } from '../../manifests/access';
import { predictorAccountOf, secretHasKey } from '../predictor-account';
import { storageLocationOf } from '../serving-model';
import { Rule } from '../rule';
import { HF_TOKEN_KEY } from '../../k8s/keys';

/** Environment names the Hugging Face client reads a token from; setting one shows the model needs it. */
const TOKEN_ENV = new Set(['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']);

export const hfTokenUnreachable: Rule = {
  id: 'hf-token-unreachable',
  title: 'an InferenceService gives vLLM a Hugging Face token, but the storage initializer that downloads the hf:// weights cannot see it',
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "the storage URI is hf:// and the serving container (or its runtime) sets HF_TOKEN or HUGGING_FACE_HUB_TOKEN; the predictor's ServiceAccount (`default` when serviceAccountName is unset) is judged by its Secrets when the tree defines it",
  example: '`storageUri: hf://meta-llama/Llama-3.1-8B-Instruct` with env `HF_TOKEN` from a Secret and no serviceAccountName',
  fix: "list the token's Secret (key HF_TOKEN) on a ServiceAccount and set spec.predictor.serviceAccountName to it",
  source:
    "KServe storage-initializer injector: download credentials come only from the Secrets of the predictor's ServiceAccount, default when unset (pkg/credentials CreateSecretVolumeAndEnv: " +
    "HF_TOKEN key); the init container does not inherit the serving container's env; a gated model then fails with 401",
  check(o, { graph }) {
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
