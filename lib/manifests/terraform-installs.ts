import * as path from 'path';
import { terraformFiles } from './terraform-files';
import { TreeScript } from './script-text';
import { knownRemoteBase, ListedRemoteBase } from './remote-bases';
import type { ScriptCreated } from './script-creations';

/** Kueue's release manifests at a version, the artifact its chart and its releases page install alike. */
const releaseManifests = (version: string) =>
  `https://github.com/kubernetes-sigs/kueue/releases/download/${version.startsWith('v') ? version : `v${version}`}/manifests.yaml`;

/**
 * The Kueue release a Terraform configuration of the tree installs (.tf files, HCL): a URL of Kueue's release
 * manifests or config/default, its `${var.X}` and `${local.X}` put in from the variables' defaults and the locals; a
 * helm_release of Kueue's chart at a version; else a variable or local named like kueue_version with a literal value.
 * What the tree's Kueue objects cannot tell, the configuration that installs Kueue beside them does.
 */
export function terraformInstalledBases(root: string): ListedRemoteBase[] {
  const { files, put } = terraformConfiguration(root);
  const out: ListedRemoteBase[] = [];
  for (const f of files) {
    for (const m of f.text.matchAll(/"([^"\n]*kubernetes-sigs\/kueue[^"\n]*)"/g)) listed(out, f.script, put(m[1]));
    for (const { chart, version } of helmReleasesIn(f, put))
      if (/(^|\/)kueue$/.test(chart) && version && /^v?\d+\.\d+(\.\d+)?$/.test(version)) listed(out, f.script, releaseManifests(version));
  }
  if (out.length) return out;
  for (const f of files) {
    for (const [name, value] of valuesIn(f.text))
      if (/kueue.*version/i.test(name) && /^v?\d+\.\d+(\.\d+)?$/.test(value)) listed(out, f.script, releaseManifests(value));
  }
  return out;
}

/** The tree's .tf files, and what puts the variables' defaults and the locals into a string (`${var.X}`, `${local.X}`). */
function terraformConfiguration(root: string): { files: TreeScript[]; put: (s: string) => string } {
  const files = terraformFiles(root);
  const values = terraformValues(files);
  const put = (s: string) => s.replace(/\$\{\s*(var|local)\.(\w+)\s*\}/g, (all, _kind: string, name: string) => values.get(name) ?? all);
  return { files, put };
}

/** The Terraform kubernetes provider's resources that make one object of a kind (registry.terraform.io/providers/hashicorp/kubernetes; each also as `_v1`). */
const TERRAFORM_KINDS: Readonly<Record<string, string>> = {
  kubernetes_service_account: 'ServiceAccount',
  kubernetes_namespace: 'Namespace',
  kubernetes_secret: 'Secret',
  kubernetes_config_map: 'ConfigMap',
};

/** A metadata field's literal value, a `var.`/`local.` default put in, or (`computed`) a quoted string whose interpolation stays unknown. */
type FieldValue = (body: string, field: string) => { name?: string; computed?: string };

/** The value reader of a configuration: a string, `var.x` or `local.x`, and a namespace resource's name (`kubernetes_namespace_v1.x.metadata[0].name`, or its id). */
function fieldReader(put: (s: string) => string, namespaces: ReadonlyMap<string, string>): FieldValue {
  return (body, field) => {
    const line = new RegExp(`^\\s*${field}\\s*=\\s*(.+?)\\s*(?:#.*|\\/\\/.*)?$`, 'm').exec(body)?.[1] ?? '';
    const ref = /^(kubernetes_namespace(?:_v1)?\.[\w-]+)\.(?:metadata\[0\]\.name|id)$/.exec(line);
    const literal = /^"([^"\n]*)"$/.exec(line)?.[1];
    const variable = /^(?:var|local)\.(\w+)$/.exec(line)?.[1];
    const v = ref ? namespaces.get(ref[1]) : literal !== undefined ? put(literal) : variable !== undefined ? put(`\${var.${variable}}`) : undefined;
    if (v !== undefined && /^[a-z0-9][a-z0-9.-]*$/.test(v)) return { name: v };
    // a quoted name with an interpolation no default fills (`${var.prefix}-smtp`): made, under a name not known here
    return v !== undefined && /\$\{/.test(v) && /^[\w.${}[\]"-]+$/.test(v) ? { computed: v } : {};
  };
}

/** A resource of the kubernetes provider that makes one object: its kind, its metadata's own fields (nested maps emptied), its line. */
interface TerraformObject {
  readonly kind: string;
  readonly label: string;
  readonly metadata: string;
  readonly start: number;
}

/**
 * The kubernetes provider's resources of one file that make one object: the typed resources (TERRAFORM_KINDS), and a
 * kubernetes_manifest written as an HCL object (`manifest = { kind = "Secret" metadata = { … } }`) of those kinds; a
 * manifest from yamldecode is read as YAML (terraformManifests).
 */
function terraformObjectsIn(text: string): TerraformObject[] {
  const own = (metadata: string) => metadata.replace(/=\s*\{[^{}]*\}/g, '= {}');
  const typed = blocks(text, /\bresource\s+"(kubernetes_(?:service_account|namespace|secret|config_map)(?:_v1)?)"\s+"[\w-]+"\s*\{/g).map((b) => ({
    kind: TERRAFORM_KINDS[b.label.replace(/_v1$/, '')],
    label: b.label,
    metadata: own(blocks(b.body, /\bmetadata\s*\{()/g)[0]?.body ?? ''),
    start: b.start,
  }));
  const manifests = blocks(text, /\bresource\s+"(kubernetes_manifest)"\s+"[\w-]+"\s*\{/g).flatMap((b) => {
    const kind = /^\s*kind\s*=\s*"(\w+)"/m.exec(b.body)?.[1];
    if (!kind || !Object.values(TERRAFORM_KINDS).includes(kind) || /yamldecode/.test(b.body)) return [];
    return [{ kind, label: b.label, metadata: own(blocks(b.body, /\bmetadata\s*=\s*\{()/g)[0]?.body ?? ''), start: b.start }];
  });
  return [...typed, ...manifests];
}

/**
 * The objects the tree's Terraform configuration creates with the kubernetes provider: `resource
 * "kubernetes_service_account" "x" { metadata { name = … namespace = … } }`, the namespace, secret and config_map
 * resources, and a kubernetes_manifest of those kinds written in HCL. A name from `var.`/`local.` is their literal
 * default, a namespace may name a kubernetes_namespace resource's; a Secret whose quoted name holds an interpolation
 * nothing fills is kept under that name (`${var.prefix}-smtp`: it may be the one a pod names); any other expression
 * names no known object. A namespaced object without metadata.namespace is in "default", the provider's default.
 */
export function terraformCreatedObjects(root: string): ScriptCreated[] {
  const { files, put } = terraformConfiguration(root);
  const objects = files.map((f) => ({ f, objects: terraformObjectsIn(f.text) }));
  const namespaces = new Map<string, string>();
  const literal = fieldReader(put, new Map());
  for (const { f } of objects)
    for (const b of blocks(f.text, /\bresource\s+"(kubernetes_namespace(?:_v1)?)"\s+"([\w-]+)"\s*\{/g)) {
      const name = literal(blocks(b.body, /\bmetadata\s*\{()/g)[0]?.body ?? '', 'name').name;
      const label = /"([\w-]+)"\s*\{$/.exec(f.text.slice(b.start, b.start + 200).split('\n')[0])?.[1];
      if (name && label) namespaces.set(`${b.label}.${label}`, name);
    }
  const value = fieldReader(put, namespaces);
  return objects.flatMap(({ f, objects: made }) =>
    made.flatMap((b) => {
      const { name: known, computed } = value(b.metadata, 'name');
      const name = known ?? (b.kind === 'Secret' ? computed : undefined);
      if (!name) return [];
      const written = /^\s*namespace\s*=/m.test(b.metadata);
      const namespace = b.kind === 'Namespace' ? undefined : written ? value(b.metadata, 'namespace').name : 'default';
      const line = f.text.slice(0, b.start).split('\n').length;
      return [{ kind: b.kind, name, ...(namespace ? { namespace } : {}), script: f.script, line, command: `resource "${b.label}"` }];
    }),
  );
}

function listed(out: ListedRemoteBase[], file: string, entry: string): void {
  const base = entry.includes('${') ? undefined : knownRemoteBase(entry);
  if (base?.project === 'kueue') out.push({ file, entry, base });
}

/** The literal defaults of variables and the literal locals, by name, where every file that sets one agrees. */
function terraformValues(files: readonly TreeScript[]): Map<string, string> {
  const seen = new Map<string, Set<string>>();
  for (const f of files) for (const [name, value] of valuesIn(f.text)) seen.set(name, (seen.get(name) ?? new Set()).add(value));
  return new Map([...seen].filter(([, v]) => v.size === 1).map(([name, v]) => [name, [...v][0]]));
}

/** `variable "x" { default = "v" }` and `x = "v"` in a locals block, as name and value. */
function valuesIn(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const block of blocks(text, /\bvariable\s+"(\w+)"\s*\{/g)) {
    const value = /^\s*default\s*=\s*"([^"$\n]*)"/m.exec(block.body)?.[1];
    if (value !== undefined) out.push([block.label, value]);
  }
  for (const block of blocks(text, /\blocals\s*\{()/g)) for (const m of block.body.matchAll(/^\s*(\w+)\s*=\s*"([^"$\n]*)"/gm)) out.push([m[1], m[2]]);
  return out;
}

/** A helm_release of the tree's Terraform configuration: its chart, version and `set` names and values, with the file and line. */
export interface TerraformHelmRelease {
  readonly file: string;
  readonly line: number;
  readonly chart: string;
  readonly version?: string;
  readonly sets: readonly { readonly name: string; readonly value: string }[];
}

/** The helm_release resources of the tree's Terraform configuration (hashicorp/helm provider), variables put in. */
export function terraformHelmReleases(root: string): TerraformHelmRelease[] {
  const { files, put } = terraformConfiguration(root);
  return files.flatMap((f) => helmReleasesIn(f, put));
}

/** A string attribute of an HCL block's body (`name = "value"` on its own line). */
function attribute(body: string, name: string): string | undefined {
  return new RegExp(`^\\s*${name}\\s*=\\s*"([^"\\n]*)"`, 'm').exec(body)?.[1];
}

/** The helm_release resources of one .tf file, variables put in. */
function helmReleasesIn(f: TreeScript, put: (s: string) => string): TerraformHelmRelease[] {
  return blocks(f.text, /\bresource\s+"helm_release"\s+"(\w+)"\s*\{/g).map((b) => {
    const version = attribute(b.body, 'version');
    const sets = blocks(b.body, /\bset\s*\{()/g).flatMap((s) => {
      const name = attribute(s.body, 'name');
      return name ? [{ name, value: put(attribute(s.body, 'value') ?? '') }] : [];
    });
    const line = f.text.slice(0, b.start).split('\n').length;
    return { file: f.script, line, chart: put(attribute(b.body, 'chart') ?? ''), ...(version ? { version: put(version) } : {}), sets };
  });
}

/** The bodies of the blocks an opening pattern starts, to their matching brace (HCL strings hold no braces here that matter). */
function blocks(text: string, opening: RegExp): { label: string; body: string; start: number }[] {
  const out: { label: string; body: string; start: number }[] = [];
  for (const m of text.matchAll(opening)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    out.push({ label: m[1] ?? '', body: text.slice(start, i - 1), start: m.index });
  }
  return out;
}

/** The hashicorp/local provider's resources that write a file at `filename` (registry.terraform.io/providers/hashicorp/local: local_file, local_sensitive_file). */
const FILE_RESOURCES = /\bresource\s+"(?:local_file|local_sensitive_file)"\s+"[\w-]+"\s*\{()/g;

/**
 * The files (absolute paths) the Terraform configuration of a folder writes when applied: the `filename` of each
 * local_file and local_sensitive_file, variables put in, `${path.module}` (and `path.root`, `path.cwd`, which are the
 * same for a configuration applied from its own folder) its .tf file's folder, a relative name resolved from there.
 * A name holding any other expression is left out.
 */
export function terraformWrittenFiles(root: string): string[] {
  const { files, put } = terraformConfiguration(root);
  return files.flatMap((f) => {
    const folder = path.dirname(path.resolve(root, f.script));
    return blocks(f.text, FILE_RESOURCES).flatMap((b) => {
      const name = attribute(b.body, 'filename');
      if (name === undefined) return [];
      const at = put(name).replace(/\$\{\s*path\.(module|root|cwd)\s*\}/g, '.');
      return at.includes('${') ? [] : [path.resolve(folder, at)];
    });
  });
}
