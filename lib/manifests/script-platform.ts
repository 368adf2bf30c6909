import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from './files';
import { TreeScript } from './script-text';
import { invocationOf, scriptCommandsOf } from './script-commands';

/** A command of a tree's script or README that only one platform's client runs. */
export interface ScriptPlatformMark {
  readonly file: string;
  readonly line: number;
  /** The command as the platform's client names it: `oc apply`, `oc new-project`. */
  readonly command: string;
}

/**
 * `oc`, the OpenShift client, run with a command only OpenShift serves (`oc new-project`, `oc adm`, `oc expose`, `oc get
 * route`): a tree whose scripts or README drive the cluster so is deployed to OpenShift, whatever its objects say. Its
 * first such command per file is enough. oc embeds kubectl (openshift/oc pkg/cli/cli.go adds kubectl's commands as its
 * own), so `oc apply`, `oc label` or `oc get pods` run against any Kubernetes cluster and tell nothing of the platform.
 */
export function scriptPlatformMarks(scripts: readonly TreeScript[]): ScriptPlatformMark[] {
  const out: ScriptPlatformMark[] = [];
  for (const t of scripts) {
    for (const { line, tokens } of scriptCommandsOf(t)) {
      const { program, subcommand: verb = '', at } = invocationOf(tokens);
      if (program !== 'oc' || !/^[a-z][a-z-]*$/.test(verb)) continue;
      const resource = OPENSHIFT_VERBS.has(verb) ? undefined : openShiftResource(verb, tokens.slice(at + 2));
      if (!OPENSHIFT_VERBS.has(verb) && !resource) continue;
      out.push({ file: t.script, line, command: resource ? `oc ${verb} ${resource}` : `oc ${verb}` });
      break;
    }
  }
  return out;
}

/**
 * oc commands of OpenShift's own (openshift/oc pkg/cli/cli.go, beside kubectl's): projects, builds, image streams,
 * routes made by expose, templates processed, cluster administration (adm), each calling an *.openshift.io API.
 */
const OPENSHIFT_VERBS = new Set([
  'new-project',
  'project',
  'projects',
  'adm',
  'expose',
  'new-app',
  'new-build',
  'start-build',
  'process',
  'policy',
  'import-image',
  'tag',
]);

/** Resources only OpenShift serves (route.openshift.io, project, build, image, apps.openshift.io, security.openshift.io, config.openshift.io). */
const OPENSHIFT_RESOURCES = new Set([
  'route',
  'routes',
  'project',
  'projects',
  'buildconfig',
  'buildconfigs',
  'bc',
  'imagestream',
  'imagestreams',
  'is',
  'imagestreamtag',
  'istag',
  'deploymentconfig',
  'deploymentconfigs',
  'dc',
  'scc',
  'securitycontextconstraints',
  'clusterversion',
  'clusteroperator',
  'clusteroperators',
  'co',
]);

/** kubectl's verbs whose first operand is a resource type (`oc get route x`, `oc delete routes/x`). */
const RESOURCE_VERBS = new Set(['get', 'describe', 'create', 'delete', 'edit', 'patch', 'label', 'annotate', 'wait']);

/** The OpenShift-only resource type the first operand of a resource verb names (`route`, `routes/x`, `route.route.openshift.io`). */
function openShiftResource(verb: string, rest: readonly string[]): string | undefined {
  if (!RESOURCE_VERBS.has(verb)) return undefined;
  const operand = rest.find((w) => !w.startsWith('-'));
  const type = operand?.split('/')[0].split(',')[0].split('.')[0];
  return type && OPENSHIFT_RESOURCES.has(type) ? type : undefined;
}

/** What the tree's scripts and documents say of the platform: OpenShift's client run, or a release stated. */
export type PlatformMark = ScriptPlatformMark | StatedRelease;

/** A README's statement of the OpenShift AI release a tree is written for (`Tested on RHOAI 3.4`, `OpenShift AI 3.4.1`). */
export interface StatedRelease {
  readonly file: string;
  readonly line: number;
  /** The release as written (`3.4`, `3.4.1`). */
  readonly release: string;
  /** The words that state it (`RHOAI 3.4`). */
  readonly words: string;
}

/** A README, by the names GitHub renders as one. */
const README = /^readme(\.(md|markdown|rst|txt|adoc))?$/i;
const MAX_README_BYTES = 256 * 1024;
/**
 * The product named with a release: Red Hat OpenShift AI (RHOAI, formerly RHODS) or Open Data Hub (ODH), then its
 * version (`RHOAI 3.4`, `OpenShift AI v3.4.1`, `RHOAI-2.16`); OpenShift's own version (`OpenShift 4.18`) is another
 * product and not read.
 */
const STATED = /\b(Red Hat OpenShift AI|OpenShift AI|RHOAI|RHODS|Open Data Hub|ODH)[\s-]*(?:version\s+|v)?(\d+\.\d+(?:\.\d+)?)\b/gi;

/** What follows a release that makes it one end of a range or a floor. */
const RANGE_AFTER = /^(?:\+|\s*(?:to|through|until|-|\u2013|\u2014|\/|or|and|,)\s*(?:v?\d|later|newer|above|up|higher))/i;

/** The first statement of an OpenShift AI release in a README's text, with its line. */
export function statedReleaseIn(text: string): { line: number; release: string; words: string } | undefined {
  const lines = text.split('\n');
  for (const [i, l] of lines.entries()) {
    for (const m of l.matchAll(STATED)) {
      // a range or a floor (`OpenShift AI 3.0 to 3.4`, `RHOAI 2.16+`, `3.3 or later`) names no one release
      if (!RANGE_AFTER.test(l.slice((m.index ?? 0) + m[0].length))) return { line: i + 1, release: m[2], words: m[0].trim() };
    }
  }
  return undefined;
}

/**
 * The OpenShift AI release the READMEs of a checked folder and of the folders above it, up to its git work tree's
 * root, state: the nearest README's first statement. Documentation weighs least (platform-signals Weight.DOCUMENT):
 * it only picks a release among those the objects leave.
 */
export function statedRelease(folder: string, root: string | undefined): StatedRelease | undefined {
  const within = root !== undefined && !path.relative(path.resolve(root), path.resolve(folder)).startsWith('..');
  const top = within ? path.resolve(root) : path.resolve(folder);
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => README.test(n));
    } catch {
      names = [];
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      const read = st?.isFile() ? readBounded(file, st, MAX_README_BYTES) : undefined;
      const stated = read && 'text' in read ? statedReleaseIn(read.text) : undefined;
      if (stated) return { file: path.relative(path.resolve(folder), file).split(path.sep).join('/'), ...stated };
    }
    if (dir === top || path.dirname(dir) === dir) return undefined;
  }
}
