/** Name checks shared by the constructs; messages say which object and field is wrong and how to fix it. */

// props may come from JavaScript or JSON config: anything that is not a string is no name
export function isDnsSubdomain(name: string): boolean {
  return typeof name === 'string' && name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
}

export function isDnsLabel(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/**
 * KServe's InferenceService name format, `IsvcNameFmt` of its validation webhook (pkg/apis/serving/v1beta1/
 * inference_service_validation.go): a DNS label that starts with a letter, since the name also names a Service.
 */
export const INFERENCE_SERVICE_NAME_FORMAT = '[a-z]([-a-z0-9]*[a-z0-9])?';
/**
 * OpenShift AI's odh-model-controller refuses longer InferenceService names (`MaxISVCLength` in its pkg/constants,
 * checked by ValidateInferenceServiceNameLength): the 63-character name limit less the `-predictor` suffix of the
 * Deployment it creates.
 */
export const MAX_INFERENCE_SERVICE_NAME_LENGTH = 53;

/** Why a name is not one the InferenceService webhooks admit, or undefined when they admit it. */
export function inferenceServiceNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !new RegExp(`^${INFERENCE_SERVICE_NAME_FORMAT}$`).test(name)) {
    return (
      `${quoted(name)} is not an InferenceService name: KServe's webhook requires lowercase letters, digits and '-', starting with a letter ` +
      `and ending with a letter or digit (${INFERENCE_SERVICE_NAME_FORMAT})`
    );
  }
  if (name.length > MAX_INFERENCE_SERVICE_NAME_LENGTH) {
    return (
      `'${name}' has ${name.length} characters: OpenShift AI's odh-model-controller refuses InferenceService names over ${MAX_INFERENCE_SERVICE_NAME_LENGTH} ` +
      `(MaxISVCLength: 63 less the '-predictor' suffix of its Deployment)`
    );
  }
  return undefined;
}

/** Throws unless `value` is a name the InferenceService admission webhooks accept (KServe's format, OpenShift AI's length). */
export function requireInferenceServiceName(where: string, field: string, value: string): string {
  const problem = inferenceServiceNameProblem(value);
  if (problem) throw new Error(`${where}: ${field} ${problem}; rename it, e.g. '${inferenceServiceNameFrom(typeof value === 'string' ? value : 'model')}'`);
  return value;
}

/** A name the InferenceService webhooks admit, made from free text: a DNS label with a leading letter, at most 53 characters. */
export function inferenceServiceNameFrom(text: string): string {
  const label = dnsLabelFrom(text);
  const lettered = /^[a-z]/.test(label) ? label : `m-${label}`;
  return lettered.slice(0, MAX_INFERENCE_SERVICE_NAME_LENGTH).replace(/-+$/, '');
}

/**
 * Throws unless `value` is a ServingRuntime name. KServe's ServingRuntime webhook (pkg/webhook/admission/servingruntime)
 * checks priorities and autoscaler annotations, not the name: the API server's rule for custom objects applies, a
 * DNS-1123 subdomain; InferenceServices name it in `spec.predictor.model.runtime`.
 */
export function requireServingRuntimeName(where: string, field: string, value: string): string {
  return requireDnsSubdomain(where, field, value);
}

/** A value as a message shows it: a string in quotes, anything else as JSON with its type (never '[object Object]'). */
export function quoted(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return `${JSON.stringify(value) ?? typeof value} (a ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}, not a string)`;
}

/** Throws unless `value` is a DNS-1123 label (Namespace and Service names). */
export function requireDnsLabel(where: string, field: string, value: string): string {
  if (!isDnsLabel(value)) {
    throw new Error(
      `${where}: ${field} ${quoted(value)} is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Throws unless `value` is a DNS-1123 subdomain (most object names). */
export function requireDnsSubdomain(where: string, field: string, value: string): string {
  if (!isDnsSubdomain(value)) {
    throw new Error(`${where}: ${field} ${quoted(value)} is not a valid name: use at most 253 lowercase letters, digits, '-' and '.'`);
  }
  return value;
}

/** An environment variable name every Kubernetes version accepts (apimachinery IsEnvVarName before the relaxed rule). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Throws unless each entry is an environment variable name with a string value (the API server rejects a number there). */
export function requireEnv(where: string, field: string, env: { readonly [name: string]: unknown } | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!ENV_VAR_NAME.test(name))
      throw new Error(`${where}: ${field} name '${name}' is not an environment variable name: letters, digits, '_', '-' and '.', not starting with a digit`);
    if (typeof value !== 'string') {
      throw new Error(
        `${where}: ${field}.${name} is ${JSON.stringify(value) ?? String(value)} (a ${value === null ? 'null' : typeof value}); environment values are strings: write '${String(value)}'`,
      );
    }
  }
}

/** Throws unless `value` is a positive integer. */
export function requirePositiveInteger(where: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    // a JavaScript caller (or a JSON config) can pass a string: say so rather than print it like a number
    const shown =
      typeof value === 'number' ? String(value) : `${JSON.stringify(value) ?? String(value)} (a ${value === null ? 'null' : typeof value}, not a number)`;
    throw new Error(`${where}: ${field} must be a positive integer, got ${shown}`);
  }
  return value;
}

/**
 * A Secret or ConfigMap data key: at most 253 letters, digits, '-', '_' and '.', not `.` or `..` and not starting with
 * `..` (apimachinery pkg/util/validation IsConfigMapKey: the kubelet writes each key as a file of a volume).
 */
export function isSecretKey(key: string): boolean {
  return typeof key === 'string' && key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && !key.startsWith('..');
}

/** Throws unless each `secretEnv` entry has a C-identifier name and a `{ name, key }` Secret reference. */
export function requireSecretEnv(where: string, secretEnv: { readonly [name: string]: { readonly name: string; readonly key: string } } | undefined): void {
  for (const [name, ref] of Object.entries(secretEnv ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`${where}: secretEnv name '${name}' is not an environment variable name`);
    requireSecretRef(where, `secretEnv.${name}`, ref);
  }
}

/** Throws unless a Secret reference names a valid Secret and key. */
export function requireSecretRef(where: string, field: string, ref: { readonly name: string; readonly key: string }): void {
  if (ref === null || typeof ref !== 'object') throw new Error(`${where}: ${field} must be { name, key } of a Secret, got ${JSON.stringify(ref)}`);
  requireDnsSubdomain(where, `${field}.name`, ref.name);
  if (ref.key === undefined) throw new Error(`${where}: ${field}.key is missing: name the key of Secret '${ref.name}' that holds the value`);
  if (!isSecretKey(ref.key)) {
    throw new Error(`${where}: ${field}.key ${quoted(ref.key)} is not a valid Secret key: use letters, digits, '-', '_' and '.'`);
  }
}

/**
 * A DNS-1123 label made from free text (a model path such as `Llama-3.1-8B-Instruct`): lowercased, every run of
 * other characters turned into one '-', trimmed to 63 characters without a trailing '-'.
 */
export function dnsLabelFrom(text: string, maxLength = 63): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return label || 'x';
}

/** A label value (Kubernetes IsValidLabelValue): at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends; may be empty. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** A label key (Kubernetes IsQualifiedName): an optional DNS-subdomain prefix and '/', then a non-empty label-value name. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  return name !== '' && isLabelValue(name) && (slash < 0 || isDnsSubdomain(key.slice(0, slash)));
}

/**
 * How an image reference is pinned: by a digest, by a tag (movable), or by a malformed digest (something after '@'
 * that is not `sha256:` and 64 lowercase hex digits, or `sha512:` and 128: the OCI image spec's registered algorithms,
 * descriptor.md "Digests"), which no registry resolves.
 */
export function imagePinning(ref: string): { pinned: true } | { pinned: false; problem: 'tag' | 'malformed-digest'; digest?: string } {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { pinned: false, problem: 'tag' };
  const digest = ref.slice(at + 1);
  if (/^sha256:[a-f0-9]{64}$/.test(digest) || /^sha512:[a-f0-9]{128}$/.test(digest)) return { pinned: true };
  return { pinned: false, problem: 'malformed-digest', digest };
}

/** Tags that name a stream of builds rather than one build: each push moves them. */
const MOVING_TAG = /^(latest|main|master|nightly|dev|devel|develop|edge|stable|head|canary|rolling|snapshot|release|next|fast)$/i;

/**
 * Words of a tag that name a build flavour (an accelerator back end, a variant of the image), not a release; a
 * back end may carry its toolkit's major (`cuda13`). Sourced from the projects' tag lists: llama.cpp docs/docker.md
 * (`server`, `full`, `light`, each with `-cuda`, `-cuda13`, `-rocm`, `-musa`, `-intel`, `-vulkan`), llama-swap's
 * published tags (`cuda`, `vulkan`, `intel`, `musa`, `cpu`; a release is `v<n>-<flavour>-b<n>`), llama-swap
 * docker/unified/README.md (`unified-cuda`), Ollama's `rocm`, LiteLLM's ghcr.io/berriai/litellm `main-stable` beside
 * its releases `v1.80.11-stable.1`.
 */
const FLAVOUR_WORD = /^(cuda|rocm|vulkan|intel|musa|sycl|openvino|cpu|gpu|nvidia|amd|server|full|light|unified)\d*$/i;

/** A tag made only of channel and flavour words (`main-stable`, `vulkan`, `server-cuda`): no word names a release. */
function channelOrFlavour(tag: string): boolean {
  return tag.split(/[-_.]/).every((w) => MOVING_TAG.test(w) || FLAVOUR_WORD.test(w));
}

/** The tag of an image reference (after the last '/', the part after ':'), undefined when it has none. */
export function imageTag(ref: string): string | undefined {
  const last = ref.slice(ref.lastIndexOf('/') + 1).split('@')[0];
  const i = last.indexOf(':');
  return i < 0 ? undefined : last.slice(i + 1);
}

/**
 * How firmly an image reference (or a modelcar's oci:// URI) names its bytes: a digest pins them; a malformed digest
 * names nothing; no tag (the registry's latest) or a moving tag (latest, a branch name) changes with each push; a
 * version tag is the common practice and rarely moves, but can be re-pushed.
 */
export function tagPolicy(
  ref: string,
):
  | { readonly kind: 'digest' }
  | { readonly kind: 'malformed-digest'; readonly digest?: string }
  | { readonly kind: 'moving' | 'version'; readonly tag?: string } {
  const pinning = imagePinning(ref);
  if (pinning.pinned) return { kind: 'digest' };
  if (pinning.problem === 'malformed-digest') return { kind: 'malformed-digest', digest: pinning.digest };
  const tag = imageTag(ref);
  // `main-latest`, `latest-cuda`: a tag that says latest among its words moves as latest does
  // `main-stable`, `vulkan`, `server-cuda`: channel and build-flavour words only, no release among them, move as latest does
  const moving = tag === undefined || MOVING_TAG.test(tag) || tag.split(/[-_.]/).some((w) => /^latest$/i.test(w)) || channelOrFlavour(tag);
  return { kind: moving ? 'moving' : 'version', tag };
}

/** A message for an image reference that `imagePinning` finds unpinned: what is wrong with it. */
export function describeUnpinned(ref: string, p: { problem: 'tag' | 'malformed-digest'; digest?: string }): string {
  return p.problem === 'malformed-digest'
    ? `'${ref}' has a malformed digest '${p.digest}' (a digest is sha256: and 64 lowercase hex digits), which no registry resolves`
    : `'${ref}' names a tag, which can move to other bytes`;
}

/**
 * Throws unless `value` is a container image reference: a non-empty string without whitespace. The API server
 * accepts an empty image in a Job's pod template (workload controllers may fill it in), so its pods would fail instead.
 */
export function requireImage(where: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[^\s]+$/.test(value)) {
    throw new Error(
      `${where}: ${field} ${JSON.stringify(value) ?? String(value)} is not an image reference: give e.g. registry.example.com/team/image@sha256:<digest>, or omit it for the default`,
    );
  }
  return value;
}

/** Throws unless `value` is a boolean or absent: from JavaScript or JSON, 'no' or 'false' would otherwise count as true. */
export function requireBoolean(where: string, field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean')
    throw new Error(`${where}: ${field} must be true or false, got ${JSON.stringify(value) ?? typeof value} (a ${value === null ? 'null' : typeof value})`);
}

/**
 * The registry host of an image reference (`registry.example.com:5000` of `registry.example.com:5000/team/app:1`), or
 * undefined where it names none (Docker Hub's): its first part is a host when it holds a `.` or `:` or is `localhost`
 * (distribution/reference normalize.go splitDockerDomain).
 */
export function registryHostOf(ref: string): string | undefined {
  const first = ref.split('/')[0];
  return ref.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
}
