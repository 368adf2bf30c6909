import { isMapping, Loose, mapping, stringsIn, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { isSopsCiphertext } from '../../manifests/sops';
import { bracedTemplate } from '../template-syntax';
import { namesCredential, namesSecretByName } from './names';
import { flagValue, placeholderKind } from './placeholders';
import { credentialAssignment, CREDENTIAL_VALUE, hasConnectionPassword, hasUrlPassword, jsonCredential, providerToken } from './literal-values';

/** Where credentials sit in objects: the fields of custom resources, a Secret's values, configuration files in a ConfigMap. */

/** API groups whose credential-named fields hold references or ciphertext, not credentials: External Secrets, the Secrets Store CSI driver, Sealed Secrets. */
const SECRET_REFERENCE_GROUPS = /^(external-secrets\.io|generators\.external-secrets\.io|secrets-store\.csi\.x-k8s\.io|bitnami\.com)\//;

/** Whether the object is a custom resource: an API group with a dot that Kubernetes itself does not serve (*.k8s.io). */
export function isCustomResource(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group.includes('.') && !group.endsWith('.k8s.io') && !SECRET_REFERENCE_GROUPS.test(apiVersion);
}

/**
 * Keys that name a Secret or a key of one, not a credential, in operators' APIs: `…Ref`, `valueFrom`, and a last word
 * `secret`/`secrets` (NIMService `authSecret: ngc-api-secret`, DataSciencePipelinesApplication
 * `s3CredentialsSecret: {secretName, accessKey: AWS_ACCESS_KEY_ID, …}`): neither they nor what is under them is judged.
 */
function namesSecretObject(key: string): boolean {
  return /(Ref|Refs|_ref)$|^valueFrom$|(^|[a-z0-9_-])(secret|Secret|SECRET)s?$/.test(key);
}

/**
 * A key field beside the name of a Secret in the same mapping names an entry of that Secret, as secretKeyRef's `{name,
 * key}` does: bitwarden/sm-kubernetes BitwardenSecret `spec.authToken: {secretName, secretKey}` ("the key of the
 * Kubernetes secret where the authorization token is stored", api/v1/bitwardensecret_types.go AuthToken). A
 * `secretKey` beside a plain `name` (`{name: minio, secretKey: …}`) is still judged: there `name` names no Secret.
 */
function keyOfNamedSecret(mapping: Loose, key: string): boolean {
  return (key === 'secretKey' || key === 'key') && typeof mapping[key] === 'string' && typeof mapping.secretName === 'string';
}

/**
 * Keys ending in the plural `credentials`: a string there says where or how credentials travel, not what they are
 * (3scale's Product `authentication.userkey.credentials: headers | query | authorization`); a value of a credential's
 * own form (an AWS key, a token) is still one.
 */
function namesMechanism(key: string): boolean {
  return /(^|[a-z0-9_-])(credentials|Credentials|CREDENTIALS)$/.test(key);
}

/**
 * An Argo CD Helm source's `values`: a YAML string the repo server writes to a values file and hands to `helm
 * template` (argo-cd reposerver/repository/repository.go helmTemplate, ApplicationSourceHelm.Values), so its
 * credential-named keys are judged as those of `valuesObject`; one that does not parse (a template) is not judged.
 */
function helmValues(key: string, value: unknown, at: string): unknown {
  if (key !== 'values' || typeof value !== 'string' || !at.endsWith('.helm')) return undefined;
  const parsed = parseOne(value);
  return 'value' in parsed ? parsed.value : undefined;
}

/** A `{name, value}` entry (an env variable, an Argo CD Helm parameter) whose name says credential and whose value is a literal secret. */
function namedValueCredential(v: Loose): string | undefined {
  const name = text(v.name);
  const value = v.value;
  if (name === undefined || namesSecretObject(name) || typeof value !== 'string') return undefined;
  return credentialAssignment(name, value) && !/[{}]/.test(value) ? name : undefined;
}

/**
 * Keys whose value names a model: LiteLLM's model_list[].model_name and litellm_params.model (docs.litellm.ai
 * proxy/configs), the litellm-operator's LiteLLMModel spec.modelName and spec.params.model (home-operations/
 * litellm-operator api/v1alpha1 litellmmodel_types.go), vLLM's served_model_name, and the ids and aliases clients ask for.
 */
const MODEL_NAME_KEY = /^(model|model[-_]?(name|id)|served[-_]?model[-_]?name|alias)$/i;

/** A URL's first host label (`llama-nvidia` of http://llama-nvidia.llm:8080/v1), lower case. */
const URL_HOST_LABEL = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([A-Za-z0-9-]+)/i;

/**
 * The names an object gives that are no secret, lower case: its metadata.name, every value of a model-naming key (with
 * and without its `<provider>/` prefix, LiteLLM's `openai/llama-nvidia`), and the first host label of every URL it
 * holds (the backend's Service). A key field set to one of them repeats what any reader of the object sees.
 */
export function objectNames(doc: unknown): ReadonlySet<string> {
  const out = new Set<string>();
  const add = (v: string) => v.trim() && out.add(v.trim().toLowerCase());
  const walk = (v: unknown, key: string, depth: number): void => {
    if (depth > 12) return;
    if (typeof v === 'string') {
      if (MODEL_NAME_KEY.test(key)) [v, v.slice(v.indexOf('/') + 1), v.slice(v.lastIndexOf('/') + 1)].forEach(add);
      const host = URL_HOST_LABEL.exec(v)?.[1];
      if (host) add(host);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key, depth + 1));
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) if (k !== 'status') walk(x, k, depth + 1);
  };
  walk(doc, '', 0);
  const name = isMapping(doc) ? text(mapping(doc.metadata).name) : undefined;
  if (name) add(name);
  return out;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * A key or token field (not a password, which people choose and may set to a word) whose value repeats a name of its
 * object (objectNames) or its own key (`apiKey: api-key`): a filler for a backend that checks no key, which LiteLLM's
 * openai-compatible providers need to send some key at all (docs.litellm.ai providers/openai_compatible); no key
 * generator yields a name the object already shows, so it guards nothing and leaks nothing.
 */
function namesFiller(key: string, value: string, names: ReadonlySet<string>): boolean {
  if (/pass(word|wd|phrase)?/i.test(key)) return false;
  const v = value.trim().toLowerCase();
  return names.has(v) || v.replace(/[-_. ]/g, '') === key.toLowerCase().replace(/[-_. ]/g, '');
}

/**
 * The string fields of a custom resource whose key names a credential and whose value is a literal secret
 * (`spec.source.properties.secretKey: minio123` of a KameletBinding), a `{name, value}` entry naming one, and the same
 * inside an Argo CD Helm source's values string; a key that repeats a name of the object (namesFiller, `names`) is
 * none. An object embedded whole (a manifest with apiVersion and kind, as test and policy tools hold) is another object,
 * not judged here.
 */
export function credentialFields(v: unknown, at: string, out: string[], names: ReadonlySet<string> = NO_NAMES, depth = 0): string[] {
  if (depth > 12) return out;
  if (Array.isArray(v)) v.forEach((x, i) => credentialFields(x, `${at}[${i}]`, out, names, depth + 1));
  else if (v && typeof v === 'object' && !(depth > 0 && 'apiVersion' in v && 'kind' in v)) {
    const named = namedValueCredential(v);
    if (named !== undefined) out.push(`${at} (${named})`);
    for (const [k, x] of Object.entries(v as Loose)) {
      if (namesSecretObject(k) || keyOfNamedSecret(v, k)) continue;
      const value = typeof x === 'string' ? x : undefined;
      // a key inside a values string reads `spec.source.helm.values: auth.rootPassword`
      const path = at.endsWith(':') ? `${at} ${k}` : `${at}.${k}`;
      const values = helmValues(k, x, at);
      if (values !== undefined) credentialFields(values, `${path}:`, out, objectNames(values), depth + 1);
      else if (value !== undefined && !/[{}]/.test(value) && (CREDENTIAL_VALUE.test(value) || literalCredential(k, value, names))) out.push(path);
      else credentialFields(x, path, out, names, depth + 1);
    }
  }
  return out;
}

/** A credential-named field given a literal secret: not a mechanism's name, nor a filler naming its object. */
const literalCredential = (key: string, value: string, names: ReadonlySet<string>) =>
  credentialAssignment(key, value) && !namesMechanism(key) && !namesFiller(key, value, names);

/**
 * Credential-named fields of operators' APIs that name a key of a Secret, not a credential, by kind: ModelMesh's
 * Predictor `spec.storage.s3.secretKey` is the entry of the storage-config Secret to use
 * (kserve/modelmesh-serving apis/serving/v1alpha1/predictor_types.go S3StorageSource.SecretKey).
 */
export const KEY_NAME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'serving.kserve.io/Predictor': ['spec.storage.s3.secretKey'],
};

/**
 * A Secret's data value decoded; one that is no base64 at all (`$HUGGING_FACE_HUB_TOKEN`, left for a script to fill) is
 * judged as written, since decoding it would only turn the placeholder into noise.
 */
function fromBase64(raw: string): string {
  const compact = raw.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0 ? Buffer.from(compact, 'base64').toString('utf8') : raw;
}

/**
 * What a Secret's value is as a placeholder: a bare `$VAR` is one left for a script to fill (nothing expands it in a
 * Secret, and unrendered-placeholder tells only `${VAR}`), so it is to be replaced like `changeme`.
 */
export function secretPlaceholder(value: string): ReturnType<typeof placeholderKind> {
  return /^\$[A-Za-z_]\w*$/.test(value.trim()) ? 'to-replace' : placeholderKind(value);
}

/** A Secret's keys, each with its value as text (stringData over base64-decoded data; an unquoted {{ X }}, which YAML reads as a mapping, as the template). */
export function secretValues(m: Loose): { keys: string[]; decoded: (k: string) => string } {
  const data = mapping(m.data);
  const stringData = mapping(m.stringData);
  const decoded = (k: string) =>
    text(stringData[k]) ?? bracedTemplate(stringData[k]) ?? (typeof data[k] === 'string' ? fromBase64(data[k]) : (bracedTemplate(data[k]) ?? ''));
  return { keys: Object.keys({ ...data, ...stringData }), decoded };
}

/** The keys of a Secret that hold a credential in plain text (SOPS ciphertext is encrypted: none). */
export function leakingKeys(m: Loose): string[] {
  const { keys, decoded } = secretValues(m);
  return keys.filter(
    (k) =>
      !isSopsCiphertext(decoded(k)) &&
      ((namesCredential(k) && !placeholderKind(decoded(k)) && !flagValue(decoded(k)) && !namesSecretByName(k, decoded(k))) ||
        jsonCredential(decoded(k)) ||
        CREDENTIAL_VALUE.test(decoded(k)) ||
        hasUrlPassword(decoded(k)) ||
        hasConnectionPassword(decoded(k))),
  );
}

/** A ConfigMap value that is a script: its key names one (`.sh`, `.bash`, `.py`) or it starts with a shebang. */
export function isScript(key: string, value: string): boolean {
  return /\.(sh|bash|py)$/.test(key) || value.startsWith('#!');
}

/** A ConfigMap key that names a configuration file read as `key = value` lines. */
const LINE_CONFIG_KEY = /\.(conf|ini|properties|env)$|^\.env$/;

/** One `key = value`, `key: value` or `export KEY=value` line of an .ini, .properties, .conf or .env file; comments start with # or ;. */
const CONFIG_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*[=:][ \t]*(.*?)[ \t]*$/gm;

/**
 * The credential-named settings of a configuration file embedded in a ConfigMap value, given a literal secret: a
 * `.yaml`/`.yml`/`.json` key or any value that parses as a YAML or JSON mapping is judged like a custom resource's
 * fields (Milvus's `minio.secretAccessKey`), an `.ini`/`.properties`/`.conf`/`.env` key line by line; `${VAR}`
 * templates the program or an init step expands and placeholders are not credentials, nor a key naming a model or
 * backend of the file (objectNames: a LiteLLM api_key that repeats its model_name).
 */
export function configFileCredentials(key: string, value: string): string[] {
  if (LINE_CONFIG_KEY.test(key)) {
    return [...value.matchAll(CONFIG_LINE)]
      .filter(([, name, v]) => credentialAssignment(name, v) && !/[{}]/.test(v) && !namesMechanism(name))
      .map(([, name]) => name);
  }
  const named = /\.(ya?ml|json)$/.test(key);
  // a key with another extension (notes.txt, README.md) is text, whatever it parses as
  if (!named && (/\.\w+$/.test(key) || (!value.includes('\n') && !value.trimStart().startsWith('{')))) return [];
  const parsed = parseOne(value);
  const doc = 'value' in parsed ? parsed.value : undefined;
  // a whole manifest kept as a template is another object, judged where it is applied; an unnamed value is a
  // configuration file when it parses as a mapping of several settings, not one `word: phrase` line
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || ('apiVersion' in doc && 'kind' in doc)) return [];
  if (!named && Object.keys(doc).length < 2) return [];
  // a LiteLLM api_key that only repeats the model's or backend's name fills a slot its provider requires
  return credentialFields(doc, '', [], objectNames(doc)).map((f) => f.replace(/^\./, ''));
}

/** The string values of an object, a Secret's decoded (base64 is an encoding); SOPS ciphertext is none that can be read. */
function valuesOf(m: Loose): string[] {
  if (m.kind !== 'Secret') return stringsIn(m).filter((v) => !isSopsCiphertext(v));
  const { keys, decoded } = secretValues(m);
  return keys.map(decoded).filter((v) => !isSopsCiphertext(v));
}

/** The service whose token an object holds written out (a Hugging Face token, an OpenAI key…), if any. */
export function providerTokenOf(m: Loose): string | undefined {
  for (const value of valuesOf(m)) {
    const token = providerToken(value);
    if (token) return token;
  }
  return undefined;
}
