import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, text } from '../manifests/access';
import {
  DEFAULT_PLATFORM_ID,
  DeploymentModes as PlatformModes,
  isPlatformId,
  PLATFORM_IDS,
  PLATFORMS as PLATFORM_TABLE,
  PlatformId,
} from '../platform/platform';
import { KUEUE_VERSION_FORMS, parseKueueVersion } from '../platform/kueue-releases';
import { kserveInstallSignal, RHOAI, scriptSignal, Signal, signalsOf, Weight } from './platform-signals';
import { kserveInstalls } from './kserve-installs';
import { perObject } from '../private/run-memo';
import type { ListedRemoteBase } from '../manifests/remote-bases';
import type { PlatformMark } from '../manifests/script-platform';
import type { RepositoryObject } from '../manifests/repository-objects';

/**
 * The platforms `check` judges for: those the library renders for (lib/platform's table) and OpenShift AI 2.x, whose
 * KServe serves Serverless by default and which the library does not render for.
 */
export type Platform = 'rhoai-2' | PlatformId;

export const PLATFORMS: readonly Platform[] = ['rhoai-2', ...PLATFORM_IDS];

/** The platform judged for when neither `--platform`, a project file nor the tree tells one. */
export const DEFAULT_PLATFORM: Platform = DEFAULT_PLATFORM_ID;

/** How a platform's KServe reads `serving.kserve.io/deploymentMode`, and how messages name it. */
export interface DeploymentModes extends Omit<PlatformModes, 'raw' | 'deprecatedAliases'> {
  /** Known values that are deprecated aliases, with the name to write instead. */
  readonly deprecatedAliases: Readonly<Record<string, string>>;
  /** How to name the platform's KServe in messages. */
  readonly label: string;
}

/**
 * Deployment-mode names per platform, from the platform table; OpenShift AI 2.x (KServe 0.11–0.14) serves single
 * models in Serverless (its default, on OpenShift Serverless) and RawDeployment, and ModelMesh for many small models.
 */
export const DEPLOYMENT_MODES: Record<Platform, DeploymentModes> = {
  'rhoai-2': {
    known: ['RawDeployment', 'Serverless', 'ModelMesh'],
    unavailable: [],
    deprecatedAliases: {},
    fallback: 'Serverless',
    label: 'OpenShift AI 2.x',
  },
  ...(Object.fromEntries(
    PLATFORM_IDS.map((id) => {
      const { known, unavailable, deprecatedAliases, fallback } = PLATFORM_TABLE[id].deploymentModes;
      return [id, { known, unavailable, deprecatedAliases, fallback, label: PLATFORM_TABLE[id].label }];
    }),
  ) as Record<PlatformId, DeploymentModes>),
};

/** How the platform of a check run was chosen. */
export type PlatformSource = 'flag' | 'project' | 'inferred' | 'default';

/** The platform a check run judges for, how it was chosen and why. */
export interface PlatformChoice {
  readonly platform: Platform;
  readonly source: PlatformSource;
  /** One sentence a reader can verify: the flag, the project file, the objects that tell it, or that none did. */
  readonly reason: string;
  /**
   * The platforms the tree may target: the one given or set, else those the tree's signals leave (every platform when
   * nothing told). A verdict that holds on each of them does not rest on the choice among them.
   */
  readonly candidates: readonly Platform[];
  /**
   * Where the tree's signals conflict and the platform was not given: the overruled signals' platforms, which the
   * choice left out. A verdict that holds on the platform judged but on none of these rests on that choice.
   */
  readonly conflict?: PlatformConflict;
  /**
   * Where upstream KServe was inferred, whether the tree's marks place it on OpenShift (a Route, an openshift-*
   * namespace, `oc` in a script): upstream KServe installed on OpenShift, whose own parts (OLM, SCCs) are there.
   */
  readonly openShift?: boolean;
  /**
   * The files of the git repository outside the checked folders whose objects took part in the inference (the
   * operator's Subscription, the DataScienceCluster in a sibling folder), where the tree alone left more than one
   * platform, as the checked folder names them.
   */
  readonly files?: readonly string[];
}

/** Signals of the tree that point to platforms the inference overruled (two deliveries side by side, for instance). */
export interface PlatformConflict {
  /** The platforms the overruled signals leave, none of them a candidate. */
  readonly platforms: readonly Platform[];
  /** The first overruled signal and what overruled it, as a sentence part. */
  readonly says: string;
}

/**
 * Whether the platform judged is surely OpenShift: told by --platform or the project file, or, where the release is
 * only assumed, by a tree whose marks leave OpenShift AI releases only (a check run's platform, platformAssumed and
 * platformCandidates).
 */
export function onOpenShift(judged: {
  readonly platform: Platform;
  readonly platformAssumed?: boolean;
  readonly platformCandidates?: readonly Platform[];
  readonly platformOnOpenShift?: boolean;
}): boolean {
  if (judged.platformOnOpenShift === true) return true;
  return judged.platform !== 'kserve' && (!judged.platformAssumed || (judged.platformCandidates ?? []).every((p) => p !== 'kserve'));
}

/** The project file beside a tree that sets its default platform: `{ "platform": "rhoai-3.4" }`. */
export const PROJECT_FILE = '.cdk8s-vllm.json';

/** The signals the objects give, strongest first (a stable sort keeps the tree's order within a weight). */
function signalsIn(objects: readonly { readonly manifest: unknown }[], scripts: readonly PlatformMark[], installed: readonly ListedRemoteBase[]): Signal[] {
  const signals: Signal[] = [...scripts.map(scriptSignal), ...kserveInstalls(objects, installed).map(kserveInstallSignal)];
  for (const o of objects) {
    const m = o.manifest as Loose;
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
    // an object's signals are its own: kept past the run while it is unchanged (run-memo.ts)
    signals.push(...perObject('platform-signals', m, ownSignals));
  }
  return signals.sort((a, b) => b.weight - a.weight);
}

/** The signals of one object, named by its kind, namespace and name. */
function ownSignals(m: Loose): Signal[] {
  const meta = mapping(m.metadata);
  return signalsOf(m, `${text(m.kind) ?? '?'}/${[text(meta.namespace), text(meta.name)].filter(Boolean).join('/')}`);
}

interface Narrowed {
  readonly possible: readonly Platform[];
  /** The signals that left fewer platforms, and the OpenShift marks (which may leave as many). */
  readonly told: readonly Signal[];
  readonly overruled: readonly { s: Signal; by: Signal }[];
}

/**
 * The platforms the signals leave, strongest first: a signal that would leave none, or that places the tree off
 * OpenShift when a stronger one placed it there (or the reverse), is overruled by the first that contradicts it.
 */
function narrow(signals: readonly Signal[]): Narrowed {
  let possible: readonly Platform[] = PLATFORMS;
  const told: Signal[] = [];
  const overruled: { s: Signal; by: Signal }[] = [];
  for (const s of signals) {
    const next = possible.filter((p) => s.candidates.includes(p));
    const placed = s.onOpenShift === undefined ? undefined : told.find((t) => t.onOpenShift === !s.onOpenShift);
    if (!next.length || placed) {
      // named by what excluded it: one that shares none of its platforms, else the latest that narrowed them away
      const excluding = [...told].reverse().find((t) => !s.candidates.every((p) => t.candidates.includes(p)));
      overruled.push({ s, by: placed ?? told.find((t) => !t.candidates.some((p) => s.candidates.includes(p))) ?? excluding ?? told[0] });
      continue;
    }
    if (next.length < possible.length || (s.onOpenShift && !told.some((t) => t.onOpenShift))) told.push(s);
    possible = next;
  }
  return { possible, told, overruled };
}

/**
 * Where upstream KServe stays possible, whether the tree is for it: only an OpenShift AI mark picks an OpenShift AI
 * release, so upstream KServe when a signal pointed to it (an upstream or cloud mark, an API version it serves that
 * OpenShift AI releases before 3.4 do not); without one, an OpenShift mark alone means OpenShift AI.
 */
function upstreamChosen({ possible, told }: Narrowed): boolean {
  if (!possible.includes('kserve')) return false;
  return possible.length === 1 || told.some((t) => t.candidates.includes('kserve') && !RHOAI.every((p) => t.candidates.includes(p)));
}

/** The platforms the overruled signals point to that the choice left out, with the first of them, when there are any. */
function conflictOf(overruled: Narrowed['overruled'], possible: readonly Platform[]): PlatformConflict | undefined {
  const platforms = PLATFORMS.filter((p) => !possible.includes(p) && overruled.some(({ s }) => s.candidates.includes(p)));
  const first = overruled.find(({ s }) => s.candidates.some((p) => platforms.includes(p)));
  return first ? { platforms, says: `${first.s.says}, overruled by ${first.by.says}` } : undefined;
}

/** What the reason lists: the first three signals that narrowed, and the first overruled one with what overruled it. */
function evidence(narrowing: readonly Signal[], overruled: readonly { s: Signal; by: Signal }[]): string {
  const more = narrowing.length > 3 ? ` and ${narrowing.length - 3} more` : '';
  const listed = `${narrowing
    .slice(0, 3)
    .map((n) => n.says)
    .join('; ')}${more}`;
  if (!overruled.length) return listed;
  const [{ s, by }] = overruled;
  const others = overruled.length > 1 ? ` (and ${overruled.length - 1} more)` : '';
  return `${listed}; signals conflict, overruled${others}: ${s.says}, by the stronger ${by.says}`;
}

/**
 * The platform the objects were written for, where they tell. Each signal (platform-signals.ts) narrows the platforms
 * the tree can run on, strongest first: the OpenShift AI operator Subscription's startingCSV and channel, then the
 * DataScienceCluster's version, an install of upstream KServe the tree makes (kserve-installs.ts: its charts through
 * Argo CD or Flux, its release manifests through a kustomization or a script), OpenShift AI image tags, OpenShift and
 * OpenShift AI marks (groups, labels, namespaces, catalogs), other clouds' and upstream marks, and last API versions; a signal that contradicts stronger ones is
 * overruled and the reason names it. Upstream KServe is chosen where it stays possible and a signal pointed to it
 * (`upstreamChosen`); otherwise OpenShift AI. "No signal" is a tree none of whose objects carries any of these marks (plain Deployments,
 * Jobs, Kueue queues): OpenShift AI trees nearly always carry one, so it is judged as upstream KServe, and the
 * reason says that nothing told it. Among the OpenShift AI releases
 * left, the default where it is one of them, else the oldest.
 *
 * Where the tree leaves more than one platform, the objects of its git repository outside the checked folders
 * (`repository`: the operators/ or cluster/ folder beside an app's) are the cluster's set-up and tell the rest
 * (repositorySignals): their signals come after the tree's, so the tree's own win, and two of them that disagree leave
 * a conflict as two of the tree's do.
 */
export function inferPlatform(
  objects: readonly { readonly manifest: unknown }[],
  fallback: Platform = DEFAULT_PLATFORM,
  scripts: readonly PlatformMark[] = [],
  installed: readonly ListedRemoteBase[] = [],
  repository: () => readonly RepositoryObject[] = () => [],
): PlatformChoice {
  const own = signalsIn(objects, scripts, installed);
  const upstream = upstreamName(objects);
  const tree = own.length ? chosenFrom(own, fallback, upstream, 'the tree') : nothingTold(upstream);
  if (tree.candidates.length === 1) return tree;
  const around = repositorySignals(repository(), own);
  const where = own.length ? 'the tree and the git repository around it' : 'the git repository around the tree (nothing in the tree marks a platform)';
  const all = [...own, ...around.map((a) => a.signal)];
  const { told, overruled } = narrow(all);
  // the repository's signals that narrowed the platforms, or that conflict: only they tell anything
  const telling = around.filter((a) => told.includes(a.signal) || overruled.some((o) => o.s === a.signal));
  if (!telling.length) return tree;
  return { ...chosenFrom(all, fallback, upstream, where), files: [...new Set(telling.map((a) => a.file))] };
}

/** The choice where no signal told anything: OpenShift AI trees nearly always carry a mark, so upstream Kubernetes. */
function nothingTold(upstream: string): PlatformChoice {
  return {
    platform: 'kserve',
    source: 'default',
    candidates: PLATFORMS,
    reason: `nothing in the tree marks OpenShift or OpenShift AI (no Route, openshift-* or redhat-ods-* namespace, *.openshift.io or opendatahub.io key): ${upstream} assumed; pass --platform`,
  };
}

/** The choice the signals (strongest first, the tree's before the repository's) leave; `where` names whose they are. */
function chosenFrom(signals: readonly Signal[], fallback: Platform, upstream: string, where: string): PlatformChoice {
  const narrowed = narrow(signals);
  const possible: readonly Platform[] = upstreamChosen(narrowed) ? ['kserve'] : narrowed.possible.filter((p) => p !== 'kserve');
  const told = evidence(narrowed.told, narrowed.overruled);
  const conflict = conflictOf(narrowed.overruled, possible);
  const conflicting = conflict ? { conflict } : {};
  if (possible.includes(fallback) && possible.length > 1) {
    return {
      platform: fallback,
      source: 'default',
      candidates: possible,
      reason: `${where} leaves ${possible.join(', ')} (${told}): ${fallback} (the default) assumed; pass --platform`,
      ...conflicting,
    };
  }
  // the first remaining in table order: the oldest OpenShift AI release
  const chosen = PLATFORMS.find((p) => possible.includes(p))!;
  const named = chosen === 'kserve' && upstream !== 'upstream KServe' ? `: ${upstream}` : '';
  // upstream KServe on a cluster the tree's surviving marks say is OpenShift
  const openShift = chosen === 'kserve' && narrowed.told.some((t) => t.onOpenShift === true) ? { openShift: true } : {};
  return { platform: chosen, source: 'inferred', candidates: possible, reason: `inferred from ${where}: ${told}${named}`, ...conflicting, ...openShift };
}

/**
 * The weakest signals a repository object gives that count: an API version or a leftover kind says which releases
 * serve a file of another folder, not what the cluster runs; a platform family, a cloud's mark, an image tag, the
 * operator's Subscription and DataScienceCluster say what the cluster is.
 */
const REPOSITORY_WEIGHT = Weight.UPSTREAM;

/**
 * The platform signals of the repository's objects outside the checked folders, strongest first, each named with its
 * file and line (`Subscription/redhat-ods-operator/rhods-operator in infra/rhoai/subscription.yaml line 3`), each
 * file's object once (kustomizations listing it place it more than once); those that contradict the tree's own
 * signals are left out: what the checked folder says of itself wins.
 */
function repositorySignals(objects: readonly RepositoryObject[], own: readonly Signal[]): { signal: Signal; file: string }[] {
  const { possible, told } = narrow(own);
  const seen = new Set<string>();
  const out: { signal: Signal; file: string }[] = [];
  for (const o of objects) {
    if (seen.has(`${o.file}:${o.line}`)) continue;
    seen.add(`${o.file}:${o.line}`);
    const id = `${o.kind}/${[text(mapping(o.manifest.metadata).namespace), text(mapping(o.manifest.metadata).name)].filter(Boolean).join('/')} in ${o.file} line ${o.line}`;
    for (const signal of signalsOf(o.manifest, id)) {
      const placed = signal.onOpenShift !== undefined && told.some((t) => t.onOpenShift === !signal.onOpenShift);
      if (signal.weight >= REPOSITORY_WEIGHT && !placed && signal.candidates.some((p) => possible.includes(p))) out.push({ signal, file: o.file });
    }
  }
  return out.sort((a, b) => b.signal.weight - a.signal.weight);
}

/** API groups of KServe's kinds: a tree without them is judged as the kserve platform only for being upstream Kubernetes. */
const KSERVE_GROUPS = ['serving.kserve.io'];

/** How a reason names the upstream platform: KServe where the tree holds a KServe object, else Kubernetes without OpenShift. */
function upstreamName(objects: readonly { readonly manifest: unknown }[]): string {
  const kserve = objects.some((o) => KSERVE_GROUPS.includes(String(mapping(o.manifest).apiVersion ?? '').split('/')[0]));
  return kserve ? 'upstream KServe' : 'upstream Kubernetes without OpenShift (the tree holds no KServe object)';
}

/** What the project file sets: the default platform and the cluster's Kueue release, each optional. */
export interface ProjectSettings {
  readonly file: string;
  readonly platform?: Platform;
  /** The Kueue release as written (`1.3`, `0.16`): `chooseKueue` reads it. */
  readonly kueue?: string;
  /** The folder of charts pulled ahead of the check (check --charts), resolved from the project file's folder. */
  readonly charts?: string;
}

/**
 * The project settings beside the checked paths: `.cdk8s-vllm.json` in a checked folder (or a checked file's folder)
 * or in a folder above it, up to the repository root (a folder holding `.git`). Throws, naming the file, on a file
 * that does not parse, names neither a platform nor a Kueue release, or names an unknown one.
 */
export function projectSettings(paths: readonly string[]): ProjectSettings | undefined {
  for (const p of paths) {
    if (p === '-') continue;
    let dir = path.resolve(p);
    try {
      if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
    } catch {
      continue; // a path that does not exist is reported by the reader
    }
    for (;;) {
      const file = path.join(dir, PROJECT_FILE);
      if (fs.existsSync(file)) return { file, ...readProjectFile(file) };
      const parent = path.dirname(dir);
      if (fs.existsSync(path.join(dir, '.git')) || parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** The project default platform beside the checked paths (`projectSettings`), when the project file sets one. */
export function projectPlatform(paths: readonly string[]): { platform: Platform; file: string } | undefined {
  const settings = projectSettings(paths);
  return settings?.platform ? { platform: settings.platform, file: settings.file } : undefined;
}

function readProjectFile(file: string): { platform?: Platform; kueue?: string; charts?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); write {"platform": "${DEFAULT_PLATFORM}"}`);
  }
  const { platform, kueue, charts } = mapping(raw);
  if (platform === undefined && kueue === undefined && charts === undefined)
    throw new Error(`${file}: names no 'platform' (${PLATFORMS.join(', ')}), 'kueue' (e.g. "1.3") nor 'charts' (a folder of pulled charts)`);
  if (platform !== undefined && platform !== 'rhoai-2' && !isPlatformId(platform))
    throw new Error(`${file}: 'platform' is ${JSON.stringify(platform)}; write one of ${PLATFORMS.join(', ')}`);
  if (kueue !== undefined && (typeof kueue !== 'string' || !parseKueueVersion(kueue)))
    throw new Error(`${file}: 'kueue' is ${JSON.stringify(kueue)}; write ${KUEUE_VERSION_FORMS}`);
  if (charts !== undefined && (typeof charts !== 'string' || !charts)) throw new Error(`${file}: 'charts' is ${JSON.stringify(charts)}; write a folder's path`);
  return {
    ...(platform !== undefined ? { platform: platform as Platform } : {}),
    ...(kueue !== undefined ? { kueue: kueue as string } : {}),
    ...(typeof charts === 'string' ? { charts: path.resolve(path.dirname(file), charts) } : {}),
  };
}

/**
 * Chooses the platform of a check run: the flag, else the project file, else what the tree tells (and, where it leaves
 * more than one, the objects of its git repository outside it: `repository`), else the default.
 */
export function choosePlatform(
  objects: readonly { readonly manifest: unknown }[],
  given?: Platform,
  paths: readonly string[] = [],
  scripts: readonly PlatformMark[] = [],
  installed: readonly ListedRemoteBase[] = [],
  repository: () => readonly RepositoryObject[] = () => [],
): PlatformChoice {
  if (given) return { platform: given, source: 'flag', candidates: [given], reason: `--platform ${given}` };
  const project = projectPlatform(paths);
  if (project) return { platform: project.platform, source: 'project', candidates: [project.platform], reason: `the project default in ${project.file}` };
  return inferPlatform(objects, DEFAULT_PLATFORM, scripts, installed, repository);
}
