import { dottedPath, Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { placedSources } from '../argocd-paths';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { componentContainers, componentPods, podTemplatesOf, templateContainers, templatePods } from '../pod-templates';
import { templatedReferences } from '../pod-references';
import { writtenClaims } from '../pod-claims';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { alsoBy, firstById } from '../one-per-cause';
import { shellScriptIndex, VLLM_ADDITIONAL_ARGS } from '../command-line';
import { generatedFrom } from '../application-sets';
import { ANY_KIND, Problem, Rule, Severity } from '../rule';
import { sedReplaces } from '../../manifests/sed-program';
import { isFluxKustomization } from '../flux-kustomizations';
import { ANGLE_PLACEHOLDER, guideSlotComponent, placeholderWord, unfilledPlaceholder } from '../template-syntax';
import { placeholderKind } from '../credentials/placeholders';
import { CAPITAL_IMAGE, CAPITAL_SLOT, CI_TOKEN } from '../../manifests/placeholder-word';
import { imageReferenceProblem } from '../image-reference';
import { meantReferences } from '../env-references';
import { perObject } from '../../private/run-memo';
import { asUndeliveredExample, undeliveredExample } from '../applied-together';
import { isDnsLabel, isDnsSubdomain, registryHostOf } from '../../private/names';
import { EnvsubstFills, EXPANDVARS, fillsVariable } from '../../manifests/envsubst-format';
import { containerStrings, kserveActions, kserveRenders } from '../kserve-placeholders';
import { placeholderClaimProblems } from '../placeholder-claims';
import { commandUriPlaceholders, nodeLabelPlaceholders } from '../placeholder-commands';
import { labelPlaceholders, nodeClassPlaceholders, storageUriPlaceholders } from '../placeholder-fields';
import { isExampleDomain } from '../reserved-domains';
import { parseOne } from '../../manifests/yaml-documents';
import { externalSecretKeys } from '../external-secret-keys';

/** Template syntax no part of Kubernetes expands: envsubst/shell `${VAR}`, Go/Helm/Jinja `{{ … }}`, a CI pipeline's `__NAME__` or `#{Name}#`. */
const TEMPLATE = new RegExp(`${/\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?\}|\{\{[^{}]*\}\}/.source}|${CI_TOKEN.source}`);
/** The kubelet's `$(VAR)`: expanded in a container's command, args and env values, nowhere else. */
const KUBELET_REF = /\$\([A-Za-z_][A-Za-z0-9_]*\)/;
/** A shell variable left bare (`$KSA_NAME`): no name admits `$`, and nothing but a shell expands it. */
const BARE_VARIABLE = /\$[A-Za-z_][A-Za-z0-9_]*/;
/**
 * A hand-filled placeholder standing for a whole env value or argument (`<your-hf-token>`, `--model=<MODEL_ID>`): upper
 * case, `-` or `_` set it apart from the special tokens of chat models (`<think>`, `<s>`) that arguments may name.
 */
const WHOLE_ANGLE = /^(?:--[\w-]+=)?(<<[A-Za-z][\w.-]*>>|<(?=[^>]*[A-Z_-])[A-Za-z][\w.-]*>)$/;
/**
 * A `<NAME>` standing for part of a host inside a longer value (`--allowed-hosts=app.<CLUSTER_IP>.nip.io`,
 * `https://<your-endpoint>/v1`): after `://`, `@` or a dot, or before a dot, where no hostname admits `<` or `>`.
 * A `<…>` after a `-` or a letter (`models-<suffix>`, `List<String>`) is no host part.
 */
const HOST_ANGLE = /(?::\/\/|@|\.)(<<[A-Za-z][\w-]*>>|<[A-Za-z][\w-]*>)|(?:^|[=,\s])(<<[A-Za-z][\w-]*>>|<[A-Za-z][\w-]*>)(?=\.[A-Za-z0-9])/;

/** The `<NAME>` a value holds as part of a host (HOST_ANGLE), if any. */
function hostAngle(value: string): string | undefined {
  const m = HOST_ANGLE.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Jinja blocks mark a real template (a chat template), which its consumer renders: not a leftover. */
const JINJA_BLOCK = /\{%|%\}/;
/** The vLLM flag whose value is a Jinja template by design. */
const TEMPLATE_FLAGS = /^--chat-template(=|$)/;

/** What renders `{{ … }}` in a container: nothing, or a Go template (an LLMInferenceService's, a runtime's kserve-container). */
type Renderer = 'none' | 'go-template';

/** TEMPLATE, to step through a value's tokens: made once, where one made per value was most of a check's time here. */
const TEMPLATE_TOKENS = new RegExp(TEMPLATE.source, 'g');

/** The first template token of a one-line value, when the value is a leftover rather than a template in its own right. */
function leftover(value: string, kubeletExpands: boolean, renderer: Renderer = 'none'): string | undefined {
  if (JINJA_BLOCK.test(value)) return undefined;
  const global = TEMPLATE_TOKENS;
  global.lastIndex = 0;
  for (let m = global.exec(value); m; m = global.exec(value)) {
    if (renderer === 'go-template' && m[0].startsWith('{{')) continue;
    return m[0];
  }
  return kubeletExpands ? undefined : KUBELET_REF.exec(value)?.[0];
}

/** Whether a container's command runs a shell script, which expands `${VAR}` itself. */
function runsShell(container: Loose): boolean {
  return shellScriptIndex([...strings(container.command), ...strings(container.args)]) !== undefined;
}

interface Hit {
  readonly where: string;
  readonly token: string;
  readonly severity: Severity;
  /** A name, namespace or hostname. */
  readonly name?: boolean;
  /** A container image. */
  readonly image?: boolean;
  /** An image that is no reference as written (capitals in its repository, `<` or `>`): the kubelet cannot parse it. */
  readonly unparsed?: boolean;
  /** A free value the container reads (an env value, an argument): any text is valid, the placeholder is read as it is. */
  readonly free?: boolean;
  /** A value a reader was to fill by hand though no placeholder syntax marks it (a storage-config key that names its slot). */
  readonly byHand?: boolean;
  /** Any other field, read as it is by whatever consumes the object (a CSI driver's volume attributes, a custom resource's controller). */
  readonly field?: boolean;
  /** A repository or URL the container fetches from before the pod can start (an init container's, a clone's). */
  readonly fetched?: boolean;
  /** A volume source's server or bucket (nfs.server, a CSI bucketName): the kubelet mounts nothing, the pod stays ContainerCreating. */
  readonly mount?: boolean;
  /** An image whose registry is a domain reserved for examples (reserved-domains.ts): no registry answers there. */
  readonly reserved?: boolean;
  /**
   * A CI pipeline's token (`__NAMESPACE__`, `#{Region}#`): a step the tree may not hold fills it (an Azure DevOps
   * release's Replace Tokens task is set up outside the repository), so a warning naming what was assumed.
   */
  readonly ci?: boolean;
  /** Why KServe's rendering of the container fails on it (kserve-placeholders.ts): the reconcile errors, no Deployment is made. */
  readonly kserve?: string;
  /** A required node label value (nodeSelector, required node affinity): no node carries it, the pod stays Pending. */
  readonly scheduled?: boolean;
  /** A value an Argo CD Application hands its chart or kustomization (helm parameters and values, kustomize images and affixes). */
  readonly rendered?: boolean;
  /** What the literal does in a field whose reader says it (placeholder-fields.ts: a NodeClass's selector term, a label, a storage URI). */
  readonly harm?: string;
  /** A Secret key a pod reads: the Secret's name and the key as written (producedSecretKey). */
  readonly secretKey?: { readonly name: string; readonly key: string };
}

/**
 * Whether a Secret key a pod reads is one a Secret or ExternalSecret of the tree makes in the pod's namespace: then
 * the name is real (a key spelled `__NAME__` that the Secret holds), whatever it looks like.
 */
function producedSecretKey(o: GraphObject, graph: ObjectGraph, ref: { name: string; key: string }): boolean {
  const ns = graph.namespaceOf(o.manifest);
  const own = graph
    .ofKind('Secret')
    .filter((s) => text(mapping(s.manifest.metadata).name) === ref.name && (ns === undefined || graph.namespaceOf(s.manifest) === ns))
    .some((s) => ref.key in mapping(s.manifest.data) || ref.key in mapping(s.manifest.stringData));
  return own || !!externalSecretKeys(graph, ref.name, ns)?.keys.has(ref.key);
}

/**
 * A `<NAME>` or placeholder word in a URI of a command line (placeholder-commands.ts): an error in an init container,
 * whose fetch fails before the pod can start (as fetchedUrlHits), else a warning: the container reads the literal.
 */
function commandUriHits(m: Loose): Hit[] {
  return commandUriPlaceholders(allContainers(m)).map((p) => ({
    where: p.where,
    token: p.token,
    severity: p.init ? 'error' : 'warning',
    free: true,
    ...(p.init ? { fetched: true } : {}),
  }));
}

/** A required node label value left as a slot (placeholder-commands.ts): no node has it, so the pod cannot be scheduled. */
function nodeLabelHits(m: Loose): Hit[] {
  return nodeLabelPlaceholders(m).map((p): Hit => ({ where: p.where, token: p.token, severity: p.alternative ? 'warning' : 'error', scheduled: true }));
}

/** What a slot in one term of required node affinity does beside terms without one (nodeSelectorTerms are ORed). */
const SCHEDULE_TERM_HARM =
  'no node carries that label value, so that term of the required node affinity matches no node: the terms are ORed, and the pod is placed only by the others, not where this one meant';

/** What a required node label value left as a slot does. */
const SCHEDULE_HARM =
  "no node carries that label value, so the scheduler finds no node for the pod (FailedScheduling: didn't match Pod's node affinity/selector) and it stays Pending";

/** An env value that says only that it is to be replaced. */
const REPLACE_ME = /^(?:REPLACE[-_]?ME|[Rr]eplace[-_]?[Mm]e)$/;

function containerHits(o: Loose): Hit[] {
  const hits: Hit[] = [];
  for (const { name, container } of containersOf(o)) {
    // KServe renders an LLMInferenceService's spec (merged with its configs) as a Go template, {{ ChildName … }} included
    // (pkg/controller/llmisvc, the config merge); a runtime's kserve-container as a Go template of the service's
    // metadata (kserve-placeholders.ts), whose failures are said apart; other containers reach the pod as written
    const kserve = kserveRenders(o, name);
    const renderer: Renderer = o.kind === 'LLMInferenceService' || kserve ? 'go-template' : 'none';
    if (kserve) hits.push(...kserveHits(container, name));
    const image = text(container.image);
    const inImage = image
      ? renderer === 'go-template'
        ? leftover(image, false, renderer)
        : (TEMPLATE.exec(image) ?? KUBELET_REF.exec(image))?.[0]
      : undefined;
    // the kubelet pulls the image name as written: InvalidImageName
    if (inImage) hits.push({ where: `container '${name}' image`, token: inImage, severity: 'error', image: true });
    if (!runsShell(container)) {
      const words = [...strings(container.command), ...strings(container.args)];
      words.forEach((w, i) => {
        if (TEMPLATE_FLAGS.test(w) || (i > 0 && TEMPLATE_FLAGS.test(words[i - 1]))) return;
        const t = leftover(w, true, renderer) ?? WHOLE_ANGLE.exec(w)?.[1] ?? hostAngle(w);
        if (t) hits.push({ where: `container '${name}' command line`, token: t, severity: 'warning', free: !leftover(w, true, renderer) });
      });
    }
    const names = mappings(container.env).map((e) => String(e.name));
    for (const e of mappings(container.env)) {
      // the runtimes pass VLLM_ADDITIONAL_ARGS through the shell (eval), which expands ${VAR} in it
      if (e.name === VLLM_ADDITIONAL_ARGS) continue;
      const value = text(e.value) !== undefined && !String(e.value).includes('\n') ? String(e.value) : undefined;
      // a `${PATH}` meant to extend a variable is no template: env-shell-reference says so
      const t = value !== undefined && !meantReferences(value, String(e.name), names).length ? leftover(value, true, renderer) : undefined;
      // a URL whose host is left as a `<NAME>` (`https://<your-endpoint>/v1`): the container calls no such host
      const url = value !== undefined && URL_VALUE.test(value.trim()) ? hostAngle(value.trim()) : undefined;
      const angle = value !== undefined ? (WHOLE_ANGLE.exec(value.trim())?.[1] ?? url) : undefined;
      // a value that is nothing but `REPLACE_ME` or `replace-me` (a word saying it is to be replaced; a `TODO` or `NONE`
      // mode may be meant); a URL or repository holding a placeholder word is fetchedUrlHits'
      const word = value !== undefined && !REPOSITORY_ENV.test(String(e.name)) && REPLACE_ME.test(value.trim()) ? value.trim() : undefined;
      const token = t ?? angle ?? word;
      if (token) hits.push({ where: `container '${name}' env ${text(e.name) ?? ''}`, token, severity: 'warning', free: !t });
    }
  }
  return hits;
}

/**
 * An image of an InferenceService's transformer or explainer holding `${VAR}` or `$(VAR)`: the kubelet pulls it as
 * written (InvalidImageName). `{{ … }}` there is left alone: whether KServe renders it in those components is not read here.
 */
function componentImageHits(o: Loose): Hit[] {
  return componentContainers(o).flatMap(({ where, container }): Hit[] => {
    const token = (TEMPLATE.exec(text(container.image) ?? '') ?? KUBELET_REF.exec(text(container.image) ?? ''))?.[0];
    return token && !token.startsWith('{{') ? [{ where: `${where} image`, token, severity: 'error', image: true }] : [];
  });
}

/** The `{{ … }}` of a container KServe renders that make its reconcile fail (kserve-placeholders.ts): an error each. */
function kserveHits(container: Loose, name: string): Hit[] {
  return kserveActions(containerStrings(container, name)).flatMap((a): Hit[] =>
    a.fails ? [{ where: a.where, token: a.token, severity: 'error', kserve: a.fails }] : [],
  );
}

/** A ClusterServingRuntime's containers that KServe renders: its other values are not judged here. */
function clusterRuntimeHits(m: Loose): Hit[] {
  return mappings(mapping(m.spec).containers)
    .filter((c) => kserveRenders(m, text(c.name) ?? ''))
    .flatMap((c) => kserveHits(c, text(c.name) ?? ''));
}

/** The containers of any pod of an object (a workload's, a serving object's, each pod template of a RayService or training job), each with where it is written. */
function allContainers(o: Loose): { where: string; container: Loose; init: boolean }[] {
  return [
    ...containersOf(o).map(({ name, container, init }) => ({ where: `${init ? 'init container' : 'container'} '${name}'`, container, init })),
    ...templateContainers(o).map(({ where, container, init }) => ({ where, container, init })),
    ...componentContainers(o).map(({ where, container, init }) => ({ where, container, init })),
  ];
}

/**
 * Whether a token is a placeholder a reader fills in by hand: a `<NAME>`, a whole upper-case placeholder word
 * (`REPLACE_ME`, `YOUR_REPO`), or an image that is one upper-case identifier (`IMAGE_NAME`: handFilledImages).
 */
const handFilled = (token: string) => ANGLE_PLACEHOLDER.test(token) || placeholderWord(token) === token || CAPITAL_IMAGE.test(token);

/**
 * Images holding a `<PROJECT-ID>` or a placeholder word, or whose registry is a domain reserved for examples
 * (`registry.example.com/team/app`: reserved-domains.ts), (`vllm/vllm-openai:REPLACE_WITH_TESTED_VERSION`), or that are
 * one upper-case identifier (`image: IMAGE_NAME`, the slot of a guide that has its reader build the image), which a
 * guide tells the reader to fill in: as it is, the kubelet cannot pull it (InvalidImageName; no such tag or
 * repository), so the pod never starts, an error.
 */
function handFilledImages(o: Loose): Hit[] {
  return allContainers(o).flatMap(({ where, container }): Hit[] => {
    const image = text(container.image) ?? '';
    const capital = CAPITAL_IMAGE.test(image.trim()) ? image.trim() : undefined;
    const token = TEMPLATE.test(image) || KUBELET_REF.test(image) ? undefined : (ANGLE_PLACEHOLDER.exec(image)?.[0] ?? placeholderWord(image) ?? capital);
    // a reference that does not parse (capitals in its repository) is refused as written, not pulled and missed
    const unparsed = token !== undefined && imageReferenceProblem(image) !== undefined;
    if (token) return [{ where: `${where} image`, token, severity: 'error' as const, image: true, ...(unparsed ? { unparsed } : {}) }];
    // a reference that does not parse is image-reference-invalid's, whatever its host
    const host = TEMPLATE.test(image) || KUBELET_REF.test(image) || imageReferenceProblem(image) ? undefined : registryHostOf(image.trim());
    if (host && isExampleDomain(host)) return [{ where: `${where} image`, token: host, severity: 'error' as const, image: true, reserved: true }];
    const fillIn = TEMPLATE.test(image) || KUBELET_REF.test(image) ? undefined : guideSlotComponent(image.trim());
    // a guide's slot left in place: the pull fails unless someone owns an account of that name, which the files cannot show
    return fillIn ? [{ where: `${where} image`, token: fillIn, severity: 'warning', image: true, byHand: true }] : [];
  });
}

/** A URL or a git remote (`https://…`, `git@host:owner/repo`). */
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\/\S+$|^[\w.-]+@[\w.-]+:\S+$/i;
/** Env variables naming a repository a container clones before it serves (git-sync's GITSYNC_REPO, GIT_SYNC_REPO, a REPO_URL an entrypoint clones). */
const REPOSITORY_ENV = /(^|_)(REPO|REPOSITORY)(_|$)/i;

/** The host and owner of a URL or git remote (`github.com/YOUR_USERNAME` of `https://github.com/YOUR_USERNAME/YOUR_REPO`). */
function hostAndOwner(url: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  return rest.split(/[/:]/).slice(0, 2).join('/');
}

/**
 * Env values holding a placeholder word in a URL or repository (`GITSYNC_REPO: https://github.com/YOUR_USERNAME/YOUR_REPO`):
 * an error where the container fetches it before the pod can start (an init container, a repository variable) and
 * the placeholder is the whole value or its host or owner, so no fetch can succeed; else a warning.
 */
function fetchedUrlHits(o: Loose): Hit[] {
  return allContainers(o).flatMap(({ where, container, init }) =>
    mappings(container.env).flatMap((e): Hit[] => {
      const value = typeof e.value === 'string' ? e.value.trim() : '';
      const token = value && !value.includes('\n') && !TEMPLATE.test(value) ? placeholderWord(value) : undefined;
      if (!token || !(URL_VALUE.test(value) || REPOSITORY_ENV.test(String(e.name)))) return [];
      const fetched = (init || REPOSITORY_ENV.test(String(e.name))) && (value === token || placeholderWord(hostAndOwner(value)) !== undefined);
      return [{ where: `${where} env ${String(e.name)}`, token, severity: fetched ? 'error' : 'warning', free: true, fetched }];
    }),
  );
}

/** One-line string values of a Secret or ConfigMap: multi-line values are files, which their consumers may template. */
function dataHits(o: Loose, severity: Severity): Hit[] {
  const hits: Hit[] = [];
  const decoded = (v: unknown, base64: boolean) => (base64 ? Buffer.from(String(v), 'base64').toString('utf8') : String(v));
  for (const [field, base64] of [
    ['stringData', false],
    ['data', o.kind === 'Secret'],
  ] as const) {
    for (const [k, v] of Object.entries(mapping(o[field]))) {
      if (typeof v !== 'string') continue;
      const value = decoded(v, base64).trim();
      if (value.includes('\n')) continue;
      const t = leftover(value, false);
      // in a ConfigMap only a value that is nothing but the placeholder is surely a leftover (scripts hold ${VAR})
      if (t && (o.kind === 'Secret' || value === t)) hits.push({ where: `${field}.${k}`, token: t, severity });
    }
  }
  return hits;
}

/** The credential fields of a KServe storage-config entry (kserve pkg/credentials/s3, gcs, azure: the JSON the storage initializer reads). */
const STORAGE_CREDENTIAL_FIELD = /(^|_)(key|secret|password|token|credentials?)(_|$)|access_key_id/i;

/** An upper-case identifier naming a credential (`MINIO_ACCESS_KEY`, `AWS_SECRET_ACCESS_KEY`): the slot's name, not a key. */
const CREDENTIAL_SLOT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:KEY|SECRET|PASSWORD|TOKEN|KEY_ID|ACCESS_KEY)$/;

/**
 * The placeholder credentials of a KServe storage-config Secret's entries, each a JSON document (type, endpoint,
 * access_key_id, secret_access_key): the storage initializer reads them as they are (kserve pkg/credentials
 * CreateStorageSpecSecretEnvs), so a slot's name or a fill-in word there is the key the store is asked with.
 */
function storageConfigHits(o: Loose): Hit[] {
  if (text(mapping(o.metadata).name) !== 'storage-config') return [];
  const entries = [
    ...Object.entries(mapping(o.stringData)).map(([k, v]) => ['stringData', k, String(v)] as const),
    ...Object.entries(mapping(o.data)).map(([k, v]) => ['data', k, Buffer.from(String(v), 'base64').toString('utf8')] as const),
  ];
  return entries.flatMap(([field, key, raw]) => {
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      return [];
    }
    return Object.entries(mapping(doc)).flatMap(([name, value]): Hit[] => {
      if (typeof value !== 'string' || !STORAGE_CREDENTIAL_FIELD.test(name)) return [];
      const placeholder = CREDENTIAL_SLOT.test(value) || placeholderKind(value) === 'to-replace';
      return placeholder ? [{ where: `${field}.${key} ${name}`, token: value, severity: 'warning', free: true, byHand: true }] : [];
    });
  });
}

/** Strings of a serving object's spec outside its containers: storage URIs, model names, runtime names. */
function specHits(o: Loose): Hit[] {
  const hits: Hit[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      // `{ NAME }` in single braces is a slot no renderer fills, left as written (a storageUri of `{ MODEL_URI }`)
      const brace = unfilledPlaceholder(v);
      const t = v.includes('\n')
        ? undefined
        : (leftover(v, false, o.kind === 'LLMInferenceService' ? 'go-template' : 'none') ?? (brace?.startsWith('{') ? brace : undefined));
      if (t) hits.push({ where: path, token: t, severity: 'warning' });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Loose)) {
        // containers are judged with the kubelet's expansion rules above
        if (k === 'containers' || k === 'initContainers' || k === 'model' || k === 'template' || k === 'worker') {
          if (k === 'model')
            walk(Object.fromEntries(Object.entries(mapping(x)).filter(([mk]) => !['args', 'command', 'env', 'image'].includes(mk))), `${path}.${k}`);
          continue;
        }
        walk(x, `${path}.${k}`);
      }
    }
  };
  walk(mapping(o.spec), 'spec');
  return hits;
}

/**
 * A value that is nothing but a hand-filled `<NAME>` (`<YOUR_BUCKET_NAME>`, `<fs-id>`): upper case, `-` or `_` in it, as
 * in WHOLE_ANGLE; or the doubled `<<NAME>>` of a guide's sed step, of any case.
 */
const ANGLE_VALUE = /^<(?=[^>]*[A-Z_-])[A-Za-z][\w.-]*>$|^<<[A-Za-z][\w.-]*>>$/;
/** Free text, which a reader reads and nothing consumes: a placeholder there breaks nothing. */
const FREE_TEXT_KEYS = new Set(['description', 'displayName', 'annotations']);
/** Bound on the walk, against circular YAML aliases. */
const MAX_VALUE_DEPTH = 40;

/**
 * Every one-line string of an object that is nothing but a `<NAME>` a reader was to fill in, beyond the names, images,
 * env values and arguments judged above (a PersistentVolume's `csi.volumeAttributes.bucketName: <YOUR_BUCKET_NAME>`):
 * whatever reads the field takes the literal text. Its names are nameHits'.
 */
function angleValueHits(m: Loose): readonly Hit[] {
  // a walk of every value of the object, asked by the check and by placeholderSecretFields: once per object (shared, read-only)
  return perObject('angle-value-hits', m, angleValueHitsNow);
}

function angleValueHitsNow(m: Loose): Hit[] {
  const hits: Hit[] = [];
  const { metadata, ...rest } = m;
  const { name: _name, namespace: _namespace, ...meta } = mapping(metadata);
  walkValues({ metadata: meta, ...rest }, [], 0, hits);
  return m.kind === 'Secret' && String(m.apiVersion ?? 'v1') === 'v1'
    ? hits.map((h) => (h.where.startsWith('data.') ? { ...h, severity: 'error', harm: SECRET_DATA_HARM } : h))
    : hits;
}

/**
 * The hits said together, by severity (errors first); KServe's are said apart (kserveProblems), and hits whose field
 * says what the literal does (harm) apart from the others of their severity, so each message gives its own reason.
 */
function severityGroups(hits: readonly Hit[]): ['error' | 'warning', Hit[]][] {
  return (['error', 'warning'] as const).flatMap((severity): ['error' | 'warning', Hit[]][] => {
    const of = hits.filter((h) => h.severity === severity && !h.kserve);
    const harmed = of.filter((h) => h.harm);
    const groups = harmed.length && harmed.length < of.length ? [of.filter((h) => !h.harm), harmed] : [of];
    return groups.filter((g) => g.length).map((g): ['error' | 'warning', Hit[]] => [severity, g]);
  });
}

/**
 * A `<NAME>` under a Secret's data: the value is []byte (k8s.io/api core/v1 Secret.Data, OpenAPI format: byte), which
 * the API server decodes as base64 when it reads the object, and '<' and '>' are no base64 characters, so it refuses
 * the Secret before any reader sees the value (value-not-base64 leaves this field to this rule: one mistake, said once).
 */
const SECRET_DATA_HARM =
  "a Secret's data values are base64 (format: byte) and '<' and '>' are no base64 characters: applied as it is, the API server refuses the Secret (illegal base64 data), so nothing that needs it can start";

/**
 * angleValueHits' walk: `at` holds the keys and indexes down to `v`, joined into a path only where a value is a hit
 * (a path string for every value of every object cost most of the rule's time).
 */
function walkValues(v: unknown, at: (string | number)[], depth: number, hits: Hit[]): void {
  if (typeof v === 'string') {
    const trimmed = v.trim();
    // a URL holds a colon, a `<NAME>` starts with '<'
    const url = trimmed.includes(':') && URL_VALUE.test(trimmed) && !dottedPath(at).endsWith('repoURL') ? placeholderWord(v) : undefined;
    if ((trimmed.startsWith('<') && ANGLE_VALUE.test(trimmed)) || url)
      hits.push({ where: dottedPath(at), token: url ?? trimmed, severity: 'warning', field: true });
  } else if (depth < MAX_VALUE_DEPTH && Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      at.push(i);
      walkValues(v[i], at, depth + 1, hits);
      at.pop();
    }
  } else if (depth < MAX_VALUE_DEPTH && v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (FREE_TEXT_KEYS.has(k)) continue;
      at.push(k);
      walkValues((v as Loose)[k], at, depth + 1, hits);
      at.pop();
    }
  }
}

/** The volume attributes naming where a CSI driver mounts from (gcsfuse's bucketName, a file share, an account, a server). */
const MOUNT_ATTRIBUTE = /bucket|server|host|share|account|filesystem|endpoint|dns/i;

/**
 * The attributes a driver mounts from, so that a placeholder there fails the mount: a bucket (gcsfuse, Mountpoint for
 * S3), FSx for Lustre's dnsname (aws-fsx-csi-driver pkg/driver/node.go NodePublishVolume mounts `dnsname@tcp:/mountname`).
 */
const MOUNT_SOURCE = /bucket|^dnsname$/i;

/**
 * The placeholder of a volume source's server or bucket, where one is: a renderer's syntax, a placeholder word, a
 * capital slot. A whole `<NAME>` is angleValueHits' (a warning, and a sed of the tree may fill it).
 */
function mountToken(value: string): string | undefined {
  const v = value.trim();
  if (v.includes('\n') || ANGLE_VALUE.test(v)) return undefined;
  return (TEMPLATE.exec(v) ?? BARE_VARIABLE.exec(v))?.[0] ?? placeholderWord(v) ?? (CAPITAL_SLOT.test(v) ? v : undefined);
}

/** The volume sources of an object, each with where it is written: a PersistentVolume's spec, each volume of its pods. */
function volumeSources(m: Loose): { where: string; source: Loose }[] {
  const pods = [{ pod: podSpecOf(m), prefix: '' }, ...podTemplatesOf(m).map((t) => ({ pod: mapping(t.template.spec), prefix: `${t.path}.` }))];
  return [
    ...(m.kind === 'PersistentVolume' ? [{ where: 'spec', source: mapping(m.spec) }] : []),
    ...pods.flatMap(({ pod, prefix }) => mappings(pod?.volumes).map((v) => ({ where: `${prefix}volume '${text(v.name) ?? ''}'`, source: v }))),
  ];
}

/**
 * Placeholders in where a volume is mounted from: an NFS server (`server: YOUR_NFS_SERVER_IP`), a CSI volume's handle
 * (`volumeHandle: ${FSX_ID}`), a CSI driver's attribute naming a server, bucket, share, account or DNS name
 * (`volumeAttributes.bucketName: GCS_BUCKET`). The kubelet (or
 * the CSI driver) mounts from the literal, which names nothing that exists: an error for the server, the handle, a bucket and FSx's dnsname,
 * whose mount surely fails; a warning for the other attributes, which a driver may not need.
 */
function mountSourceHits(m: Loose): Hit[] {
  return volumeSources(m).flatMap(({ where, source }): Hit[] => {
    const server = text(mapping(source.nfs).server);
    const token = server === undefined ? undefined : mountToken(server);
    const hits: Hit[] = token ? [{ where: `${where} nfs.server`, token, severity: 'error', mount: true }] : [];
    // the handle is the volume's identity the driver mounts (an FSx or EFS file system id, a disk): a placeholder names none
    const handle = text(mapping(source.csi).volumeHandle);
    const handleToken = handle === undefined ? undefined : mountToken(handle);
    if (handleToken) hits.push({ where: `${where} csi.volumeHandle`, token: handleToken, severity: 'error', mount: true });
    for (const [k, v] of Object.entries(mapping(mapping(source.csi).volumeAttributes))) {
      const t = typeof v === 'string' && MOUNT_ATTRIBUTE.test(k) ? mountToken(v) : undefined;
      if (t) hits.push({ where: `${where} csi.volumeAttributes.${k}`, token: t, severity: MOUNT_SOURCE.test(k) ? 'error' : 'warning', mount: true });
    }
    return hits;
  });
}

/**
 * Annotations a controller reads as configuration, by prefix: GKE Workload Identity (iam.gke.io/gcp-service-account),
 * EKS IAM roles for service accounts (eks.amazonaws.com/role-arn), Azure Workload Identity, the AWS Load Balancer
 * Controller (alb.ingress.kubernetes.io/…, service.beta.kubernetes.io/aws-load-balancer-…), cert-manager's issuer
 * annotations and ExternalDNS's hostname. Other annotations are free text, judged only when wholly a placeholder.
 */
const CONTROLLER_ANNOTATIONS = [
  'iam.gke.io/',
  'eks.amazonaws.com/',
  'azure.workload.identity/',
  'alb.ingress.kubernetes.io/',
  'service.beta.kubernetes.io/',
  'cert-manager.io/',
  'external-dns.alpha.kubernetes.io/',
  // KServe's storage annotations on a ServiceAccount or Secret (serving.kserve.io/s3-endpoint, s3-usehttps): the storage initializer reads them
  'serving.kserve.io/s3-',
];

/**
 * Placeholders in an object's own annotations: any placeholder in one a controller reads (CONTROLLER_ANNOTATIONS:
 * `iam.gke.io/gcp-service-account: sa@${PROJECT_ID}.iam.gserviceaccount.com`, which binds no Google account), and a
 * value that is nothing but a renderer's syntax (`${VAR}`, `{{ … }}`) in any other. A warning: the object applies, and what the controller does
 * with the literal (no identity, a refused listener) is not shown.
 */
function annotationHits(m: Loose): Hit[] {
  return Object.entries(mapping(mapping(m.metadata).annotations)).flatMap(([k, v]): Hit[] => {
    if (typeof v !== 'string' || v.includes('\n')) return [];
    const value = v.trim();
    if (!CONTROLLER_ANNOTATIONS.some((p) => k.startsWith(p))) {
      // elsewhere free text, which a reader fills (`owner: <TEAM_NAME>`) and a bare `$name` may be the reader's own
      // variable (ingress-nginx's upstream-hash-by: $request_uri): only a value that is wholly a renderer's syntax
      const whole = TEMPLATE.exec(value)?.[0];
      return whole === value ? [{ where: `metadata.annotations.${k}`, token: whole, severity: 'warning', field: true }] : [];
    }
    const token = (TEMPLATE.exec(value) ?? BARE_VARIABLE.exec(value) ?? ANGLE_PLACEHOLDER.exec(value))?.[0] ?? placeholderWord(value);
    return token ? [{ where: `metadata.annotations.${k}`, token, severity: 'warning', field: true }] : [];
  });
}

/** The kinds whose values are judged beyond names and hostnames: the serving objects, workloads, Secrets and ConfigMaps. */
const VALUE_KINDS: readonly string[] = [
  'Secret',
  'ConfigMap',
  'ServingRuntime',
  'InferenceService',
  'LLMInferenceService',
  ...WORKLOAD_KINDS.filter((k) => k !== 'InferenceService' && k !== 'LLMInferenceService'),
];

/** Objects that are templates by design (an OpenShift Template's parameters, an ApplicationSet's template), whose own renderer fills them. */
const TEMPLATE_KINDS = ['Template', 'ApplicationSet'];

/** The placeholder a name or hostname holds: template syntax, or a `<NAME>` left to be replaced by hand. */
const nameToken = (v: string | undefined) =>
  v ? (TEMPLATE.exec(v) ?? KUBELET_REF.exec(v) ?? BARE_VARIABLE.exec(v) ?? ANGLE_PLACEHOLDER.exec(v))?.[0] : undefined;
/** The placeholder a hostname holds: a name's, or a capital placeholder word (`api.YOUR_DOMAIN`), which no hostname admits. */
const hostToken = (v: string | undefined) => nameToken(v) ?? (v ? placeholderWord(v) : undefined);

/** Whether a hostname is a DNS subdomain, after a leading `*.` wildcard (an Ingress or Gateway API hostname may have one). */
const validHostname = (v: string) => isDnsSubdomain(v.replace(/^\*\./, ''));

/** The first fields nameHits reads: metadata.name and metadata.namespace. */
const METADATA_NAMES = 2;

/** Whether a metadata.name (a DNS subdomain, the form most kinds take) or metadata.namespace (a DNS label) is one. */
const validMetadataName = (where: string, v: string) => (where === 'metadata.namespace' ? isDnsLabel(v) : isDnsSubdomain(v));

/**
 * Names and hostnames holding a placeholder: the API server validates them (a DNS subdomain or label for names, a DNS
 * subdomain for an Ingress host or an OpenShift Route's host, the Gateway API's hostname pattern), so the object is refused.
 */
function nameHits(m: Loose): Hit[] {
  const meta = mapping(m.metadata);
  const spec = mapping(m.spec);
  const fields: [string, unknown][] = [
    ['metadata.name', meta.name],
    ['metadata.namespace', meta.namespace],
  ];
  const pods = [podSpecOf(m), ...podTemplatesOf(m).map((t) => mapping(t.template.spec))];
  pods.forEach((pod, i) => {
    const where = i === 0 ? 'serviceAccountName' : `${podTemplatesOf(m)[i - 1].path}.spec.serviceAccountName`;
    if (pod) fields.push([where, pod.serviceAccountName]);
  });
  const names = fields.length;
  if (m.kind === 'Ingress') {
    mappings(spec.rules).forEach((r, i) => fields.push([`spec.rules[${i}].host`, r.host]));
    mappings(spec.tls).forEach((t, i) => strings(t.hosts).forEach((h, j) => fields.push([`spec.tls[${i}].hosts[${j}]`, h])));
  }
  if (m.kind === 'Route') fields.push(['spec.host', spec.host]);
  if (m.kind === 'Gateway') mappings(spec.listeners).forEach((l, i) => fields.push([`spec.listeners[${i}].hostname`, l.hostname]));
  if (/Route$/.test(String(m.kind)) && m.kind !== 'Route') strings(spec.hostnames).forEach((h, i) => fields.push([`spec.hostnames[${i}]`, h]));
  if (m.kind === 'Service' && spec.externalName !== undefined) fields.push(['spec.externalName', spec.externalName]);
  return fields.flatMap(([where, v], i): Hit[] => {
    // the first fields are names (metadata and service accounts, which metadata-invalid judges for capitals), the rest hostnames
    const token = (i < names ? nameToken : hostToken)(text(v));
    // a <NAME> or a placeholder word is a guide's fill-in, which its reader replaces before applying: a warning;
    // template syntax left by a renderer that did not run is an error, and so is a fill-in in the object's own name or
    // namespace, or in a hostname, that leaves it no DNS name: nothing of the tree fills it (a renderer's file is judged
    // as a template), and the API server refuses the object (apimachinery ValidateObjectMeta; ValidateIngressSpec,
    // ValidateService's externalName, the route validation and the Gateway API hostname pattern take a DNS subdomain)
    const refused = i < METADATA_NAMES ? !validMetadataName(where, text(v) ?? '') : i >= names && !validHostname(text(v) ?? '');
    return token ? [{ where, token, severity: handFilled(token) && !refused ? 'warning' : 'error', name: true }] : [];
  });
}

/**
 * Why an object is judged as a template, not as what is applied: its file looks like one (the reader's reason), or it
 * lies loose in a tree whose kustomizations or Argo CD Applications say what is delivered, and none of them reaches it.
 * Undefined where the file is delivered as it is: through a kustomization or an Application, a file given on its own,
 * standard input, a cdk8s app's output, or a plain folder of manifests (kubectl apply -f).
 */
export function judgedAsTemplate(o: GraphObject, graph: ObjectGraph): string | undefined {
  if (!o.template && (!o.walked || o.kustomizations?.length)) return undefined;
  const delivery = graph.once('unrendered-placeholder:delivery', () => {
    const apps = graph.ofKind('Application');
    return {
      // an ApplicationSet's generators other than lists may deliver any folder
      known: !graph.ofKind('ApplicationSet').length && (apps.length > 0 || graph.objects.some((x) => x.kustomizations?.length)),
      reached: new Set(apps.flatMap((app) => placedSources(graph, app).flatMap((s) => s.objects))),
    };
  });
  // Argo CD applies what its source reads as it is (it runs no envsubst), whatever else renders the file; but a
  // script that edits the file in place (`sed -i`) fills the source a commit then carries to Argo CD
  if (delivery.reached.has(o) && !o.renderedInPlace) return undefined;
  if (o.template) return o.template;
  // a script of the tree that makes the object itself (`kubectl create secret … | kubectl apply -f -`) delivers that
  // one: the file is a template of it, or a leftover
  const m = mapping(o.manifest.metadata);
  const by = graph.scriptCreating(String(o.manifest.kind), text(m.name) ?? '', text(m.namespace));
  if (by) return `${by.script} (line ${by.line}) creates ${String(o.manifest.kind)} '${by.name}' itself rather than applying this file`;
  // an Argo CD Application no other one syncs is a root, applied by hand as it is (`oc apply -f app.yaml`)
  if (o.manifest.kind === 'Application' && (text(o.manifest.apiVersion) ?? '').startsWith('argoproj.io/')) return undefined;
  return delivery.known ? 'no kustomization or Argo CD Application of the tree delivers it' : undefined;
}

/**
 * Whether Argo CD may sync the object: the tree holds an Application or ApplicationSet, and no Flux Kustomization
 * builds the object (one that does is how it is delivered, and Argo CD is no part of it).
 */
function argoSyncs(o: GraphObject, graph: ObjectGraph): boolean {
  const argo = (kind: string) => graph.ofKind(kind).some((a) => (text(a.manifest.apiVersion) ?? '').startsWith('argoproj.io/'));
  return !o.fluxSubstitution && (argo('Application') || argo('ApplicationSet'));
}

/** What is said of a CI pipeline's tokens that no step of the tree replaces. */
const CI_TOKEN_UNFILLED =
  "a CI pipeline's token (a sed step, Azure DevOps Replace Tokens) that no pipeline or script of the tree replaces: assumed filled by a pipeline kept outside the tree; applied as it is, the literal reaches the cluster (a name with capitals or underscores is refused by the API server): replace it before the apply, or keep the pipeline step with the tree";

/** What a placeholder in a volume source's server or bucket does (the kubelet's mount fails, FailedMount events). */
const MOUNT_HARM =
  'the kubelet mounts the volume from that literal server, bucket or volume handle, which does not exist: the mount fails (FailedMount) and the pods using the volume stay ContainerCreating';

/** What Argo CD does with a placeholder an Application hands its chart or kustomization. */
const RENDERED_HARM =
  'Argo CD renders the chart or kustomization with that literal text (argocd app set -p, run before the sync, would replace it): where it becomes a name, label or namespace the API server refuses the object and the sync fails, where it becomes an ID (an AMI, a subnet, a cluster name) whatever reads it finds nothing';

/** The one-line strings of a Helm values tree (values text or valuesObject) with their paths. */
function valueLeaves(v: unknown, path: string, depth = 0): [string, string][] {
  if (typeof v === 'string') return v.includes('\n') ? [] : [[path, v]];
  if (depth >= MAX_VALUE_DEPTH) return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => valueLeaves(x, `${path}[${i}]`, depth + 1));
  if (v && typeof v === 'object') return Object.entries(v as Loose).flatMap(([k, x]) => valueLeaves(x, `${path}.${k}`, depth + 1));
  return [];
}

/**
 * Placeholder words and whole `<NAME>` values an Argo CD Application's sources hand the chart or kustomization they
 * render (helm.parameters, helm.values, helm.valuesObject, kustomize.images, namePrefix, nameSuffix, namespace): Argo
 * CD renders with them as written (argo-cd reposerver/repository helmTemplate, kustomize Build), so they land in the
 * synced objects. A warning: `argocd app set -p` or another override may replace them before the sync.
 */
function applicationSourceHits(m: Loose): Hit[] {
  const spec = mapping(m.spec);
  const sources: [string, Loose][] = [
    ...(spec.source ? [['spec.source', mapping(spec.source)] as [string, Loose]] : []),
    ...mappings(spec.sources).map((s, i): [string, Loose] => [`spec.sources[${i}]`, s]),
  ];
  const values: [string, string][] = sources.flatMap(([at, source]) => {
    const helm = mapping(source.helm);
    const kustomize = mapping(source.kustomize);
    const parsed = typeof helm.values === 'string' ? parseOne(helm.values) : undefined;
    return [
      ...mappings(helm.parameters).map((p): [string, string] => [`${at}.helm.parameters[${text(p.name) ?? '?'}]`, text(p.value) ?? '']),
      ...(parsed && 'value' in parsed ? valueLeaves(parsed.value, `${at}.helm.values`) : []),
      ...valueLeaves(helm.valuesObject, `${at}.helm.valuesObject`),
      ...strings(kustomize.images).map((v, i): [string, string] => [`${at}.kustomize.images[${i}]`, v]),
      ...(['namePrefix', 'nameSuffix', 'namespace'] as const).map((k): [string, string] => [`${at}.kustomize.${k}`, text(kustomize[k]) ?? '']),
    ];
  });
  return values.flatMap(([where, v]): Hit[] => {
    const token = placeholderWord(v) ?? (ANGLE_VALUE.test(v.trim()) ? v.trim() : undefined);
    return token ? [{ where, token, severity: 'warning', field: true, rendered: true }] : [];
  });
}

/** The fields of an Application's source that Argo CD reads as written to find what to sync. */
const SOURCE_FIELDS = ['repoURL', 'path', 'targetRevision', 'chart'] as const;

/**
 * `${VAR}` or `{{ … }}` in an Argo CD Application's own source fields (repoURL, path, targetRevision, chart): Argo CD
 * renders no field of an Application (only an ApplicationSet's template is rendered, by its generators; the
 * repo-server resolves the source as written, argo-cd reposerver/repository GenerateManifests), so the sync cannot
 * resolve the repository, path or revision. A warning: a script may fill the file before it is applied.
 */
function applicationOwnHits(m: Loose): Hit[] {
  const spec = mapping(m.spec);
  const sources: [string, Loose][] = [
    ...(spec.source ? [['spec.source', mapping(spec.source)] as [string, Loose]] : []),
    ...mappings(spec.sources).map((s, i): [string, Loose] => [`spec.sources[${i}]`, s]),
  ];
  return sources.flatMap(([at, source]) =>
    SOURCE_FIELDS.flatMap((k): Hit[] => {
      const token = TEMPLATE.exec(text(source[k]) ?? '')?.[0];
      return token ? [{ where: `${at}.${k}`, token, severity: 'warning', field: true }] : [];
    }),
  );
}

/** What a hand-filled `<NAME>` does where it is left: refused in a name or image, read as it is in a free value. */
function handFilledHarm(of: readonly Hit[]): string {
  if (of.every((h) => h.rendered)) return RENDERED_HARM;
  const fixed = of.filter((h) => !h.free && !h.field);
  if (!fixed.length) {
    if (of.some((h) => h.fetched))
      return 'the container fetches from it before the pod can start: no such host, owner or repository exists, so the pod never starts';
    return of.every((h) => h.field)
      ? 'whatever reads the field takes the literal text (a bucket, volume, host or ID that does not exist)'
      : 'the container reads the literal text (a token the server refuses, a model or path that does not exist)';
  }
  const angle = fixed.some((h) => ANGLE_PLACEHOLDER.test(h.token));
  if (fixed.every((h) => h.mount)) return MOUNT_HARM;
  if (fixed.every((h) => h.reserved))
    return 'its registry is a domain reserved for examples (RFC 2606, RFC 6761), where no registry answers: applied as it is, the kubelet cannot pull it (ErrImagePull, then ImagePullBackOff) and the pod never starts';
  if (fixed.every((h) => h.image)) {
    if (angle) return "no image reference admits '<' or '>': applied as it is, the kubelet cannot pull it (InvalidImageName) and the pod never starts";
    return fixed.some((h) => h.unparsed)
      ? 'no image reference admits capitals in its repository name: applied as it is, the kubelet cannot parse it (InvalidImageName) and the pod never starts'
      : 'no registry serves that image: applied as it is, the kubelet cannot pull it (ErrImagePull, then ImagePullBackOff) and the pod never starts';
  }
  const what = fixed.some((h) => h.image) ? 'name, hostname or image reference' : 'name or hostname';
  return `no ${what} admits ${angle ? "'<' or '>'" : 'capitals or underscores'}: applied as it is, the API server refuses the object`;
}

/**
 * The placeholders of an object's values, by what the rule judges of its kind: once per run and object, as the check
 * and the image-placeholder pass over every object both ask (read-only).
 */
function hitsOf(m: Loose): readonly Hit[] {
  return perObject('placeholder-hits', m, valueHits);
}

function valueHits(m: Loose): Hit[] {
  return judgedValueHits(m).map((h) => (CI_TOKEN.test(h.token) ? { ...h, severity: 'warning' as const, ci: true } : h));
}

/** The renderer's syntax a reference's name or key holds (`${VAR}`, `{{ … }}`, `$(VAR)`, `$VAR`, a CI token). */
const syntaxToken = (v: string) => (TEMPLATE.exec(v) ?? KUBELET_REF.exec(v) ?? BARE_VARIABLE.exec(v))?.[0];

/**
 * Names and keys of the Secrets, ConfigMaps and claims a pod reads that hold a renderer's syntax (`secretKeyRef: {name:
 * ${SECRET}}`, `claimName: ${CLAIM}`): applied as written, the pod waits for an object (or key) of that literal name,
 * which nothing makes, and never starts. The rules that look the object up leave such a name (pod-references.ts).
 */
function referenceHits(m: Loose): Hit[] {
  const pods = [{ manifest: m, prefix: '' }, ...templatePods(m), ...componentPods(m)];
  return pods.flatMap(({ manifest, prefix }) => {
    const claims = writtenClaims(manifest)
      .filter((c) => c.field.endsWith('claimName'))
      .map((c) => ({ where: c.field, value: c.name }));
    return [...templatedReferences(manifest), ...claims].flatMap((r): Hit[] => {
      const token = syntaxToken(r.value);
      const secretKey = 'keyOf' in r && r.keyOf?.kind === 'Secret' ? { name: r.keyOf.name, key: r.value } : undefined;
      return token ? [{ where: `${prefix}${r.where}`, token, severity: 'error', ...(secretKey ? { secretKey } : {}) }] : [];
    });
  });
}

function judgedValueHits(m: Loose): Hit[] {
  const hits: Hit[] = [...nameHits(m), ...referenceHits(m), ...handFilledImages(m), ...fetchedUrlHits(m), ...mountSourceHits(m), ...annotationHits(m)];
  hits.push(...[...nodeClassPlaceholders(m), ...labelPlaceholders(m), ...storageUriPlaceholders(m)].map((p): Hit => ({ ...p, field: true })));
  if (m.kind === 'Application' && (text(m.apiVersion) ?? '').startsWith('argoproj.io/')) hits.push(...applicationSourceHits(m), ...applicationOwnHits(m));
  if (WORKLOAD_KINDS.includes(String(m.kind)) || podTemplatesOf(m).length) hits.push(...nodeLabelHits(m), ...commandUriHits(m));
  if (m.kind === 'ClusterServingRuntime') hits.push(...clusterRuntimeHits(m));
  if (m.kind === 'Secret') hits.push(...dataHits(m, 'error'), ...storageConfigHits(m));
  else if (m.kind === 'ConfigMap') hits.push(...dataHits(m, 'warning'));
  else if (VALUE_KINDS.includes(String(m.kind))) {
    hits.push(...containerHits(m), ...componentImageHits(m));
    if (m.kind === 'InferenceService' || m.kind === 'LLMInferenceService' || m.kind === 'ServingRuntime') hits.push(...specHits(m));
  }
  // beside other ${…} placeholders, an env value that is only `${ITS_NAME}` is one more of them (one cause: the object
  // was never rendered), said here and left by env-shell-reference
  if (hits.some((h) => h.token.startsWith('${'))) hits.push(...ownNameValues(m));
  return hits;
}

/** Env entries whose whole value is `${NAME}` of their own name, which containerHits leaves to env-shell-reference. */
function ownNameValues(m: Loose): Hit[] {
  if (!VALUE_KINDS.includes(String(m.kind))) return [];
  return containersOf(m).flatMap(({ name, container }) =>
    mappings(container.env)
      .filter((e) => e.name !== VLLM_ADDITIONAL_ARGS && typeof e.value === 'string' && e.value.trim() === `\${${String(e.name)}}`)
      .map((e) => ({ where: `container '${name}' env ${String(e.name)}`, token: String(e.value).trim(), severity: 'warning' as const, free: true })),
  );
}

/**
 * The env entries (`container 'c' env NAME`) of an object that this rule reports as unrendered placeholders though
 * their value names their own variable: env-shell-reference leaves them, so one cause is said once.
 */
export function placeholderOwnValues(m: Loose): ReadonlySet<string> {
  const own = new Set(ownNameValues(m).map((h) => h.where));
  return new Set(
    hitsOf(m)
      .filter((h) => own.has(h.where))
      .map((h) => h.where),
  );
}

/**
 * The fields of a Secret this rule reports as placeholders (`stringData.token`), as its check judges them: a
 * template's own hits, else those and the `<NAME>` values. plaintext-secret leaves them: one value, one finding.
 */
export function placeholderSecretFields(o: GraphObject, graph: ObjectGraph): ReadonlySet<string> {
  if (o.manifest.kind !== 'Secret' || generatedFrom(o)) return new Set();
  const hits = hitsOf(o.manifest);
  const judged = judgedAsTemplate(o, graph) ? hits : [...hits, ...angleValueHits(o.manifest)];
  return new Set(judged.map((h) => h.where));
}

/**
 * Whether this rule reports template syntax (`${VAR}`, `{{ … }}`) left in an object: then a reference of the object
 * whose name holds such syntax (a queue label, a Secret's name) names what only rendering decides, and the rules that
 * look the name up leave it (one cause, said once, here).
 */
export function reportsTemplateSyntax(m: Loose): boolean {
  return hitsOf(m).some((h) => TEMPLATE.test(h.token));
}

/** The one placeholder an object's images hold when they are its only placeholders, and it is judged as applied. */
function imageOnlyToken(o: GraphObject, graph: ObjectGraph): string | undefined {
  if (TEMPLATE_KINDS.includes(String(o.manifest.kind)) || generatedFrom(o)) return undefined;
  const hits = hitsOf(o.manifest);
  const tokens = new Set(hits.map((h) => h.token));
  return hits.length && hits.every((h) => h.image) && tokens.size === 1 && !judgedAsTemplate(o, graph) ? hits[0].token : undefined;
}

/**
 * What is said of an object whose images are a placeholder: nothing where an object before it (by id) holds the same
 * one, which names it; else the other objects holding it. One placeholder (`<IMAGE>`) in eight workloads is one mistake.
 */
function sharedImagePlaceholder(o: GraphObject, graph: ObjectGraph): { first: boolean; also: string; all: GraphObject[] } {
  const users = graph.once('unrendered-placeholder:images', () => {
    const by = new Map<string, GraphObject[]>();
    for (const x of graph.objects) {
      const token = imageOnlyToken(x, graph);
      if (token !== undefined) by.set(token, [...(by.get(token) ?? []), x]);
    }
    return firstById(graph, by);
  });
  const token = imageOnlyToken(o, graph);
  const all = token === undefined ? [o] : (users.get(token) ?? [o]);
  return {
    first: all[0] === o,
    all,
    also: alsoBy(
      'used',
      all.slice(1).map((x) => graph.id(x)),
      graph.id(o),
    ),
  };
}

export const unrenderedPlaceholder: Rule = {
  id: 'unrendered-placeholder',
  title: "template syntax (${VAR}, {{ … }}, $(VAR) outside a container, a CI pipeline's __NAME__) left in a delivered value: applied as it is",
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "{{ … }} in the containers KServe renders (a ServingRuntime's or ClusterServingRuntime's kserve-container and transformer-container, and an InferenceService's model container, which KServe merges into its runtime's kserve-container; not a runtime's other containers, nor a custom predictor's) is judged as KServe's ReplacePlaceholders treats it: the container marshalled to JSON, parsed by Go's text/template with no functions added, executed on the service's metav1.ObjectMeta: what resolves there ({{.Name}}, {{.Namespace}}, {{.Labels.key}}, {{index .Annotations `key`}}, Go's builtins and blocks) is rendered, no finding; a field ObjectMeta lacks ({{.StorageURI}}), an unknown function, a double-quoted string (`\\\"` after the JSON escaping, which the parser refuses) or a block left open is an error, the predictor's reconcile failing with no Deployment made, in any value of such a container, multi-line ones and chat templates included; elsewhere, " +
    "a one-line value holds ${VAR} or {{ … }} (or a CI pipeline's token, `__NAME__` of a sed step (a whole value or a segment set apart by characters no identifier holds; not inside an identifier, such as the nested setting `APP__SERVICE__API_KEY`, nor a Secret key that a Secret or ExternalSecret of the tree makes) or `#{Name}#` of Azure DevOps Replace Tokens, a warning wherever it is, since a release pipeline kept outside the repository may fill it, naming the pipeline step where an Azure Pipelines file, CI workflow or script of the tree seds the file or runs replacetokens on it; metadata-invalid leaves such names) (in a serving object's spec also `{ NAME }` in single braces, which nothing fills; an Argo CD repoURL holding one is argocd-repo-url-invalid's) (or $(VAR) where the kubelet does not expand it: anywhere but a container's command, args and env), in a Secret (error; where an Argo CD Application of the tree may sync it, and no Flux Kustomization builds it, the message adds that self-heal writes the literal back), a container image (error), a name or namespace of any object, a pod's serviceAccountName (a bare shell `$VAR` too, which no name admits), the name or key of a Secret, ConfigMap or claim a pod reads (env valueFrom, envFrom, volumes, projected sources: the pod waits for an object of that literal name; the rules that look the object up leave such a name) or a hostname (an Ingress's rules[].host and tls[].hosts, a Route's spec.host, a Gateway listener's hostname, an HTTPRoute's hostnames) (error; a `<NAME>` left to be replaced by hand, a guide's fill-in that no name or hostname admits, a warning, but an error in metadata.name or metadata.namespace, which it leaves no DNS name: the API server refuses the object, and nothing of the tree fills it unless the file is judged as a template as below), or elsewhere (warning), a `<NAME>` standing for a whole env value or argument (`<your-hf-token>`, `--model=<MODEL_ID>`; upper case, `-` or `_` in it, unlike a chat model's `<think>`) included, a `<NAME>` standing for part of a host in a container argument or an env value that is a URL (`--allowed-hosts=app.<CLUSTER_IP>.nip.io`, `https://<your-endpoint>/v1`: after `://`, `@` or a dot, or before a dot; the server refuses the real Host header, or the container calls no such host; a warning), `${VAR}` or `{{ … }}` in an Argo CD Application's own source fields (repoURL, path, targetRevision, chart; warning: Argo CD renders no field of an Application, only an ApplicationSet's template is rendered by its generators, so the repo-server resolves the literal and the sync fails; not an ApplicationSet's template, nor an Application it generates, nor one a Helm chart's templates/ render), and a `<NAME>` that is the whole one-line value of any other field of an object delivered as it is (a PersistentVolume's `csi.volumeAttributes.bucketName: <YOUR_BUCKET_NAME>`, a custom resource's field, a ConfigMap value: whatever reads it takes the literal; warning, and not judged in a file judged as a template as below); a `<NAME>` or an upper-case placeholder word (REPLACE_ME, REPLACE_WITH_…, YOUR_…, CHANGE_ME, CHANGEME, TODO, FIXME, …PLACEHOLDER…: the one list, which the credential rules read too) in a container image (error: no registry serves it, the pod never starts), an image that is one upper-case identifier (`image: IMAGE_NAME`, `IMAGE`, `MY_IMAGE`: a guide's slot for the image its reader builds, which no reference admits, InvalidImageName; error, a warning where a step of the tree's README has the reader replace it, as below), an image whose registry host is a domain reserved for examples (RFC 2606 and 6761: example.com, example.net, example.org and their subdomains, the .example, .test and .invalid domains, an mDNS .local name with an `example` label such as registry.example.local; error: no registry answers there), an image whose registry or repository is a guide's slot (`your-registry/app:1.0`, `yourregistry.azurecr.io/app`, `your_org/app`, `yourorg/app`: a warning, since only the registry knows whether someone owns that name; not a name that only starts with the letters, `yourcompany-ml`), a volume source's server, CSI volumeHandle, bucket or FSx for Lustre dnsname holding ${VAR}, `$VAR`, a placeholder word or one upper-case identifier with `_` (`nfs.server: YOUR_NFS_SERVER_IP`, `csi.volumeHandle: ${FSX_ID}`, a CSI `volumeAttributes.bucketName: GCS_BUCKET`; error: the kubelet mounts from the literal, FailedMount, the pods stay ContainerCreating; a whole `<NAME>` there is a warning, as in any field), and a CSI attribute naming a share, account, host, DNS name, file system or endpoint holding one (warning; capital words a driver takes, `NFS`, `Premium_LRS`, are none), an annotation a controller reads as configuration (iam.gke.io/, eks.amazonaws.com/, azure.workload.identity/, alb.ingress.kubernetes.io/, service.beta.kubernetes.io/, cert-manager.io/, external-dns.alpha.kubernetes.io/) holding any of those, and any other annotation whose whole value is ${VAR} or {{ … }} (warning: the object applies, whatever reads it takes the literal; a `<NAME>` or a placeholder word there is free text a reader fills), a placeholder word in a hostname (warning, as a `<NAME>` there), in a URL or repository an env value gives (`GITSYNC_REPO: https://github.com/YOUR_USERNAME/YOUR_REPO`: error where an init container or a repository variable fetches it before the pod can start and the word is the whole value, its host or its owner; else warning) or in a URL of any other field but an Argo CD repoURL (warning); real capital values are no placeholder words (`ALL`, `NONE`, `IfNotPresent`, `v1.0-RC1`, `Llama-3.1-8B-Instruct`, `TODO-list`); not judged: what the shell expands in an unquoted heredoc a script applies (`cat <<EOF | oc apply -f -`; a quoted <<'EOF' hands the literal over, judged), `<…>` in comments and free text (descriptions, displayName, annotations other than the above; a bare `$name` in an annotation no listed controller reads, such as ingress-nginx's upstream-hash-by: $request_uri), `<…>` inside a longer value (`List<String>`, `models-<suffix>`), e-mail addresses and chat-model tokens (`<s>`, `<|im_end|>`), multi-line values (files their consumers template), VLLM_ADDITIONAL_ARGS (the runtimes eval it), an env value's `${NAME}` that extends a variable (its own, PATH, another entry: env-shell-reference's; but a whole value `${NAME}` of its own name beside other `${…}` placeholders of the object is one more of them, judged here), ConfigMap values that are more than the placeholder, shell scripts (sh -c expands ${VAR}), Jinja templates ({% … %}, --chat-template), ApplicationSets and OpenShift Template objects (an Argo CD Application's other fields but the source fields and the helm and kustomize values above); an image placeholder that is all an object holds is said once per placeholder, on the first object (by kind, namespace and name) holding it, the others counted and named; a warning, judged as a template, in a file that is not delivered as it is: a *.tmpl/*.template name, a README beside it that runs envsubst, its own comment that runs a renderer (`# Usage: envsubst < app.yaml | oc apply -f -`), its head comment that submits it through a tool of its own (`# arnold submit -f jobset.yaml`: a command reading a YAML file with -f, not kubectl, oc or helm; named in the warning) where no script or README of the tree applies it, or asks for a value to be filled in (`# replace $KSA_NAME with your service account`), a comment beside a placeholder (a placeholder word and a volume source's capital slot included; trailing, or on the line above) that has the reader set it (`# change for your image registry`), a step of a Markdown document in its folder or one above it that has the reader edit, replace, change or set something and whose sentence, following code block or list, or (for a heading) section shows the placeholder (`${VAR}`, `{{ … }}` or a `<NAME>`) or names the file (the file must be edited before it is applied), a script of the tree that renders it (a *.sh/*.bash script, Makefile, justfile, Taskfile, Markdown file or CI workflow running envsubst, a sed substitution, oc process, gomplate, j2 or yq with env() on it, named by path, by name, through a variable folder or a loop over its folder or a list of files, and every file a name a variable completes can match (`sed -i … manifests/dep-${X}.yaml` renders dep-a.yaml and dep-b.yaml alike; a loop's variable only its listed values); a file a kustomization lists too, unless an Argo CD Application syncs it), a loose file that no kustomization or Argo CD Application of the tree reaches, a loose file with `${VAR}` or `{{ … }}` that no script applies in a tree whose scripts render other files of it (an unused or hand-rendered template), or a loose file of an object a script of the tree creates itself (`kubectl create secret generic hf-token … | kubectl apply -f -`); a file an Argo CD Application syncs stays an error, whatever renders it elsewhere (Argo CD runs no envsubst), unless a script edits it, or the kustomization that builds it (an `images:` newName, a patch), in place (`sed -i`, `yq -i`: the source a commit carries to Argo CD is filled; a warning); where a script of the checked folder, or of the git work tree above it (the scripts, Makefiles and READMEs of each folder up to its root, and their scripts/, hack/, bin/, tools/ and ci/ folders; at its root the CI workflows of .github/workflows, the Tekton folders .tekton/ and tekton/, and the commands of the guides of docs/ (a guide up to 128 KiB, its fenced blocks and code spans: `envsubst < deploy/secret.yaml | oc apply -f -`); naming the path whole from the repository's root or the script's folder, or through a variable folder (`$DIR/manifests/app.yaml`) by its trailing segments, as a check of the repository's root reads it), pipes the file (`envsubst < f`, `cat f | envsubst`) or the kustomize build of its root (kustomize build, kubectl kustomize; the root through the script's variables or a `$(…)`) through envsubst straight into an apply (`| kubectl apply -f -` or `create`, filters such as a multi-line awk between, kubectl through a variable or a wrapper function; or through a function of the script that runs the renderer on its parameter, called on each file of a loop over the folder: `for f in infra/*.yaml; do render $f | kubectl apply -f -; done`; a function running Python's os.path.expandvars fills only the variables the script exports, `export NAMESPACE IMAGE` or after `set -a`, and leaves the others as written, an error or warning as applied, naming the exported ones), what envsubst fills is rendered at deploy time and no finding: every `$VAR` and `${VAR}` without a SHELL-FORMAT argument, only the variables it names with one (GNU gettext envsubst; an argument the shell makes at run time leaves the file judged as a template); a `${VAR:-default}` of a filled variable stays a warning (GNU envsubst leaves it, other implementations fill it); what envsubst leaves (a variable the SHELL-FORMAT list does not name, `{{ … }}`, a `<NAME>`) is judged as applied, naming the list, and so is any field of the object that is nothing but a variable the list leaves out (`modelName: ${MODEL_NAME}`, a warning); a README of a kustomize root's folder, or of the folder above it, that names envsubst makes the build a template (a warning); an info in a file named as an example (`*.example.yaml`, `*.sample.yaml`, `*-example.yaml`) that no kustomization, Argo CD Application, script or README command of the tree applies; " +
    'where the scripts render a file with sed alone, each sed read whole (literal patterns; -e, several commands split by `;`, any delimiter, GNU or BSD -i), what none of its substitutions replaces is judged as applied, naming the tokens it replaces (`sed -i "s|IMG|$IMG|" app.yaml` leaves `host: ${HOST}` an error); a sed whose pattern is a regular expression may replace anything (a warning, judged as a template); what a sed before an envsubst in one pipeline replaces is filled as what the envsubst fills is; ' +
    'where nothing in the input renders or delivers a loose file (no Argo CD Application or ApplicationSet, Flux Kustomization or HelmRelease, kustomization, nor a script, Makefile, CI workflow or README of the checked folders that deploys or renders anything or, a README aside, names a manifest file; and the folders lie in no git work tree whose scripts could be searched), a whole `${VAR}` or `$VAR` is said so ("nothing in the input renders it; if a script outside the input runs envsubst, check from the repository root"): an error in a Secret or an image as elsewhere, a warning in any other field (a bare folder of envsubst templates is common); ' +
    "a tree whose own Argo CD Applications hold `<NAME>` tokens (metadata.name, spec.project, spec.destination name or server, a source's repoURL: `<WORKLOAD_CLUSTER_NAME>`, `<GITOPS_REPO_URL>`, or lower-case words joined by `-` or `_`: `<cluster-name>`, `<your-domain>`; not a lower-case word alone such as `<none>` or an HTML tag, nor an e-mail address or a shell arrow) is a template repository whose tooling replaces the tokens when it copies the tree (not where a script of the tree renders its Applications, filling their tokens itself): every finding of any rule whose message names such a token (`<NAME>`, `<your-bucket>`) is a warning at most, and the output says once why (its template line); a `<<NAME>>` (the doubled form a guide's sed step replaces) is read as a `<NAME>` is; " +
    "in a Karpenter EC2NodeClass or EKS Auto Mode NodeClass, a placeholder (a renderer's syntax, a `<NAME>`, a placeholder word) in a selector term's tag value, id or name (subnetSelectorTerms, securityGroupSelectorTerms, amiSelectorTerms, capacityReservationSelectorTerms: `karpenter.sh/discovery: <<CLUSTER_NAME>>`) is an error where every term of the list holds one (the terms are ORed; no AWS resource carries the literal, so the controller sets the NodeClass not Ready and launches no node), else a warning; one in spec.role is an error (no IAM role of that name, no instance profile); " +
    "a placeholder in a label value (the object's labels, a pod template's, a workload's matchLabels, a Service's selector) that leaves it no label value is an error (ValidateLabels refuses it); a Service selector value that is a placeholder word but a valid label value is a warning (it selects only pods labelled with the literal); a hand-filled slot in an Ingress, Route, Gateway or HTTPRoute hostname or a Service's externalName that leaves it no DNS subdomain is an error (the API server refuses the object; a fill-in that leaves a valid one stays a warning); a `<NAME>`, `<<NAME>>` or placeholder word in an InferenceService's storageUri or storageUris (not pvc://) or an LLMInferenceService's model uri is an error (the storage initializer finds no model there and the predictor never starts); KServe's serving.kserve.io/s3-* annotations are read like the other controller annotations (a warning); " +
    "a `<NAME>` or a placeholder word inside a URI of a workload container's command or args (`aws s3 cp s3://<my-bucket>/…`, in a shell script too, its echo, printf and comment lines aside): an error in an init container, whose fetch fails before the pod can start, else a warning; " +
    "a required node label value left as a slot (a nodeSelector value, or every value of an In expression in each term of required node affinity, that is a `<NAME>`, a placeholder word, or the label's own name in capitals: `topology.kubernetes.io/zone In [ZONE]`): an error, as no node carries it and the pod stays Pending; where another term of required node affinity holds no slot (terms are ORed), a warning: that term matches no node; " +
    "a claim a pod mounts (a persistentVolumeClaim volume, an InferenceService's or LLMInferenceService's pvc://<claim>/… storage URI) whose lower-case name holds a placeholder word (`pvc://your-model-pvc/model`: your, replace, changeme, placeholder, todo, fixme as a word of the name) and which nothing of the tree makes: a warning, where pod-reference-not-found does not look the claim up (it says an error in a namespace the tree creates, or beside the claims of the object's folder); an object a Flux Kustomization builds (its spec.path followed from the repository's root, a shared template a kustomization there pulls in included; the Kustomization written in the checked folder, listed or not by its kustomization, above it or anywhere in the repository) is judged after that Kustomization's post-build substitution as fluxcd/pkg envsubst makes it (only ${NAME} forms, `$${NAME}` an escaped literal, defaults with :=, :-, =, targetNamespace set; an object labelled or annotated kustomize.toolkit.fluxcd.io/substitute: disabled is not substituted): a variable that a substituteFrom ConfigMap or Secret may give (optional or not) is rendered with a value unknown here, no finding, and the rules that judge names leave it; the substitution a parent Flux Kustomization's spec.patches give every child it builds (a target selecting kind Kustomization, by name regex, label or annotation selector) is the child's own; a ${NAME} without a default that neither substitute nor substituteFrom gives (every substituteFrom source a ConfigMap the tree holds, none defining it) is judged as applied, the message saying that Flux (strict mode off) renders it as an empty string",
  example: "a Secret with `AWS_SECRET_ACCESS_KEY: '${AWS_SECRET_ACCESS_KEY}'`, synced raw by a self-healing Argo CD application",
  fix: 'render the value before delivery (envsubst, Helm, kustomize replacements), or keep the object out of the delivered tree (External Secrets, Sealed Secrets)',
  source:
    'karpenter-provider-aws pkg/controllers/nodeclass (subnet.go, securitygroup.go, ami.go: "SubnetSelector did not match any Subnets", the NodeClass not Ready; instanceprofile.go); kubernetes pkg/apis/core/validation ValidateService (ValidateLabels of spec.selector, externalName a DNS subdomain), ValidateIngressSpec (host a DNS subdomain, an optional leading wildcard) and apimachinery ValidateLabels (IsValidLabelValue); kserve storage Storage.download_files ("Failed to fetch model. No model found in …"); ' +
    'kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go ReplacePlaceholders (json.Marshal, text/template Parse and Execute on metav1.ObjectMeta) and components/predictor.go buildPodSpec (the kserve-container merged with the model, the transformer-container); ' +
    'RFC 2606 and RFC 6761 (domains reserved for examples); KServe pkg/webhook/admission/pod/storage_initializer_injector.go (a pvc:// URI mounts the claim it names in the predictor pod); kube-scheduler VolumeBinding (persistentvolumeclaim not found: Pending) and NodeAffinity (a nodeSelector or required node affinity no node labels satisfy: FailedScheduling, Pending); the kubelet volume mounts (pkg/volume/nfs, the CSI NodePublishVolume call: a mount from a server, bucket or volume handle that does not exist fails, FailedMount; aws-fsx-csi-driver pkg/driver/node.go mounts `dnsname@tcp:/mountname`); the API server and the kubelet expand nothing but $(VAR) in command, args and env (Kubernetes "Define dependent environment variables"); Argo CD applies the files as they are (Argo CD operator manual, ApplicationSet Template: only the template fields of an ApplicationSet are rendered, from the parameters of its generators, into the Applications it makes; the source of an Application is resolved by the repo-server as written, reposerver/repository GenerateManifests), and self-heal puts the literal back on every sync; GNU gettext envsubst (envsubst --help, src/envsubst.c): it replaces `$VARIABLE` and `${VARIABLE}` only, and with a SHELL-FORMAT argument only the variables that argument references; Python os.path.expandvars (Lib/posixpath.py: references to variables the environment does not hold are left unchanged) and bash "Environment" (only exported variables reach a child process); fluxcd/pkg kustomize/kustomize_varsub.go SubstituteVariables (substitute over substituteFrom, the disabled label or annotation, no substitution without variables, strict mode off: an unset variable is the empty string) and envsubst (parse/scan.go, parse.go, template.go, funcs.go: ${…} only, `$$` escapes, default operators)',
  check(o, ctx) {
    // an OpenShift Template's object keeps the references of parameters without a value: oc process fills them
    if (o.fromTemplate) return [];
    const problems = [...placeholderProblems(o, ctx.graph), ...placeholderClaimProblems(o, ctx.graph)];
    const example = problems.length ? undeliveredExample(o, ctx.graph) : undefined;
    return example ? asUndeliveredExample(problems, example) : problems;
  },
};

/** The rule's findings on an object, as said where the object is applied. */
function placeholderProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const m = o.manifest;
  // an Application an ApplicationSet generates takes its names from the generator's parameters, judged there
  if (TEMPLATE_KINDS.includes(String(m.kind)) || generatedFrom(o)) return [];
  // what the shell expands in an unquoted heredoc is filled when the script runs: no placeholder left
  const hits = hitsOf(m).filter(
    (h) => !o.shellFills?.some((e) => h.token.includes(e)) && !fluxRendered(o, h.token) && !(h.secretKey && producedSecretKey(o, graph, h.secretKey)),
  );
  const left = o.envsubstFills ? leftVariables(m, o.envsubstFills, hits) : [];
  const template = hits.length || left.length ? judgedAsTemplate(o, graph) : undefined;
  if (!template) return o.fluxSubstitution ? fluxProblems(o, graph, hits) : deliveredProblems(o, graph, hits);
  // a script that pipes the object through envsubst into an apply fills the variables envsubst fills: those are
  // rendered; what it leaves (a variable its SHELL-FORMAT does not name, `{{ … }}`) reaches the cluster as written
  // a script whose sed alone renders the file replaces its tokens and nothing else: another placeholder stays as written
  const { unsure, literal } = o.envsubstFills
    ? envsubstAfterSed([...hits, ...left], o.envsubstFills, o.sedFills)
    : o.sedExact
      ? bySed(hits, o.sedFills ?? [])
      : { unsure: hits, literal: [] };
  const out: Problem[] = unsure.length ? [templateProblem(unsure, template)] : [];
  if (!literal.length) return out;
  const leaves = o.envsubstFills ? envsubstLeaves(template, o.envsubstFills, o.renderedWith) : sedLeaves(template, o.sedFills ?? []);
  return [...out, ...deliveredProblems(o, graph, literal, leaves)];
}

/** The hits of an object a sed of literal tokens renders (sedExact), parted by whether one of its tokens replaces text in them. */
function bySed(hits: readonly Hit[], fills: readonly string[]): { unsure: Hit[]; literal: Hit[] } {
  const replaced = (h: Hit) => fills.some((t) => sedReplaces(t, h.token));
  return { unsure: hits.filter(replaced), literal: hits.filter((h) => !replaced(h)) };
}

/**
 * The hits of an object a pipeline renders with sed and then envsubst (`sed "s|IMG|$IMG|" f | envsubst | kubectl apply
 * -f -`): what the sed replaces is judged as a template's, what it leaves as envsubst does (byEnvsubst).
 */
function envsubstAfterSed(hits: readonly Hit[], fills: EnvsubstFills, sedFills: readonly string[] | undefined): { unsure: Hit[]; literal: Hit[] } {
  const sed = bySed(hits, sedFills ?? []);
  const after = byEnvsubst(sed.literal, fills);
  return { unsure: [...sed.unsure, ...after.unsure], literal: after.literal };
}

/** Why what a sed of literal tokens leaves in an object it renders is applied as written. */
function sedLeaves(template: string, fills: readonly string[]): string {
  return `${template}, but its sed replaces only ${fills.map((t) => `'${t}'`).join(', ')}, so this is applied literally: add a substitution for it to that sed, or write the value`;
}

/** The variables of a `${…}` token as Flux's substitution reads them (`${NAME}`, `${NAME:=x}`, `${#NAME}`). */
const fluxVariablesOf = (token: string) => [...token.matchAll(/\$\{#?([\p{L}\p{N}_]+)/gu)].map((x) => x[1]);

/**
 * Whether a placeholder is one that Flux's post-build substitution fills from a substituteFrom ConfigMap or Secret
 * (flux-followed.ts): rendered when applied, its value unknown here, so nothing is said of it.
 */
function fluxRendered(o: GraphObject, token: string): boolean {
  const names = fluxVariablesOf(token);
  return !!o.fluxSubstitution && !o.fluxSubstitution.error && names.length > 0 && names.every((n) => o.fluxSubstitution!.unknown.includes(n));
}

/**
 * The findings on the placeholders of an object a Flux Kustomization builds: a `${NAME}` without a default that its
 * substitution does not give, which Flux renders as the empty string (fluxcd/pkg kustomize_varsub.go varSubstitution:
 * strict mode off, an unset variable is ""), or any placeholder of an object its substitution fails on.
 */
function fluxProblems(o: GraphObject, graph: ObjectGraph, hits: readonly Hit[]): Problem[] {
  const flux = o.fluxSubstitution!;
  if (flux.error)
    return deliveredProblems(
      o,
      graph,
      hits,
      `${flux.by} substitutes its post-build variables in this object, and Flux's substitution refuses it ("variable substitution failed: ${flux.error}"), so the Kustomization applies nothing: write each variable as \${NAME} or \${NAME:=default}, or escape a literal one as $\${NAME}`,
    );
  const empty = hits.filter((h) => fluxVariablesOf(h.token).some((n) => flux.empty.includes(n)));
  const names = [...new Set(empty.flatMap((h) => fluxVariablesOf(h.token).filter((n) => flux.empty.includes(n))))];
  const rest = hits.filter((h) => !empty.includes(h));
  const leaves =
    `${flux.by} substitutes its post-build variables here, but no spec.postBuild.substitute or substituteFrom gives ${names.map((n) => `\${${n}}`).join(', ')} and the token has no default: ` +
    `Flux renders it as an empty string (its substitution's strict mode is off), and that is applied; set it in spec.postBuild.substitute, or write a default (\${${names[0]}:=value})`;
  return [...(empty.length ? deliveredProblems(o, graph, empty, leaves) : []), ...deliveredProblems(o, graph, rest)];
}

/** A placeholder envsubst fills as a whole (`${NAME}`, `$NAME`), with its variable's name; undefined for any other token. */
const ENVSUBST_TOKEN = /^\$\{([A-Za-z_]\w*)\}$|^\$([A-Za-z_]\w*)$/;
/** A `${NAME…}` with an operator (`${NAME:-default}`): GNU envsubst leaves it, other envsubst implementations fill it. */
const OPERATOR_TOKEN = /^\$\{([A-Za-z_]\w*)[:?+=-]/;

/**
 * The hits of an object that envsubst renders before the apply, parted by what it does to them (GNU gettext envsubst:
 * it replaces `$NAME` and `${NAME}` of the variables it fills, nothing else): the ones it fills are gone; a `${NAME:-x}`
 * of a filled variable is unsure (other envsubst implementations fill it), judged as a template; the rest it leaves.
 */
function byEnvsubst(hits: readonly Hit[], fills: EnvsubstFills): { unsure: Hit[]; literal: Hit[] } {
  const unsure: Hit[] = [];
  const literal: Hit[] = [];
  for (const h of hits) {
    const whole = ENVSUBST_TOKEN.exec(h.token);
    if (whole && fillsVariable(fills, whole[1] ?? whole[2])) continue;
    const operator = OPERATOR_TOKEN.exec(h.token);
    (operator && fillsVariable(fills, operator[1]) ? unsure : literal).push(h);
  }
  return { unsure, literal };
}

/** Containers, whose values containerHits judges by the kubelet's and the shell's expansion rules. */
const CONTAINER_KEYS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * The one-line values of an object rendered by an envsubst with a SHELL-FORMAT list that are nothing but a variable
 * the list does not name (`modelName: ${MODEL_NAME}` where the list names ${POOL_NAME} only), in any field but names
 * (nameHits'), free text and containers (containerHits'): envsubst leaves them, so whatever reads the field takes the
 * literal. Those the other hits already hold are left out.
 */
function leftVariables(m: Loose, fills: EnvsubstFills, hits: readonly Hit[]): Hit[] {
  if (fills === 'all') return [];
  const seen = new Set(hits.map((h) => `${h.where}\0${h.token}`));
  const out: Hit[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'string') {
      const whole = ENVSUBST_TOKEN.exec(v.trim());
      if (whole && !fillsVariable(fills, whole[1] ?? whole[2]) && !seen.has(`${path}\0${v.trim()}`))
        out.push({ where: path, token: v.trim(), severity: 'warning', field: true });
    } else if (depth < MAX_VALUE_DEPTH && Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    else if (depth < MAX_VALUE_DEPTH && v && typeof v === 'object')
      for (const [k, x] of Object.entries(v as Loose)) if (!FREE_TEXT_KEYS.has(k) && !CONTAINER_KEYS.has(k)) walk(x, path ? `${path}.${k}` : k, depth + 1);
  };
  const { metadata, ...rest } = m;
  const { name: _name, namespace: _namespace, ...meta } = mapping(metadata);
  walk({ metadata: meta, ...rest }, '', 0);
  return out;
}

/** Why what envsubst leaves in an object it renders is applied as written. */
function envsubstLeaves(template: string, fills: EnvsubstFills, program?: string): string {
  // os.path.expandvars fills the variables the script exports and leaves any other as written
  if (program === EXPANDVARS && fills !== 'all')
    return `${template}, but ${EXPANDVARS} replaces only the variables the script exports (${fills.map((n) => `\${${n}}`).join(' ') || 'none'}) and leaves the others as written, so it is applied literally: export the variable before rendering, or write the value`;
  return fills === 'all'
    ? `${template}, but envsubst replaces only $NAME and \${NAME} (not \${NAME:-…}, {{ … }} or a <NAME>), so it is applied literally: write the value, or render it with the tool its syntax is for`
    : `${template}, but its envsubst fills only the variables its SHELL-FORMAT argument names (${fills.map((n) => `\${${n}}`).join(' ') || 'none'}), so it is applied literally: add the variable to that list, or write the value`;
}

/** The warning for placeholders of an object judged as a template: what its renderer fills, worth a look, never a failed apply. */
function templateProblem(hits: readonly Hit[], template: string): Problem {
  return {
    severity: 'warning',
    // every object of a template names itself with its placeholders: counted on one line
    ...(hits.every((h) => h.name) ? { summary: 'objects of templates whose names hold the placeholders their renderer fills' } : {}),
    message:
      `${hits.map((h) => `${h.where} holds '${h.token}'`).join(', ')}: judged as a template, since ${template}; ` +
      'if it is applied as it is, the literal reaches the cluster: render it before (envsubst, Helm, kustomize replacements), or keep it out of the delivered tree',
  };
}

/** The `{{ … }}` on which KServe's rendering of a container fails, in one error: what it does with them. */
function kserveProblems(m: Loose, hits: readonly Hit[]): Problem[] {
  const of = hits.filter((h) => h.kserve);
  if (!of.length) return [];
  const what =
    m.kind === 'InferenceService'
      ? "KServe merges the service's model container into its runtime's kserve-container and renders it"
      : 'KServe renders this container of the runtime, for each InferenceService that uses it,';
  return [
    {
      severity: 'error',
      message:
        `${of.map((h) => `${h.where} holds '${h.token}' (${h.kserve})`).join(', ')}: ${what} as a Go template with the service's metadata (ReplacePlaceholders), ` +
        'so the predictor\'s reconcile errors ("failed to replace placeholders in serving runtime … Container …") and no Deployment is made: ' +
        "write the value, or use only fields of the service's metadata ({{.Name}}, {{.Namespace}}, {{.Labels.key}}, {{index .Annotations `key`}})",
    },
  ];
}

/** A whole `${NAME}` or `$NAME`: envsubst's syntax. */
const ENVSUBST_SYNTAX = /^\$\{[A-Za-z_]\w*\}$|^\$[A-Za-z_]\w*$/;

/**
 * Whether nothing in the input delivers or renders an object's loose file: it was met walking a folder (no
 * kustomization builds it), the checked folders lie in no git work tree (no script above them could be searched), and
 * the tree holds no Argo CD Application or ApplicationSet, no Flux Kustomization or HelmRelease, no kustomization,
 * and no script, README or CI workflow that deploys or renders anything (unscripted; one that applies or renders
 * other files shows how the tree is delivered: what it leaves out is judged as before).
 */
function noRendererInSight(o: GraphObject, graph: ObjectGraph): boolean {
  if (!o.walked || !o.unscripted || o.kustomizations?.length || o.template || graph.checkouts.length) return false;
  const delivered = graph.once('unrendered-placeholder:any-delivery', () =>
    graph.objects.some(
      (x) =>
        x.kustomizations?.length ||
        isFluxKustomization(x.manifest) ||
        (['Application', 'ApplicationSet', 'HelmRelease'].includes(String(x.manifest.kind)) && !x.outside),
    ),
  );
  return !delivered && !graph.scriptApplied.length;
}

/**
 * The findings on `${VAR}` placeholders of a loose file nothing in the input renders or delivers (noRendererInSight):
 * a folder of envsubst templates is as common as a mistake, so a warning, but a Secret's and an image's keep their
 * severity (a literal credential or image reference is harm whoever renders the rest).
 */
function unseenProblems(m: Loose, hits: readonly Hit[], also: string): Problem[] {
  const graded = hits.map((h) => (h.image || m.kind === 'Secret' ? h : { ...h, severity: 'warning' as const }));
  return severityGroups(graded).map(([severity, of]) => ({
    severity,
    message:
      `${of.map((h) => `${h.where} holds '${h.token}'`).join(', ')}${also}: template syntax, and nothing in the input renders it; ` +
      'if a script outside the input runs envsubst, check from the repository root (no Argo CD Application, Flux Kustomization, kustomization or script of the checked folders delivers the file, and they lie in no git work tree to search): ' +
      'applied as it is, the literal reaches the cluster: render the value before delivery, or keep the object out of the tree',
  }));
}

/**
 * The findings on placeholders applied as they are written: the object's hits and its other `<NAME>` values;
 * `leaves`, where a renderer runs but leaves these (envsubstLeaves), says why.
 */
function deliveredProblems(o: GraphObject, graph: ObjectGraph, hits: readonly Hit[], leaves?: string): Problem[] {
  const m = o.manifest;
  const shared = sharedImagePlaceholder(o, graph);
  if (!shared.first) return [];
  // a delivered object's other values: a <NAME> left whole in any field (a template's are its renderer's)
  const judged = new Set(hits.map((h) => h.token));
  // a `<NAME>` the object's sed replaces is filled (sedExact: the rest is applied as written)
  const values = angleValueHits(m).filter((h) => !judged.has(h.token) && !(o.sedExact && o.sedFills?.some((t) => sedReplaces(t, h.token))));
  // a copy: the object's hits are kept for the run (hitsOf), and these are this check's own
  const judgedHits = values.length && (hits.length || !judgedAsTemplate(o, graph)) ? [...hits, ...values] : hits;
  // `${VAR}` in a loose file nothing in the input delivers: an envsubst template as likely as a mistake
  const unseen = !leaves && noRendererInSight(o, graph) ? judgedHits.filter((h) => ENVSUBST_SYNTAX.test(h.token)) : [];
  const out: Problem[] = [...kserveProblems(m, judgedHits), ...unseenProblems(m, unseen, shared.also)];
  for (const [severity, of] of severityGroups(judgedHits.filter((h) => !unseen.includes(h)))) {
    const held = `${of.map((h) => `${h.where} holds '${h.token}'`).join(', ')}${shared.also}`;
    if (leaves) out.push({ severity, message: `${held}: ${leaves}` });
    else if (of.every((h) => h.ci)) out.push({ severity, message: `${held}: ${CI_TOKEN_UNFILLED}` });
    else if (of.every((h) => h.scheduled))
      out.push({
        severity,
        message: `${held}: a placeholder left to be replaced by hand, and ${severity === 'error' ? SCHEDULE_HARM : SCHEDULE_TERM_HARM}; write the real value (or drop the requirement)`,
      });
    else if (of.every((h) => h.harm))
      out.push({
        severity,
        message: `${held}: a placeholder left in a value read as it is written, and ${[...new Set(of.map((h) => h.harm))].join('; ')}; write the real value`,
      });
    else if (of.every((h) => h.reserved || h.byHand || handFilled(h.token)))
      out.push({ severity, message: `${held}: a placeholder left to be replaced by hand, and ${handFilledHarm(of)}; write the real value` });
    else if (of.every((h) => h.mount))
      out.push({ severity, message: `${held}: template syntax that nothing renders here, so ${MOUNT_HARM}; write the real value` });
    else
      out.push({
        severity,
        message:
          `${held}: template syntax that nothing renders here, so it is applied literally` +
          (m.kind === 'Secret' && argoSyncs(o, graph) ? ' (and a self-healing Argo CD application writes the literal over the real value on every sync)' : '') +
          ': render the value before delivery, or keep the object out of the tree',
      });
  }
  // said once for every object holding the placeholder: their pods fail, latent only while none of them runs a pod
  return shared.all.length > 1 ? out.map((p) => ({ ...p, failsIn: shared.all })) : out;
}
