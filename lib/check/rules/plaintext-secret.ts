import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { isSopsCiphertext } from '../../manifests/sops';
import { isKubeconfig } from '../../platform/config-file-apis';
import { apiGroupOf } from '../../k8s/api-version';
import { generatedFrom } from '../application-sets';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { ANY_KIND, Problem, Rule } from '../rule';
import { perObject } from '../../private/run-memo';
import { placeholderSecretFields } from './unrendered-placeholder';
import { namesCredential, namesSecretByName } from '../credentials/names';
import { flagValue, placeholderKind } from '../credentials/placeholders';
import { CREDENTIAL_VALUE, hasConnectionPassword, hasUrlPassword, literalSecret } from '../credentials/literal-values';
import {
  configFileCredentials,
  credentialFields,
  isCustomResource,
  isScript,
  KEY_NAME_FIELDS,
  leakingKeys,
  objectNames,
  providerTokenOf,
  secretPlaceholder,
  secretValues,
} from '../credentials/object-fields';
import { optionCredential, scriptCredential } from '../credentials/scripts';
import { asUndeliveredExample, undeliveredExample } from '../applied-together';

/** The credentials a container's command line holds: a credential option's value, a known credential form, a script's literal keys. */
function commandLineProblems(name: string, container: Loose): Problem[] {
  const out: Problem[] = [];
  const words = [...strings(container.command), ...strings(container.args)];
  for (const [i, a] of words.entries()) {
    const option = optionCredential(words, i);
    const scripted = option ? undefined : scriptCredential(a);
    if (option?.placeholder !== undefined) {
      out.push({
        message: `container '${name}' passes '${option.placeholder}' as ${option.shown.replace(/[= ]$/, '')}: a placeholder, but the program runs with it as the credential, which anyone reading the manifest can reproduce; set the real one from a Secret through an environment variable`,
      });
    } else if (option || CREDENTIAL_VALUE.test(a) || hasUrlPassword(a)) {
      out.push({
        message: `container '${name}' passes a credential on the command line (${option?.shown ?? ''}…); read it from an environment variable set from a Secret`,
      });
    } else if (scripted) {
      out.push({
        message: `container '${name}' runs a script that holds a credential literally (${scripted}); set it as an environment variable from a Secret (valueFrom.secretKeyRef) and use \${VAR} in the script`,
      });
    }
  }
  return out;
}

/**
 * HTTP headers that carry a credential: RFC 9110 11.6.2 Authorization and 11.7.2 Proxy-Authorization, and the API-key
 * headers of OpenAI-compatible gateways and Azure OpenAI (`X-API-Key`, `api-key`).
 */
const CREDENTIAL_HEADER = /^(proxy-)?authorization$|^(x-)?api[-_]?key$/i;
/** An authentication scheme before the credential (RFC 9110 11.4): `Bearer`, `Basic`, `Token`, `ApiKey`. */
const AUTH_SCHEME = /^(bearer|basic|token|apikey|digest)(\s+|$)/i;

/** The probes and lifecycle hooks of a container that send HTTP requests, by field, with their headers. */
function httpHeadersOf(container: Loose): { field: string; headers: Loose[] }[] {
  const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((f) => ({ field: f, get: mapping(mapping(container[f]).httpGet) }));
  const hooks = ['postStart', 'preStop'].map((f) => ({ field: `lifecycle.${f}`, get: mapping(mapping(mapping(container.lifecycle)[f]).httpGet) }));
  return [...probes, ...hooks].map(({ field, get }) => ({ field, headers: mappings(get.httpHeaders) }));
}

/**
 * A credential header of a probe or hook given a literal value: the kubelet sends the header as written (it expands
 * no variables there; k8s.io/kubernetes pkg/probe/http/request.go NewRequestForHTTPGetAction), so the value is the key.
 */
function probeHeaderProblems(name: string, container: Loose): Problem[] {
  const sent = httpHeadersOf(container).flatMap(({ field, headers }) =>
    headers
      .filter((h) => {
        const credential = (text(h.value) ?? '').trim().replace(AUTH_SCHEME, '');
        return CREDENTIAL_HEADER.test(text(h.name) ?? '') && literalSecret(credential) && !/[{}]/.test(credential);
      })
      .map((h) => `${field}.httpGet.httpHeaders ${String(h.name)}`),
  );
  if (!sent.length) return [];
  return [
    {
      message: `container '${name}' sends a literal credential in ${sent.join(', ')}; anyone who reads the manifest holds the key: probe an endpoint that needs no key (vLLM's /health), or use an exec or tcpSocket probe`,
    },
  ];
}

/**
 * The credentials written in a ConfigMap's scripts (run by a Job, `oc exec` or a mounted entrypoint), by the detectors
 * a container's script gets, and in the configuration files it holds.
 */
function configMapProblems(m: Loose): Problem[] {
  const out: Problem[] = [];
  for (const [key, raw] of Object.entries(mapping(m.data))) {
    const value = text(raw);
    if (value === undefined || isSopsCiphertext(value)) continue;
    if (!isScript(key, value)) {
      const settings = configFileCredentials(key, value);
      if (settings.length)
        out.push({
          message: `key '${key}' is a configuration file that holds ${settings.length > 1 ? 'credentials' : 'a credential'} in plain text (${settings.join(', ')}), readable by anyone who can read ConfigMaps in the namespace; keep the file in a Secret and mount it from there, or have the program read the value from an environment variable set from a Secret`,
        });
      continue;
    }
    const found = CREDENTIAL_VALUE.test(value) ? 'a credential of a known form' : hasUrlPassword(value) ? 'a URL with a password' : scriptCredential(value);
    if (found)
      out.push({
        message: `key '${key}' is a script that holds a credential literally (${found}); keep it in a Secret, set it as an environment variable of the pod that runs the script (valueFrom.secretKeyRef) and use \${VAR} in the script`,
      });
  }
  return out;
}

function customResourceProblems(m: Loose): Problem[] {
  if (!isCustomResource(text(m.apiVersion) ?? '') || WORKLOAD_KINDS.includes(String(m.kind)) || m.kind === 'ServingRuntime') return [];
  const keyNames = KEY_NAME_FIELDS[`${apiGroupOf(m.apiVersion)}/${String(m.kind)}`] ?? [];
  // a key that repeats the object's name, model or backend host fills a slot (objectNames)
  const names = objectNames(m);
  const fields = Object.entries(m)
    .filter(([k]) => !['apiVersion', 'kind', 'metadata', 'status'].includes(k))
    .flatMap(([k, v]) => credentialFields(v, k, [], names))
    .filter((f) => !keyNames.includes(f));
  if (!fields.length) return [];
  const held = `${fields.join(', ')} ${fields.length > 1 ? 'hold credentials' : 'holds a credential'} in plain text in the ${String(m.kind)}`;
  const helm = fields.some((f) => f.includes('.helm.'));
  return [
    {
      message: helm
        ? `${held}: Argo CD passes Helm values and parameters to the chart as written, readable by anyone who reads the ${String(m.kind)} or its repository; create a Secret outside Git and give the chart its name (most charts take an existingSecret value)`
        : `${held}; keep it in a Secret and refer to it as the ${String(m.kind)} allows (a Secret reference, or a property placeholder the operator resolves)`,
    },
  ];
}

/**
 * The fields of a kubeconfig user that hold its credential (k8s.io/client-go tools/clientcmd/api/v1 types.go AuthInfo:
 * client-key-data, the private key of its client certificate; token, a bearer token; password, basic auth's); the
 * certificate, username and file paths are not secret.
 */
const KUBECONFIG_CREDENTIALS = ['client-key-data', 'token', 'password'];

/**
 * The credentials a kubeconfig in the tree holds in plain text: whoever reads the repository reaches the cluster as
 * that user. The file is a client's, not applied, so nothing else of it is judged.
 */
function kubeconfigProblems(m: Loose): Problem[] {
  const held = mappings(m.users).flatMap((u) =>
    KUBECONFIG_CREDENTIALS.filter((k) => literalSecret(text(mapping(u.user)[k]))).map((k) => `users '${text(u.name) ?? '?'}' ${k}`),
  );
  if (!held.length) return [];
  return [
    {
      message: `is a kubeconfig that holds ${held.length > 1 ? 'credentials' : 'a credential'} in plain text (${held.join(', ')}): whoever reads the repository reaches the cluster as that user; remove the file from Git, revoke the key or token, and keep kubeconfigs outside the repository`,
    },
  ];
}

/** A value that is one shell variable (`$AWS_SECRET_ACCESS_KEY`, `${TOKEN}`), which a rendering shell fills. */
const SHELL_VARIABLE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * A Secret's data: credentials in plain text (base64 is an encoding), and placeholders applied as they are. In a
 * file judged as a template (`rendered`: a heredoc whose shell expands them), a shell variable is the renderer's to
 * fill: unrendered-placeholder says what happens if it is applied as it is.
 */
function secretDataProblems(m: Loose, rendered: boolean, saidAsPlaceholder: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  const { keys, decoded } = secretValues(m);
  const leaking = leakingKeys(m);
  const placeholders = keys.filter(
    (k) =>
      !leaking.includes(k) &&
      namesCredential(k) &&
      /^(to-replace|stand-in)$/.test(secretPlaceholder(decoded(k)) ?? '') &&
      !(rendered && SHELL_VARIABLE.test(decoded(k).trim())) &&
      // a value unrendered-placeholder reports (`<your_token>` delivered as it is) is said there, once
      !saidAsPlaceholder.has(`stringData.${k}`) &&
      !saidAsPlaceholder.has(`data.${k}`),
  );
  if (placeholders.length) {
    const toReplace = placeholders.some((k) => secretPlaceholder(decoded(k)) === 'to-replace');
    out.push({
      // a value meant to be replaced, applied as it is, replaces the real one on every sync; a stand-in is deliberate
      severity: toReplace ? 'warning' : 'info',
      onceApplied: true,
      message:
        `holds placeholder values in ${placeholders.map((k) => `${k} ('${decoded(k)}')`).join(', ')}, not credentials` +
        (toReplace
          ? ': applied as they are, they replace the real values on every sync; create the Secret outside Git (External Secrets, Sealed Secrets) or fill it in the pipeline'
          : ': stand-ins for a backend that checks nothing; nothing to do unless it starts checking'),
    });
  }
  if (leaking.length) {
    out.push({
      message: `holds credentials in ${leaking.join(', ')} in plain text (base64 is an encoding, not encryption); keep the Secret out of Git and create it with External Secrets, Sealed Secrets or the dashboard`,
    });
  }
  return out;
}

/**
 * The leaks of an object that holds a service's token in its live form, told as such: the service is named, and the
 * token is to be revoked, not only moved. Still warnings: the objects apply and run with it (a reviewer acts on the
 * exposure; nothing of the deployment fails). Placeholder findings keep the severity they say.
 */
function tokenLeaks(m: Loose, problems: Problem[]): { leaks: Problem[]; live: ReadonlySet<Problem> } {
  const token = problems.some((p) => p.severity === undefined) ? providerTokenOf(m) : undefined;
  if (!token) return { leaks: problems, live: new Set() };
  const leaks = problems.map((p) =>
    p.severity !== undefined
      ? p
      : {
          ...p,
          message:
            `${p.message} (it holds ${token} in its live form: whoever reads the repository holds the account; revoke the token and keep ` +
            "its replacement in a Secret created outside Git; GitHub's push protection also refuses a push of it to a public repository)",
        },
  );
  return { leaks, live: new Set(leaks.filter((_, i) => problems[i].severity === undefined)) };
}

/**
 * Environment variables that hold a server's session-signing key, not a credential it presents: Open WebUI's
 * WEBUI_SECRET_KEY (docs "Environment Variable Configuration": the JSON Web Token secret), Flask's and Django's
 * SECRET_KEY (session signing), Rails' SECRET_KEY_BASE, NextAuth's NEXTAUTH_SECRET and Auth.js' AUTH_SECRET (JWT and
 * cookie encryption), express-session's SESSION_SECRET, oauth2-proxy's COOKIE_SECRET, JWT_SECRET of JWT servers.
 */
const SIGNING_KEY_ENV =
  /^(?:WEBUI_SECRET_KEY|SECRET_KEY|SECRET_KEY_BASE|(?:[A-Z0-9]+_)?JWT_SECRET(?:_KEY)?|NEXTAUTH_SECRET|AUTH_SECRET|SESSION_SECRET(?:_KEY)?|(?:OAUTH2_PROXY_)?COOKIE_SECRET)$/i;

export const plaintextSecret: Rule = {
  id: 'plaintext-secret',
  title:
    'credentials appear as literals: an env value, an argument, a script or configuration file in a ConfigMap, a field of a custom resource, or a Secret committed with data',
  // a credential in the tree does not stop what it configures from running: a security defect to act on, not a
  // failure of the deployment; a service's live token is told as one to revoke (see tokenLeaks), at the same severity
  severity: 'warning',
  // custom resources of any kind: their credential-named fields
  appliesTo: [ANY_KIND],
  // a credential committed is read from the repository whether or not a build applies its file
  judgesUnapplied: true,
  premise:
    "a value that looks like a credential by its name or its form (a URL with a password, scheme://user:password@host, or a connection string's `password=…` (libpq, `Password=…;` of ADO.NET/ODBC, a JDBC URL's `&password=…`), whatever its key), including a credential header of a probe's or lifecycle hook's httpGet (Authorization, Proxy-Authorization, X-API-Key, api-key) whose value after its scheme (`Bearer …`) is a literal, which the kubelet sends as written, and in a script a container runs (the MinIO client's keys, `PASSWORD=…`, `--password <value>`, a `name: …PASSWORD` / `value: …` pair of a manifest it writes, a credential-named option `--cos_password <value>`), the same in a ConfigMap value that is a script (a `.sh`, `.bash` or `.py` key, or a shebang), a credential-named setting of a configuration file in a ConfigMap value (a `.yaml`/`.yml`/`.json` key or a value that parses as a YAML or JSON mapping, judged like a custom resource's fields; an `.ini`/`.properties`/`.conf`/`.env` key read as `key = value` lines; `${VAR}` templates skipped), and a kubeconfig's user credentials (client-key-data, token, password of users[].user; client-go clientcmd v1 AuthInfo), a string field of a custom resource whose key names a credential (`secretKey`, `password`; not under a `…Ref` or `valueFrom`, not a `secretKey` beside a `secretName`, which names a key of that Secret, not in External Secrets, Secrets Store CSI or Sealed Secrets objects), a `{name, value}` entry of one whose name does (an Argo CD Helm parameter `auth.rootPassword`), and the keys of an Argo CD Helm source's `values` string, read as YAML like `valuesObject` (Applications and ApplicationSet templates); placeholders are reported as placeholders, a warning in a Secret (but a Secret value unrendered-placeholder reports, a `<NAME>` delivered as it is, is said there once) and as a credential option on a command line (`--cookie-secret=SECRET`: the program runs with it) for those meant to be replaced, and in env for the key a server signs sessions with (WEBUI_SECRET_KEY, SECRET_KEY, NEXTAUTH_SECRET, JWT_SECRET, SESSION_SECRET…: whoever reads the value forges a session) for any placeholder, a note for stand-ins and in env: changeme, fake, dummy, unused…, EMPTY (the key vLLM's docs give clients), the no-key words OpenAI-compatible servers' clients are given (`sk-no-key-required` of llama.cpp's docs, `none`, `not-needed`, `no-key`), `ollama` (the key Ollama's OpenAI-compatibility guide gives) and `local` alone (a local backend's stand-in key), <…>, xxx, placeholder, example, a bare vendor token prefix such as `xoxb-` or `hf_…`, a bare `$VAR` in a Secret, a value in capitals that names its slot (`SECRET`, `PASSWORD`, `TOKEN`, `COOKIE_SECRET`, `API_KEY`: credential words with naming words only; `SECRET123` is a secret), and a value made only of placeholder words (your, replace, change, placeholder, todo, tbd, redacted, xxx; example, sample, demo, dummy, fake, mock; in a fill-in sentence that starts with insert, enter, put, paste, add, fill, type, set, place or copy and holds your or here, `Insert your token here`, those verbs too) and filler words (api, key, token, secret, password, here, vendor names…) after a vendor prefix, such as `sk-YOUR-OPENAI-API-KEY` or `demo-key` (any other word, `super-secret-example-token`, or a part with digits or mixed case, `demo123!Abc`, makes it a secret); not credentials: SOPS ciphertext (`ENC[AES256_GCM,…]`, encrypted in the file and decrypted before the apply), switches (yes/no, true/false, on/off, enabled/disabled, 0/1, and numbers in env), hash methods (md5, scram-sha-256, sha-256, bcrypt, argon2id, pbkdf2: PostgreSQL's password_encryption is an enum of them), names of settings about credentials (ALLOW_EMPTY_PASSWORD, *_ENABLED, *_FILE, *_SECRET_NAME, *_SECRET_REF; a last word ENCRYPTION, HASHING, METHOD, MODE or POLICY: password_encryption) and of metadata about one, a word such as label, description, scopes, prefix or rotation after the credential word (*_TOKEN_LABEL, *_TOKEN_DESCRIPTION, *_API_KEY_SCOPES; LABEL_PRINTER_TOKEN is a token), a key whose last word is secret given a Secret's name (`cos_secret: aws-connection-…` in an Elyra runtime configuration, `DB_SECRET: postgres-creds`; a key naming an entry of an existing Secret, a last word Key after a credential word or SecretKey after a word saying whose, given a data key name: the Bitnami charts' auth.secretKeys `adminPasswordKey: postgres-password`, `clientIdSecretKey: client_id`, `masterkeySecretKey: masterkey`, not `secretKey`, `awsSecretKey`; of a qualified annotation or label key only the name after its domain prefix, so Reloader's `secret.reloader.stakater.com/reload: app-secret` (Secret names to watch) holds no credential; not `client_secret`, `JWT_SECRET`, `secret_key`, nor a one-word or random-looking value), `$VAR` and `${VAR}` references (a Makefile's `$$VAR` too, which make hands the shell as $VAR), format directives a program fills (`%s`, `%v`, `%[1]s`, `%(token)s`, `{}`, `{token}`: POSIX printf, Go fmt, Python's %-format and str.format), also as the password of a URL a script formats (`printf 'https://x-access-token:%s@github.com' \"$GITHUB_TOKEN\"`; every URL of the value is judged), `{{ X }}` templates (quoted, or unquoted, which YAML reads as a mapping) and GitHub Actions expressions (`${{ secrets.X }}`, which the runner fills from the repository's encrypted secrets), LiteLLM's `os.environ/NAME`, and a key or token field (not a password, which people choose) of a custom resource or configuration file that repeats a name its object shows: its metadata.name, a model it names (model, modelName, model_name, served_model_name, alias; with or without the provider prefix: a LiteLLM proxy config's api_key equal to its model_name or litellm_params.model, a litellm-operator LiteLLMModel's apiKey equal to its modelName), the first host label of a URL it holds (its api_base's Service), or its own key (`apiKey: api-key`) (a filler for a backend that checks no key); always a warning (the objects apply and run, and the credential is exposed: a defect a reviewer acts on, not a failure of the deployment), also where the object holds a token of a service in its live form (a Hugging Face token hf_…, an OpenAI or Anthropic key sk-…, an AWS access key AKIA…, a GitHub, GitLab or Slack token: the forms GitHub's secret scanning recognises), whose message names the service and says to revoke the token and keep its replacement in a Secret created outside Git; in a file named as an example (`*.example.yaml`, `*.sample.yaml`, `*-example.yaml`) that no kustomization, Argo CD Application, script or README command of the tree applies, an info saying so (a service's live token stays a warning: the commit exposes it whether or not anything applies the file)",
  example: "`name: HF_TOKEN, value: hf_` and the token, in a container's env",
  fix: 'keep the value in a Secret created outside Git and use valueFrom.secretKeyRef',
  source:
    'PostgreSQL docs, runtime-config-connection: password_encryption is an enum (scram-sha-256, md5) choosing how new passwords are hashed, no password; anyone with read access to the Git repository reads the credential (base64 is an encoding, not encryption), and keeps it after the file is changed (the history holds it: a leaked token is revoked, not only removed); the live token forms are those of docs.github.com, Supported secret scanning patterns, whose push protection refuses a push to a public repository holding one (GitHub community discussion #110557): a policy of the Git host, which does not stop the objects from applying or running; bitnami/charts postgresql values.yaml auth.secretKeys (adminPasswordKey: "Name of key in existing secret to use for PostgreSQL credentials"), a key name, not a credential' +
    '; LiteLLM proxy docs (docs.litellm.ai/docs/proxy/configs: model_list, litellm_params model, api_base, api_key; a value `os.environ/NAME` read from the environment; providers/openai_compatible: the client sends a key with every request); home-operations/litellm-operator api/v1alpha1 litellmmodel_types.go (LiteLLMModel spec.modelName, spec.params.model, apiBase, apiKey); llama.cpp tools/server README (`api_key="sk-no-key-required"` for a server started without --api-key); POSIX.1-2017 XSH fprintf and XCU printf (conversion specifications), Go fmt package docs (verbs, explicit argument indexes), Python docs "printf-style String Formatting" and "Format String Syntax" (format directives a program fills)',
  check(o, { graph }) {
    const out: Problem[] = [];
    for (const { name, container } of containersOf(o.manifest)) {
      for (const e of mappings(container.env)) {
        const value = text(e.value);
        const envName = text(e.name) ?? '';
        if (!value) continue;
        const kind = placeholderKind(value);
        if (
          CREDENTIAL_VALUE.test(value) ||
          hasUrlPassword(value) ||
          hasConnectionPassword(value) ||
          (namesCredential(envName) && !flagValue(value) && !/^\d+$/.test(value) && !kind && !namesSecretByName(envName, value))
        ) {
          const what = hasConnectionPassword(value) && !namesCredential(envName) ? 'a connection string with a literal password' : 'a literal value';
          out.push({ message: `container '${name}' sets env ${envName} to ${what}; move it into a Secret and use valueFrom.secretKeyRef` });
        } else if ((kind === 'to-replace' || kind === 'stand-in') && SIGNING_KEY_ENV.test(envName)) {
          out.push({
            message: `container '${name}' sets env ${envName} to the placeholder '${value}': ${envName} is the key the server signs sessions with (JWTs, cookies), so anyone who reads this value forges a session; set a random one from a Secret (valueFrom.secretKeyRef)`,
          });
        } else if ((kind === 'to-replace' || kind === 'stand-in') && namesCredential(envName)) {
          out.push({
            severity: 'info',
            onceApplied: true,
            summary: 'credential variables set to a placeholder value, not a credential',
            message: `container '${name}' sets env ${envName} to the placeholder '${value}', not a credential; if the server checks it, set the real one from a Secret (valueFrom.secretKeyRef)`,
          });
        }
      }
      out.push(...commandLineProblems(name, container), ...probeHeaderProblems(name, container));
    }
    if (o.manifest.kind === 'Secret') out.push(...secretDataProblems(o.manifest, o.template !== undefined, placeholderSecretFields(o, graph)));
    if (o.manifest.kind === 'ConfigMap') out.push(...configMapProblems(o.manifest));
    if (isKubeconfig(o.manifest)) out.push(...kubeconfigProblems(o.manifest));
    // an Application an ApplicationSet generates holds what its template holds: said once, on the ApplicationSet
    // the credential fields of a custom resource are a fact of the object alone, kept while it is unchanged
    if (!generatedFrom(o)) out.push(...perObject('plaintext-custom-resource', o.manifest, customResourceProblems));
    const { leaks, live } = tokenLeaks(o.manifest, out);
    // a service's live token is exposed by the commit, whether or not anything applies the file
    const example = undeliveredExample(o, graph);
    return example ? asUndeliveredExample(leaks, example, (p) => live.has(p)) : leaks;
  },
};
