import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, text } from './access';
import { readBounded } from './files';
import { objectsCreatedByScript, ScriptCreated } from './script-creations';
import { yamlLib } from './yaml-documents';
import { setAsideActions } from '../private/template-actions';

/**
 * Ansible modules that apply Kubernetes objects: kubernetes.core.k8s (collection kubernetes.core, formerly
 * community.kubernetes.k8s; `k8s` its short name), and the OpenShift collections' wrappers of it (community.okd.k8s,
 * redhat.openshift.k8s), which take the same parameters.
 */
const K8S_MODULES = new Set(['k8s', 'kubernetes.core.k8s', 'community.kubernetes.k8s', 'community.okd.k8s', 'redhat.openshift.k8s']);
/** Ansible modules that run a command: its free form, or `cmd:` (ansible.builtin.shell, ansible.builtin.command). */
const COMMAND_MODULES = new Set(['shell', 'command', 'ansible.builtin.shell', 'ansible.builtin.command', 'ansible.legacy.shell', 'ansible.legacy.command']);
/** The kinds an Ansible task's creation is read for: what a pod reads by name. */
const KINDS = new Set(['ConfigMap', 'Secret']);
/** A name as Kubernetes takes it (a DNS subdomain); one holding a Jinja expression is no name known here. */
const LITERAL_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
/** Bound on a template file a task applies. */
const MAX_TEMPLATE_BYTES = 256 * 1024;
/**
 * How Ansible files are parsed: the library's warnings (a key that is a collection, an unquoted `{{ x }}`; a tag such
 * as `!vault`) would reach the user's terminal, not the findings; aliases capped.
 */
const PARSE = { logLevel: 'error', maxAliasCount: 100 } as const;
/** What stands for a Jinja expression in a template read as YAML: no name admits it. */
const JINJA_MARK = '__jinja__';

/** A literal name, or undefined where it holds Jinja or is no name. */
function literal(v: unknown): string | undefined {
  const s = text(v);
  return s !== undefined && LITERAL_NAME.test(s) ? s : undefined;
}

/**
 * A template's text as YAML: each `{{ … }}` a mark no name admits, each line that is only a `{% … %}` statement or a
 * `{# … #}` comment dropped (the template's loops and conditions give the documents it may write, all of them read).
 */
export function jinjaNeutralized(source: string): string {
  return setAsideActions(source, { syntaxes: ['jinja'], replacement: JINJA_MARK, wholeLines: 'remove', lineKinds: ['statement', 'comment'] });
}

/** The objects of YAML documents (a task's `definition:`, a template file), each mapping or list item. */
function documentsOf(source: string): Loose[] {
  try {
    return yamlLib()
      .parseAllDocuments(jinjaNeutralized(source), PARSE)
      .flatMap((d) => (d.errors.length ? [] : [d.toJS(PARSE) as unknown]))
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter(isMapping);
  } catch {
    return [];
  }
}

/** The ConfigMaps and Secrets of objects, named literally, in the namespace their metadata or the task gives. */
function madeOf(objects: readonly Loose[], namespace: unknown, line: number, command: string): Omit<ScriptCreated, 'script'>[] {
  return objects.flatMap((o) => {
    const meta = mapping(o.metadata);
    const name = literal(meta.name);
    if (!KINDS.has(String(o.kind)) || !name) return [];
    // a namespace written as Jinja is one the task gives at run time: unknown here, as a script's own context
    const ns = meta.namespace !== undefined ? literal(meta.namespace) : literal(namespace);
    return [{ kind: String(o.kind), name, ...(ns ? { namespace: ns } : {}), line, command }];
  });
}

/** The file a task names (`src: files/cm.yaml`, `template: cm.yaml.j2`, `lookup('template', 'cm.yaml.j2')`), found where Ansible looks for it. */
function taskFile(word: string, taskFile: string): string | undefined {
  if (word.includes('{{') || path.isAbsolute(word)) return undefined;
  const dir = path.dirname(taskFile);
  // a role's tasks/ looks in the role's templates/ and files/ (Ansible's search path for roles), a playbook beside itself
  const role = path.basename(dir) === 'tasks' || path.basename(dir) === 'handlers' ? path.dirname(dir) : undefined;
  const places = [...(role ? [path.join(role, 'templates'), path.join(role, 'files'), role] : []), dir, path.join(dir, 'templates'), path.join(dir, 'files')];
  return places.map((p) => path.join(p, word)).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** The objects of a file a task applies, read as YAML with its Jinja neutralized. */
function fileObjects(word: string, from: string): Loose[] {
  const file = taskFile(word, from);
  const st = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
  const read = file && st ? readBounded(file, st, MAX_TEMPLATE_BYTES) : undefined;
  return read && 'text' in read ? documentsOf(read.text) : [];
}

/** The file a `definition:` string reads through a lookup (`{{ lookup('template', 'cm.yaml.j2') | from_yaml }}`). */
const LOOKUP = /\blookup\(\s*['"](?:template|file|ansible\.builtin\.(?:template|file))['"]\s*,\s*['"]([^'"]+)['"]/;

/**
 * What one kubernetes.core.k8s task makes (its parameters, kubernetes.core docs): its `definition` (or
 * `resource_definition`: a mapping, a list, YAML text, or a lookup of a template), the file of `src`, the template of
 * `template` (a path, or a mapping with `path`), or an object of `kind` and `name` alone; none with `state: absent`.
 */
function k8sTaskMade(params: Loose, line: number, file: string, module: string): Omit<ScriptCreated, 'script'>[] {
  if (text(params.state) === 'absent') return [];
  const command = `${module} task`;
  const definition = params.definition ?? params.resource_definition;
  const lookup = typeof definition === 'string' ? LOOKUP.exec(definition)?.[1] : undefined;
  const defined = lookup
    ? fileObjects(lookup, file)
    : typeof definition === 'string'
      ? documentsOf(definition)
      : (Array.isArray(definition) ? definition : [definition]).filter(isMapping);
  const template = text(params.template) ?? text(mapping(params.template).path);
  const src = text(params.src);
  const named = KINDS.has(String(params.kind)) ? [{ kind: params.kind, metadata: { name: params.name } }] : [];
  const objects = [...defined, ...(src ? fileObjects(src, file) : []), ...(template ? fileObjects(template, file) : []), ...(defined.length ? [] : named)];
  return madeOf(objects, params.namespace, line, command);
}

/** The command a command module's task runs: its free form, or `cmd:`, or its `argv:` words. */
function commandOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const m = mapping(value);
  return text(m.cmd) ?? (Array.isArray(m.argv) ? m.argv.map(String).join(' ') : undefined);
}

/**
 * The ConfigMaps and Secrets the tasks of an Ansible file make (`file`: its path, for the files its tasks name): each
 * kubernetes.core.k8s task (K8S_MODULES), and each shell or command task that runs `oc|kubectl create configmap|secret
 * NAME`; with the line of the task's module. A file whose documents are not lists (plays or tasks) is no Ansible file.
 */
export function ansibleCreatedObjects(source: string, file: string): Omit<ScriptCreated, 'script'>[] {
  const YAML = yamlLib();
  let docs: ReturnType<typeof YAML.parseAllDocuments>;
  try {
    docs = YAML.parseAllDocuments(source, PARSE);
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const lineOf = (at: number) => source.slice(0, at).split('\n').length;
  const out: Omit<ScriptCreated, 'script'>[] = [];
  for (const doc of docs) {
    if (doc.errors.length || !YAML.isSeq(doc.contents)) continue;
    YAML.visit(doc, {
      Pair(_, pair) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (!key || !pair.value || !(K8S_MODULES.has(key) || COMMAND_MODULES.has(key))) return;
        const line = lineOf(YAML.isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0);
        const value: unknown = YAML.isNode(pair.value) ? pair.value.toJS(doc, PARSE) : undefined;
        if (K8S_MODULES.has(key)) {
          if (isMapping(value)) out.push(...k8sTaskMade(value, line, file, key));
          return;
        }
        const command = commandOf(value);
        const made = command ? objectsCreatedByScript(command).filter((o) => KINDS.has(o.kind)) : [];
        out.push(...made.map((o) => ({ ...o, line })));
      },
    });
  }
  return out;
}
