import { mapping, mappings, text } from '../../manifests/access';
import { predictorAccountOf, secretHasKey, secretKeyFilled } from '../predictor-account';
import { storageLocationOf } from '../serving-model';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import type { ObjectGraph } from '../graph';
import type { GraphObject } from '../graph-object';
import type { Loose } from '../../manifests/access';
import { ContainerLine, workloadVllmLines } from '../workload-lines';
import { EnvFromView, envFromView } from '../container-env';
import { HF_TOKEN_KEY } from '../../k8s/keys';
import { OFFLINE_ENV } from '../hub-download';
import { placeholderKind } from '../credentials/placeholders';
import { secretPlaceholder, secretValues } from '../credentials/object-fields';
import { HUB_ID } from '../hub-download';

/** Environment names the Hugging Face client reads a token from; setting one shows the model needs it. */
const TOKEN_ENV = new Set(['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']);

export const hfTokenUnreachable: Rule = {
  id: 'hf-token-unreachable',
  title:
    "a Hugging Face token does not reach the download of the model: a workload starts vLLM on a gated model with none, or on any hub model with a placeholder token the Hub refuses, or an InferenceService's storage initializer cannot see the serving container's",
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a workload container that starts vLLM on a gated Hugging Face model (GATED_MODELS: meta-llama/*, google/gemma-*, google/medgemma-*, mistralai/Mistral-7B-v0.1, Mistral-7B-Instruct-v0.1 and -v0.2, as the Hub marks them gated) by its hub id, with no token variable (or only empty ones: `HF_TOKEN: ''`, a key of a Secret in the tree with an empty value, or a placeholder left to be replaced, `REPLACE_ME`, `changeme`, `<your-token>`, or a stand-in, `dummy`) neither in env nor in the keys of its envFrom ConfigMaps and Secrets of the tree (with their prefix; an empty value counts as none), not offline and no volume at a cache folder (it may hold the weights), a warning naming an envFrom source the tree does not hold (it may set one); a workload container that starts vLLM on any hub model (an `org/name` id, public or gated, not offline) whose token variable read first (HF_TOKEN, else HUGGING_FACE_HUB_TOKEN; an empty one is skipped and not sent) holds a placeholder, as a literal or as the value of a key of a Secret in the tree (`your-hf-token-here`, `changeme`, `<token>`, `hf_xxx`, `dummy`): an error, since the Hub refuses a token it does not know even for a public model; a warning when a volume at a cache folder may already hold the weights, or an envFrom source outside the tree may set HF_TOKEN over HUGGING_FACE_HUB_TOKEN; for an InferenceService with no storage location, its serving container (the runtime's kserve-container merged with the service's container, args appended) is judged as a workload's: vLLM downloads the model its command line names (the positional argument of `vllm serve`, or --model) itself, with that container's token; for an InferenceService, the storage URI is hf:// and the serving container (or its runtime) sets HF_TOKEN or HUGGING_FACE_HUB_TOKEN, or sets neither (or only empty or placeholder ones) while the repository is gated (an error unless the predictor's ServiceAccount is outside the tree or lists Secrets outside it); the predictor's ServiceAccount (`default` when serviceAccountName is unset) is judged by its Secrets when the tree defines it",
  example: '`storageUri: hf://meta-llama/Llama-3.1-8B-Instruct` with env `HF_TOKEN` from a Secret and no serviceAccountName',
  fix: "a workload: set HF_TOKEN from a Secret; an InferenceService: list the token's Secret (key HF_TOKEN) on a ServiceAccount and set spec.predictor.serviceAccountName to it",
  source:
    "huggingface_hub utils/_auth.py (HF_TOKEN, else HUGGING_FACE_HUB_TOKEN; blank is none) and the Hub's 401 'Invalid credentials in Authorization header' to an unknown token on public repositories (huggingface/sentence-transformers#3436); " +
    "KServe storage-initializer injector: download credentials come only from the Secrets of the predictor's ServiceAccount, default when unset (pkg/credentials CreateSecretVolumeAndEnv: " +
    "HF_TOKEN key); the init container does not inherit the serving container's env; a gated model then fails with 401",
  check(o, { graph }) {
    if (o.manifest.kind !== 'InferenceService') return workloadProblems(graph, o.manifest);
    const uri = storageLocationOf(o.manifest);
    if (uri === undefined) return commandLineProblems(graph, o);
    if (!uri.startsWith('hf://')) return [];
    const tokens = tokenEntries(graph, o.manifest, mappings(graph.servingContainer(o)?.env));
    // a Secret holding a placeholder is meant to be filled in: the variable is judged as the token it will carry
    const tokenEnv = tokens.find((t) => !t.empty || t.inSecret)?.name;
    if (!tokenEnv) return gatedWithoutToken(graph, o.manifest, uri, tokens.find((t) => t.empty)?.said);
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
    if (acct.secretsInTree.length < acct.secrets.length || acct.secretsInTree.some((s) => secretKeyFilled(s, HF_TOKEN_KEY))) return [];
    return [
      {
        message: `no Secret of ${who} (${acct.secrets.join(', ')}) has ${heldEmpty(acct.secretsInTree)}, the only key the storage initializer reads: ${fix}`,
      },
    ];
  },
};

/**
 * Hugging Face organisations and names whose repositories are gated: a download needs a token of an account that
 * accepted the licence, else huggingface_hub raises GatedRepoError (401). Meta's Llama repositories (meta-llama/*) and
 * Google's Gemma ones (google/gemma-*, google/medgemma-*) are all gated on the Hub: the Hub's model API
 * (`GET https://huggingface.co/api/models/<repo>`) answers `"gated": "manual"` for meta-llama and `"auto"` for Gemma.
 * Mistral AI gated its first 7B repositories in 2024 ("You need to agree to share your contact information"):
 * mistralai/Mistral-7B-Instruct-v0.2 (huggingface/alignment-handbook#166, "being gated now", May 2024), Mistral-7B-v0.1
 * and Mistral-7B-Instruct-v0.1 (the 401 GatedRepoError of each in TransformerLensOrg/TransformerLens#769); not the
 * whole organisation, whose later repositories (Mistral-Small-24B-Instruct-2501, …) are not all gated.
 */
const GATED_MODELS = [/^meta-llama\//i, /^google\/(med)?gemma-/i, /^mistralai\/Mistral-7B-(Instruct-)?v0\.1$/i, /^mistralai\/Mistral-7B-Instruct-v0\.2$/i];

/** What the account's Secrets lack: the token key, or a value at it when some hold it empty (an empty token is none). */
function heldEmpty(secrets: readonly GraphObject[]): string {
  const empty = secrets.filter((x) => secretHasKey(x, HF_TOKEN_KEY)).map((x) => text(x.manifest.metadata?.name) ?? '');
  return empty.length ? `a value at the key ${HF_TOKEN_KEY} (${empty.join(', ')} hold it empty)` : `the key ${HF_TOKEN_KEY}`;
}

/** A token variable of a container, and whether it surely holds no token (empty, or a placeholder). */
interface TokenEntry {
  readonly name: string;
  readonly empty: boolean;
  /** How an empty one is written, for messages. */
  readonly said: string;
  /** A placeholder value (`your-hf-token-here`): not empty, so huggingface_hub sends it, and the Hub refuses it. */
  readonly placeholder?: string;
  /** Whether the placeholder is a Secret's value: the Secret is meant to be filled in, and the variable to carry it. */
  readonly inSecret?: boolean;
}

/**
 * The token variables of a container's env: an empty or placeholder literal (`HF_TOKEN: ''`, no value, `REPLACE_ME`) or a key of a Secret in
 * the tree whose value is empty is an empty variable in the container, which huggingface_hub reads as no token
 * (utils/_auth.py _get_token_from_environment and _clean_token: an empty or blank token is None), so the download is anonymous.
 */
function tokenEntries(graph: ObjectGraph, m: Loose, env: readonly Loose[]): TokenEntry[] {
  const namespace = graph.namespaceOf(m);
  return env.flatMap((e) => {
    const name = text(e.name);
    if (name === undefined || !TOKEN_ENV.has(name)) return [];
    if (e.valueFrom === undefined) return [literalToken(name, text(e.value) ?? '')];
    const ref = mapping(mapping(e.valueFrom).secretKeyRef);
    const key = text(ref.key);
    const secret = text(ref.name) && key ? graph.find('Secret', ref.name, namespace) : undefined;
    // a key the Secret lacks is referenced-key-missing's: only a key present with nothing in it, or a placeholder, is judged here
    if (secret === undefined || key === undefined || !secretHasKey(secret, key)) return [{ name, empty: false, said: '' }];
    const from = `${name} comes from the key ${key} of Secret ${text(ref.name) ?? ''}`;
    if (!secretKeyFilled(secret, key)) return [{ name, empty: true, said: `${from}, whose value is empty` }];
    const value = secretValues(secret.manifest).decoded(key);
    const kind = secretPlaceholder(value);
    const placeholder = kind === 'to-replace' || kind === 'stand-in' ? value : undefined;
    return [{ name, empty: placeholder !== undefined, placeholder, inSecret: true, said: `${from}, which holds the placeholder '${value}'` }];
  });
}

/**
 * A token variable set to a literal: empty, or a placeholder left to be replaced (`REPLACE_ME`, `changeme`,
 * `<your-token>`) or a stand-in (`dummy`, `none`), is no token of an account that accepted a gated model's licence:
 * the Hub answers 401 to it as to none. A `$(VAR)` or `${VAR}` reference is filled before it is read: not judged.
 */
function literalToken(name: string, value: string): TokenEntry {
  if (value === '') return { name, empty: true, said: `${name} is set to an empty value` };
  const kind = placeholderKind(value);
  const placeholder = kind === 'to-replace' || kind === 'stand-in';
  return { name, empty: placeholder, placeholder: placeholder ? value : undefined, said: `${name} is set to the placeholder '${value}', which is no token` };
}

/**
 * The token variables an envFrom source of the tree gives a container, where its own env sets none of that name (env
 * wins, kubelet makeEnvironmentVariables): a value the tree shows is judged as a literal; a script-made Secret's is not shown.
 */
function envFromTokens(view: EnvFromView, c: ContainerLine): TokenEntry[] {
  return [...TOKEN_ENV].flatMap((name) => {
    const given = view.entries.get(name);
    if (!given || c.env.some((e) => e.name === name)) return [];
    if (given.value === undefined) return [{ name, empty: false, said: '' }];
    const literal = literalToken(name, given.value);
    return [{ ...literal, said: `${literal.said} by ${given.source} (envFrom)` }];
  });
}

/** Whether a container's env or its envFrom sources of the tree turn huggingface_hub offline: nothing is downloaded, no token sent. */
function offline(c: ContainerLine, view: EnvFromView): boolean {
  return c.env.some((e) => OFFLINE_ENV.includes(e.name)) || OFFLINE_ENV.some((n) => view.entries.has(n));
}

/** The folder of a volume mounted where the Hugging Face cache or the weights may already lie, if any. */
function cacheMount(c: ContainerLine): string | undefined {
  const paths = mappings(c.container.volumeMounts).map((m) => text(m.mountPath) ?? '');
  return paths.find((p) => /(^|\/)\.cache(\/|$)|huggingface|models?(\/|$)/i.test(p));
}

/** Whether a container may reach a token or already hold the weights: a token variable that is not empty, offline, or a volume at a cache folder. */
function mayHaveToken(tokens: readonly TokenEntry[], c: ContainerLine, view: EnvFromView): boolean {
  return tokens.some((t) => !t.empty) || offline(c, view) || cacheMount(c) !== undefined;
}

/**
 * The token variable huggingface_hub reads, when it holds a placeholder: HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, the
 * first not empty, and any value not blank is sent as the token (huggingface_hub utils/_auth.py
 * _get_token_from_environment: `HF_TOKEN or HUGGING_FACE_HUB_TOKEN`, then _clean_token: blank is None). Of a name set
 * twice in env the last counts (the kubelet's order).
 */
function sentPlaceholder(tokens: readonly TokenEntry[]): TokenEntry | undefined {
  const read = [...TOKEN_ENV]
    .map((name) => tokens.filter((t) => t.name === name).pop())
    .find((t) => t !== undefined && (!t.empty || t.placeholder !== undefined));
  return read?.placeholder !== undefined ? read : undefined;
}

/**
 * A placeholder token sent with the download of any hub model: the Hub answers 401 ("Invalid credentials in
 * Authorization header") to a token it does not know, public repositories included (huggingface/sentence-transformers#3436:
 * a public model downloads with no token and fails with a stale one). A cache volume may already hold the weights, and an
 * envFrom source outside the tree may set HF_TOKEN over HUGGING_FACE_HUB_TOKEN: then a warning.
 */
function placeholderSent(c: ContainerLine, model: string, token: TokenEntry, view: EnvFromView): Problem {
  const cache = cacheMount(c);
  const hidden = token.name !== 'HF_TOKEN' && view.unknown.length > 0;
  const unless = [
    cache ? `unless the volume at ${cache} already holds the weights, which huggingface_hub reads when the Hub refuses it` : '',
    hidden ? `unless ${view.unknown.join(', ')}, which envFrom reads and the tree does not hold, sets HF_TOKEN, which is read first` : '',
  ].filter((u) => u);
  return {
    severity: unless.length ? 'warning' : 'error',
    message:
      `${c.where}: vLLM downloads ${model} from the Hugging Face Hub and ${token.said}: huggingface_hub sends any token that is set, ` +
      `and the Hub answers 401 (Invalid credentials in Authorization header) to one it does not know, even for a public model, so the download fails and vLLM stops at start` +
      `${unless.length ? ` (${unless.join('; ')})` : ''}: put a real token in its place, or for a public model leave ${token.name} out or empty (an empty token is not sent)`,
  };
}

/**
 * A workload's containers that start vLLM on a gated hub model with no token (or an empty one): the download fails with
 * 401 at every start. An envFrom source the tree does not hold may set the token: a warning naming it.
 */
function workloadProblems(graph: ObjectGraph, m: Loose): Problem[] {
  return workloadVllmLines(m)
    .filter((c) => c.args.invoked && !c.args.unknown('--model'))
    .flatMap((c) => lineProblems(graph, m, c));
}

/**
 * An InferenceService with no storage location whose serving container (the runtime's kserve-container merged with the
 * service's) starts vLLM on a hub id: vLLM downloads it in that container, with that container's token, as a workload's.
 */
function commandLineProblems(graph: ObjectGraph, o: GraphObject): Problem[] {
  const served = graph.vllmCommand(o);
  const container = graph.servingContainer(o);
  if (!served || !container || !served.args.invoked || served.args.unknown('--model')) return [];
  const runtime = graph.runtimeOf(o.manifest);
  const where = `container 'kserve-container'${runtime ? ` (ServingRuntime ${text(runtime.manifest.metadata?.name) ?? ''}'s, merged with the service's)` : ''}`;
  const line: ContainerLine = { name: 'kserve-container', where, container, line: served.line, env: served.env, args: served.args };
  return lineProblems(graph, o.manifest, line);
}

function lineProblems(graph: ObjectGraph, m: Loose, c: ContainerLine): Problem[] {
  const model = c.args.model();
  const view = envFromView(graph, c.container, graph.namespaceOf(m));
  const tokens = [...tokenEntries(graph, m, mappings(c.container.env)), ...envFromTokens(view, c)];
  if (!model || offline(c, view)) return [];
  if (!GATED_MODELS.some((g) => g.test(model)) || mayHaveToken(tokens, c, view)) {
    // a public model, or a gated one whose weights a volume may hold: a placeholder token still fails the download
    const refused = sentPlaceholder(tokens);
    return refused && HUB_ID.test(model) ? [placeholderSent(c, model, refused, view)] : [];
  }
  const none = tokens.find((t) => t.empty)?.said ?? 'neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN is set';
  const unless = view.unknown.length ? `, unless ${view.unknown.join(', ')}, which envFrom reads and the tree does not hold, sets one` : '';
  return [
    {
      severity: view.unknown.length ? ('warning' as const) : ('error' as const),
      message:
        `${c.where}: vLLM downloads ${model}, a gated Hugging Face model, with no token (${none}${unless}): ` +
        `the Hub answers 401 (GatedRepoError) and vLLM stops at start; set HF_TOKEN from a Secret (valueFrom.secretKeyRef) of an account that accepted the model's licence`,
    },
  ];
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
function gatedWithoutToken(graph: ObjectGraph, isvc: Loose, uri: string, emptyToken?: string): Problem[] {
  const repo = hfRepoOf(uri);
  if (!GATED_MODELS.some((g) => g.test(repo))) return [];
  const acct = predictorAccountOf(graph, isvc);
  if (acct.ambiguous || (!acct.account && !acct.implicit)) return [];
  if (acct.secretsInTree.length < acct.secrets.length || acct.secretsInTree.some((x) => secretKeyFilled(x, HF_TOKEN_KEY))) return [];
  const who = acct.account
    ? `ServiceAccount ${acct.name}${acct.secrets.length ? ` (${acct.secrets.join(', ')})` : ''}`
    : 'ServiceAccount default, which the tree does not define,';
  return [
    {
      severity: 'error',
      message:
        `downloads ${repo}, a gated Hugging Face repository, with no token: ${emptyToken ? `on the serving container ${emptyToken}` : 'the serving container sets neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN'}, and ${who} gives the storage initializer no Secret with ${HF_TOKEN_KEY}; ` +
        `the Hub answers 401 (GatedRepoError) and the predictor never starts: put the token of an account that accepted the licence in a Secret (key ${HF_TOKEN_KEY}), list it on a ServiceAccount and set spec.predictor.serviceAccountName to it`,
    },
  ];
}
